#include "kiosk/model/qualification.hpp"

#include "base/log.hpp"
#include "tests/support/runner_fixtures.hpp"
#include "tests/support/streamable.hpp"

#include <catch2/catch.hpp>

#include <ostream>
#include <string>
#include <type_traits>

using namespace uketsuke::kiosk::model;

namespace {

using uketsuke::PatientName;
using uketsuke::test::Streamable;
using Person = ResultOfQualificationConfirmation;

// A patient's names travel as PatientName: `UKETSUKE_LOG(...) << person.name` does not compile,
// and no name turns into a string without reveal().
static_assert(std::is_same_v<decltype(Person::name), PatientName>);
static_assert(std::is_same_v<decltype(Person::nameKana), PatientName>);
static_assert(std::is_same_v<decltype(Person::nameOfOther), PatientName>);
static_assert(std::is_same_v<decltype(Person::nameOfOtherKana), PatientName>);
static_assert(std::is_same_v<decltype(Person::insuredName), PatientName>);
static_assert(!Streamable<uketsuke::log::Line, decltype(Person::name)>::value);
static_assert(!Streamable<std::ostream, decltype(Person::nameKana)>::value);
static_assert(!std::is_convertible_v<decltype(Person::name), std::string>);
// The detector sees what may be logged: the codes beside the names.
static_assert(Streamable<uketsuke::log::Line, decltype(Person::insuredCardClassification)>::value);


} // namespace

TEST_CASE("outcomeOf: all four conditions make a valid result")
{
    CHECK(outcomeOf(uketsuke::test::insuredResult()) == Outcome::Valid);
    CHECK(person(uketsuke::test::insuredResult()) != nullptr);
}

TEST_CASE("outcomeOf: each failed condition has its own outcome")
{
    auto pending = uketsuke::test::insuredResult();
    pending.header.segmentOfResult = "2";
    CHECK(outcomeOf(pending) == Outcome::Pending);

    auto aborted = uketsuke::test::insuredResult();
    aborted.header.segmentOfResult = "9";
    CHECK(outcomeOf(aborted) == Outcome::Error);

    auto error = uketsuke::test::insuredResult();
    error.body.processingResultStatus = "2";
    CHECK(outcomeOf(error) == Outcome::Error);

    auto two = uketsuke::test::insuredResult();
    two.body.resultList.push_back(two.body.resultList.front());
    CHECK(outcomeOf(two) == Outcome::Ambiguous);
    CHECK(person(two) == nullptr);

    auto none = uketsuke::test::insuredResult();
    none.body.resultList.clear();
    CHECK(outcomeOf(none) == Outcome::Error);

    for (auto [code, expected] : {std::pair{"2", Outcome::Lost}, std::pair{"3", Outcome::Lost},
                                  std::pair{"4", Outcome::NotFound},
                                  std::pair{"5", Outcome::Ambiguous},
                                  std::pair{"7", Outcome::Error}}) {
        auto r = uketsuke::test::insuredResult();
        r.body.qualificationValidity = code;
        CHECK(outcomeOf(r) == expected);
    }
}

TEST_CASE("wireName: stable outcome names for JSON, the desk and logs")
{
    CHECK(wireName(Outcome::Valid) == "valid");
    CHECK(wireName(Outcome::Pending) == "pending");
    CHECK(wireName(Outcome::Lost) == "lost");
    CHECK(wireName(Outcome::NotFound) == "not_found");
    CHECK(wireName(Outcome::Ambiguous) == "ambiguous");
    CHECK(wireName(Outcome::Error) == "error");
    CHECK(wireName(Outcome::Unconfirmed) == "unconfirmed");
    for (const auto& entry : wireNames<Outcome>()) {
        CHECK(fromWireName<Outcome>(entry.name) == entry.value);
    }
    CHECK_FALSE(fromWireName<Outcome>("Valid").has_value());
    CHECK_FALSE(fromWireName<Outcome>("").has_value());
}

TEST_CASE("patientNoticeKey: the patient's words for a known code, a general note for others")
{
    auto strings = StringTable::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
    REQUIRE(strings.has_value());
    auto r = uketsuke::test::insuredResult();
    CHECK(patientNoticeKey(r, *strings).empty());
    r.body.processingResultCode = "UKW0001";
    r.body.processingResultMessage = "電子証明書の有効期限は2027年1月31日です";
    CHECK(patientNoticeKey(r, *strings) == "notice.UKW0001");
    r.body.processingResultCode = "UKW0002";
    CHECK(patientNoticeKey(r, *strings) == "notice.UKW0002");
    // A code this terminal has no words for, or one that is not a plain code: a general note,
    // never the code or the service's Japanese message.
    r.body.processingResultCode = "W9999";
    CHECK(patientNoticeKey(r, *strings) == "notice.other");
    r.body.processingResultCode = "../other";
    CHECK(patientNoticeKey(r, *strings) == "notice.other");
    r.body.processingResultCode.clear();
    CHECK(patientNoticeKey(r, *strings) == "notice.other"); // a message alone
    r.body.processingResultStatus = "2";
    CHECK(patientNoticeKey(r, *strings).empty());
}

TEST_CASE("serviceNotice: a valid answer's supplementary warning, nothing for other outcomes")
{
    auto r = uketsuke::test::insuredResult();
    CHECK(serviceNotice(r).empty());
    r.body.processingResultCode = "W0001";
    r.body.processingResultMessage = "マイナンバーカードの電子証明書の有効期限が3か月以内です";
    CHECK(serviceNotice(r) == "W0001 マイナンバーカードの電子証明書の有効期限が3か月以内です");
    r.body.processingResultMessage.clear();
    CHECK(serviceNotice(r) == "W0001");

    // On a failing answer the code is an error for the desk, not a notice for the patient.
    r.body.processingResultStatus = "2";
    r.body.processingResultMessage = "エラー";
    CHECK(serviceNotice(r).empty());
}
