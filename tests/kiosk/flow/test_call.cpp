// A patient's call for staff (kiosk/flow/flow.hpp "Call staff", docs/flow.md): state beside the
// phase, with its id, the screen it was made on and its time; told to the desk by ReportCall.

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

const CallStaff kCall{"c-1764895260-1", "2026-12-05T00:41:00Z"};

Walk atEnterPin()
{
    Walk w;
    w.on(Touch{Intent::Start}).on(CardInserted{}).on(CardRead{{0x30}, 3});
    REQUIRE(w.phase() == Phase::EnterPin);
    return w;
}

} // namespace

SCENARIO("step: call staff on the idle screen starts a call the desk is told of")
{
    Walk w;
    CHECK(canCallStaff(w.state));
    const auto timer = w.timer();
    w.on(kCall);
    REQUIRE_FALSE(w.last.rejected);
    REQUIRE(w.state.call.has_value());
    CHECK(w.state.call->id == kCall.id);
    CHECK(w.state.call->since == kCall.since);
    CHECK(w.state.call->screen == "idle");
    REQUIRE(has<ReportCall>(w.last));
    CHECK(get<ReportCall>(w.last).call == w.state.call);
    // Nothing else changes: the idle screen stays as it was, with no new timer.
    CHECK(w.phase() == Phase::Idle);
    CHECK(w.timer() == timer);
    CHECK(w.last.commands.size() == 1);
    CHECK_FALSE(canCallStaff(w.state));
}

SCENARIO("step: the call records the screen the patient is on, variant included")
{
    Walk pin = atEnterPin();
    pin.on(kCall);
    CHECK(pin.state.call->screen == "enter_pin");

    Walk error;
    error.on(Touch{Intent::Start}).on(CardInserted{}).on(CardFailed{Error{Errc::ReaderError, 0, ""}});
    REQUIRE(error.phase() == Phase::Error);
    error.on(kCall);
    CHECK(error.state.call->screen == "error:card_unreadable");
    CHECK(error.state.call->screen == screenName(error.state));
}

SCENARIO("step: the screen stays usable under a call, and the call goes with the patient")
{
    Walk w = atEnterPin();
    w.on(kCall);
    w.on(PinSubmitted{});
    CHECK(w.phase() == Phase::Checking);
    REQUIRE(w.state.call.has_value());
    CHECK(w.state.call->screen == "enter_pin"); // where the patient called from
    CHECK_FALSE(has<ReportCall>(w.last));       // nothing new for the desk
}

SCENARIO("step: pressing call staff twice keeps the first call")
{
    Walk w;
    w.on(kCall);
    const Transition again = step(w.state, CallStaff{"c-1764895261-2", "2026-12-05T00:41:01Z"});
    CHECK(again.rejected);
    CHECK(again.commands.empty());
    w.on(CallStaff{"c-1764895261-2", "2026-12-05T00:41:01Z"});
    CHECK(w.state.call->id == kCall.id);
}

SCENARIO("step: 取り消す ends the call, and without a call it is rejected")
{
    Walk w = atEnterPin();
    CHECK(step(w.state, Touch{Intent::CancelCall}).rejected);
    w.on(kCall).on(Touch{Intent::CancelCall});
    REQUIRE_FALSE(w.last.rejected);
    CHECK_FALSE(w.state.call.has_value());
    REQUIRE(has<ReportCall>(w.last));
    CHECK_FALSE(get<ReportCall>(w.last).call.has_value());
    CHECK(w.phase() == Phase::EnterPin); // the patient's screen is untouched
    CHECK_FALSE(has<DiscardPin>(w.last));
    CHECK(canCallStaff(w.state));
    // A new call is a call of its own.
    w.on(CallStaff{"c-1764895300-2", "2026-12-05T00:41:40Z"});
    CHECK(w.state.call->id == "c-1764895300-2");
}

