#include "support.hpp"
#include "ui/actions.hpp"
#include "ui/shell.hpp"

#include <SDL.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

namespace uketsuke::ui {
namespace {

using kiosk::flow::Intent;

Intents pressing(std::initializer_list<ButtonId> ids)
{
    Intents intents;
    intents.pressed.assign(ids.begin(), ids.end());
    return intents;
}

TEST_CASE("applyIntents: touch buttons post their flow intent", "[ui]")
{
    test::FakeTarget target;
    applyIntents(pressing({ButtonId::Start, ButtonId::AskStaff}), target);
    REQUIRE(target.posted.size() == 2);
    CHECK(std::get<kiosk::flow::Touch>(target.posted[0]).intent == Intent::Start);
    CHECK(std::get<kiosk::flow::Touch>(target.posted[1]).intent == Intent::AskStaff);
}

TEST_CASE("applyIntents: digits go into the PIN entry, Back and Clear edit it", "[ui]")
{
    test::FakeTarget target;
    applyIntents(pressing({ButtonId::Digit1, ButtonId::Digit2, ButtonId::Digit3}), target);
    CHECK(target.entry.count() == 3);
    applyIntents(pressing({ButtonId::Back}), target);
    CHECK(target.entry.count() == 2);
    applyIntents(pressing({ButtonId::Clear}), target);
    CHECK(target.entry.count() == 0);
    CHECK(target.posted.empty());
}

TEST_CASE("applyIntents: OK submits only a complete PIN", "[ui]")
{
    test::FakeTarget target;
    applyIntents(pressing({ButtonId::Digit1, ButtonId::Digit2, ButtonId::Ok}), target);
    CHECK(target.posted.empty());
    applyIntents(pressing({ButtonId::Digit3, ButtonId::Digit4, ButtonId::Ok}), target);
    REQUIRE(target.posted.size() == 1);
    CHECK(std::holds_alternative<kiosk::flow::PinSubmitted>(target.posted[0]));
    // The digits stay in the entry for the runner to take; the flow never sees them.
    CHECK(target.entry.count() == 4);
}

TEST_CASE("applyIntents: the language buttons tell the flow, demo buttons reach the shell",
          "[ui]")
{
    test::FakeTarget target;
    // The picker names the language of each slot it drew.
    Intents en = pressing({languageButton(1)});
    en.languages = {"ja", "en", "zh-Hans"};
    applyIntents(en, target);
    REQUIRE(target.posted.size() == 1);
    CHECK(std::get<kiosk::flow::LanguageChosen>(target.posted[0]).language == "en");
    Intents ja = pressing({languageButton(0), ButtonId::DemoInsert, ButtonId::DemoRemove});
    ja.languages = en.languages;
    applyIntents(ja, target);
    REQUIRE(target.posted.size() == 2);
    CHECK(std::get<kiosk::flow::LanguageChosen>(target.posted[1]).language == "ja");
    CHECK(target.inserted == 1);
    CHECK(target.removed == 1);
    // A slot the frame did not draw means nothing.
    applyIntents(pressing({languageButton(5)}), target);
    CHECK(target.posted.size() == 2);
}

TEST_CASE("applyIntents: call staff posts a new call on any screen, cancel-call a touch", "[ui]")
{
    test::FakeTarget target;
    target.shownPhase = kiosk::flow::Phase::EnterPin;
    applyIntents(pressing({ButtonId::CallStaff}), target);
    REQUIRE(target.posted.size() == 1);
    const auto& call = std::get<kiosk::flow::CallStaff>(target.posted[0]);
    CHECK(call.id == "c-test-1"); // stamped by the target (the runner), not the screen
    CHECK_FALSE(call.since.empty());
    CHECK(target.entry.count() == 0); // not a key for the PIN
    applyIntents(pressing({ButtonId::CancelCall}), target);
    REQUIRE(target.posted.size() == 2);
    CHECK(std::get<kiosk::flow::Touch>(target.posted[1]).intent ==
          kiosk::flow::Intent::CancelCall);
}

TEST_CASE("applyIntents: keys mean nothing on a screen without a keypad", "[ui]")
{
    test::FakeTarget target;
    target.shownPhase = kiosk::flow::Phase::Result;
    applyIntents(pressing({ButtonId::Digit1, ButtonId::Ok, ButtonId::Back}), target);
    CHECK(target.entry.count() == 0);
    CHECK(target.form.empty());
    CHECK(target.posted.empty());
}

TEST_CASE("applyIntents: the display switches toggle large text and high contrast on any screen",
          "[ui]")
{
    test::FakeTarget target;
    target.shownPhase = kiosk::flow::Phase::Result;
    applyIntents(pressing({ButtonId::LargeText, ButtonId::HighContrast}), target);
    REQUIRE(target.posted.size() == 2);
    const auto* large = std::get_if<kiosk::flow::DisplayToggled>(&target.posted[0]);
    const auto* contrast = std::get_if<kiosk::flow::DisplayToggled>(&target.posted[1]);
    REQUIRE(large != nullptr);
    REQUIRE(contrast != nullptr);
    CHECK(large->option == kiosk::flow::DisplayOption::LargeText);
    CHECK(contrast->option == kiosk::flow::DisplayOption::HighContrast);
    CHECK(buttonIdFromName("large-text") == ButtonId::LargeText);
    CHECK(buttonIdFromName("high-contrast") == ButtonId::HighContrast);
}

TEST_CASE("buttonIdFromName: every id round-trips through its script name", "[ui]")
{
    for (int i = 0; i < kButtonIdCount; ++i) {
        auto id = static_cast<ButtonId>(i);
        INFO(buttonIdName(id));
        auto back = buttonIdFromName(buttonIdName(id));
        REQUIRE(back.has_value());
        CHECK(*back == id);
    }
    CHECK_FALSE(buttonIdFromName("launch").has_value());
}

} // namespace
} // namespace uketsuke::ui

