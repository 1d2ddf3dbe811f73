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
// when there are none. Above it, when any terminal has reported, "端末の状態": each terminal's
// printer in plain words (paper out, near end, cover open, ...), reader, check-ins not yet
// sent and when the desk last heard from it. The page reloads itself every `refresh`.
std::string renderCheckInPage(const kiosk::model::StringTable& strings,
                              const std::string& localDate,
                              const std::vector<StoredCheckIn>& checkIns,
                              std::chrono::seconds refresh,
                              const std::vector<StoredHealth>& terminals = {});

// The string keys of a printer's state, in the order printerText() joins them: every flag that
// is set, "desk.terminals.printer.ok" when nothing is wrong (the live page joins them itself).
std::vector<std::string> printerKeys(const kiosk::model::PrinterHealth& printer);

// A printer's state in the staff's words: "用紙切れ、カバーが開いています" (every flag that is set,
// joined), "正常" when nothing is wrong.
std::string printerText(const kiosk::model::StringTable& strings,
                        const kiosk::model::PrinterHealth& printer);

// The "desk.*" keys the page uses; a test checks that every string table has them.
std::vector<std::string> pageStringKeys();

} // namespace uketsuke::desk
