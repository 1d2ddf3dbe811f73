#include "kiosk/runner/insurance_entry.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace uketsuke::kiosk::runner;
using Field = InsuranceField;

namespace {

void type(InsuranceEntry& entry, Field field, const std::string& digits)
{
    entry.select(field);
    for (char d : digits) {
        entry.press(d);
    }
}

// Replaces whatever `field` held.
void retype(InsuranceEntry& entry, Field field, const std::string& digits)
{
    entry.select(field);
    entry.clearField();
    type(entry, field, digits);
}

// The "valid" persona (assets/personas/personas.json): 06139999, 12, 345, 01, 1980-01-01.
void fillValid(InsuranceEntry& entry)
{
    type(entry, Field::InsurerNumber, "06139999");
    type(entry, Field::Symbol, "12");
    type(entry, Field::Number, "345");
    type(entry, Field::Branch, "01");
    type(entry, Field::BirthYear, "1980");
    type(entry, Field::BirthMonth, "1");
    type(entry, Field::BirthDay, "1");
}

} // namespace

TEST_CASE("InsuranceEntry: an empty form names every required field as missing")
{
    InsuranceEntry entry;
    CHECK(entry.empty());
    CHECK(entry.selected() == Field::InsurerNumber);
    auto problems = entry.problems();
    CHECK(problems == std::vector<Field>{Field::InsurerNumber, Field::Number, Field::BirthYear,
                                         Field::BirthMonth, Field::BirthDay});
    for (auto field : problems) {
        CHECK(entry.status(field) == FieldStatus::Missing);
    }
    CHECK(entry.status(Field::Symbol) == FieldStatus::Ok); // optional
    CHECK(entry.status(Field::Branch) == FieldStatus::Ok); // optional
    CHECK_FALSE(entry.valid());
    CHECK_FALSE(entry.query().has_value());
}

TEST_CASE("InsuranceEntry: query builds the lookup from the typed data")
{
    InsuranceEntry entry;
    fillValid(entry);
    REQUIRE(entry.valid());
    auto q = entry.query();
    REQUIRE(q.has_value());
    CHECK(q->insurerNumber == "06139999");
    CHECK(q->insuredCardSymbol == "12");
    CHECK(q->insuredIdentificationNumber == "345");
    CHECK(q->insuredBranchNumber == "01");
    CHECK(q->birthdate == "19800101"); // month and day are zero-padded
    CHECK(q->serviceDate.empty());     // today in Japan, decided by the source
    CHECK_FALSE(q->limitApplicationConsent);
}

TEST_CASE("InsuranceEntry: the insurer number has 6 or 8 digits")
{
    InsuranceEntry entry;
    for (const char* digits : {"1", "12345", "1234567"}) {
        entry.clear();
        type(entry, Field::InsurerNumber, digits);
        CHECK(entry.status(Field::InsurerNumber) == FieldStatus::Malformed);
    }
    entry.clear();
    type(entry, Field::InsurerNumber, "138999"); // a 国保 number
    CHECK(entry.status(Field::InsurerNumber) == FieldStatus::Ok);
    entry.clear();
    type(entry, Field::InsurerNumber, "0613999912");
    CHECK(entry.value(Field::InsurerNumber) == "06139999"); // no more than 8
}

TEST_CASE("InsuranceEntry: the 枝番 is empty or two digits")
{
    InsuranceEntry entry;
    type(entry, Field::Branch, "1");
    CHECK(entry.status(Field::Branch) == FieldStatus::Malformed);
    entry.press('0');
    // Full: the era comes next.
    CHECK(entry.selected() == Field::Era);
    entry.select(Field::Branch);
    CHECK(entry.value(Field::Branch) == "10");
    CHECK(entry.status(Field::Branch) == FieldStatus::Ok);
    entry.clearField();
    CHECK(entry.status(Field::Branch) == FieldStatus::Ok);
}

TEST_CASE("InsuranceEntry: a full field moves on to the next one")
{
    InsuranceEntry entry;
    for (char d : std::string("06139999")) {
        entry.press(d);
    }
    CHECK(entry.selected() == Field::Symbol);
    type(entry, Field::BirthYear, "1980");
    CHECK(entry.selected() == Field::BirthMonth);
    entry.press('1'); // could still be 10, 11 or 12
    CHECK(entry.selected() == Field::BirthMonth);
    entry.press('2');
    CHECK(entry.selected() == Field::BirthDay);
    entry.press('3'); // could still be 30 or 31
    CHECK(entry.selected() == Field::BirthDay);
    entry.press('1');
    CHECK(entry.selected() == Field::BirthDay); // the last field stays selected
    CHECK(entry.value(Field::BirthDay) == "31");

    InsuranceEntry early;
    type(early, Field::BirthMonth, "4"); // no month 40-49
    CHECK(early.selected() == Field::BirthDay);
    early.press('5'); // no day 50-59
    CHECK(early.value(Field::BirthDay) == "5");
}

