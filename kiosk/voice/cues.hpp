#pragma once

// What the terminal says and plays when its screen changes (docs/voice.md). Pure functions of
// screen names (flow::screenName()) and the translation files: the voice lines are translation
// keys ("voice.*", with the other words of each language), so they are checked like them (same
// keys in every file, every character has a glyph), and they hold no placeholders, so nothing
// spoken can carry a name, an insurance number or a PIN.

#include "kiosk/model/strings.hpp"
#include "kiosk/voice/pcm.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::kiosk::voice {

// The reminder for a card left on the reader after the check-in (sound.reminder_s).
inline constexpr const char* kCardReminderLine = "voice.remove_card.reminder";
// Said when a call for staff starts (the strip's confirmation).
inline constexpr const char* kCallStaffLine = "voice.call_staff";
// A card left on the reader is asked for this many times by voice, then only the screen asks.
inline constexpr int kCardReminders = 3;

// The line for `screen` in `table`: the first key that exists of "voice.<phase>.<variant>",
// "voice.<variant>" and "voice.<phase>" ("error:card_removed" -> voice.error.card_removed, else
// voice.error; "enter_pin:still_there" -> voice.still_there). None for a screen with no line
// (idle, staff screens, not_ready).
std::optional<std::string> lineFor(std::string_view screen, const model::StringTable& table);

// Every voice line of `table` ("voice.*" keys), sorted.
std::vector<std::string> lineKeys(const model::StringTable& table);

// The short sound for a change of screen from `before` to `after` (either may be empty):
// reading_card, or a screen after it straight from idle or place_card (a card was found and
// read before a frame showed reading_card) -> CardDetected; an error or a wrong PIN -> Error; the
// result -> Done (result:print_failed reached from the result screen -> Error).
std::optional<Earcon> earconFor(std::string_view before, std::string_view after);

} // namespace uketsuke::kiosk::voice
