#pragma once

// The insurance card form's buffer: what a patient with a 資格確認書 or 資格情報のお知らせ types
// from it (docs/oqs-files.md): 保険者番号, 記号, 番号, 枝番 and the birth date. Like the PIN
// entry it lives in the runner, never in the flow: the flow only hears InsuranceSubmitted, and
// the runner builds the EligibilitySource::lookup() query from here, then wipes it when the
// check-in ends (flow::DiscardInsurance). Thread: main only.
//
// The values are personal data: shown on the patient's own screen, never logged. Validation
// names fields (insuranceFieldName), never values.
//
// Every field takes digits only (a kiosk keypad). A 記号 with kana or kanji (some 国保 cards)
// cannot be typed: such patients leave it empty (the 資格確認端末 may still find them by
// 番号 and birth date) or ask staff. The birth year is typed in the western calendar or in a
// Japanese era (大正, 昭和, 平成, 令和), which elderly patients often know better.

#include "kiosk/eligibility/source.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace uketsuke::kiosk::runner {

// In the order of the form (and of Next).
enum class InsuranceField {
    InsurerNumber, // 保険者番号: 6 or 8 digits
    Symbol,        // 記号: optional, digits only here
    Number,        // 番号
    Branch,        // 枝番: optional, 2 digits
    Era,           // the calendar of the birth year (chosen, not typed)
    BirthYear,
    BirthMonth,
    BirthDay,
};
inline constexpr std::size_t kInsuranceFieldCount = 8;

// The calendar the birth year is typed in.
enum class Era { Western, Taisho, Showa, Heisei, Reiwa };

enum class FieldStatus {
    Ok,
    Missing,   // required and empty
    Malformed, // typed but not acceptable (wrong length, no such date, out of range)
};

// Why a field is not Ok, for the words next to it (screen.enter_insurance.why.<name>).
enum class FieldProblem {
    None,
    Missing,       // required and empty
    InsurerLength, // 保険者番号: not 6 or 8 digits
    BranchLength,  // 枝番: not 2 digits
    YearRange,     // a western year that is not 4 digits from 1900 to this year
    EraYearRange,  // a year the chosen era does not have
    MonthRange,    // not 1 to 12
    DayRange,      // not 1 to 31
    NoSuchDate,    // the date does not exist, or is not in the chosen era (2月30日)
    Future,        // after today
};

struct CivilDate {
    int year = 0;
    int month = 0;
    int day = 0;
    bool operator==(const CivilDate&) const = default;
};

// "insurer_number", "symbol", "number", "branch", "era", "birth_year", "birth_month",
// "birth_day": for logs and tests.
const char* insuranceFieldName(InsuranceField field);
// "none", "missing", "insurer_length", "branch_length", "year_range", "era_year_range",
// "month_range", "day_range", "no_such_date", "future".
const char* fieldProblemName(FieldProblem problem);
// "western", "taisho", "showa", "heisei", "reiwa".
const char* eraName(Era era);

// The western year of `eraYear` of `era` (Showa 55 -> 1980); Western returns it unchanged.
int westernYear(Era era, int eraYear);
// Whether `date` is a real date inside `era` (平成1年1月7日 is not: that day was 昭和64年).
bool inEra(Era era, const CivilDate& date);
// Whether `date` exists in the Gregorian calendar (1900..9999).
bool isRealDate(const CivilDate& date);

class InsuranceEntry {
public:
    InsuranceEntry();
    ~InsuranceEntry();
    // Personal data: not copied around by accident.
    InsuranceEntry(const InsuranceEntry&) = delete;
    InsuranceEntry& operator=(const InsuranceEntry&) = delete;

    InsuranceField selected() const { return m_selected; }
    void select(InsuranceField field) { m_selected = field; }
    // Selects the field after the selected one (stays on the last).
    void next();

    // Appends a digit to the selected field. When the field can take no more digits (it is
    // full, or no further digit could make it valid, as a month of "2"), the next field is
    // selected. Returns false when nothing was typed (not a digit, full, or the era field).
    bool press(char digit);
    // Removes the selected field's last digit.
    void back();
    // Empties the selected field (the era goes back to Western).
    void clearField();

    Era era() const { return m_era; }
    // Chooses the birth year's calendar and selects the year. A year typed in the other
    // calendar is cleared (its digits would mean another year).
    void setEra(Era era);

    // The digits typed into `field` ("" for Era). Personal data: never log.
    const std::string& value(InsuranceField field) const;
    // How many digits `field` takes (0 for Era).
    std::size_t maxLength(InsuranceField field) const;

    FieldStatus status(InsuranceField field) const;
    // Why status(field) is not Ok (None when it is).
    FieldProblem problem(InsuranceField field) const;
    // The fields whose status is not Ok, in form order.
    std::vector<InsuranceField> problems() const;
    bool valid() const { return problems().empty(); }
    bool empty() const;

    // The birth date in the western calendar, when the date fields make a real date in the
    // chosen era.
    std::optional<CivilDate> birthdate() const;

    // Birth dates after `today` are Malformed. Unset: no upper bound but the calendar's.
    void setToday(const CivilDate& today) { m_today = today; }

    // The lookup query; nullopt unless valid(). serviceDate stays empty (today in Japan) and
    // no consent is given (the consent screens are not part of the form).
    std::optional<eligibility::InsuranceCardQuery> query() const;

    // Wipes every field and selects the first.
    void clear();

private:
    std::string& slot(InsuranceField field);
    FieldStatus birthStatus(InsuranceField field) const;
    // Whether some digit appended to `field` could still be accepted.
    bool canGrow(InsuranceField field) const;

    std::array<std::string, kInsuranceFieldCount> m_values;
    Era m_era = Era::Western;
    InsuranceField m_selected = InsuranceField::InsurerNumber;
    std::optional<CivilDate> m_today;
};

} // namespace uketsuke::kiosk::runner