TEST_CASE("InsuranceEntry: back, clear and next edit only the selected field")
{
    InsuranceEntry entry;
    fillValid(entry);
    entry.select(Field::Number);
    entry.back();
    CHECK(entry.value(Field::Number) == "34");
    entry.clearField();
    CHECK(entry.value(Field::Number).empty());
    CHECK(entry.status(Field::Number) == FieldStatus::Missing);
    CHECK(entry.value(Field::Symbol) == "12");
    entry.next();
    CHECK(entry.selected() == Field::Branch);
    entry.back(); // harmless on any field
    entry.select(Field::Symbol);
    entry.clearField();
    entry.back();
    CHECK(entry.value(Field::Symbol).empty());
}

TEST_CASE("InsuranceEntry: only digits are typed, and nothing into the era")
{
    InsuranceEntry entry;
    CHECK_FALSE(entry.press('a'));
    CHECK_FALSE(entry.press('-'));
    entry.select(Field::Era);
    CHECK_FALSE(entry.press('1'));
    CHECK(entry.empty());
}

TEST_CASE("InsuranceEntry: birth dates that do not exist are refused at the day")
{
    InsuranceEntry entry;
    fillValid(entry);
    retype(entry, Field::BirthMonth, "2");
    retype(entry, Field::BirthDay, "30");
    CHECK(entry.status(Field::BirthDay) == FieldStatus::Malformed);
    CHECK_FALSE(entry.valid());
    retype(entry, Field::BirthDay, "29"); // 1980 is a leap year
    CHECK(entry.status(Field::BirthDay) == FieldStatus::Ok);
    CHECK(entry.valid());

    retype(entry, Field::BirthMonth, "13");
    CHECK(entry.status(Field::BirthMonth) == FieldStatus::Malformed);
    retype(entry, Field::BirthMonth, "0");
    CHECK(entry.status(Field::BirthMonth) == FieldStatus::Malformed);
    retype(entry, Field::BirthMonth, "2");
    retype(entry, Field::BirthYear, "1899");
    CHECK(entry.status(Field::BirthYear) == FieldStatus::Malformed);
    retype(entry, Field::BirthYear, "198");
    CHECK(entry.status(Field::BirthYear) == FieldStatus::Malformed); // still typing
}

TEST_CASE("InsuranceEntry: a birth date after today is refused")
{
    InsuranceEntry entry;
    fillValid(entry);
    entry.setToday({2026, 11, 26});
    CHECK(entry.valid());
    retype(entry, Field::BirthYear, "2027");
    CHECK(entry.status(Field::BirthYear) == FieldStatus::Malformed);
    retype(entry, Field::BirthYear, "2026");
    retype(entry, Field::BirthMonth, "12");
    CHECK(entry.status(Field::BirthDay) == FieldStatus::Malformed); // 2026-12-01: not yet
    retype(entry, Field::BirthMonth, "11");
    CHECK(entry.status(Field::BirthDay) == FieldStatus::Ok); // 2026-11-01
    retype(entry, Field::BirthDay, "27");
    CHECK(entry.status(Field::BirthDay) == FieldStatus::Malformed); // tomorrow
}

TEST_CASE("InsuranceEntry: the birth year may be typed in a Japanese era")
{
    InsuranceEntry entry;
    fillValid(entry);
    entry.setEra(Era::Showa);
    CHECK(entry.selected() == Field::BirthYear);
    CHECK(entry.value(Field::BirthYear).empty()); // 1980 meant another calendar
    CHECK(entry.maxLength(Field::BirthYear) == 2);
    entry.press('5');
    entry.press('5');
    CHECK(entry.selected() == Field::BirthMonth);
    REQUIRE(entry.valid());
    CHECK(entry.query()->birthdate == "19800101"); // 昭和55年 = 1980

    entry.setEra(Era::Heisei);
    type(entry, Field::BirthYear, "3");
    CHECK(entry.query()->birthdate == "19910101");
    entry.setEra(Era::Reiwa);
    type(entry, Field::BirthYear, "2");
    CHECK(entry.query()->birthdate == "20200101");
    entry.setEra(Era::Taisho);
    type(entry, Field::BirthYear, "15");
    CHECK(entry.query()->birthdate == "19260101");
}

