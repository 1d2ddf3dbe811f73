#pragma once

// A check-in as the terminal stores it in its outbox and delivers it to the desk.

#include "kiosk/model/qualification.hpp"
#include "kiosk/model/wire_enum.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

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

// The consent questions a clinic may ask after the PIN (config `consent.*`, docs/config/kiosk.md),
// one per screen, in this order. Each is optional for the patient; a 施術所 with the 資格確認限定型
// asks none (the service returns no medical information there).
enum class ConsentTopic {
    DiagnosisPharmacists,   // 診療・薬剤情報: "diagnosis_pharmacists"
    SpecificHealthCheckups, // 特定健診情報: "specific_health_checkups"
    Operation,              // 手術情報: "operation"
    LimitApplication,       // 限度額適用認定証の情報: "limit_application"
};

inline constexpr std::size_t kConsentTopicCount = 4;

template <>
std::span<const WireName<ConsentTopic>> wireNames<ConsentTopic>();

// The patient's answer to one consent question (docs/protocol/desk.md `consent`).
struct ConsentAnswer {
    WireEnum<ConsentTopic> topic;
    bool agreed = false; // 同意する; false: 同意しない

    friend bool operator==(const ConsentAnswer&, const ConsentAnswer&) = default;
};

// The answer to `topic` in `answers`; nullopt when it was not asked.
std::optional<bool> consentAnswer(const std::vector<ConsentAnswer>& answers, ConsentTopic topic);

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
    // The consent questions asked at the terminal and their answers, in the order asked; empty
    // (absent from the JSON) when none were asked.
    std::vector<ConsentAnswer> consent;
    // Method::Visual: the id of the staff member who compared the card's photo with the patient
    // (an id from the staff accounts, never a name); empty (absent from the JSON) otherwise.
    std::string staffId;
};

} // namespace uketsuke::kiosk::model
