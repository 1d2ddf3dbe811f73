#pragma once

// One input path (docs/flow.md): the touch screen, a USB keypad and headless scripts
// all produce the same typed Input, and applyInput() is the one place that decides, by the
// phase on screen, where it goes — the PIN entry, the insurance card form, or the flow.
// Thread: main only (the keypad's reader thread queues KeypadPress values through
// Terminal::postKey, which the main thread turns into Inputs).

#include "kiosk/flow/flow.hpp"
#include "kiosk/runner/insurance_entry.hpp"
#include "kiosk/runner/pin_entry.hpp"

#include <string>
#include <variant>

namespace uketsuke::kiosk::runner {

namespace input {
struct Digit {
    char value = 0; // '0'..'9'; never logged
};
struct Back {};   // remove the last digit
struct Clear {};  // empty the PIN, or the selected field of the form
struct Submit {}; // OK on screen, Enter on a keypad
struct NextField {};
struct SelectField {
    InsuranceField field;
};
struct ChooseEra {
    Era era;
};
struct ChooseLanguage {
    std::string language;
};
struct CallStaff {}; // スタッフを呼ぶ: InputTarget::staffCall() stamps it
struct ToggleDisplay {  // the strip's large-text and high-contrast switches
    flow::DisplayOption option = flow::DisplayOption::LargeText;
};
} // namespace input

// A flow intent (Start, Cancel, Retry, ...) or a key. Digits are not secrets once typed into
// the PIN entry's wiped buffer, but an Input is never logged either.
using Input = std::variant<flow::Intent, input::Digit, input::Back, input::Clear, input::Submit,
                           input::NextField, input::SelectField, input::ChooseEra,
                           input::ChooseLanguage, input::CallStaff, input::ToggleDisplay>;

// What an input acts on. Terminal implements it; tests use a fake.
class InputTarget {
public:
    virtual ~InputTarget() = default;
    virtual void post(flow::Event event) = 0;
    virtual PinEntry& pinEntry() = 0;
    virtual InsuranceEntry& insuranceEntry() = 0;
    virtual flow::Phase phase() const = 0;
    // A new call for staff: a new id and the time now (the flow reads no clock).
    virtual flow::CallStaff staffCall() = 0;
};

// Applies one input for the phase on screen:
// - a flow intent posts Touch{intent}; ChooseLanguage posts LanguageChosen; ToggleDisplay
//   posts DisplayToggled; CallStaff posts target.staffCall(), on any screen;
// - on the PIN screen digits, Back and Clear edit the PIN entry and Submit posts PinSubmitted
//   when the PIN is complete;
// - on the insurance card form digits, Back, Clear, NextField, SelectField and ChooseEra edit
//   the form (each posts InsuranceEdited, so its timer starts again), and Submit posts
//   InsuranceSubmitted when the form is valid, or else moves to the next field;
// - anywhere else keys are dropped.
void applyInput(const Input& input, InputTarget& target);

// A hardware keypad's key as an Input: Digit, Backspace -> Back, Enter -> Submit,
// Cancel -> the Cancel intent.
Input inputOf(const KeypadPress& key);

} // namespace uketsuke::kiosk::runner