TEST_CASE("InsuranceEntry: an era year must be inside the era")
{
    InsuranceEntry entry;
    fillValid(entry);
    entry.setEra(Era::Showa);
    entry.press('6');
    CHECK(entry.selected() == Field::BirthYear); // 60-64 are still possible
    entry.press('5');
    CHECK(entry.status(Field::BirthYear) == FieldStatus::Malformed); // 昭和65年 never was
    entry.select(Field::BirthYear);
    entry.clearField();
    entry.press('7'); // 70 and beyond are not Showa years: 7 it is
    CHECK(entry.selected() == Field::BirthMonth);
    retype(entry, Field::BirthYear, "00");
    CHECK(entry.status(Field::BirthYear) == FieldStatus::Malformed);

    // 昭和64年 ended on 1月7日; 平成1年 began on 1月8日.
    retype(entry, Field::BirthYear, "64");
    retype(entry, Field::BirthDay, "7");
    CHECK(entry.valid());
    retype(entry, Field::BirthDay, "8");
    CHECK(entry.status(Field::BirthDay) == FieldStatus::Malformed);
    entry.setEra(Era::Heisei);
    type(entry, Field::BirthYear, "1");
    CHECK(entry.valid());
    CHECK(entry.query()->birthdate == "19890108");
}

TEST_CASE("westernYear and inEra: the era boundaries")
{
    CHECK(westernYear(Era::Showa, 1) == 1926);
    CHECK(westernYear(Era::Heisei, 31) == 2019);
    CHECK(westernYear(Era::Western, 1980) == 1980);
    CHECK(inEra(Era::Heisei, {2019, 4, 30}));
    CHECK_FALSE(inEra(Era::Heisei, {2019, 5, 1}));
    CHECK(inEra(Era::Reiwa, {2019, 5, 1}));
    CHECK_FALSE(inEra(Era::Taisho, {1912, 7, 29}));
    CHECK(isRealDate({2000, 2, 29}));
    CHECK_FALSE(isRealDate({1900, 2, 29}));
}

TEST_CASE("InsuranceEntry: clear wipes everything and starts over")
{
    InsuranceEntry entry;
    fillValid(entry);
    entry.setEra(Era::Heisei);
    entry.clear();
    CHECK(entry.empty());
    CHECK(entry.era() == Era::Western);
    CHECK(entry.selected() == Field::InsurerNumber);
    for (std::size_t i = 0; i < kInsuranceFieldCount; ++i) {
        CHECK(entry.value(static_cast<Field>(i)).empty());
    }
}

TEST_CASE("insuranceFieldName: fields have names for logs, never values")
{
    CHECK(std::string(insuranceFieldName(Field::InsurerNumber)) == "insurer_number");
    CHECK(std::string(insuranceFieldName(Field::BirthDay)) == "birth_day");
    CHECK(std::string(eraName(Era::Showa)) == "showa");
}

TEST_CASE("InsuranceEntry::problem: each wrong field says why")
{
    InsuranceEntry entry;
    entry.setToday({2026, 12, 5});
    CHECK(entry.problem(Field::InsurerNumber) == FieldProblem::Missing);
    CHECK(entry.problem(Field::Symbol) == FieldProblem::None); // optional
    type(entry, Field::InsurerNumber, "1234567");
    CHECK(entry.problem(Field::InsurerNumber) == FieldProblem::InsurerLength);
    type(entry, Field::Branch, "1");
    CHECK(entry.problem(Field::Branch) == FieldProblem::BranchLength);
    type(entry, Field::BirthYear, "1899");
    CHECK(entry.problem(Field::BirthYear) == FieldProblem::YearRange);
    retype(entry, Field::BirthYear, "2026");
    type(entry, Field::BirthMonth, "2");
    type(entry, Field::BirthDay, "30");
    CHECK(entry.problem(Field::BirthDay) == FieldProblem::NoSuchDate);
    retype(entry, Field::BirthMonth, "12");
    retype(entry, Field::BirthDay, "24");
    CHECK(entry.problem(Field::BirthDay) == FieldProblem::Future);
    retype(entry, Field::BirthMonth, "13");
    CHECK(entry.problem(Field::BirthMonth) == FieldProblem::MonthRange);
    entry.setEra(Era::Reiwa);
    type(entry, Field::BirthYear, "9"); // 令和9年 is 2027: not yet
    CHECK(entry.problem(Field::BirthYear) == FieldProblem::EraYearRange);
    CHECK(std::string(fieldProblemName(FieldProblem::Future)) == "future");
}
