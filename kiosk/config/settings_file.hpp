#pragma once

// Changing one key of a TOML configuration file as text, for the staff menu's settings editor
// (docs/staff.md "Settings"): the line that holds the key gets its new value and every other
// byte of the file stays as it was (comments, blank lines, the order of keys, keys the editor
// does not know). toml11 would keep comments but rewrite the rest of the file, so the edit is
// done on the lines; the caller checks the new text by parsing it as the terminal does at
// start (config::checkKioskToml) before it is written.
//
// Handled: `key = value` lines in the key's [table] (or at the top for a key without a dot),
// a dotted `table.key = value` line at the top, a missing key (added to its table, or the
// table added at the end). Values the editor changes are one-line scalars: a basic or literal
// string, an integer or a boolean, with an optional `# comment` after them, which is kept.

#include "base/result.hpp"

#include <string>
#include <string_view>

namespace uketsuke::kiosk::config {

// A TOML basic string: "en" → "\"en\"" (quotes, backslashes and control characters escaped).
std::string tomlString(std::string_view text);

// `text` with `dottedKey` ("timeouts.result_s", "language") set to `tomlValue` (already TOML:
// "20", "true", "\"en\""). Pure.
// Errors: ConfigInvalid when the key is written in a form this does not change (an inline
// table, an array, a multi-line string, an [[array of tables]]): the message names the key and
// says to edit the file by hand.
Result<std::string> setTomlValue(std::string_view text, std::string_view dottedKey,
                                 std::string_view tomlValue);

} // namespace uketsuke::kiosk::config
