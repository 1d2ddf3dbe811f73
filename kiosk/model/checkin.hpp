#pragma once

// A check-in as the terminal stores it in its outbox and delivers it to the desk.

#include "kiosk/model/qualification.hpp"

#include <optional>
#include <string>

namespace uketsuke::kiosk::model {

struct CheckIn {
    std::string idempotencyKey; // random, unique per check-in; the desk stores it once
    std::string terminalId;     // from the terminal's client certificate / config
    std::string receiptNumber;  // printed on the slip, called out by staff ("0007")
    std::string checkedAt;      // ISO 8601 UTC, e.g. 2026-11-26T02:15:00Z
    // identification: "pin", "visual" or "insurance_card" (data typed from a 資格確認書)
    std::string method = "pin";
    std::string outcome;        // outcomeName(outcomeOf(qualification)) or a failure code
    std::optional<QualificationResult> qualification;
};

} // namespace uketsuke::kiosk::model
