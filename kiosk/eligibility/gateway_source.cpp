#include "kiosk/eligibility/gateway_source.hpp"

#include "base/log.hpp"
#include "base/time.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "kiosk/model/json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <thread>

namespace uketsuke::kiosk::eligibility {
namespace {

using nlohmann::json;

const log::Category kLog("kiosk.eligibility");

constexpr std::size_t kMinNonceBytes = 16;
constexpr std::size_t kMaxNonceBytes = 1024;

// HTTP status + protocol error code -> Errc: the one table for gateway replies.
Error replyError(long status, const std::string& body, const char* call)
{
    std::string code;
    json parsed = json::parse(body, nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object()) {
        auto error = parsed.find("error");
        if (error != parsed.end() && error->is_object()) {
            auto value = error->find("code");
            if (value != error->end() && value->is_string()) {
                code = value->get<std::string>();
            }
        }
    }
    Errc errc = Errc::BadReply;
    if (status >= 500) {
        errc = Errc::ServerError;
    } else if (status >= 400) {
        if (code == "challenge_expired") {
            errc = Errc::ChallengeExpired;
        } else if (code == "certificate_rejected" || code == "certificate_revoked" ||
                   code == "signature_invalid" || code == "person_unknown") {
            errc = Errc::CertificateRejected;
        } else {
            errc = Errc::ServerRejected;
        }
    }
    std::string message = std::string(call) + ": HTTP " + std::to_string(status) +
                          (code.empty() ? std::string() : " " + code);
    UKETSUKE_LOG(kLog, Warn) << message << " -> " << errcName(errc);
    return Error{errc, status, std::move(message)};
}

// A 200 that does not carry what protocol v1 promises. Logged without the body.
Unexpected<Error> badReply(const std::string& message)
{
    UKETSUKE_LOG(kLog, Warn) << message << " -> bad_reply";
    return fail(Errc::BadReply, message, 200);
}

// Transport failures after which a new attempt can succeed and cannot do harm: the request
// did not arrive, or arrived at a gateway that failed. Not Timeout (the budget is spent) and not
// TlsFailure (a configuration problem that a retry only repeats).
bool retryable(const Error& error)
{
    return error.code == Errc::NetworkUnreachable || error.code == Errc::NetworkError ||
           error.code == Errc::ServerError;
}

long long secondsBetween(std::chrono::system_clock::time_point a,
                         std::chrono::system_clock::time_point b)
{
    return std::chrono::duration_cast<std::chrono::seconds>(a - b).count();
}

} // namespace

GatewaySource::GatewaySource(GatewaySourceOptions options)
    : m_options(std::move(options)), m_client(m_options.tls, m_options.timeouts)
{
    while (!m_options.baseUrl.empty() && m_options.baseUrl.back() == '/') {
        m_options.baseUrl.pop_back();
    }
    if (m_options.challengeRetry.attempts < 1) {
        m_options.challengeRetry.attempts = 1;
    }
}

namespace {

GatewaySourceOptions optionsFrom(std::string baseUrl, net::TlsFiles tls, net::Timeouts timeouts,
                                 std::string terminalId, std::string clinicCode)
{
    GatewaySourceOptions options;
    options.baseUrl = std::move(baseUrl);
    options.tls = std::move(tls);
    options.timeouts = timeouts;
    options.terminalId = std::move(terminalId);
    options.clinicCode = std::move(clinicCode);
    return options;
}

} // namespace

GatewaySource::GatewaySource(std::string baseUrl, net::TlsFiles tls, net::Timeouts timeouts,
                             std::string terminalId, std::string clinicCode)
    : GatewaySource(optionsFrom(std::move(baseUrl), std::move(tls), timeouts,
                                std::move(terminalId), std::move(clinicCode)))
{
}

std::chrono::system_clock::time_point GatewaySource::wallNow() const
{
    return m_options.wallNow ? m_options.wallNow() : std::chrono::system_clock::now();
}

Result<Challenge> GatewaySource::challenge()
{
    const RetryPolicy& retry = m_options.challengeRetry;
    auto backoff = retry.firstBackoff;
    net::HttpResponse response;
    for (int attempt = 1;; ++attempt) {
        auto reply = m_client.postJson(m_options.baseUrl + "/v1/challenge", "{}");
        std::optional<Error> failure;
        if (!reply) {
            failure = std::move(reply).error();
        } else if (reply->status != 200) {
            failure = replyError(reply->status, reply->body, "challenge");
        } else {
            response = std::move(*reply);
            break;
        }
        if (attempt >= retry.attempts || !retryable(*failure)) {
            return fail(std::move(*failure));
        }
        UKETSUKE_LOG(kLog, Info) << "challenge attempt " << attempt << " failed ("
                                 << errcName(failure->code) << "), retrying in "
                                 << backoff.count() << " ms";
        std::this_thread::sleep_for(backoff); // backoff between attempts, not synchronisation
        backoff = std::min(backoff * 2, retry.maxBackoff);
    }

    json parsed = json::parse(response.body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        return badReply("challenge: reply is not a JSON object");
    }
    auto id = parsed.find("challenge_id");
    auto nonceText = parsed.find("nonce");
    if (id == parsed.end() || !id->is_string() || id->get_ref<const std::string&>().empty() ||
        id->get_ref<const std::string&>().size() > 64 || nonceText == parsed.end() ||
        !nonceText->is_string()) {
        return badReply("challenge: challenge_id or nonce missing");
    }
    auto nonce = crypto::base64Decode(nonceText->get<std::string>());
    if (!nonce || nonce->size() < kMinNonceBytes || nonce->size() > kMaxNonceBytes) {
        return badReply("challenge: nonce is not base64 of 16-1024 bytes");
    }

    // Clock checks. The gateway's Date against ours: a terminal with a wrong clock would date
    // the check-in (and the 施術日) wrongly. The challenge's expiry against the gateway's own
    // Date: a challenge that is dead on arrival means the gateway's clocks disagree.
    const auto now = wallNow();
    if (response.date && m_options.maxClockSkew.count() > 0) {
        const long long skew = secondsBetween(now, *response.date);
        if (std::llabs(skew) > m_options.maxClockSkew.count()) {
            UKETSUKE_LOG(kLog, Warn) << "challenge: terminal clock is " << skew
                                     << " s off the gateway's Date -> clock_skew";
            return fail(Errc::ClockSkew,
                        "terminal clock differs from the gateway's by " + std::to_string(skew) +
                            " s");
        }
    }
    if (auto expires = parsed.find("expires_at"); expires != parsed.end() && expires->is_string()) {
        auto expiresAt = time::parseIsoUtc(expires->get<std::string>());
        if (!expiresAt) {
            return badReply("challenge: expires_at is not an RFC 3339 UTC time");
        }
        const auto reference = response.date.value_or(now);
        if (*expiresAt <= reference) {
            UKETSUKE_LOG(kLog, Warn) << "challenge: expired "
                                     << secondsBetween(reference, *expiresAt)
                                     << " s before the gateway's Date -> clock_skew";
            return fail(Errc::ClockSkew, "challenge expires at or before the gateway's own Date");
        }
    }

    Challenge challenge;
    challenge.id = id->get<std::string>();
    challenge.nonce = std::move(*nonce);
    challenge.toSign = challenge.nonce;
    challenge.toSign.insert(challenge.toSign.end(), m_options.terminalId.begin(),
                            m_options.terminalId.end());
    if (auto expiresIn = parsed.find("expires_in_ms");
        expiresIn != parsed.end() && expiresIn->is_number_integer()) {
        challenge.expiresIn = std::chrono::milliseconds(expiresIn->get<long long>());
    }
    UKETSUKE_LOG(kLog, Debug) << "challenge " << challenge.id;
    return challenge;
}

Result<model::QualificationResult> GatewaySource::confirm(const ConfirmRequest& request)
{
    const bool visual = request.method == "visual";
    if (!visual && request.method != "pin") {
        return fail(Errc::InvalidArgument, "method must be pin or visual");
    }
    if (visual && request.staffId.empty()) {
        return fail(Errc::InvalidArgument, "method visual needs a staff id");
    }
    if (!visual && request.signature.empty()) {
        return fail(Errc::InvalidArgument, "method pin needs the card's signature");
    }
    const Consents& c = request.consents;
    json body{{"challenge_id", request.challengeId},
              {"certificate", crypto::base64Encode(request.certificate)},
              {"method", request.method},
              {"clinic_code",
               request.clinicCode.empty() ? m_options.clinicCode : request.clinicCode},
              {"consents",
               json{{"limit_application", c.limitApplication},
                    {"specific_diseases", c.specificDiseases},
                    {"specific_health_checkups", c.specificHealthCheckups},
                    {"pharmacists", c.pharmacists},
                    {"diagnosis", c.diagnosis},
                    {"operation", c.operation}}}};
    if (!request.signature.empty()) {
        body["signature"] = crypto::base64Encode(request.signature);
    }
    if (visual) {
        body["staff_id"] = request.staffId;
    }
    auto reply = m_client.postJson(m_options.baseUrl + "/v1/confirm",
                                   body.dump(-1, ' ', false, json::error_handler_t::replace));
    if (!reply) {
        return fail(std::move(reply).error());
    }
    if (reply->status != 200) {
        return fail(replyError(reply->status, reply->body, "confirm"));
    }
    json parsed = json::parse(reply->body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("result")) {
        return badReply("confirm: reply has no result object");
    }
    auto result = model::qualificationFromJson(parsed["result"]);
    if (!result) {
        return badReply("confirm: " + result.error().message);
    }
    UKETSUKE_LOG(kLog, Info) << "confirm " << request.challengeId << " (" << request.method
                             << "): outcome " << model::outcomeName(model::outcomeOf(*result))
                             << (result->body.processingResultCode.empty()
                                     ? std::string()
                                     : ", code " + result->body.processingResultCode);
    return result;
}

Result<std::string> certificateCommonName(const std::string& pemFile)
{
    auto certificate = crypto::readPemCertificate(pemFile);
    if (!certificate) {
        const Errc code = certificate.error().code == Errc::StorageError ? Errc::ConfigMissing
                                                                          : Errc::ConfigInvalid;
        return fail(code, certificate.error().code == Errc::StorageError
                              ? "cannot read certificate " + pemFile
                              : "no PEM certificate in " + pemFile);
    }
    std::string cn = crypto::subjectCommonName(certificate->get());
    if (cn.empty()) {
        return fail(Errc::ConfigInvalid, "certificate " + pemFile + " has no CN");
    }
    return cn;
}

} // namespace uketsuke::kiosk::eligibility
