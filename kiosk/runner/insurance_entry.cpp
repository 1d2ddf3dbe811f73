#include "kiosk/runner/insurance_entry.hpp"

#include "base/time.hpp"

#include <string.h> // explicit_bzero

#include <algorithm>
#include <cstdio>

namespace uketsuke::kiosk::runner {
namespace {

constexpr std::size_t kLongField = 20; // 記号 and 番号: longer than any printed on a card

struct EraSpan {
    CivilDate first;
    std::optional<CivilDate> last; // nullopt: the current era
};

CivilDate civil(std::chrono::year_month_day date)
{
    return {int(date.year()), int(unsigned(date.month())), int(unsigned(date.day()))};
}

// The days each era began and ended (base/time: the day of a change belongs to the new era).
EraSpan spanOf(Era era)
{
    time::Era japanese = time::Era::Reiwa;
    switch (era) {
    case Era::Taisho:
        japanese = time::Era::Taisho;
        break;
    case Era::Showa:
        japanese = time::Era::Showa;
        break;
    case Era::Heisei:
        japanese = time::Era::Heisei;
        break;
    case Era::Reiwa:
        japanese = time::Era::Reiwa;
        break;
    case Era::Western:
        return {{1900, 1, 1}, std::nullopt};
    }
    const auto last = time::eraEnd(japanese);
    return {civil(time::eraStart(japanese)),
            last ? std::optional<CivilDate>(civil(*last)) : std::nullopt};
}

bool before(const CivilDate& a, const CivilDate& b)
{
    if (a.year != b.year) {
        return a.year < b.year;
    }
    if (a.month != b.month) {
        return a.month < b.month;
    }
    return a.day < b.day;
}

int toInt(const std::string& digits)
{
    int value = 0;
    for (char c : digits) {
        value = value * 10 + (c - '0');
        if (value > 100000) {
            break; // far beyond any field's range; stop before it could overflow
        }
    }
    return value;
}

void wipe(std::string& s)
{
    if (!s.empty()) {
        explicit_bzero(s.data(), s.size());
    }
    s.clear();
}

} // namespace

const char* insuranceFieldName(InsuranceField field)
{
    switch (field) {
    case InsuranceField::InsurerNumber:
        return "insurer_number";
    case InsuranceField::Symbol:
        return "symbol";
    case InsuranceField::Number:
        return "number";
    case InsuranceField::Branch:
        return "branch";
    case InsuranceField::Era:
        return "era";
    case InsuranceField::BirthYear:
        return "birth_year";
    case InsuranceField::BirthMonth:
        return "birth_month";
    case InsuranceField::BirthDay:
        return "birth_day";
    }
    return "unknown";
}

const char* fieldProblemName(FieldProblem problem)
{
    switch (problem) {
    case FieldProblem::None:
        return "none";
    case FieldProblem::Missing:
        return "missing";
    case FieldProblem::InsurerLength:
        return "insurer_length";
    case FieldProblem::BranchLength:
        return "branch_length";
    case FieldProblem::YearRange:
        return "year_range";
    case FieldProblem::EraYearRange:
        return "era_year_range";
    case FieldProblem::MonthRange:
        return "month_range";
    case FieldProblem::DayRange:
        return "day_range";
    case FieldProblem::NoSuchDate:
        return "no_such_date";
    case FieldProblem::Future:
        return "future";
    }
    return "unknown";
}

const char* eraName(Era era)
{
    switch (era) {
    case Era::Western:
        return "western";
    case Era::Taisho:
        return "taisho";
    case Era::Showa:
        return "showa";
    case Era::Heisei:
        return "heisei";
    case Era::Reiwa:
        return "reiwa";
    }
    return "unknown";
}

int westernYear(Era era, int eraYear)
{
    if (era == Era::Western) {
        return eraYear;
    }
    return spanOf(era).first.year + eraYear - 1;
}

bool isRealDate(const CivilDate& d)
{
    using namespace std::chrono;
    if (d.year < 1900 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1) {
        return false;
    }
    return year_month_day{year{d.year}, month{unsigned(d.month)}, day{unsigned(d.day)}}.ok();
}

bool inEra(Era era, const CivilDate& date)
{
    if (!isRealDate(date)) {
        return false;
    }
    EraSpan span = spanOf(era);
    if (before(date, span.first)) {
        return false;
    }
    return !span.last || !before(*span.last, date);
}

InsuranceEntry::InsuranceEntry()
{
    // Room for the longest field up front, so typing never reallocates (and never leaves an
    // unwiped copy behind in freed memory).
    for (auto& value : m_values) {
        value.reserve(kLongField + 1);
    }
}

InsuranceEntry::~InsuranceEntry()
{
    clear();
}

std::string& InsuranceEntry::slot(InsuranceField field)
{
    return m_values[static_cast<std::size_t>(field)];
}

const std::string& InsuranceEntry::value(InsuranceField field) const
{
    return m_values[static_cast<std::size_t>(field)];
}

std::size_t InsuranceEntry::maxLength(InsuranceField field) const
{
    switch (field) {
    case InsuranceField::InsurerNumber:
        return 8;
    case InsuranceField::Symbol:
    case InsuranceField::Number:
        return kLongField;
    case InsuranceField::Branch:
    case InsuranceField::BirthMonth:
    case InsuranceField::BirthDay:
        return 2;
    case InsuranceField::Era:
        return 0;
    case InsuranceField::BirthYear:
        return m_era == Era::Western ? 4 : 2;
    }
    return 0;
}

void InsuranceEntry::next()
{
    if (m_selected != InsuranceField::BirthDay) {
        m_selected = static_cast<InsuranceField>(static_cast<int>(m_selected) + 1);
    }
}

bool InsuranceEntry::canGrow(InsuranceField field) const
{
    const std::string& v = value(field);
    if (v.size() >= maxLength(field)) {
        return false;
    }
    // The smallest number one more digit could make must still be in range.
    int grown = toInt(v) * 10;
    switch (field) {
    case InsuranceField::BirthMonth:
        return grown <= 12;
    case InsuranceField::BirthDay:
        return grown <= 31;
    case InsuranceField::BirthYear:
        if (m_era != Era::Western) {
            EraSpan span = spanOf(m_era);
            int lastYear = span.last ? span.last->year
                                     : (m_today ? m_today->year : span.first.year + 98);
            return grown <= lastYear - span.first.year + 1;
        }
        return true;
    default:
        return true;
    }
}

bool InsuranceEntry::press(char digit)
{
    if (digit < '0' || digit > '9' || m_selected == InsuranceField::Era) {
        return false;
    }
    std::string& v = slot(m_selected);
    if (v.size() >= maxLength(m_selected)) {
        return false;
    }
    v.push_back(digit);
    if (!canGrow(m_selected)) {
        next();
    }
    return true;
}

void InsuranceEntry::back()
{
    std::string& v = slot(m_selected);
    if (!v.empty()) {
        v.back() = '\0';
        v.pop_back();
    }
}

void InsuranceEntry::clearField()
{
    if (m_selected == InsuranceField::Era) {
        setEra(Era::Western);
        m_selected = InsuranceField::Era;
        return;
    }
    wipe(slot(m_selected));
}

void InsuranceEntry::setEra(Era era)
{
    if (era != m_era) {
        wipe(slot(InsuranceField::BirthYear));
        m_era = era;
    }
    m_selected = InsuranceField::BirthYear;
}

FieldStatus InsuranceEntry::status(InsuranceField field) const
{
    const std::string& v = value(field);
    switch (field) {
    case InsuranceField::InsurerNumber:
        if (v.empty()) {
            return FieldStatus::Missing;
        }
        return v.size() == 6 || v.size() == 8 ? FieldStatus::Ok : FieldStatus::Malformed;
    case InsuranceField::Symbol:
    case InsuranceField::Era:
        return FieldStatus::Ok;
    case InsuranceField::Number:
        return v.empty() ? FieldStatus::Missing : FieldStatus::Ok;
    case InsuranceField::Branch:
        return v.empty() || v.size() == 2 ? FieldStatus::Ok : FieldStatus::Malformed;
    case InsuranceField::BirthYear:
    case InsuranceField::BirthMonth:
    case InsuranceField::BirthDay:
        return birthStatus(field);
    }
    return FieldStatus::Malformed;
}

FieldStatus InsuranceEntry::birthStatus(InsuranceField field) const
{
    const std::string& v = value(field);
    if (v.empty()) {
        return FieldStatus::Missing;
    }
    int n = toInt(v);
    switch (field) {
    case InsuranceField::BirthYear: {
        if (m_era == Era::Western) {
            int last = m_today ? m_today->year : 9999;
            return v.size() == 4 && n >= 1900 && n <= last ? FieldStatus::Ok
                                                           : FieldStatus::Malformed;
        }
        EraSpan span = spanOf(m_era);
        int western = westernYear(m_era, n);
        int last = span.last ? span.last->year : (m_today ? m_today->year : 9999);
        return n >= 1 && western <= last ? FieldStatus::Ok : FieldStatus::Malformed;
    }
    case InsuranceField::BirthMonth:
        return n >= 1 && n <= 12 ? FieldStatus::Ok : FieldStatus::Malformed;
    case InsuranceField::BirthDay: {
        if (n < 1 || n > 31) {
            return FieldStatus::Malformed;
        }
        // The day is where a date that does not exist (2月30日, 平成1年1月1日, tomorrow) shows.
        if (birthStatus(InsuranceField::BirthYear) == FieldStatus::Ok &&
            birthStatus(InsuranceField::BirthMonth) == FieldStatus::Ok && !birthdate()) {
            return FieldStatus::Malformed;
        }
        return FieldStatus::Ok;
    }
    default:
        return FieldStatus::Malformed;
    }
}

FieldProblem InsuranceEntry::problem(InsuranceField field) const
{
    const FieldStatus s = status(field);
    if (s == FieldStatus::Ok) {
        return FieldProblem::None;
    }
    if (s == FieldStatus::Missing) {
        return FieldProblem::Missing;
    }
    switch (field) {
    case InsuranceField::InsurerNumber:
        return FieldProblem::InsurerLength;
    case InsuranceField::Branch:
        return FieldProblem::BranchLength;
    case InsuranceField::BirthYear:
        return m_era == Era::Western ? FieldProblem::YearRange : FieldProblem::EraYearRange;
    case InsuranceField::BirthMonth:
        return FieldProblem::MonthRange;
    case InsuranceField::BirthDay: {
        const int n = toInt(value(field));
        if (n < 1 || n > 31) {
            return FieldProblem::DayRange;
        }
        // The date exists in the era but lies after today.
        const std::string& y = value(InsuranceField::BirthYear);
        CivilDate date{westernYear(m_era, toInt(y)), toInt(value(InsuranceField::BirthMonth)), n};
        if (m_today && inEra(m_era, date) && before(*m_today, date)) {
            return FieldProblem::Future;
        }
        return FieldProblem::NoSuchDate;
    }
    default:
        return FieldProblem::NoSuchDate;
    }
}

std::vector<InsuranceField> InsuranceEntry::problems() const
{
    std::vector<InsuranceField> out;
    for (std::size_t i = 0; i < kInsuranceFieldCount; ++i) {
        auto field = static_cast<InsuranceField>(i);
        if (status(field) != FieldStatus::Ok) {
            out.push_back(field);
        }
    }
    return out;
}

bool InsuranceEntry::empty() const
{
    return std::all_of(m_values.begin(), m_values.end(),
                       [](const std::string& v) { return v.empty(); });
}

std::optional<CivilDate> InsuranceEntry::birthdate() const
{
    const std::string& y = value(InsuranceField::BirthYear);
    const std::string& m = value(InsuranceField::BirthMonth);
    const std::string& d = value(InsuranceField::BirthDay);
    if (y.empty() || m.empty() || d.empty() || y.size() > 4 || m.size() > 2 || d.size() > 2) {
        return std::nullopt;
    }
    if (m_era == Era::Western && y.size() != 4) {
        return std::nullopt;
    }
    CivilDate date{westernYear(m_era, toInt(y)), toInt(m), toInt(d)};
    if (!inEra(m_era, date)) {
        return std::nullopt;
    }
    if (m_today && before(*m_today, date)) {
        return std::nullopt;
    }
    return date;
}

std::optional<eligibility::InsuranceCardQuery> InsuranceEntry::query() const
{
    if (!valid()) {
        return std::nullopt;
    }
    auto date = birthdate();
    if (!date) {
        return std::nullopt;
    }
    eligibility::InsuranceCardQuery q;
    q.insurerNumber = value(InsuranceField::InsurerNumber);
    q.insuredCardSymbol = value(InsuranceField::Symbol);
    q.insuredIdentificationNumber = value(InsuranceField::Number);
    q.insuredBranchNumber = value(InsuranceField::Branch);
    char text[16];
    std::snprintf(text, sizeof text, "%04d%02d%02d", date->year, date->month, date->day);
    q.birthdate = text;
    explicit_bzero(text, sizeof text);
    return q;
}

void InsuranceEntry::clear()
{
    for (auto& value : m_values) {
        wipe(value);
    }
    m_era = Era::Western;
    m_selected = InsuranceField::InsurerNumber;
}

} // namespace uketsuke::kiosk::runner
