#pragma once

// Turns the buttons a frame reported into what they mean, after the frame (the way Dear ImGui's
// demo fills a close queue instead of acting mid-frame). Each button is an Input of the one
// input path (kiosk/runner/input.hpp), the same a USB keypad or a script produces; only the
// demo card controls are the shell's own.

#include "kiosk/runner/input.hpp"
#include "ui/intents.hpp"

#include <optional>

namespace uketsuke::ui {

// Where intents go. The shell implements it over runner::Terminal; tests over a fake.
class IntentTarget {
public:
    virtual ~IntentTarget() = default;
    // runner::Terminal::apply: the input takes effect for the phase on screen.
    virtual void apply(const kiosk::runner::Input& input) = 0;
    virtual void insertCard() = 0;
    virtual void removeCard() = 0;
};

// The flow intent a button stands for, if it is one of the plain touch buttons.
std::optional<kiosk::flow::Intent> flowIntentOf(ButtonId id);
// The input a button stands for; nullopt for the demo card controls and the language slots
// (whose language only the frame's Intents::languages knows: applyIntents()).
std::optional<kiosk::runner::Input> inputOf(ButtonId id);

// Applies every pressed button in order. Key presses are never logged. Thread: main.
void applyIntents(const Intents& intents, IntentTarget& target);

} // namespace uketsuke::ui
