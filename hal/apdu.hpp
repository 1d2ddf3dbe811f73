#pragma once

// Typed APDU builders (OpenSC's sc_format_apdu: one place that knows the bytes) and the command
// APDU parser used by the virtual card. The JPKI identifiers live here because both sides of the
// seam need them: kiosk/card sends them, hal/sim answers them. Bytes: docs/card.md.

#include "hal/card.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace uketsuke::hal {

// Identifiers of the My Number card (docs/card.md).
namespace jpki {

// 公的個人認証AP: the only application the terminal ever selects.
inline constexpr std::array<std::uint8_t, 10> kJpkiAid{0xD3, 0x92, 0xF0, 0x00, 0x26,
                                                        0x01, 0x00, 0x00, 0x00, 0x01};
// 券面事項入力補助AP (My Number, 基本4情報): never selected by the terminal.
inline constexpr std::array<std::uint8_t, 10> kSupportAid{0xD3, 0x92, 0x10, 0x00, 0x31,
                                                           0x00, 0x01, 0x01, 0x04, 0x08};
// 券面AP (card-face images, photo): never selected by the terminal.
inline constexpr std::array<std::uint8_t, 10> kFaceAid{0xD3, 0x92, 0x10, 0x00, 0x31,
                                                        0x00, 0x01, 0x01, 0x04, 0x02};
// Two further applications that answer SELECT; never selected by the terminal.
inline constexpr std::array<std::uint8_t, 10> kCommonAid{0xD3, 0x92, 0x10, 0x00, 0x31,
                                                          0x00, 0x01, 0x01, 0x01, 0x00};
inline constexpr std::array<std::uint8_t, 10> kJukiAid{0xD3, 0x92, 0x10, 0x00, 0x31,
                                                        0x00, 0x01, 0x01, 0x04, 0x01};

// EFs of the JPKI AP.
inline constexpr std::uint16_t kEfSignCertificate = 0x0001; // 署名用: never read by the terminal
inline constexpr std::uint16_t kEfSignCaCertificate = 0x0002;
inline constexpr std::uint16_t kEfTokenInfo = 0x0006;
inline constexpr std::uint16_t kEfCertPresence = 0x0008;
inline constexpr std::uint16_t kEfAuthCertificate = 0x000A; // 利用者証明用電子証明書
inline constexpr std::uint16_t kEfAuthCaCertificate = 0x000B;
inline constexpr std::uint16_t kEfAuthKey = 0x0017;
inline constexpr std::uint16_t kEfAuthPin = 0x0018; // 利用者証明用暗証番号, 4 digits, 3 tries
inline constexpr std::uint16_t kEfSignKey = 0x001A;    // never used by the terminal
inline constexpr std::uint16_t kEfSignPin = 0x001B;    // never verified by the terminal

inline constexpr int kAuthPinMaxTries = 3;
inline constexpr int kSignPinMaxTries = 5;

// The label at the start of EF 0006 on a マイナンバーカード.
inline constexpr std::string_view kMyNumberTokenLabel = "JPKIAPICCTOKEN2";

// The contact ATR OpenSC's jpki driver knows. For diagnostics and the virtual card only:
// cards are identified by AID.
inline constexpr std::array<std::uint8_t, 9> kContactAtr{0x3B, 0xE0, 0x00, 0xFF, 0x81,
                                                          0x31, 0xFE, 0x45, 0x14};

// The DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2 note 1); the hash follows.
inline constexpr std::array<std::uint8_t, 19> kSha256DigestInfoPrefix{
    0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

} // namespace jpki

// The largest input COMPUTE DIGITAL SIGNATURE accepts for an RSA-2048 key: k - 11 bytes.
inline constexpr std::size_t kMaxSignatureInput = 245;
// READ BINARY's offset is 15 bits in P1 P2 (bit 8 of P1 would mean SFI addressing).
inline constexpr std::uint16_t kMaxReadOffset = 0x7FFF;
// A short READ BINARY returns at most 256 bytes (Le = 00).
inline constexpr std::size_t kMaxShortLe = 256;

// The builders below are pure: no I/O, any thread. Each states the exact bytes it makes.

// 00 A4 04 0C Lc <aid>: SELECT an application by DF name, no FCI.
// Precondition: 1 <= aid.size() <= 16 (ISO 7816-4); outside that the APDU is returned with the
// AID truncated to 16 bytes (an empty AID gives a case-1 APDU the card rejects).
Apdu selectAid(std::span<const std::uint8_t> aid);

// 00 A4 02 0C 02 HH LL: SELECT an EF by file ID in the current application.
Apdu selectEf(std::uint16_t fid);

// 00 B0 P1 P2 Le: READ BINARY of the current EF with a 15-bit offset; le in 1..256 (256 is
// sent as Le = 00). Precondition: offset <= kMaxReadOffset, 1 <= le <= 256; out-of-range values
// are clamped to those bounds (a caller that needs more must loop).
Apdu readBinary(std::uint16_t offset, std::size_t le);

// 00 20 00 80: VERIFY with no data, the PIN tries-left query of the current PIN EF. It spends
// no try.
Apdu verifyQuery();

// 00 20 00 80 Lc <ASCII digits>: VERIFY the current PIN EF. The APDU is marked sensitive, so
// CardChannel::transmit() never logs its data and wipes its buffers after sending.
// Precondition: pin.size() >= 1 (an empty Pin would make a tries query; callers check
// Pin::complete() first).
Apdu verify(const Pin& pin);

// 80 2A 00 80 Lc <input> 00: COMPUTE DIGITAL SIGNATURE with the key EF selected last. The card
// pads `input` (normally a DigestInfo) with PKCS#1 v1.5 type 1 and signs it; Le = 00 asks for
// the whole signature. Precondition: 1 <= input.size() <= kMaxSignatureInput (longer inputs are
// truncated, and the signature then fails to verify: callers pass a DigestInfo).
Apdu computeSignature(std::span<const std::uint8_t> input);

// A parsed command APDU (ISO 7816-4 §5.1, short and extended forms). `data` points into the
// buffer that was parsed.
struct CommandApdu {
    std::uint8_t cla = 0;
    std::uint8_t ins = 0;
    std::uint8_t p1 = 0;
    std::uint8_t p2 = 0;
    std::span<const std::uint8_t> data;
    // Ne, the number of response bytes expected: 0 when there is no Le field; otherwise
    // 1..256 (short) or 1..65536 (extended); Le = 00 / 00 00 means the maximum.
    std::size_t ne = 0;
    bool hasLe = false;
    bool extended = false;
};

// Parses raw command bytes. Errors: CardWrongLength when the length fields do not match the
// number of bytes (fewer than 4 bytes, Lc beyond the end, trailing bytes).
// Thread: any (pure function).
Result<CommandApdu> parseCommandApdu(std::span<const std::uint8_t> raw);

} // namespace uketsuke::hal
