#include "hal/status_words.hpp"

#include <array>
#include <cstdio>

namespace uketsuke::hal {
namespace {

struct Entry {
    std::uint16_t sw;
    std::uint16_t mask; // 0xFFFF: exact match; 0xFF00: any SW2
    Errc code;
    std::string_view meaning;
};

// The JPKI card's status words (docs/card.md) first, then the ISO 7816-4 codes a card may
// answer to a bug of ours.
// The first matching row wins, so exact rows come before SW1-only rows.
constexpr std::array kTable{
    // PIN state (after 63Cx, which is handled before the table)
    Entry{0x6984, 0xFFFF, Errc::PinBlocked, "reference data not usable (PIN blocked)"},
    Entry{0x6983, 0xFFFF, Errc::PinBlocked, "authentication method blocked"},
    // security and conditions
    Entry{0x6982, 0xFFFF, Errc::CardSecurityStatus, "security status not satisfied"},
    Entry{0x6985, 0xFFFF, Errc::CardNotAllowed, "conditions of use not satisfied"},
    Entry{0x6986, 0xFFFF, Errc::CardNotAllowed, "command not allowed (no current EF)"},
    Entry{0x6981, 0xFFFF, Errc::CardNotAllowed, "command incompatible with file structure"},
    Entry{0x69FC, 0xFFFF, Errc::CardUnsupportedCommand, "secure messaging not supported"},
    // files
    Entry{0x6A82, 0xFFFF, Errc::CardFileNotFound, "file or application not found"},
    Entry{0x6A83, 0xFFFF, Errc::CardFileNotFound, "record not found"},
    Entry{0x6A88, 0xFFFF, Errc::CardFileNotFound, "referenced data not found"},
    Entry{0x6282, 0xFFFF, Errc::CardEndOfFile, "end of file reached before Le bytes"},
    // parameters and lengths
    Entry{0x6B00, 0xFFFF, Errc::CardBadParameters, "offset beyond the end of the EF"},
    Entry{0x6A86, 0xFFFF, Errc::CardBadParameters, "incorrect P1 P2"},
    Entry{0x6A80, 0xFFFF, Errc::CardBadParameters, "incorrect data field"},
    Entry{0x6A87, 0xFFFF, Errc::CardBadParameters, "Lc inconsistent with P1 P2"},
    Entry{0x6700, 0xFFFF, Errc::CardWrongLength, "wrong length"},
    Entry{0x6C00, 0xFF00, Errc::CardWrongLength, "wrong Le (SW2 gives the exact length)"},
    // commands
    Entry{0x6A81, 0xFFFF, Errc::CardUnsupportedCommand, "function not supported"},
    Entry{0x6D00, 0xFFFF, Errc::CardUnsupportedCommand, "instruction not supported"},
    Entry{0x6E00, 0xFFFF, Errc::CardUnsupportedCommand, "class not supported"},
    // T=0 chaining: we only use T=1 with short APDUs, so this is never expected.
    Entry{0x6100, 0xFF00, Errc::CardError, "more data available (GET RESPONSE not used)"},
    Entry{0x6581, 0xFFFF, Errc::CardError, "memory failure"},
    Entry{0x6F00, 0xFFFF, Errc::CardError, "no precise diagnosis"},
    Entry{0x6400, 0xFF00, Errc::CardError, "execution error, memory unchanged"},
    Entry{0x6500, 0xFF00, Errc::CardError, "execution error, memory changed"},
    Entry{0x6200, 0xFF00, Errc::CardError, "warning, memory unchanged"},
    Entry{0x6300, 0xFF00, Errc::CardError, "warning, memory changed"},
};

} // namespace

StatusWordInfo mapStatusWord(std::uint16_t sw)
{
    if (sw == kSwOk) {
        return {true, Errc::CardError, -1, "success"};
    }
    // 63Cx first, as OpenSC's iso7816_check_sw(): the PIN counter.
    if ((sw & 0xFFF0) == 0x63C0) {
        const int tries = sw & 0x0F;
        if (tries == 0) {
            return {false, Errc::PinBlocked, 0, "wrong PIN, now blocked (no tries left)"};
        }
        return {false, Errc::PinIncorrect, tries, "wrong PIN or tries query, tries left in SW2"};
    }
    for (const auto& entry : kTable) {
        if ((sw & entry.mask) == entry.sw) {
            return {false, entry.code, -1, entry.meaning};
        }
    }
    return {false, Errc::CardError, -1, "unknown status word"};
}

Error statusWordError(std::uint16_t sw)
{
    const StatusWordInfo info = mapStatusWord(sw);
    Error error;
    error.code = info.success ? Errc::CardError : info.code;
    error.native = info.triesLeft >= 0 ? info.triesLeft : sw;
    error.message = "SW " + formatStatusWord(sw) + ": " +
                    std::string(info.success ? "success is not an error" : info.meaning);
    return error;
}

std::string formatStatusWord(std::uint16_t sw)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04X", static_cast<unsigned>(sw));
    return text;
}

} // namespace uketsuke::hal