SCENARIO("step: the call ends when the session returns to idle after the patient is done")
{
    Walk w = atEnterPin();
    w.on(kCall).on(Touch{Intent::Cancel});
    // The check-in ended, but the patient is still at the terminal (the card is on it).
    CHECK(w.phase() == Phase::RemoveCard);
    CHECK(w.state.call.has_value());
    CHECK_FALSE(has<ReportCall>(w.last));
    w.on(CardRemoved{});
    CHECK(w.phase() == Phase::Idle);
    CHECK_FALSE(w.state.call.has_value());
    REQUIRE(has<ReportCall>(w.last));
    CHECK_FALSE(get<ReportCall>(w.last).call.has_value());

    // Called on the place-card screen, then cancelled back to idle.
    Walk place;
    place.on(Touch{Intent::Start}).on(kCall).on(Touch{Intent::Cancel});
    CHECK(place.phase() == Phase::Idle);
    CHECK_FALSE(place.state.call.has_value());
    CHECK(has<ReportCall>(place.last));
}

SCENARIO("step: the call ends when staff open the staff menu")
{
    Walk w = atEnterPin();
    CHECK(step(w.state, CallAnswered{}).rejected); // nobody called
    w.on(kCall).on(CallAnswered{});
    REQUIRE_FALSE(w.last.rejected);
    CHECK_FALSE(w.state.call.has_value());
    REQUIRE(has<ReportCall>(w.last));
    CHECK_FALSE(get<ReportCall>(w.last).call.has_value());
    CHECK(w.phase() == Phase::EnterPin);
}

SCENARIO("step: while the patient waits for staff, a timeout does not end the screen")
{
    const Timeouts timeouts;
    Walk w = atEnterPin();
    w.on(kCall);
    const auto before = w.timer();
    w.on(Timeout{w.timer()});
    CHECK(w.phase() == Phase::EnterPin);
    CHECK_FALSE(w.state.stillThere); // nobody is asked "need more time?": they wait for staff
    CHECK(w.timer() != before);
    REQUIRE(has<StartTimer>(w.last));
    CHECK(get<StartTimer>(w.last).after == timeouts.enterPin);
    CHECK_FALSE(has<DiscardPin>(w.last));
    CHECK(w.state.call.has_value());

    // Once the call is cancelled the screen's timer works as before.
    w.on(Touch{Intent::CancelCall}).on(Timeout{w.timer()});
    CHECK(w.state.stillThere);

    // The place-card screen holds too, and the prompt keeps its own (shorter) time.
    Walk place;
    place.on(Touch{Intent::Start}).on(kCall).on(Timeout{place.timer()});
    CHECK(place.phase() == Phase::PlaceCard);
    CHECK(get<StartTimer>(place.last).after == timeouts.placeCard);

    Walk prompt = atEnterPin();
    prompt.on(Timeout{prompt.timer()}).on(kCall).on(Timeout{prompt.timer()});
    CHECK(prompt.phase() == Phase::EnterPin);
    CHECK(prompt.state.stillThere);
    CHECK(get<StartTimer>(prompt.last).after == timeouts.stillThere);
}

SCENARIO("step: a call on the result screen holds it, and done ends both")
{
    Walk w = atEnterPin();
    w.on(PinSubmitted{})
        .on(ChallengeReady{"c1", {1}})
        .on(Signed{{2}})
        .on(EligibilityAnswered{model::QualificationResult{}})
        .on(CheckInSaved{"A-0001", "key"});
    REQUIRE(w.phase() == Phase::Result);
    w.on(kCall);
    CHECK(w.state.call->screen.rfind("result", 0) == 0);
    w.on(Timeout{w.timer()});
    CHECK(w.phase() == Phase::Result);
    CHECK(w.state.receiptNumber == "A-0001"); // the number stays on screen for staff
    w.on(Touch{Intent::Done}).on(CardRemoved{});
    CHECK(w.phase() == Phase::Idle);
    CHECK_FALSE(w.state.call.has_value());
}

TEST_CASE("eventName: the call's events have names")
{
    CHECK(std::string(eventName(kCall)) == "call_staff");
    CHECK(std::string(eventName(CallAnswered{})) == "call_answered");
}
