#pragma once

// PC/SC Part 10 (pcsc-lite reader.h, docs/pcsc.md): the reader feature list and the
// PIN_VERIFY_STRUCTURE for secure PIN entry. Pure byte builders and parsers, tested byte for
// byte without a reader.

#include "hal/card.hpp"

#include <cstdint>
#include <optional>
#include <span>

namespace uketsuke::hal::pcsc {

// SCARD_CTL_CODE(3400): asks the reader driver for its Part 10 features.
inline constexpr std::uint32_t kIoctlGetFeatureRequest = 0x42000000u + 3400u;
// Feature tags (reader.h).
inline constexpr std::uint8_t kFeatureVerifyPinDirect = 0x06;
inline constexpr std::uint8_t kFeatureModifyPinDirect = 0x07;
inline constexpr std::uint8_t kFeatureIfdPinProperties = 0x0A;
inline constexpr std::uint8_t kFeatureGetTlvProperties = 0x12;
// offsetof(PIN_VERIFY_STRUCTURE, abData) with Debian 12's packed header.
inline constexpr std::size_t kPinVerifyHeaderSize = 19;

// The control codes a reader offers, from the reply to kIoctlGetFeatureRequest.
struct ReaderFeatures {
    std::optional<std::uint32_t> verifyPinDirect;
    std::optional<std::uint32_t> modifyPinDirect;
    std::optional<std::uint32_t> ifdPinProperties;
    std::optional<std::uint32_t> getTlvProperties;
};

// Parses the feature list: 6-byte TLVs {tag, length 4, control code big-endian}. A TLV whose
// length is not 4, or a truncated one, ends the parse (what came before is kept); unknown tags
// are skipped. Pure; thread: any.
ReaderFeatures parseReaderFeatures(std::span<const std::uint8_t> reply);

// Builds the PIN_VERIFY_STRUCTURE for `request`: 19 header bytes, then the APDU
// `cla ins p1 p2 Lc=maxDigits` followed by maxDigits placeholder bytes (FF) where the reader
// writes the ASCII digits (bmFormatString 82: bytes, position 0, left-justified, ASCII; no PIN
// length field; entry ends when maxDigits are typed or on OK; one message; no T=1 prologue).
// For the JPKI VERIFY 00 20 00 80 04 with the defaults of PinPadVerify it is the 28 bytes
//   1E 0A 82 04 00 04 04 03 01 11 04 00 00 00 00 09 00 00 00 00 20 00 80 04 FF FF FF FF
// Timeouts above 255 s are clamped to 255; digit counts are clamped to 1..15 with
// min <= max. Pure; thread: any.
Bytes buildPinVerifyStructure(const PinPadVerify& request);

} // namespace uketsuke::hal::pcsc
