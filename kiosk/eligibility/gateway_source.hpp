#pragma once

// EligibilitySource over our HTTPS gateway protocol v1 (docs/protocol/eligibility.md):
// POST {base}/v1/challenge, then POST {base}/v1/confirm with the card's certificate and its
// signature over nonce || terminal id. Mutual TLS with the terminal's client certificate;
// the gateway takes the terminal id from that certificate's CN, so the id given here must be
// that CN (use certificateCommonName()).
//
// Robustness: one HTTPS connection kept across check-ins (net::HttpsClient); connect and total
// time budgets per request; challenge() retries with backoff where that is safe (no answer,
// connection refused or dropped, 5xx); confirm() never retries (the challenge is single use);
// the gateway's Date header is checked against the terminal's clock and against the
// challenge's expiry (ClockSkew).

#include "base/result.hpp"
#include "kiosk/eligibility/source.hpp"
#include "net/https_client.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace uketsuke::kiosk::eligibility {

struct RetryPolicy {
    int attempts = 3; // tries in all, 1 = no retry
    std::chrono::milliseconds firstBackoff{200}; // doubled after each failed try
    std::chrono::milliseconds maxBackoff{1000};
};

struct GatewaySourceOptions {
    std::string baseUrl; // "https://127.0.0.1:8443", no path
    net::TlsFiles tls;
    net::Timeouts timeouts; // per request
    std::string terminalId; // the CN of tls.certFile
    std::string clinicCode; // sent with every confirm unless the request has its own
    RetryPolicy challengeRetry;
    // The terminal's clock may differ from the gateway's Date header by at most this much;
    // more is ClockSkew (a wrong clock means a wrong 施術日 on the result and the slip).
    // Zero turns the check off.
    std::chrono::seconds maxClockSkew{300};
    // The terminal's wall clock, injectable for tests; empty: the real one.
    std::function<std::chrono::system_clock::time_point()> wallNow;
};

class GatewaySource final : public EligibilitySource {
public:
    // Does no I/O. Thread: any.
    explicit GatewaySource(GatewaySourceOptions options);
    // baseUrl: "https://127.0.0.1:8443" (no trailing path). clinicCode is sent with every
    // confirm unless the request carries its own. Default retry and clock-skew settings.
    GatewaySource(std::string baseUrl, net::TlsFiles tls, net::Timeouts timeouts,
                  std::string terminalId, std::string clinicCode);

    Capabilities capabilities() const override { return {true, false}; }

    // Asks for a single-use challenge. Challenge::toSign = nonce || UTF-8 terminal id.
    // Tries up to challengeRetry.attempts times, with backoff, after NetworkUnreachable,
    // NetworkError or ServerError; never after Timeout (the budget is spent), TlsFailure or a
    // 4xx. Blocks up to attempts × total timeout + backoff; thread: the service worker.
    // Errors: the transport's (Timeout, NetworkUnreachable, TlsFailure, NetworkError);
    // ServerError (5xx), ServerRejected (4xx), BadReply (200 without a usable challenge);
    // ClockSkew (the gateway's Date is further from the terminal's clock than maxClockSkew,
    // or the challenge expires at or before the gateway's own Date).
    Result<Challenge> challenge() override;

    // Sends the certificate, the signature (or the staff id for "visual"), the consents and
    // the clinic code; returns the gateway's qualification result. Blocks up to the total
    // timeout; thread: the service worker. Never retried here: the challenge is single use.
    // Errors: the transport's; InvalidArgument (method not "pin"/"visual", "visual" without
    // a staff id, "pin" without a signature: nothing is sent); ChallengeExpired
    // (challenge_expired); CertificateInvalid
    // (certificate_revoked); CertificateRejected (certificate_rejected, signature_invalid,
    // person_unknown); ServerRejected (any other 4xx); ServerError (5xx);
    // BadReply (unparseable 200). Error::native holds the HTTP status for server errors.
    Result<model::QualificationResult> confirm(const ConfirmRequest& request) override;

    const std::string& terminalId() const { return m_options.terminalId; }

private:
    std::chrono::system_clock::time_point wallNow() const;

    GatewaySourceOptions m_options;
    net::HttpsClient m_client;
};

// The subject CN of the first certificate in a PEM file (the terminal id of a client
// certificate). Blocks on file I/O; thread: any.
// Errors: ConfigMissing (cannot read the file), ConfigInvalid (no certificate, or no CN).
Result<std::string> certificateCommonName(const std::string& pemFile);

} // namespace uketsuke::kiosk::eligibility
