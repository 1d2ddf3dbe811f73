#include "kiosk/eligibility/gateway_source.hpp"

#include "kiosk/eligibility/gateway_replies.hpp"

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

// Transport failures after which a new attempt can succeed and cannot do harm: the request
// did not arrive, or arrived at a gateway that failed. Not Timeout (the budget is spent) and not
// TlsFailure (a configuration problem that a retry only repeats).
bool retryable(const Error& error)
{
    return error.code == Errc::NetworkUnreachable || error.code == Errc::NetworkError ||
           error.code == Errc::ServerError;
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

    auto challenge = readChallengeReply(
        response, ChallengeChecks{m_options.terminalId, wallNow(), m_options.maxClockSkew});
    if (!challenge) {
        return challenge;
    }
    UKETSUKE_LOG(kLog, Debug) << "challenge " << challenge->id;
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
    auto result = readConfirmReply(reply->body);
    if (!result) {
        return result;
    }
    UKETSUKE_LOG(kLog, Info) << "confirm " << request.challengeId << " (" << request.method
                             << "): outcome " << model::wireName(model::outcomeOf(*result))
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
