// Large text and high contrast (kiosk/flow/flow.hpp "Large text and high contrast",
// docs/screens.md): the patient switches them on any screen, and the next patient starts with
// the clinic's defaults.

#include "kiosk/flow/flow.hpp"

#include "tests/kiosk/flow/walk.hpp"
#include "tests/support/commands.hpp"
#include "tests/support/runner_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using namespace uketsuke::kiosk::flow;

namespace {

using uketsuke::test::Walk;


const DisplayToggled kLarge{DisplayOption::LargeText};
const DisplayToggled kContrast{DisplayOption::HighContrast};

} // namespace

SCENARIO("step: the display switches toggle on every screen and change nothing else")
{
    Walk w;
    w.on(kLarge);
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.state.display.largeText);
    CHECK_FALSE(w.state.display.highContrast);
    CHECK(w.last.commands.empty());
    CHECK(w.phase() == Phase::Idle);

    w.on(Touch{Intent::Start}).on(CardInserted{}).on(CardRead{{0x30, 0x82}, 3});
    REQUIRE(w.phase() == Phase::EnterPin);
    const auto timer = w.timer();
    w.on(kContrast);
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.state.display.largeText);
    CHECK(w.state.display.highContrast);
    CHECK(w.phase() == Phase::EnterPin);
    CHECK(w.timer() == timer); // the PIN screen's timer runs on: no new phase was entered
    CHECK(w.last.commands.empty());

    w.on(kLarge);
    CHECK_FALSE(w.state.display.largeText); // a second touch switches it off again
    CHECK(w.state.display.highContrast);
    CHECK(std::string(eventName(kLarge)) == "display_toggled");
}

SCENARIO("step: the next patient starts with the clinic's display, not the last patient's")
{
    Walk w;
    w.state.displayDefaults.highContrast = true; // the clinic's choice (ui.high_contrast)
    w.state.display = w.state.displayDefaults;
    w.on(kLarge).on(kContrast);
    REQUIRE(w.state.display == Display{true, false});

    // Started, then walked away: the place-card screen times out to Idle.
    w.on(Touch{Intent::Start});
    REQUIRE(w.phase() == Phase::PlaceCard);
    CHECK(w.state.display == Display{true, false});
    w.on(Timeout{w.timer()});
    REQUIRE(w.phase() == Phase::Idle);
    CHECK(w.state.display == Display{false, true});

    // A whole check-in: the switches last until the card is taken back.
    w.on(kLarge).on(Touch{Intent::Start}).on(CardInserted{}).on(CardRead{{0x30, 0x82}, 3});
    w.on(PinSubmitted{}).on(ChallengeReady{"c1", {1}}).on(Signed{{2}});
    w.on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(CheckInSaved{"0009", "key-0009"});
    REQUIRE(w.phase() == Phase::Result);
    CHECK(w.state.display.largeText);
    w.on(Touch{Intent::Done});
    REQUIRE(w.phase() == Phase::RemoveCard);
    CHECK(w.state.display.largeText); // still this patient's screen
    w.on(CardRemoved{});
    REQUIRE(w.phase() == Phase::Idle);
    CHECK(w.state.display == w.state.displayDefaults);
}
