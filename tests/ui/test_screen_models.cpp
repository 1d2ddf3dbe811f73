#include "support.hpp"
#include "ui/screen_models.hpp"

#include <catch2/catch.hpp>

namespace uketsuke::ui {
namespace {

using kiosk::flow::ErrorKind;
using kiosk::flow::Phase;
using kiosk::flow::State;

TEST_CASE("buildScreenModel: each phase gets its own screen", "[ui]")
{
    for (const auto& named : test::everyScreen()) {
        INFO(named.name);
        ScreenModel m = buildScreenModel(named.state, ScreenContext{}, named.pinDigits, true);
        CHECK(m.index() == static_cast<std::size_t>(named.state.phase));
    }
}

TEST_CASE("buildScreenModel: retry is offered only where the flow takes it", "[ui]")
{
    State s;
    s.phase = Phase::Error;
    s.error = ErrorKind::PinNotEntered;
    s.cardPresent = true;
    s.certificate = {1};
    s.pinTriesLeft = 3;
    CHECK(std::get<ErrorModel>(buildScreenModel(s, {}, 0, true)).canRetry);
    s.cardPresent = false; // the card went away: retrying the PIN makes no sense
    CHECK_FALSE(std::get<ErrorModel>(buildScreenModel(s, {}, 0, true)).canRetry);
    s.error = ErrorKind::NotMyNumberCard;
    s.cardPresent = true;
    CHECK_FALSE(std::get<ErrorModel>(buildScreenModel(s, {}, 0, true)).canRetry);
    s.error = ErrorKind::CardRemoved;
    s.cardPresent = false;
    CHECK(std::get<ErrorModel>(buildScreenModel(s, {}, 0, true)).canRetry);
}

TEST_CASE("buildScreenModel: the result carries the one person's name and the number", "[ui]")
{
    State s;
    s.phase = Phase::Result;
    s.receiptNumber = "7";
    s.qualification = test::qualification("1", "𠮷田 髙子");
    auto m = std::get<ResultModel>(buildScreenModel(s, {}, 0, true));
    CHECK(m.outcome == kiosk::model::Outcome::Valid);
    CHECK(m.patientName.reveal() == "𠮷田 髙子");
    CHECK(m.receiptNumber == "7");
    s.qualification->body.resultList.push_back(s.qualification->body.resultList.front());
    auto ambiguous = std::get<ResultModel>(buildScreenModel(s, {}, 0, true));
    CHECK(ambiguous.patientName.empty()); // two records: no name is shown
}

TEST_CASE("buildScreenModel: the PIN screen shows how many digits, never which", "[ui]")
{
    State s;
    s.phase = Phase::EnterPin;
    s.pinTriesLeft = 2;
    auto m = std::get<EnterPinModel>(buildScreenModel(s, {}, 3, true));
    CHECK(m.digits == 3);
    CHECK(m.length == 4);
    CHECK(m.triesLeft == 2);
}

TEST_CASE("screenName: the error screen names its kind", "[ui]")
{
    State s;
    CHECK(screenName(s) == "idle");
    s.phase = Phase::Error;
    s.error = ErrorKind::CardUnreadable;
    CHECK(screenName(s) == "error:card_unreadable");
}

TEST_CASE("screenName: an unconfirmed check-in's result names its problem", "[ui]")
{
    State s;
    s.phase = Phase::Result;
    s.receiptNumber = "A-0001";
    for (const auto& [problem, name] : kiosk::model::wireNames<kiosk::model::Problem>()) {
        s.problem = problem;
        INFO(name);
        CHECK(screenName(s) == "result:" + std::string(name));
        CHECK(isScreenName(screenName(s)));
        auto m = std::get<ResultModel>(buildScreenModel(s, {}, 0, true));
        CHECK(m.outcome == kiosk::model::Outcome::Unconfirmed);
        CHECK(m.problem == problem);
        CHECK(m.receiptNumber == "A-0001");
    }
    CHECK_FALSE(isScreenName("result:no_such_problem"));
    CHECK_FALSE(isScreenName("result:"));
    CHECK_FALSE(isScreenName("error:certificate_expired")); // a result, never an error screen
    CHECK(isScreenName("error:pin_locked")); // 目視, or a number (then result:pin_locked)
    s.printFailed = true; // the printer's fault names the screen: the number is all there is
    CHECK(screenName(s) == "result:print_failed");
}

TEST_CASE("screenName: the printer's faults on idle and result have names of their own", "[ui]")
{
    State s;
    s.printerAvailable = false;
    CHECK(screenName(s) == "idle:printer_unavailable");
    s.phase = Phase::Result;
    CHECK(screenName(s) == "result");
    s.printFailed = true;
    CHECK(screenName(s) == "result:print_failed");
    s.phase = Phase::Error;
    s.error = ErrorKind::CardUnreadable;
    CHECK(screenName(s) == "error:card_unreadable");
}

TEST_CASE("buildScreenModel: the printer's state reaches idle and result", "[ui]")
{
    State s;
    s.printerAvailable = false;
    CHECK_FALSE(std::get<IdleModel>(buildScreenModel(s, {}, 0, true)).printerAvailable);
    s.phase = Phase::Result;
    s.printing = true;
    auto m = std::get<ResultModel>(buildScreenModel(s, {}, 0, true));
    CHECK(m.printing);
    CHECK_FALSE(m.printFailed);
    s.printFailed = true; // known unavailable: the note, not "printing"
    m = std::get<ResultModel>(buildScreenModel(s, {}, 0, true));
    CHECK(m.printFailed);
    CHECK_FALSE(m.printing);
}

TEST_CASE("isAnimated: only the waiting screens animate", "[ui]")
{
    CHECK(isAnimated(Phase::ReadingCard));
    CHECK(isAnimated(Phase::Checking));
    CHECK_FALSE(isAnimated(Phase::Idle));
    CHECK_FALSE(isAnimated(Phase::EnterPin));
}

} // namespace
} // namespace uketsuke::ui