namespace uketsuke::ui {
namespace {

using kiosk::flow::Phase;
using kiosk::runner::Era;
using kiosk::runner::InsuranceField;

std::size_t countEdits(const test::FakeTarget& target)
{
    return static_cast<std::size_t>(
        std::count_if(target.posted.begin(), target.posted.end(), [](const auto& e) {
            return std::holds_alternative<kiosk::flow::InsuranceEdited>(e);
        }));
}

TEST_CASE("applyIntents: on the insurance form the keypad types into the form", "[ui]")
{
    test::FakeTarget target;
    target.shownPhase = Phase::EnterInsurance;
    applyIntents(pressing({ButtonId::Digit0, ButtonId::Digit6, ButtonId::Digit1}), target);
    CHECK(target.form.value(InsuranceField::InsurerNumber) == "061");
    CHECK(target.entry.count() == 0); // never into the PIN
    applyIntents(pressing({ButtonId::Back}), target);
    CHECK(target.form.value(InsuranceField::InsurerNumber) == "06");
    applyIntents(pressing({ButtonId::Clear}), target);
    CHECK(target.form.value(InsuranceField::InsurerNumber).empty());
    // Every edit starts the form's timer again.
    CHECK(countEdits(target) == 5);
}

TEST_CASE("applyIntents: elsewhere the keypad types into the PIN, not the form", "[ui]")
{
    test::FakeTarget target;
    target.shownPhase = Phase::EnterPin;
    applyIntents(pressing({ButtonId::Digit1, ButtonId::Next, ButtonId::FieldDay}), target);
    CHECK(target.entry.count() == 1);
    CHECK(target.form.empty());
    CHECK(target.form.selected() == InsuranceField::InsurerNumber);
    CHECK(target.posted.empty());
}

TEST_CASE("applyIntents: form rows, Next and the era choice select fields", "[ui]")
{
    test::FakeTarget target;
    target.shownPhase = Phase::EnterInsurance;
    applyIntents(pressing({ButtonId::FieldNumber}), target);
    CHECK(target.form.selected() == InsuranceField::Number);
    applyIntents(pressing({ButtonId::Next}), target);
    CHECK(target.form.selected() == InsuranceField::Branch);
    applyIntents(pressing({ButtonId::FieldEra, ButtonId::EraShowa}), target);
    CHECK(target.form.era() == Era::Showa);
    CHECK(target.form.selected() == InsuranceField::BirthYear);
    CHECK(countEdits(target) == 4);
}

TEST_CASE("applyIntents: OK on the form submits only a valid form", "[ui]")
{
    test::FakeTarget target;
    target.shownPhase = Phase::EnterInsurance;
    auto typeInto = [&](ButtonId field, const char* digits) {
        Intents i;
        i.pressed.push_back(field);
        for (const char* d = digits; *d; ++d) {
            i.pressed.push_back(digitButton(*d - '0'));
        }
        applyIntents(i, target);
    };
    typeInto(ButtonId::FieldInsurer, "06139999");
    typeInto(ButtonId::FieldNumber, "345");
    typeInto(ButtonId::FieldYear, "1980");
    typeInto(ButtonId::FieldMonth, "1");
    target.posted.clear();
    applyIntents(pressing({ButtonId::Ok}), target);
    // No day yet: nothing is submitted; OK (Enter on a keypad) moves on to the next field.
    CHECK(std::none_of(target.posted.begin(), target.posted.end(), [](const auto& e) {
        return std::holds_alternative<kiosk::flow::InsuranceSubmitted>(e);
    }));
    typeInto(ButtonId::FieldDay, "1");
    target.posted.clear();
    applyIntents(pressing({ButtonId::Ok}), target);
    REQUIRE(target.posted.size() == 1);
    CHECK(std::holds_alternative<kiosk::flow::InsuranceSubmitted>(target.posted[0]));
    CHECK_FALSE(target.form.empty()); // the runner takes the data from here
}

TEST_CASE("flowIntentOf: the idle insurance card button is a touch", "[ui]")
{
    REQUIRE(flowIntentOf(ButtonId::InsuranceCard).has_value());
    CHECK(*flowIntentOf(ButtonId::InsuranceCard) == kiosk::flow::Intent::InsuranceCard);
    CHECK_FALSE(flowIntentOf(ButtonId::FieldInsurer).has_value());
    CHECK(std::string(buttonIdName(ButtonId::InsuranceCard)) == "insurance-card");
    CHECK(std::string(buttonIdName(ButtonId::EraReiwa)) == "era-reiwa");
}

} // namespace
} // namespace uketsuke::ui

namespace uketsuke::ui {
namespace {

TEST_CASE("endsFrameLoop: in full screen only a requested stop ends the terminal, never a "
          "window close",
          "[ui][lockdown]")
{
    // A patient's Alt+F4, or the window manager closing the window: SDL_QUIT without a stop.
    CHECK_FALSE(endsFrameLoop(SDL_QUIT, false, true));
    CHECK_FALSE(endsFrameLoop(SDL_KEYDOWN, false, true));
    CHECK_FALSE(endsFrameLoop(SDL_WINDOWEVENT, false, true));
    // SIGTERM from systemd, SIGINT, staff's restart (requestQuit): always.
    CHECK(endsFrameLoop(SDL_QUIT, true, true));
    CHECK(endsFrameLoop(SDL_USEREVENT, true, true));
    // A windowed development run closes with its window.
    CHECK(endsFrameLoop(SDL_QUIT, false, false));
    CHECK_FALSE(endsFrameLoop(SDL_KEYDOWN, false, false));
}

} // namespace
} // namespace uketsuke::ui
