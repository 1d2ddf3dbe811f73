#include "desk/routes.hpp"

#include "base/log.hpp"
#include "desk/answers.hpp"
#include "desk/audit_page.hpp"
#include "desk/ingest_checks.hpp"
#include "desk/page.hpp"
#include "desk/pairing_routes.hpp"
#include "desk/queue.hpp"
#include "desk/queue_page.hpp"
#include "desk/queue_routes.hpp"
#include "desk/staff_routes.hpp"
#include "kiosk/model/json.hpp"
#include "kiosk/model/staff_audit.hpp"

#include <nlohmann/json.hpp>

namespace uketsuke::desk {
namespace {

const log::Category kLog("desk.server");

constexpr std::size_t kMaxIdempotencyKey = 128;
// Lines of the audit log a page shows unless ?limit= says otherwise.
constexpr std::size_t kAuditPage = 200;
constexpr const char* kTextType = "text/plain; charset=utf-8";

net::Response textAnswer(int status, std::string text, const char* type = kTextType)
{
    net::Response response = net::Response::text(status, std::move(text));
    response.contentType = type;
    return response;
}

bool isApiPath(const std::string& path)
{
    return path.rfind("/api/", 0) == 0;
}

struct Routes {
    DeskStore& store;
    StaffAuth& auth;
    const kiosk::model::StringTable& strings;
    RouteSettings settings;
    std::shared_ptr<QueueService> queue;

    // A terminal the desk revoked (desk/pairing.hpp): its requests are refused, and the
    // terminal keeps them in its outbox.
    std::optional<net::Response> refuseRevoked(const net::Request& req) const
    {
        if (settings.pairing == nullptr || settings.pairing->admits(*req.clientName, req.clientSerial)) {
            return std::nullopt;
        }
        UKETSUKE_LOG(kLog, Warn) << "refused " << req.path << ": terminal " << *req.clientName
                                 << " is revoked (certificate " << req.clientSerial << ")";
        return errorAnswer(403, "terminal_revoked",
                           "this terminal was revoked at the desk; pair it again");
    }

