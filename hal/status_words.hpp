#pragma once

// The one table that maps ISO 7816-4 status words (SW1SW2) to our error codes and to a short
// meaning for the log (docs/card.md). Like OpenSC's iso7816.c, the PIN counter form
// 63Cx is checked first, before the table: x is the number of tries left.
//
// Every component that looks at a status word (the JPKI protocol in kiosk/card, the PC/SC
// reader, diagnostics) goes through here, so a status word means the same thing everywhere.

#include "base/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace uketsuke::hal {

inline constexpr std::uint16_t kSwOk = 0x9000;

struct StatusWordInfo {
    // True only for 90 00.
    bool success = false;
    // The error code when !success. PinIncorrect for 63C1..63CF, PinBlocked for 63C0, 69 84 and
    // 69 83 (docs/card.md).
    Errc code = Errc::CardError;
    // Tries left for 63Cx (0..15); -1 for every other status word.
    int triesLeft = -1;
    // A short English meaning for the log ("wrong PIN", "file not found"); never shown to
    // patients, never personal data.
    std::string_view meaning;
};

// Looks a status word up in the table. Unknown status words map to CardError.
// Thread: any (pure function).
StatusWordInfo mapStatusWord(std::uint16_t sw);

// The Error for a failing status word: code and meaning from mapStatusWord(), and `native` set
// to the SW1SW2 value, except for PinIncorrect and PinBlocked from 63Cx, where `native` is the
// number of tries left (what the flow shows the patient). The message always carries the SW in
// hex. Precondition: sw != 90 00 (an Error for 90 00 has code CardError and says so).
// Thread: any (pure function).
Error statusWordError(std::uint16_t sw);

// "63C2", for log lines.
std::string formatStatusWord(std::uint16_t sw);

} // namespace uketsuke::hal
