#pragma once

// Where the terminal asks whether a patient is insured. Implementations chosen by config:
// "gateway" (our HTTPS protocol, docs/protocol/eligibility.md) and later "oqs-files".

#include "hal/card.hpp"
#include "hal/result.hpp"
#include "kiosk/model/qualification.hpp"

#include <string>

namespace uketsuke::kiosk::eligibility {

struct Challenge {
    std::string id;   // opaque, single use
    hal::Bytes nonce; // random bytes from the gateway
    // The exact bytes the card signs: nonce || UTF-8 terminal id (docs/protocol/eligibility.md).
    hal::Bytes toSign;
};

struct ConfirmRequest {
    std::string challengeId;
    hal::Bytes certificate; // the card's user-authentication certificate, DER
    hal::Bytes signature;   // PKCS#1 v1.5 over SHA-256(toSign), made by the card
    std::string method = "pin";
    std::string clinicCode;
};

class EligibilitySource {
public:
    virtual ~EligibilitySource() = default;

    // Both block (network); thread: the service worker.
    // Errors: Timeout, NetworkUnreachable, TlsFailure, NetworkError, ServerError (5xx),
    // ServerRejected (4xx with a typed error), ChallengeExpired, CertificateRejected, BadReply.
    virtual Result<Challenge> challenge() = 0;
    virtual Result<model::QualificationResult> confirm(const ConfirmRequest& request) = 0;
};

} // namespace uketsuke::kiosk::eligibility
