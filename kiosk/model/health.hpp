#pragma once

// A terminal's health as it reports it to the desk (POST /api/v1/terminals/health,
// docs/protocol/desk.md "Terminal health"): the printer's status flags, whether the card reader
// is there, the card on it, and how many check-ins wait in the outbox. It is state, not data:
// only the latest report matters, so a report that fails is replaced by the next one, never
// queued. No personal data in it (nothing of the card but whether it is there and reads).

#include "base/result.hpp"
#include "kiosk/model/wire_enum.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace uketsuke::kiosk::model {

struct PrinterHealth {
    bool reachable = true; // the printer answered its status request (false: the rest is unknown)
    bool online = true;    // it can print
    bool paperOut = false;
    bool paperNearEnd = false; // a warning for staff: it still prints
    bool coverOpen = false;
    bool error = false; // mechanical, autocutter or head error

    bool operator==(const PrinterHealth&) const = default;
};

// A patient pressed "call staff" on the terminal and waits for someone (docs/protocol/desk.md
// "Terminal health"). Part of the state: it is in every report while it lasts, so a desk that
// was down sees it when it is back, and it ends when the terminal stops sending it.
struct StaffCall {
    std::string id;     // new for each call (the desk announces each id once)
    std::string screen; // the screen the patient is on, e.g. "enter_pin" (ui screen names)
    std::string since;  // ISO 8601 UTC on the terminal's clock

    bool operator==(const StaffCall&) const = default;
};

// The card on the terminal's reader, as far as the terminal can tell: the reader says whether a
// card is there, and the terminal's last read of it whether it answers (docs/protocol/desk.md
// `card`).
enum class CardState {
    Absent,          // no card on the reader: "absent"
    Present,         // a card on the reader: "present"
    Unreadable,      // a card on the reader that could not be read (it did not answer, or the
                     // reader failed while reading it): "unreadable"
    NotMyNumberCard, // a card on the reader without the JPKI application: "not_my_number_card"
};

template <>
std::span<const WireName<CardState>> wireNames<CardState>();

struct CardHealth {
    // A newer terminal's name this program does not know is kept as sent (wire_enum.hpp).
    WireEnum<CardState> state;
    // Since when the card has lain on the reader with no check-in using it (the check-in ended
    // and the terminal asks for it back, or check-in is closed and the card is not read): ISO
    // 8601 UTC on the terminal's clock. Empty: no card lies idle.
    std::string idleSince;

    bool operator==(const CardHealth&) const = default;
};

struct TerminalHealth {
    std::string terminalId;
    std::string reportedAt; // ISO 8601 UTC on the terminal's clock
    PrinterHealth printer;
    bool readerAvailable = true;
    // The card on the reader; nullopt: unknown (the reader is unavailable, or an older terminal
    // that does not send it).
    std::optional<CardHealth> card;
    int outboxDepth = 0; // check-ins not yet acknowledged by the desk; -1 unknown
    std::string version; // the terminal's software version; empty: not sent
    std::optional<StaffCall> call;

    // Equal apart from the time: nothing the desk shows has changed.
    bool sameState(const TerminalHealth& other) const;
};

nlohmann::json toJson(const TerminalHealth& health);
// Errors: BadReply naming the missing or mistyped key. `card` and `card_idle_since` may be
// missing (an older terminal); a card name this program does not know is kept as sent.
Result<TerminalHealth> terminalHealthFromJson(const nlohmann::json& json);

} // namespace uketsuke::kiosk::model
