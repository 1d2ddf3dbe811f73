#pragma once

// The reference eligibility gateway of `uketsuke-sim gateway`: protocol v1 of
// docs/protocol/eligibility.md over HTTPS with mutual TLS.
//
// Two layers, so the protocol can be tested without a socket and the transport stays thin:
// - GatewayService (this file): the protocol (challenges, signature and chain checks, persona
//   lookup, enrolment with activation codes). It takes the terminal id (the CN of the TLS client
//   certificate) and the request body and returns a status and a JSON body. Thread-safe.
// - GatewayServer (sim/gateway_server.hpp): net::Server with the PKI's gateway certificate,
//   asking for a client certificate that chains to the PKI's TLS CA (every route but enrolment
//   needs one), routing to the service.
//
// Logs carry challenge ids, terminal ids, persona ids and error codes only: never names,
// insurer numbers, the card's CN, an activation code or a certificate request.

#include "base/result.hpp"
#include "sim/faults.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::sim {

struct GatewayOptions {
    // Read with the names of PkiLayout. Enrolment signs with tls/ca.pem and tls/ca.key and
    // redeems the activation codes of tls/activation/ (sim/activation.hpp).
    std::filesystem::path pkiDir;
    std::filesystem::path personasFile;              // empty: <pkiDir>/personas.json
    // More JPKI CAs to trust besides <pkiDir>/jpki/auth-ca.pem (PEM files, may be bundles).
    std::vector<std::filesystem::path> trustCaFiles;
    // Serial numbers of revoked card certificates (docs/programs/uketsuke-sim.md). Empty:
    // <pkiDir>/jpki/revoked.txt when it exists. Re-read when the file changes.
    std::filesystem::path revokedFile;
    // Serve POST/DELETE /control/faults to loopback peers (fault injection for tests).
    bool allowFaultControl = false;
    std::chrono::milliseconds challengeLifetime{60000};
    std::size_t maxOpenChallenges = 10000; // beyond this, challenge answers 503 "busy"
    // Clocks, injectable for tests; empty means the real clocks. steadyNow times challenges;
    // wallNow checks certificate validity, dates the result (Asia/Tokyo), expires activation
    // codes and dates the certificates enrolment issues.
    std::function<std::chrono::steady_clock::time_point()> steadyNow;
    std::function<std::chrono::system_clock::time_point()> wallNow;
};

// What the gateway answers: an HTTP status and a JSON body ({"error": {"code", "message"}}
// for every status other than 200).
struct GatewayReply {
    int status = 200;
    nlohmann::json body;
};

// How a challenge is issued. Expired is fault injection: the challenge is dead on arrival
// (expires_at before the reply's Date), so the terminal sees clock skew.
enum class ChallengeMode { Normal, Expired };

// The ProcessingResultCode the reference gateway sets on a valid answer for a card whose
// user-authentication certificate expires within 3 months, or has expired but is within the
// qualification-only grace (until the end of the third month after expiry, JST). The real OQS
// codes for these are not public; these are ours (docs/protocol/eligibility.md §3.2).
inline constexpr const char* kResultCodeCertificateExpiring = "UKW0001";
inline constexpr const char* kResultCodeCertificateGrace = "UKW0002";

class GatewayService {
public:
    // Loads the personas and the JPKI trust anchors. Errors: ConfigMissing (a file cannot be
    // read), ConfigInvalid (bad personas, or a CA file that holds no PEM certificate).
    static Result<std::unique_ptr<GatewayService>> create(GatewayOptions options);
    ~GatewayService();
    GatewayService(const GatewayService&) = delete;
    GatewayService& operator=(const GatewayService&) = delete;

    // POST /v1/challenge. Never blocks on I/O. Thread: any (internally locked).
    GatewayReply challenge(std::string_view terminalId, std::string_view body,
                           ChallengeMode mode = ChallengeMode::Normal);
    // POST /v1/confirm. Consumes the challenge whatever the outcome. Thread: any.
    GatewayReply confirm(std::string_view terminalId, std::string_view body);
    // POST /v1/enrol (§2.5), which needs no client certificate. Checks, in order, the body
    // (400 bad_request), the certificate request (400 csr_invalid) and the activation code for
    // the clinic (403 activation_refused), then issues the terminal's client certificate and
    // redeems the code: a request that fails keeps the code, and of concurrent requests with
    // one code exactly one gets a certificate. Blocks on the file system. Thread: any.
    GatewayReply enrol(std::string_view body);

    // Challenges handed out and not yet consumed or pruned (for tests and diagnostics).
    std::size_t openChallenges() const;

    // The gateway's wall clock (options.wallNow or the real one): dates results, checks
    // certificates, and is sent as the HTTP Date header.
    std::chrono::system_clock::time_point wallNow() const;

private:
    struct Impl;
    explicit GatewayService(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The protocol's error reply for a status the server decides itself (404, 413, 415, 5xx):
// not_found, payload_too_large, busy, internal, or bad_request for any other 4xx.
GatewayReply protocolErrorReply(int status, const std::string& message);

// The reply for an answer net::Server gives itself (`code` as net::Router passes it):
// client_certificate_required for a route that needs a client certificate the connection has
// not got, else as protocolErrorReply.
GatewayReply serverErrorReply(int status, std::string_view code);

// The IMF-fixdate of RFC 9110 ("Thu, 26 Nov 2026 04:00:00 GMT") for the Date header.
std::string httpDate(std::chrono::system_clock::time_point t);

} // namespace uketsuke::sim
