#include "kiosk/runner/input.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace uketsuke::kiosk;
using namespace uketsuke::kiosk::runner;
using flow::Phase;

namespace {

// Records what applyInput posted; the PIN entry and the form are real.
struct Target final : InputTarget {
    void post(flow::Event event) override { posted.push_back(std::move(event)); }
    PinEntry& pinEntry() override { return pin; }
    InsuranceEntry& insuranceEntry() override { return form; }
    Phase phase() const override { return shown; }
    flow::CallStaff staffCall() override { return {"c-1-" + std::to_string(++calls), "t"}; }

    template <class E>
    int count() const
    {
        return static_cast<int>(std::count_if(posted.begin(), posted.end(), [](const auto& e) {
            return std::holds_alternative<E>(e);
        }));
    }

    std::vector<flow::Event> posted;
    PinEntry pin;
    InsuranceEntry form;
    Phase shown = Phase::Idle;
    int calls = 0;
};

} // namespace

TEST_CASE("applyInput: a flow intent is a touch on every screen")
{
    for (Phase shown : {Phase::Idle, Phase::EnterPin, Phase::EnterInsurance, Phase::Result}) {
        Target target;
        target.shown = shown;
        applyInput(flow::Intent::Cancel, target);
        REQUIRE(target.posted.size() == 1);
        CHECK(std::get<flow::Touch>(target.posted[0]).intent == flow::Intent::Cancel);
    }
}

TEST_CASE("applyInput: on the PIN screen keys edit the PIN and Submit sends only a whole one")
{
    Target target;
    target.shown = Phase::EnterPin;
    for (char d : {'1', '2', '3'}) {
        applyInput(input::Digit{d}, target);
    }
    applyInput(input::Submit{}, target);
    CHECK(target.posted.empty()); // three digits: not yet
    applyInput(input::Back{}, target);
    CHECK(target.pin.count() == 2);
    applyInput(input::Clear{}, target);
    CHECK(target.pin.count() == 0);
    for (char d : {'4', '3', '2', '1'}) {
        applyInput(input::Digit{d}, target);
    }
    applyInput(input::Submit{}, target);
    CHECK(target.count<flow::PinSubmitted>() == 1);
    CHECK(target.pin.complete()); // the runner takes the digits from the entry
}

TEST_CASE("applyInput: keys on a screen without a keypad are dropped")
{
    Target target;
    target.shown = Phase::Result;
    applyInput(input::Digit{'1'}, target);
    applyInput(input::Submit{}, target);
    applyInput(input::SelectField{InsuranceField::Number}, target);
    CHECK(target.posted.empty());
    CHECK(target.pin.count() == 0);
    CHECK(target.form.selected() == InsuranceField::InsurerNumber);
}

TEST_CASE("applyInput: on the form keys edit it, each edit restarts its timer")
{
    Target target;
    target.shown = Phase::EnterInsurance;
    applyInput(input::Digit{'0'}, target);
    applyInput(input::Digit{'6'}, target);
    CHECK(target.form.value(InsuranceField::InsurerNumber) == "06");
    CHECK(target.pin.count() == 0); // never into the PIN
    applyInput(input::SelectField{InsuranceField::Number}, target);
    applyInput(input::ChooseEra{Era::Showa}, target);
    CHECK(target.form.era() == Era::Showa);
    CHECK(target.form.selected() == InsuranceField::BirthYear);
    CHECK(target.count<flow::InsuranceEdited>() == 4);
    // Submit on an incomplete form moves on instead of submitting.
    applyInput(input::Submit{}, target);
    CHECK(target.count<flow::InsuranceSubmitted>() == 0);
    CHECK(target.form.selected() == InsuranceField::BirthMonth);
}

TEST_CASE("applyInput: choosing a language tells the flow")
{
    Target target;
    applyInput(input::ChooseLanguage{"en"}, target);
    REQUIRE(target.posted.size() == 1);
    CHECK(std::get<flow::LanguageChosen>(target.posted[0]).language == "en");
}

TEST_CASE("inputOf: a keypad's keys are the same inputs as the screen's")
{
    CHECK(std::get<input::Digit>(inputOf({KeypadPress::Key::Digit, '7'})).value == '7');
    CHECK(std::holds_alternative<input::Back>(inputOf({KeypadPress::Key::Backspace, 0})));
    CHECK(std::holds_alternative<input::Submit>(inputOf({KeypadPress::Key::Enter, 0})));
    CHECK(std::get<flow::Intent>(inputOf({KeypadPress::Key::Cancel, 0})) == flow::Intent::Cancel);
}

TEST_CASE("applyInput: call staff posts a new call, stamped by the target, on every screen")
{
    for (Phase shown : {Phase::Idle, Phase::EnterPin, Phase::EnterInsurance, Phase::Result}) {
        Target target;
        target.shown = shown;
        applyInput(input::CallStaff{}, target);
        applyInput(input::CallStaff{}, target);
        REQUIRE(target.count<flow::CallStaff>() == 2);
        // Each press is a call of its own: the flow decides that the second is one too many.
        CHECK(std::get<flow::CallStaff>(target.posted[0]).id == "c-1-1");
        CHECK(std::get<flow::CallStaff>(target.posted[1]).id == "c-1-2");
        CHECK(target.pin.count() == 0);
    }
}