    net::Response postCheckIn(const net::Request& req) const
    {
        // The server only calls this with a verified certificate (RouteOptions default).
        const std::string& clientName = *req.clientName;
        if (auto refused = refuseRevoked(req)) {
            return *refused;
        }
        auto json = nlohmann::json::parse(req.body, nullptr, false);
        if (json.is_discarded()) {
            return errorAnswer(400, "bad_request", "body is not JSON");
        }
        if (auto fields = checkFields(json); !fields) {
            return errorAnswer(400, "bad_request", fields.error().message);
        }
        auto checkIn = kiosk::model::checkInFromJson(json);
        if (!checkIn) {
            return errorAnswer(400, "bad_request", checkIn.error().message);
        }
        if (!isValidIdempotencyKey(checkIn->idempotencyKey)) {
            return errorAnswer(400, "bad_request",
                               "idempotency_key must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        if (checkIn->terminalId != clientName) {
            UKETSUKE_LOG(kLog, Warn) << "refused check-in: terminal_id differs from the "
                                        "certificate CN "
                                     << clientName;
            return errorAnswer(403, "terminal_mismatch",
                               "terminal_id does not match the client certificate");
        }
        // The queue row is kept from the request as sent (a `problem` the desk's model does not
        // know yet stays in it), stored with the check-in in one transaction.
        auto stored = store.ingest(*checkIn, queueSummary(json).dump());
        if (!stored) {
            if (stored.error().code == Errc::InvalidArgument) {
                return errorAnswer(400, "bad_request", stored.error().message);
            }
            UKETSUKE_LOG(kLog, Error) << "cannot store check-in: " << stored.error().message;
            return errorAnswer(500, "storage_error", "the desk cannot store the check-in");
        }
        switch (stored->status) {
        case IngestStatus::Stored:
            UKETSUKE_LOG(kLog, Info)
                << "stored check-in id=" << stored->id << " terminal=" << clientName;
            exportStored(stored->id);
            if (stored->duplicateReceipt) {
                UKETSUKE_LOG(kLog, Warn) << "check-in id=" << stored->id << " terminal="
                                         << clientName
                                         << " has a receipt number already stored today";
            }
            queue->checkInStored(stored->id);
            return jsonAnswer(201, {{"status", "stored"}, {"id", stored->id}});
        case IngestStatus::Duplicate:
            UKETSUKE_LOG(kLog, Info)
                << "duplicate check-in id=" << stored->id << " terminal=" << clientName;
            return jsonAnswer(200, {{"status", "duplicate"}, {"id", stored->id}});
        case IngestStatus::Mismatch:
            UKETSUKE_LOG(kLog, Warn) << "idempotency key of id=" << stored->id
                                     << " resent by terminal=" << clientName
                                     << " with other content; nothing changed";
            return errorAnswer(409, "idempotency_mismatch",
                               "idempotency_key is already stored with other content");
        case IngestStatus::Conflict:
            break;
        }
        UKETSUKE_LOG(kLog, Warn) << "idempotency key of id=" << stored->id
                                 << " reused by terminal=" << clientName;
        return errorAnswer(409, "idempotency_conflict",
                           "idempotency_key is already stored for another terminal");
    }

    // After the row is durable: a failed export is logged and the check-in stays stored;
    // `uketsuke-desk export --date` writes the day again.
    void exportStored(std::int64_t id) const
    {
        if (settings.exporter == nullptr) {
            return;
        }
        auto row = store.get(id);
        Result<void> exported = ok();
        if (!row) {
            exported = fail(std::move(row).error());
        } else if (*row) {
            exported = settings.exporter->exportCheckIn(store, **row);
        }
        if (!exported) {
            UKETSUKE_LOG(kLog, Error) << "cannot export check-in id=" << id << ": "
                                      << exported.error().message;
        }
    }

    // A terminal's health (kiosk/model/health.hpp): only its latest report is kept.
    net::Response postHealth(const net::Request& req) const
    {
        const std::string& clientName = *req.clientName;
        if (auto refused = refuseRevoked(req)) {
            return *refused;
        }
        auto json = nlohmann::json::parse(req.body, nullptr, false);
        if (json.is_discarded()) {
            return errorAnswer(400, "bad_request", "body is not JSON");
        }
        if (auto fields = checkFields(json); !fields) {
            return errorAnswer(400, "bad_request", fields.error().message);
        }
        auto health = kiosk::model::terminalHealthFromJson(json);
        if (!health) {
            return errorAnswer(400, "bad_request", health.error().message);
        }
        if (health->terminalId != clientName) {
            UKETSUKE_LOG(kLog, Warn) << "refused health report: terminal_id differs from the "
                                        "certificate CN "
                                     << clientName;
            return errorAnswer(403, "terminal_mismatch",
                               "terminal_id does not match the client certificate");
        }
        auto recorded = store.recordHealth(*health);
        if (!recorded) {
            if (recorded.error().code == Errc::InvalidArgument) {
                return errorAnswer(400, "bad_request", recorded.error().message);
            }
            UKETSUKE_LOG(kLog, Error) << "cannot store health: " << recorded.error().message;
            return errorAnswer(500, "storage_error", "the desk cannot store the report");
        }
        const auto& p = health->printer;
        UKETSUKE_LOG(kLog, Debug) << "health terminal=" << clientName << " printer "
                                  << (p.online ? "online" : "offline")
                                  << (p.paperNearEnd ? " near-end" : "") << " outbox "
                                  << health->outboxDepth;
        queue->healthRecorded();
        return jsonAnswer(200, {{"status", "recorded"}});
    }

    // A terminal's staff audit lines (kiosk/model/staff_audit.hpp): each stored once.
    net::Response postAudit(const net::Request& req) const
    {
        const std::string& clientName = *req.clientName;
        if (auto refused = refuseRevoked(req)) {
            return *refused;
        }
        auto json = nlohmann::json::parse(req.body, nullptr, false);
        if (json.is_discarded()) {
            return errorAnswer(400, "bad_request", "body is not JSON");
        }
        auto batch = kiosk::model::staffAuditBatchFromJson(json);
        if (!batch) {
            return errorAnswer(400, "bad_request", batch.error().message);
        }
        if (batch->terminalId != clientName) {
            UKETSUKE_LOG(kLog, Warn) << "refused audit lines: terminal_id differs from the "
                                        "certificate CN "
                                     << clientName;
            return errorAnswer(403, "terminal_mismatch",
                               "terminal_id does not match the client certificate");
        }
        auto stored = auth.auditFromTerminal(clientName, req.peerAddress, batch->entries);
        if (!stored) {
            UKETSUKE_LOG(kLog, Error) << "cannot store audit lines: " << stored.error().message;
            return errorAnswer(500, "storage_error", "the desk cannot store the audit lines");
        }
        UKETSUKE_LOG(kLog, Info) << "audit terminal=" << clientName << " lines "
                                 << batch->entries.size() << " new " << *stored;
        return jsonAnswer(200, {{"status", "recorded"}, {"stored", *stored}});
    }

    // The audit log for administrators: GET /audit (HTML) and GET /api/v1/audit (JSON).
    net::Response auditLog(const net::Request& req, bool html) const
    {
        auto admitted = admitStaff(auth, strings, req);
        if (auto* refusal = std::get_if<net::Response>(&admitted)) {
            return *refusal;
        }
        const StaffSession& session = std::get<StaffSession>(admitted);
        if (session.role != Role::Admin) {
            if (html) {
                return textAnswer(403, strings.tr("desk.audit.admin_only") + "\n");
            }
            return errorAnswer(403, "admin_only", "the audit log is for administrators");
        }
        std::size_t limit = kAuditPage;
        if (const std::string* param = req.param("limit"); param != nullptr) {
            auto n = parseLimit(*param);
            if (!n) {
                return errorAnswer(400, "bad_request", "limit must be 1 to 1000");
            }
            limit = *n;
        }
        auto entries = auth.auditLog(limit);
        if (!entries) {
            UKETSUKE_LOG(kLog, Error) << "cannot read the audit log: " << entries.error().message;
            return html ? textAnswer(500, strings.tr("desk.page.storage_error") + "\n")
                        : errorAnswer(500, "storage_error", "the desk cannot read its audit log");
        }
        if (html) {
            net::Response response =
                textAnswer(200, renderAuditPage(strings, *entries, store.zone()),
                           "text/html; charset=utf-8");
            response.headers.emplace_back("Content-Security-Policy", pageContentSecurityPolicy());
            return response;
        }
        nlohmann::json list = nlohmann::json::array();
        for (const auto& e : *entries) {
            list.push_back({{"at", e.at},
                            {"terminal", e.terminal},
                            {"account", e.account},
                            {"address", e.address},
                            {"action", e.action},
                            {"result", e.result},
                            {"detail", e.detail}});
        }
        return jsonAnswer(200, {{"entries", std::move(list)}});
    }

    static std::optional<std::size_t> parseLimit(const std::string& text)
    {
        if (text.empty() || text.size() > 4 ||
            text.find_first_not_of("0123456789") != std::string::npos) {
            return std::nullopt;
        }
        const std::size_t n = std::stoul(text);
        if (n < 1 || n > 1000) {
            return std::nullopt;
        }
        return n;
    }

    net::Response listCheckIns(const net::Request& req) const
    {
        auto admitted = admitStaff(auth, strings, req);
        if (auto* refusal = std::get_if<net::Response>(&admitted)) {
            return *refusal;
        }
        const std::string* param = req.param("date");
        const std::string date = param != nullptr ? *param : settings.today();
        if (!isIsoDate(date)) {
            return errorAnswer(400, "bad_request", "date must be YYYY-MM-DD");
        }
        auto rows = store.listByLocalDate(date);
        if (!rows) {
            UKETSUKE_LOG(kLog, Error) << "cannot list check-ins: " << rows.error().message;
            return errorAnswer(500, "storage_error", "the desk cannot read its check-ins");
        }
        nlohmann::json list = nlohmann::json::array();
        for (const auto& row : *rows) {
            list.push_back({{"id", row.id},
                            {"local_date", row.localDate},
                            {"local_time", row.localTime},
                            {"received_at", row.receivedAt},
                            {"duplicate_receipt", row.duplicateReceipt},
                            {"checkin", kiosk::model::toJson(row.checkIn)}});
        }
        return jsonAnswer(200, {{"date", date}, {"checkins", std::move(list)}});
    }

    net::Response metrics(const net::Request& req) const
    {
        if (settings.metrics == nullptr) {
            return errorAnswer(404, "not_found", "HTTP status 404");
        }
        if (!metricsAllowed(req.peerAddress, settings.metricsAllow)) {
            return textAnswer(403, "metrics answer only loopback and metrics.allow peers\n");
        }
        auto text = settings.metrics->render(store, settings.today(), time::Clock::now(),
                                             settings.terminalUpWithin);
        if (!text) {
            UKETSUKE_LOG(kLog, Error) << "cannot read the metrics: " << text.error().message;
            return textAnswer(500, "the desk cannot read its metrics\n");
        }
        return textAnswer(200, std::move(*text), "text/plain; version=0.0.4; charset=utf-8");
    }

    net::Response page(const net::Request& req) const
    {
        auto admitted = admitStaff(auth, strings, req);
        if (auto* refusal = std::get_if<net::Response>(&admitted)) {
            return *refusal;
        }
        const std::string date = settings.today();
        auto rows = store.listByLocalDate(date);
        auto terminals = store.listTerminals();
        if (!rows || !terminals) {
            UKETSUKE_LOG(kLog, Error) << "cannot read the page's rows: "
                                      << (!rows ? rows.error() : terminals.error()).message;
            return textAnswer(500, strings.tr("desk.page.storage_error") + "\n");
        }
        net::Response response = textAnswer(
            200,
            renderCheckInPage(strings, date, *rows, settings.pageRefresh, *terminals,
                              time::Clock::now(), std::chrono::seconds(settings.cardLeftSeconds)),
            "text/html; charset=utf-8");
        response.headers.emplace_back(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
            "frame-ancestors 'none'");
        return response;
    }
};

// The body of answers the server gives itself (unknown path, body too large, no certificate):
// JSON under /api/, text elsewhere.
net::Response errorBody(int status, std::string_view code, const net::Request& req)
{
    if (!isApiPath(req.path)) {
        return textAnswer(status, "HTTP status " + std::to_string(status) + "\n");
    }
    if (code == "client_certificate_required") {
        return errorAnswer(status, std::string(code),
                           "the terminal API needs a client certificate issued by the clinic CA");
    }
    return errorAnswer(status, std::string(code), "HTTP status " + std::to_string(status));
}

} // namespace

net::Router deskRoutes(DeskStore& store, StaffAuth& auth,
                       const kiosk::model::StringTable& strings, RouteSettings settings)
{
    if (!settings.today) {
        settings.today = [&store] { return localDateToday(store.zone()); };
    }
    QueueSettings queueSettings{settings.assetsDir,     settings.waitAlertMinutes,
                                settings.terminalSilentSeconds, settings.cardLeftSeconds,
                                settings.today,         settings.recheck};
    auto queue = std::make_shared<QueueService>(store, auth, strings, std::move(queueSettings));
    auto routes = std::make_shared<const Routes>(
        Routes{store, auth, strings, std::move(settings), queue});
    net::Router router;
    addStaffRoutes(router, auth, strings);
    QueueService::addRoutes(queue, router);
    if (routes->settings.pairing != nullptr) {
        addPairingRoutes(router, *routes->settings.pairing, auth, strings, store.zone());
    }
    router.add("POST", "/api/v1/checkins", [routes](const net::Request& req) {
        const auto start = std::chrono::steady_clock::now();
        net::Response response = routes->postCheckIn(req);
        if (routes->settings.metrics != nullptr) {
            routes->settings.metrics->observeIngest(response.status,
                                                    std::chrono::steady_clock::now() - start);
        }
        return response;
    });
    router.add("POST", "/api/v1/terminals/health",
               [routes](const net::Request& req) { return routes->postHealth(req); });
    router.add("POST", "/api/v1/terminals/audit",
               [routes](const net::Request& req) { return routes->postAudit(req); });
    router.add(
        "GET", "/api/v1/audit",
        [routes](const net::Request& req) { return routes->auditLog(req, false); },
        net::RouteOptions{false});
    router.add(
        "GET", "/audit", [routes](const net::Request& req) { return routes->auditLog(req, true); },
        net::RouteOptions{false});
    router.add(
        "GET", "/api/v1/checkins",
        [routes](const net::Request& req) { return routes->listCheckIns(req); },
        net::RouteOptions{false});
    router.add(
        "GET", "/simple", [routes](const net::Request& req) { return routes->page(req); },
        net::RouteOptions{false});
    router.add(
        "GET", "/metrics", [routes](const net::Request& req) { return routes->metrics(req); },
        net::RouteOptions{false});
    router.setErrorBody(errorBody);
    router.setDefaultHeaders({{"Cache-Control", "no-store"},
                              {"X-Content-Type-Options", "nosniff"},
                              {"Referrer-Policy", "no-referrer"}});
    return router;
}

bool isLoopbackAddress(std::string_view address)
{
    return net::isLoopbackAddress(address);
}

bool isValidIdempotencyKey(std::string_view key)
{
    if (key.empty() || key.size() > kMaxIdempotencyKey) {
        return false;
    }
    for (char c : key) {
        bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == ':' || c == '-';
        if (!allowed) {
            return false;
        }
    }
    return true;
}

} // namespace uketsuke::desk
