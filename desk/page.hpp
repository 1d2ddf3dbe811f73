#pragma once

// The staff page: today's check-ins as one small HTML document (lang="ja", UTF-8, words from
// the string table's "desk.*" keys). Pure functions: no I/O, so tests render it directly.

#include "desk/store.hpp"
#include "kiosk/model/strings.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::desk {

// Escapes & < > " ' so any text is safe in element content and in quoted attributes.
std::string escapeHtml(std::string_view text);

// The list of `checkIns` (already newest first) for `localDate`, or the empty-state sentence
// when there are none. Above it, when any terminal has reported, "端末の状態": each terminal's
// printer in plain words (paper out, near end, cover open, ...), reader, the card on it (and a
// card left there longer than `cardLeftAfter` as of `now`, the desk's clock: cardLeft()),
// check-ins not yet sent and when the desk last heard from it. The page reloads itself every
// `refresh`. `now` defaults to the epoch, when no card counts as left.
std::string renderCheckInPage(const kiosk::model::StringTable& strings,
                              const std::string& localDate,
                              const std::vector<StoredCheckIn>& checkIns,
                              std::chrono::seconds refresh,
                              const std::vector<StoredHealth>& terminals = {},
                              time::Clock::time_point now = {},
                              std::chrono::seconds cardLeftAfter = std::chrono::seconds(60));

// How long a card has lain on the terminal's reader with no check-in using it, as of `now` (the
// desk's clock): the terminal's own count up to its report (reported_at − card_idle_since, both
// on its clock) plus the time since the desk received the report (received_at to `now`, both on
// the desk's), so clocks that disagree do not matter. nullopt when no card lies idle, or a time
// does not read; never negative.
std::optional<std::chrono::seconds> cardIdleFor(const StoredHealth& terminal,
                                                time::Clock::time_point now);

// A card has lain idle on the reader for `after` or longer (option card_left_s): a patient
// probably forgot it, and the page says so.
bool cardLeft(const StoredHealth& terminal, time::Clock::time_point now,
              std::chrono::seconds after);

// The card on a terminal's reader in the staff's words ("あり", "読めません", ...): a name this
// desk does not know (a newer terminal's) as it came, "?" when the terminal does not say (an
// older terminal, or its reader is away).
std::string cardText(const kiosk::model::StringTable& strings,
                     const kiosk::model::TerminalHealth& health);

// Whether the terminal's row needs staff's attention: the printer cannot print or runs low, the
// reader is away, check-ins wait to be sent, a card does not read, or one was left (cardLeft).
bool terminalNeedsAttention(const StoredHealth& terminal, time::Clock::time_point now,
                            std::chrono::seconds cardLeftAfter);

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
