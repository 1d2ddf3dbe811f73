#pragma once

// The headless script (docs/headless-script.md): its commands and their parser, apart from the
// player (ui/headless.hpp) so that the parser builds without SDL or Dear ImGui's library (the
// `fuzz` preset has no UI; tests/fuzz/fuzz_headless_script.cpp).

#include "base/result.hpp"
#include "ui/intents.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::ui {

struct ScriptCommand {
    enum class Kind {
        InsertCard,   // insert-card
        RemoveCard,   // remove-card
        Tap,          // tap <button-id>; type <digits> becomes one Tap per digit
        ExpectScreen, // expect-screen <phase>[:<error-kind>]
        ExpectText,   // expect-text <key>
        Timeout,      // timeout <milliseconds>: the bound for the waits that follow
        Screenshot,   // screenshot <name>
        PadType,      // pad-type <digits>: typed on the simulated reader's PIN pad
        PadCancel,    // pad-cancel: the simulated PIN pad's cancel key
        Printer,      // printer <fault>: a fault of the simulated printer (or ok)
        StaffGesture, // staff-gesture: the hidden gesture that opens the staff PIN screen
        ExpectSound,  // expect-sound <voice.key | earcon.card | earcon.error | earcon.done>
        // expect-display [large-text=on|off] [high-contrast=on|off] (one or both)
        ExpectDisplay,
    };
    Kind kind = Kind::InsertCard;
    int line = 0;
    std::string argument;
    ButtonId button = ButtonId::Start;
    // tap lang-<language>: the picker's button for that translation file, found on screen.
    std::string language;
    bool secret = false; // a digit from `type`: never named in messages
    // expect-display: the state each switch must show (nullopt: either).
    std::optional<bool> largeText{};
    std::optional<bool> highContrast{};
    std::chrono::milliseconds timeout{0};
};

struct Script {
    std::vector<ScriptCommand> commands;
    bool usesCard() const; // has insert-card or remove-card
    bool usesPad() const;  // has pad-type or pad-cancel
    bool usesPrinter() const; // has printer
};

// Parses a script. Errors: ConfigInvalid, "line N: ..." naming the problem (unknown command,
// unknown button, unknown printer fault, missing or extra argument, bad number).
Result<Script> parseScript(std::string_view text);
// Reads and parses FILE. Errors: ConfigMissing (cannot read it) and those of parseScript.
Result<Script> loadScript(const std::string& path);

} // namespace uketsuke::ui
