#include "kiosk/delivery/desk_client.hpp"

#include "base/log.hpp"
#include "kiosk/model/json.hpp"

#include <nlohmann/json.hpp>

namespace uketsuke::kiosk::delivery {
namespace {

const log::Category kLog("kiosk.delivery");

// The desk's error code from {"error":{"code":...}}, or "" when the body has none. Only the
// code is kept: it is ours and holds no personal data.
std::string errorCodeOf(const std::string& body)
{
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object()) {
        return {};
    }
    auto error = json.find("error");
    if (error == json.end() || !error->is_object()) {
        return {};
    }
    auto code = error->find("code");
    return (code != error->end() && code->is_string()) ? code->get<std::string>() : std::string();
}

// The error for an answer that is not a success: 4xx ServerRejected, 5xx ServerError, any
// other BadReply; the message carries the status and the desk's error code.
Error statusError(long status, const std::string& body)
{
    const std::string code = errorCodeOf(body);
    const std::string message =
        "desk answered " + std::to_string(status) + (code.empty() ? std::string() : " " + code);
    if (status >= 400 && status < 500) {
        return {Errc::ServerRejected, status, message};
    }
    if (status >= 500 && status < 600) {
        return {Errc::ServerError, status, message};
    }
    return {Errc::BadReply, status, message};
}

std::string trimSlash(std::string url)
{
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

} // namespace

DeskClient::DeskClient(std::string baseUrl, net::TlsFiles tls, net::Timeouts timeouts)
    : m_base(trimSlash(std::move(baseUrl))), m_url(m_base + "/api/v1/checkins"),
      m_https(std::move(tls), timeouts)
{
}

Result<void> DeskClient::reportHealth(const model::TerminalHealth& health)
{
    return post(m_base + "/api/v1/terminals/health", model::toJson(health).dump(), 200,
                "recorded");
}

Result<void> DeskClient::deliverAudit(const model::StaffAuditBatch& batch)
{
    return post(m_base + "/api/v1/terminals/audit", model::toJson(batch).dump(), 200, "recorded");
}

Result<void> DeskClient::post(const std::string& url, const std::string& body, long okStatus,
                              const char* okWord)
{
    auto response = m_https.postJson(url, body);
    if (!response) {
        return fail(std::move(response).error());
    }
    const long status = response->status;
    if (status == okStatus) {
        auto json = nlohmann::json::parse(response->body, nullptr, false);
        if (json.is_object() && json.value("status", std::string()) == okWord) {
            return ok();
        }
        return fail(Errc::BadReply,
                    "desk answered " + std::to_string(status) + " without status " + okWord,
                    status);
    }
    return fail(statusError(status, response->body));
}

Result<void> DeskClient::deliver(const model::CheckIn& checkIn)
{
    auto response = m_https.postJson(m_url, model::toJson(checkIn).dump());
    if (!response) {
        return fail(std::move(response).error());
    }
    const long status = response->status;
    if (status == 201 || status == 200) {
        auto json = nlohmann::json::parse(response->body, nullptr, false);
        const char* expected = status == 201 ? "stored" : "duplicate";
        if (!json.is_object() || json.value("status", std::string()) != expected) {
            return fail(Errc::BadReply,
                        "desk answered " + std::to_string(status) + " without status " + expected,
                        status);
        }
        UKETSUKE_LOG(kLog, Debug) << "desk " << expected
                                  << " check-in id=" << json.value("id", std::int64_t{0});
        return ok();
    }
    return fail(statusError(status, response->body));
}

} // namespace uketsuke::kiosk::delivery
