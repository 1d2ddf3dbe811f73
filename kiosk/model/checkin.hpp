#pragma once

// A check-in as the terminal stores it in its outbox and delivers it to the desk.

#include "kiosk/model/qualification.hpp"
#include "kiosk/model/wire_enum.hpp"

#include <optional>
#include <string>

namespace uketsuke::kiosk::model {

// How the patient was identified (docs/protocol/desk.md `method`).
enum class Method {
    Pin,           // the My Number card and its PIN (also on the reader's PIN pad): "pin"
    Visual,        // staff compared the card's photo with the patient (目視): "visual"
    InsuranceCard, // data typed from a 資格確認書 / 資格情報のお知らせ / 保険証: "insurance_card"
};

template <>
std::span<const WireName<Method>> wireNames<Method>();

// Why eligibility was not determined (docs/protocol/desk.md `problem`): what the desk needs to
// help the patient. Set with Outcome::Unconfirmed, and on a lookup that failed.
enum class Problem {
    PinLocked,          // the card's PIN is locked (reset at the municipal office): "pin_locked"
    PinForgotten,       // the patient asked for staff at the PIN (forgot it): "pin_forgotten"
    CertificateExpired, // past the grace period, or not yet valid: "certificate_expired"
    CertificateRevoked, // the service says the certificate is revoked: "certificate_revoked"
    CardError,          // the card or reader failed, or no PIN was typed on it: "card_error"
    ServiceUnreachable, // the eligibility source could not be reached: "service_unreachable"
    ServiceError,       // the source answered but refused or failed: "service_error"
};

template <>
std::span<const WireName<Problem>> wireNames<Problem>();

struct CheckIn {
    std::string idempotencyKey; // random, unique per check-in; the desk stores it once
    std::string terminalId;     // from the terminal's client certificate / config
    std::string receiptNumber;  // printed on the slip, called out by staff ("0007")
    std::string checkedAt;      // ISO 8601 UTC, e.g. 2026-11-26T02:15:00Z
    WireEnum<Method> method = Method::Pin;
    // outcomeOf(qualification); a desk may receive a name it does not know (wire_enum.hpp).
    WireEnum<Outcome> outcome = Outcome::Error;
    // Why the check-in is unconfirmed; absent from the JSON when there is none.
    std::optional<WireEnum<Problem>> problem;
    std::optional<QualificationResult> qualification;
};

} // namespace uketsuke::kiosk::model
