#include "kiosk/eligibility/gateway_replies.hpp"

#include "base/log.hpp"
#include "base/time.hpp"
#include "crypto/crypto.hpp"
#include "kiosk/model/json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

namespace uketsuke::kiosk::eligibility {

namespace {

using nlohmann::json;

const log::Category kLog("kiosk.eligibility");

constexpr std::size_t kMinNonceBytes = 16;
constexpr std::size_t kMaxNonceBytes = 1024;

// A 200 that does not carry what protocol v1 promises. Logged without the body.
Unexpected<Error> badReply(const std::string& message)
{
    UKETSUKE_LOG(kLog, Warn) << message << " -> bad_reply";
    return fail(Errc::BadReply, message, 200);
}

long long secondsBetween(std::chrono::system_clock::time_point a,
                         std::chrono::system_clock::time_point b)
{
    return std::chrono::duration_cast<std::chrono::seconds>(a - b).count();
}

} // namespace

Error replyError(long status, std::string_view body, const char* call)
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
        } else if (code == "certificate_revoked") {
            // The certificate is not valid any more: its own problem at the desk
            // (model::Problem::CertificateRevoked, through flow's serviceProblem).
            errc = Errc::CertificateInvalid;
        } else if (code == "certificate_rejected" || code == "signature_invalid" || code == "person_unknown") {
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

Result<Challenge> readChallengeReply(const net::HttpResponse& response,
                                     const ChallengeChecks& checks)
{
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
    const auto now = checks.now;
    if (response.date && checks.maxClockSkew.count() > 0) {
        const long long skew = secondsBetween(now, *response.date);
        if (std::llabs(skew) > checks.maxClockSkew.count()) {
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
        // Compared in seconds: an expires_at of year 9999 is a valid RFC 3339 time, but does
        // not fit system_clock's nanoseconds (fuzz_gateway_reply found the overflow).
        const auto reference =
            std::chrono::time_point_cast<std::chrono::seconds>(response.date.value_or(now));
        if (*expiresAt <= reference) {
            UKETSUKE_LOG(kLog, Warn) << "challenge: expired " << (reference - *expiresAt).count()
                                     << " s before the gateway's Date -> clock_skew";
            return fail(Errc::ClockSkew, "challenge expires at or before the gateway's own Date");
        }
    }

    Challenge challenge;
    challenge.id = id->get<std::string>();
    challenge.nonce = std::move(*nonce);
    challenge.toSign = challenge.nonce;
    challenge.toSign.insert(challenge.toSign.end(), checks.terminalId.begin(),
                            checks.terminalId.end());
    if (auto expiresIn = parsed.find("expires_in_ms");
        expiresIn != parsed.end() && expiresIn->is_number_integer()) {
        challenge.expiresIn = std::chrono::milliseconds(expiresIn->get<long long>());
    }
    return challenge;
}

Result<model::QualificationResult> readConfirmReply(std::string_view body)
{
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("result")) {
        return badReply("confirm: reply has no result object");
    }
    auto result = model::qualificationFromJson(parsed["result"]);
    if (!result) {
        return badReply("confirm: " + result.error().message);
    }
    return result;
}

Result<EnrolReply> readEnrolReply(std::string_view body)
{
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        return badReply("enrol: reply is not a JSON object");
    }
    auto id = parsed.find("terminal_id");
    auto certificate = parsed.find("certificate");
    if (id == parsed.end() || !id->is_string() || certificate == parsed.end() ||
        !certificate->is_string()) {
        return badReply("enrol: terminal_id or certificate missing");
    }
    const auto& idText = id->get_ref<const std::string&>();
    const bool printable = std::all_of(idText.begin(), idText.end(),
                                       [](char c) { return c > 0x20 && c < 0x7f; });
    if (idText.empty() || idText.size() > 64 || !printable) {
        return badReply("enrol: terminal_id is not 1-64 printable characters");
    }
    auto certificates = crypto::parsePemCertificates(certificate->get_ref<const std::string&>(),
                                                     "enrol reply");
    if (!certificates || certificates->size() != 1) {
        return badReply("enrol: certificate is not one PEM certificate");
    }
    return EnrolReply{idText, certificate->get<std::string>()};
}

} // namespace uketsuke::kiosk::eligibility
