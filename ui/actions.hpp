#pragma once

// Turns the buttons a frame reported into what they mean, after the frame (the way Dear ImGui's
// demo fills a close queue instead of acting mid-frame): flow touches, keypad digits into the
// PinEntry (or, on the insurance card form, into the InsuranceEntry), PinSubmitted or
// InsuranceSubmitted on OK, the language toggle and the demo card controls.

#include "kiosk/flow/flow.hpp"
#include "kiosk/runner/insurance_entry.hpp"
#include "kiosk/runner/pin_entry.hpp"
#include "ui/intents.hpp"

#include <optional>
#include <string>

namespace uketsuke::ui {

// Where intents go. The shell implements it over runner::Terminal; tests over a fake.
class IntentTarget {
public:
    virtual ~IntentTarget() = default;
    virtual void post(kiosk::flow::Event event) = 0;
    virtual kiosk::runner::PinEntry& pinEntry() = 0;
    virtual kiosk::runner::InsuranceEntry& insuranceEntry() = 0;
    // The phase the frame was drawn for: on EnterInsurance the keypad types into the form.
    virtual kiosk::flow::Phase phase() const = 0;
    virtual void setLanguage(const std::string& lang) = 0;
    virtual void insertCard() = 0;
    virtual void removeCard() = 0;
};

// The flow intent a button stands for, if it is one of the plain touch buttons.
std::optional<kiosk::flow::Intent> flowIntentOf(ButtonId id);

// Applies every pressed button in order. OK posts PinSubmitted only when the entry holds a
// complete PIN, and on the insurance card form InsuranceSubmitted only when the form is valid;
// every edit of the form posts InsuranceEdited (its timer starts again). Key presses are never
// logged. Thread: main.
void applyIntents(const Intents& intents, IntentTarget& target);

} // namespace uketsuke::ui
