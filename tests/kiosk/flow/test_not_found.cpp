// A lookup by insurance card that finds nobody: the patient corrects the form (what was typed
// is kept) or asks staff, who get a number and the not_found check-in (docs/flow.md).

#include "kiosk/flow/flow.hpp"

#include "tests/kiosk/flow/walk.hpp"
#include "tests/support/commands.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using namespace uketsuke::kiosk::flow;

namespace {

using uketsuke::test::get;
using uketsuke::test::has;

using uketsuke::test::Walk;

Walk atLookup()
{
    Walk w;
    w.state.canLookUpInsuranceCard = true;
    w.on(Touch{Intent::InsuranceCard}).on(InsuranceSubmitted{});
    return w;
}

// What a 資格確認端末 answers when nobody matches: no person, the typed data echoed.
model::QualificationResult notFound()
{
    model::QualificationResult r;
    r.header.segmentOfResult = "1";
    r.body.processingResultStatus = "1";
    r.body.qualificationValidity = "4"; // 該当資格なし
    return r;
}

} // namespace

SCENARIO("step: not found after a lookup offers to correct the form, with what was typed")
{
    REQUIRE(model::outcomeOf(notFound()) == model::Outcome::NotFound);
    Walk w = atLookup();
    w.on(EligibilityAnswered{notFound()});
    CHECK(w.phase() == Phase::Error);
    CHECK(w.state.error == ErrorKind::InsuranceNotFound);
    CHECK_FALSE(has<SaveCheckIn>(w.last)); // nothing saved while the patient may correct it
    CHECK(has<StartTimer>(w.last));

    w.on(Touch{Intent::Retry});
    CHECK(w.phase() == Phase::EnterInsurance);
    CHECK_FALSE(has<DiscardInsurance>(w.last)); // the form keeps what was typed
    CHECK_FALSE(w.state.qualification.has_value());

    // Corrected and found: one check-in, the valid one.
    model::QualificationResult found = notFound();
    found.body.qualificationValidity = "1"; // 有効
    found.body.resultList.emplace_back();
    w.on(InsuranceSubmitted{}).on(EligibilityAnswered{found});
    REQUIRE(has<SaveCheckIn>(w.last));
    CHECK(get<SaveCheckIn>(w.last).outcome == model::Outcome::Valid);
}

TEST_CASE("step: not found, then ask staff saves the not_found check-in and shows its number")
{
    Walk w = atLookup();
    w.on(EligibilityAnswered{notFound()}).on(Touch{Intent::AskStaff});
    CHECK(w.phase() == Phase::Checking);
    CHECK(w.state.checkStep == CheckStep::Saving);
    REQUIRE(has<SaveCheckIn>(w.last));
    const auto& save = get<SaveCheckIn>(w.last);
    CHECK(save.outcome == model::Outcome::NotFound);
    CHECK(save.method == model::Method::InsuranceCard);
    REQUIRE(save.qualification.has_value()); // the desk sees what was typed
    w.on(CheckInSaved{"A-0003", "k3"});
    CHECK(w.phase() == Phase::Result);
    CHECK(resultOutcome(w.state) == model::Outcome::NotFound);
}

TEST_CASE("step: not found, then start over or a timeout wipes the form without a record")
{
    Walk w = atLookup();
    w.on(EligibilityAnswered{notFound()}).on(Touch{Intent::Done});
    CHECK(w.phase() == Phase::Idle);
    CHECK(has<DiscardInsurance>(w.last));
    CHECK_FALSE(has<SaveCheckIn>(w.last));

    Walk t = atLookup();
    t.on(EligibilityAnswered{notFound()}).on(Timeout{t.state.timerGeneration});
    CHECK(t.phase() == Phase::Idle);
    CHECK(has<DiscardInsurance>(t.last));
}

TEST_CASE("step: not found on the card path is still a result with a number")
{
    Walk w;
    w.on(Touch{Intent::Start})
        .on(CardInserted{})
        .on(CardRead{{0x30}, 3})
        .on(PinSubmitted{})
        .on(ChallengeReady{"c", {1}})
        .on(Signed{{2}})
        .on(EligibilityAnswered{notFound()});
    CHECK(w.phase() == Phase::Checking);
    REQUIRE(has<SaveCheckIn>(w.last));
    CHECK(get<SaveCheckIn>(w.last).outcome == model::Outcome::NotFound);
}

TEST_CASE("step: the not-found error kind has a name and no problem of its own")
{
    CHECK(std::string(errorKindName(ErrorKind::InsuranceNotFound)) == "insurance_not_found");
    CHECK_FALSE(problemOf(ErrorKind::InsuranceNotFound).has_value());
}
