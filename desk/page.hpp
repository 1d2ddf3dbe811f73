#pragma once

// The staff page: today's check-ins as one small HTML document (lang="ja", UTF-8, words from
// the string table's "desk.*" keys). Pure functions: no I/O, so tests render it directly.

#include "desk/store.hpp"
#include "kiosk/model/strings.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::desk {

// Escapes & < > " ' so any text is safe in element content and in quoted attributes.
std::string escapeHtml(std::string_view text);

// The list of `checkIns` (already newest first) for `localDate`, or the empty-state sentence
// when there are none. The page reloads itself every `refresh`.
std::string renderCheckInPage(const kiosk::model::StringTable& strings,
                              const std::string& localDate,
                              const std::vector<StoredCheckIn>& checkIns,
                              std::chrono::seconds refresh);

// The "desk.*" keys the page uses; a test checks that every string table has them.
std::vector<std::string> pageStringKeys();

} // namespace uketsuke::desk
