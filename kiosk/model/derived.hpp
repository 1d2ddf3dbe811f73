#pragma once

// Values reception derives from a qualification result: the copay ratio with the element it
// came from, the insurer number as OQS writes it, the kana name in full width, and the
// 記号・番号・枝番 line of the 療養費 form.
// Pure functions: no I/O, no clock (the 施術日 is a parameter), thread: any.

#include "kiosk/model/qualification.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace uketsuke::kiosk::model {

// Where a copay ratio came from (in the order it is derived).
enum class CopaySource {
    LateElderly, // InsuredPartialContributionRatio (後期高齢者)
    Elderly,     // ElderlyRecipientContributionRatio, valid on the 施術日 (70-74)
    Preschool,   // PreschoolClassification 1 (未就学): 2割
    Default,     // otherwise: 3割
};

struct CopayRatio {
    // 10, 20 or 30 (1割, 2割, 3割). 0 when the deciding element holds a value we do not know:
    // staff check the card; never guess.
    int percent = 30;
    CopaySource source = CopaySource::Default;
    // The OQS element the ratio came from ("InsuredPartialContributionRatio", …); empty for the
    // default. Shown to staff next to the ratio.
    std::string_view element;
};

// The 負担割合 on `serviceDate` (YYYYMMDD, the 施術日):
//   1. InsuredPartialContributionRatio present: 010 → 10, 020 → 20, 030 → 30;
//   2. ElderlyRecipientContributionRatio present and the 高齢受給者証 valid on serviceDate
//      (ValidStartDate ≤ serviceDate ≤ ValidEndDate; an absent bound is open): 010/020/030;
//   3. PreschoolClassification 1: 20;
//   4. otherwise 30.
// Steps 3 and 4 are statutory defaults, not checked against a source.
// An elderly certificate cannot be checked without a valid serviceDate and is then skipped.
// 公費 (other than 医療扶助) is not in the result: check the 受給者証.
CopayRatio copayRatio(const ResultOfQualificationConfirmation& person,
                      std::string_view serviceDate);

// "late_elderly", "elderly", "preschool", "default".
const char* copaySourceName(CopaySource source);

// The insurer number as OQS writes it: 8 characters, a 6-digit 国保 number right-aligned with
// spaces ("  138999"). Accepts surrounding ASCII or full-width spaces, full-width digits and a
// zero-padded 6-digit number ("00138999": no 法別番号 is 00). nullopt when what remains is not
// 6 or 8 digits.
std::optional<std::string> normalisedInsurerNumber(std::string_view text);

// True when both denote the same insurer: compared after normalisation, so "  138999",
// "138999" and "00138999" match. Two numbers that do not normalise never match.
bool sameInsurerNumber(std::string_view a, std::string_view b);

// Half-width katakana (U+FF61-U+FF9F) to full width for display: "ｳｹﾂｹ ﾀﾛｳ" → "ウケツケ タロウ",
// with a following ﾞ or ﾟ combined into one character ("ｶﾞ" → "ガ", "ﾊﾟ" → "パ", "ｳﾞ" → "ヴ");
// a mark that cannot combine becomes ゛ or ゜. Everything else, including spaces, is copied.
std::string fullWidthKana(std::string_view utf8);

// True when two kana names are the same after fullWidthKana, with full-width spaces read as
// spaces and runs of spaces collapsed (matching a patient on NameKana).
bool sameNameKana(std::string_view a, std::string_view b);

// Initials for a slip that must not carry the whole name (config `slip.name = "initials"`):
// the Hepburn initial of each space-separated part of the kana reading, in the record's
// order (family name first), as "Y.T." for "ﾖｼﾀﾞ ﾀｶｺ" (half- or full-width katakana, or
// hiragana; シ → S, チ → C, ツ → T, フ → F, ジ → J). Without a usable kana reading, the first
// letter of each part of a name written in Latin letters ("SMITH JOHN" → "S.J."). Empty when
// neither gives every part a letter: printing no initials beats printing wrong ones.
std::string nameInitials(std::string_view nameKana, std::string_view name);

// The 記号・番号 line as the 療養費支給申請書 writes it, with the 枝番 in brackets:
// "12・345（01）"; without a 記号 (後期高齢者) "345", without a 枝番 no brackets. Parts are
// trimmed of surrounding spaces. `separator` may be "・", "―" or " " (all accepted on the form).
std::string symbolNumberLine(const ResultOfQualificationConfirmation& person,
                             std::string_view separator = "・");

} // namespace uketsuke::kiosk::model