namespace uketsuke::ui {
namespace {

using kiosk::flow::CheckStep;
using kiosk::flow::Phase;
using kiosk::flow::State;

TEST_CASE("buildScreenModel: the idle screen offers what the source can do", "[ui]")
{
    State s;
    auto cardOnly = std::get<IdleModel>(buildScreenModel(s, {}, 0, true));
    CHECK(cardOnly.canStart);
    CHECK_FALSE(cardOnly.canUseInsuranceCard);
    s.canLookUpInsuranceCard = true;
    auto both = std::get<IdleModel>(buildScreenModel(s, {}, 0, true));
    CHECK(both.canStart);
    CHECK(both.canUseInsuranceCard);
    s.canUseMyNumberCard = false;
    auto formOnly = std::get<IdleModel>(buildScreenModel(s, {}, 0, true));
    CHECK_FALSE(formOnly.canStart);
    CHECK(formOnly.canUseInsuranceCard);
}

TEST_CASE("buildScreenModel: the form shows the entry's values and whether it is complete",
          "[ui]")
{
    using kiosk::runner::FieldStatus;
    using kiosk::runner::InsuranceField;
    State s;
    s.phase = Phase::EnterInsurance;
    kiosk::runner::InsuranceEntry entry;
    for (char d : std::string("1234567")) {
        entry.press(d);
    }
    entry.select(InsuranceField::Number);
    entry.press('5');
    auto m = std::get<EnterInsuranceModel>(buildScreenModel(s, {}, 0, true, &entry));
    auto at = [](InsuranceField f) { return static_cast<std::size_t>(f); };
    CHECK(m.values[at(InsuranceField::InsurerNumber)] == "1234567");
    CHECK(m.status[at(InsuranceField::InsurerNumber)] == FieldStatus::Malformed);
    CHECK(m.values[at(InsuranceField::Number)] == "5");
    CHECK(m.selected == InsuranceField::Number);
    CHECK_FALSE(m.valid);
    // Without an entry the form is drawn empty.
    auto empty = std::get<EnterInsuranceModel>(buildScreenModel(s, {}, 0, true));
    CHECK(empty.values[at(InsuranceField::InsurerNumber)].empty());
}

TEST_CASE("buildScreenModel: a lookup can be cancelled, the card path's checks cannot", "[ui]")
{
    State s;
    s.phase = Phase::Checking;
    s.checkStep = CheckStep::Lookup;
    s.route = kiosk::flow::Route::InsuranceCard;
    CHECK(std::get<CheckingModel>(buildScreenModel(s, {}, 0, true)).canCancel);
    s.checkStep = CheckStep::Eligibility;
    s.route = kiosk::flow::Route::MyNumberCard;
    CHECK_FALSE(std::get<CheckingModel>(buildScreenModel(s, {}, 0, true)).canCancel);
}

TEST_CASE("screenName: the form and the new error kinds", "[ui]")
{
    State s;
    s.phase = Phase::EnterInsurance;
    CHECK(screenName(s) == "enter_insurance");
    s.phase = Phase::Error;
    s.error = kiosk::flow::ErrorKind::LookupFailed;
    CHECK(screenName(s) == "error:lookup_failed");
}


TEST_CASE("buildScreenModel: a consent question, its number and its name", "[ui]")
{
    using kiosk::model::ConsentTopic;
    State s;
    s.phase = Phase::Consent;
    s.consentTopics = {ConsentTopic::DiagnosisPharmacists, ConsentTopic::Operation};
    s.consent = {{ConsentTopic::DiagnosisPharmacists, false}};
    auto m = std::get<ConsentModel>(buildScreenModel(s, {}, 0, true));
    CHECK(m.topic == ConsentTopic::Operation);
    CHECK(m.number == 2);
    CHECK(m.count == 2);
    CHECK(screenName(s) == "consent:operation");
    CHECK(isScreenName("consent:operation"));
    CHECK(isScreenName("consent"));
    CHECK_FALSE(isScreenName("consent:dental"));
}

} // namespace
} // namespace uketsuke::ui
