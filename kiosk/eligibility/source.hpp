#pragma once

// Where the terminal asks whether a patient is insured. Implementations chosen by config
// (`eligibility.source`):
// - "gateway" (GatewaySource): our HTTPS protocol, docs/protocol/eligibility.md. The My Number
//   card signs a challenge; the gateway answers with the qualification result.
// - "oqs-files" (OqsFilesSource): the req/res folders of a 資格確認端末, docs/oqs-files.md.
//   Lookups by 被保険者番号 for patients with a 資格確認書 or 資格情報のお知らせ.
// - "gateway+oqs-files" (CombinedSource, combined_source.hpp): the card calls to the first,
//   lookup() to the second.
// What a source can do is in capabilities(); a call it cannot serve returns NotSupported.

#include "hal/card.hpp"
#include "base/result.hpp"
#include "kiosk/model/insurance_query.hpp"
#include "kiosk/model/qualification.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace uketsuke::kiosk::eligibility {

struct Challenge {
    std::string id;   // opaque, single use
    hal::Bytes nonce; // random bytes from the gateway
    // The exact bytes the card signs: nonce || UTF-8 terminal id (docs/protocol/eligibility.md).
    hal::Bytes toSign;
    // How long the gateway keeps it open, from its answer (0 when it did not say).
    std::chrono::milliseconds expiresIn{0};
};

// Consents given at the terminal (docs/protocol/eligibility.md §2.3). All optional, all
// default "no".
struct Consents {
    bool limitApplication = false;       // 限度額適用認定証 information
    bool specificDiseases = false;       // 特定疾病療養受療証 information
    bool specificHealthCheckups = false; // 特定健診情報 viewing
    bool pharmacists = false;            // 薬剤情報 viewing
    bool diagnosis = false;              // 診療情報 viewing
    bool operation = false;              // 手術情報 viewing
};

struct ConfirmRequest {
    std::string challengeId;
    hal::Bytes certificate; // the card's user-authentication certificate, DER
    // PKCS#1 v1.5 over SHA-256(toSign), made by the card after the PIN. Empty with "visual".
    hal::Bytes signature;
    // How the patient was identified: "pin" (the card signed), or "visual" (staff compared
    // the card's photo with the patient: 目視; no PIN, so no signature).
    std::string method = "pin";
    std::string staffId; // required with "visual": who compared, printable ASCII, 1-32
    Consents consents;
    std::string clinicCode; // empty: the source's configured code
};

// A lookup by insurance card data (kiosk/model/insurance_query.hpp).
using InsuranceCardQuery = model::InsuranceCardQuery;

struct Capabilities {
    bool myNumberCard = false;  // challenge() and confirm()
    bool insuranceCard = false; // lookup()
};

class EligibilitySource {
public:
    virtual ~EligibilitySource() = default;

    // Does no I/O. Thread: any.
    virtual Capabilities capabilities() const { return {true, false}; }

    // Both block (network) up to the source's time budget; thread: the service worker.
    // Errors: Timeout, NetworkUnreachable, TlsFailure, NetworkError, ServerError (5xx),
    // ServerRejected (4xx with a typed error), ChallengeExpired, CertificateRejected,
    // CertificateInvalid (the certificate is revoked),
    // ClockSkew, BadReply; NotSupported from a source without myNumberCard.
    virtual Result<Challenge> challenge() = 0;
    virtual Result<model::QualificationResult> confirm(const ConfirmRequest& request) = 0;

    // Looks a patient up by insurance card data. Blocks up to the source's timeout; thread:
    // the service worker. Errors: NotSupported (this source cannot), InvalidArgument (the
    // query is not well-formed: the message names the field, never its value), Timeout,
    // Cancelled, StorageError (the folders), BadReply (an answer that cannot be used).
    virtual Result<model::QualificationResult> lookup(const InsuranceCardQuery& query)
    {
        (void)query;
        return fail(Errc::NotSupported, "this eligibility source cannot look up by insurance card");
    }

    // Makes a blocked lookup() return Cancelled promptly (the patient walked away). Does not
    // block. Thread: any. Sources whose calls are bounded by a network budget ignore it.
    virtual void cancel() {}
};

} // namespace uketsuke::kiosk::eligibility
