#pragma once

// The one table that maps PC/SC return codes (pcsc-lite LONG, pcsclite.h) to our error codes
// (docs/pcsc.md). Every call into winscard goes through here, so a code means the same
// thing in the reader, its channels and diagnostics.
//
// What the flow sees: CardRemoved (the card left mid-command), ReaderRemoved (the reader was
// unplugged), ReaderServiceDown (pcscd stopped or restarted: the reader re-establishes its
// context by itself), NoCard, ReaderBusy (another process holds the card), Timeout, Cancelled.

#include "base/result.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace uketsuke::hal::pcsc {

struct PcscCode {
    std::int64_t value;     // the LONG, e.g. 0x8010001D
    std::string_view name;  // "SCARD_E_NO_SERVICE"
    Errc code;              // what it means for us
};

// Every code pcsclite.h defines, in its order. SCARD_E_UNEXPECTED and
// SCARD_E_UNSUPPORTED_FEATURE share one value in pcsc-lite (0x8010001F); the table has one row
// for it (NotSupported: what SCardControl answers for a feature the driver lacks).
std::span<const PcscCode> pcscCodes();

// Looks a return code up. SCARD_S_SUCCESS maps to Errc::Internal with its name (a caller that
// builds an error from success has a bug); an unknown value maps to ReaderError, "unknown".
// Pure; thread: any.
const PcscCode& lookupPcscCode(std::int64_t rv);

// The Error for a failed call: code from the table, native = rv, message "<what>: <NAME>
// (0x8010xxxx)". Pure; thread: any.
Error pcscError(std::int64_t rv, std::string_view what);

// Whether `rv` means the daemon is gone or no longer knows our context (pcscd stopped or
// restarted): the context must be released and established again.
bool isServiceLost(std::int64_t rv);

} // namespace uketsuke::hal::pcsc
