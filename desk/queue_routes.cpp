#include "desk/queue_routes.hpp"

#include "desk/answers.hpp"
#include "desk/staff_routes.hpp"

#include "base/files.hpp"
#include "base/hex.hpp"
#include "base/log.hpp"
#include "base/time.hpp"
#include "crypto/crypto.hpp"
#include "desk/page.hpp"
#include "desk/queue.hpp"
#include "desk/queue_page.hpp"

#include <openssl/crypto.h>

#include <filesystem>

namespace uketsuke::desk {
namespace {

const log::Category kLog("desk.queue");

net::Response storageError()
{
    return errorAnswer(500, "storage_error", "the desk cannot read its check-ins");
}

std::string nowUtc()
{
    return time::isoUtc(time::Clock::now());
}

std::string loadAsset(const std::string& dir, const char* name)
{
    auto text = files::readFile(std::filesystem::path(dir) / "desk" / name);
    if (!text) {
        UKETSUKE_LOG(kLog, Error) << "page asset missing: " << text.error().message;
        return {};
    }
    return std::move(*text);
}

net::Response html(std::string body)
{
    net::Response response = net::Response::text(200, std::move(body));
    response.contentType = "text/html; charset=utf-8";
    response.headers.emplace_back("Content-Security-Policy", pageContentSecurityPolicy());
    return response;
}

// A new stream of `hub`, or 503 when it holds as many as it may.
net::Response streamAnswer(EventHub& hub)
{
    auto stream = hub.subscribe();
    if (!stream) {
        return errorAnswer(503, "too_many_streams", "too many open pages or displays");
    }
    return net::Response::eventStream(std::move(stream));
}

} // namespace

std::optional<net::Response> staffAccess(const net::Request& req, StaffAction action,
                                         StaffAuth& auth, const kiosk::model::StringTable& strings,
                                         std::optional<StaffSession>* session)
{
    if (action == StaffAction::Display) {
        return std::nullopt;
    }
    auto admitted = admitStaff(auth, strings, req);
    if (auto* refusal = std::get_if<net::Response>(&admitted)) {
        return std::move(*refusal);
    }
    if (session != nullptr) {
        *session = std::get<StaffSession>(std::move(admitted));
    }
    return std::nullopt;
}

QueueService::QueueService(DeskStore& store, StaffAuth& auth,
                           const kiosk::model::StringTable& strings, QueueSettings settings)
    : m_store(store), m_strings(strings), m_settings(std::move(settings)), m_auth(auth)
{
    if (!m_settings.today) {
        m_settings.today = [&store] { return localDateToday(store.zone()); };
    }
    auto catalog =
        kiosk::model::StringCatalog::load(m_settings.assetsDir + "/i18n", m_strings.lang());
    if (catalog) {
        m_catalog = std::move(*catalog);
    } else {
        UKETSUKE_LOG(kLog, Error) << "page strings: " << catalog.error().message;
    }
    m_queueJs = loadAsset(m_settings.assetsDir, "queue.js");
    m_displayJs = loadAsset(m_settings.assetsDir, "display.js");
    m_css = loadAsset(m_settings.assetsDir, "desk.css");
    {
        std::lock_guard lock(m_rowsMutex);
        loadRows(m_settings.today());
    }
    if (m_settings.recheck != nullptr) {
        // The worker stops before this service goes (DeskServer::stop): `this` stays valid.
        m_settings.recheck->onFinished([this](std::int64_t id) { publishRow(id); });
        m_settings.recheck->start();
    }
}

void QueueService::addRoutes(const std::shared_ptr<QueueService>& service, net::Router& router)
{
    const net::RouteOptions staff{false};
    auto add = [&](const char* method, const char* path,
                   net::Response (QueueService::*handler)(const net::Request&)) {
        router.add(
            method, path, [service, handler](const net::Request& req) {
                return ((*service).*handler)(req);
            },
            staff);
    };
    auto addConst = [&](const char* path,
                        net::Response (QueueService::*handler)(const net::Request&) const) {
        router.add(
            "GET", path, [service, handler](const net::Request& req) {
                return ((*service).*handler)(req);
            },
            staff);
    };
    addConst("/", &QueueService::page);
    addConst("/display", &QueueService::display);
    for (const char* name : {"queue.js", "display.js", "desk.css"}) {
        router.add(
            "GET", std::string("/desk/") + name,
            [service, file = std::string(name)](const net::Request& req) {
                return service->asset(req, file);
            },
            staff);
    }
    // Browsers ask for an icon; an empty answer keeps their consoles free of 404s.
    router.add(
        "GET", "/favicon.ico", [](const net::Request&) { return net::Response::text(204, ""); },
        staff);
    add("GET", "/api/v1/queue", &QueueService::list);
    add("GET", "/api/v1/queue/detail", &QueueService::detail);
    add("POST", "/api/v1/queue/status", &QueueService::setStatus);
    add("POST", "/api/v1/queue/recheck", &QueueService::recheck);
    add("GET", "/api/v1/events", &QueueService::eventStream);
    add("GET", "/api/v1/terminals", &QueueService::terminals);
    add("POST", "/api/v1/calls/ack", &QueueService::acknowledgeCall);
    add("GET", "/api/v1/display", &QueueService::calledList);
    add("GET", "/api/v1/display/events", &QueueService::displayEvents);
}

nlohmann::json QueueService::pageConfig() const
{
    nlohmann::json strings = m_catalog ? deskStrings(*m_catalog)
                                       : deskStrings(kiosk::model::StringCatalog(m_strings));
    return {{"lang", m_strings.lang()},
            {"strings", std::move(strings)},
            {"time_zone", std::string(m_store.zone().name())},
            {"wait_alert_min", m_settings.waitAlertMinutes},
            {"terminal_silent_s", m_settings.terminalSilentSeconds},
            {"card_left_s", m_settings.cardLeftSeconds},
            {"recheck", m_settings.recheck != nullptr}};
}

net::Response QueueService::page(const net::Request& req) const
{
    std::optional<StaffSession> session;
    if (auto refused = staffAccess(req, StaffAction::Read, m_auth, m_strings, &session)) {
        return std::move(*refused);
    }
    return html(renderQueuePage(m_strings, pageConfig(), *session));
}

net::Response QueueService::display(const net::Request& req) const
{
    if (auto refused = staffAccess(req, StaffAction::Display, m_auth, m_strings)) {
        return std::move(*refused);
    }
    return html(renderDisplayPage(m_strings, pageConfig()));
}

net::Response QueueService::asset(const net::Request& req, const std::string& name) const
{
    if (auto refused = staffAccess(req, StaffAction::Display, m_auth, m_strings)) {
        return std::move(*refused);
    }
    const std::string& text = name == "queue.js"     ? m_queueJs
                              : name == "display.js" ? m_displayJs
                                                     : m_css;
    if (text.empty()) {
        return net::Response::text(404, "HTTP status 404\n");
    }
    net::Response response = net::Response::text(200, text);
    response.contentType = name.ends_with(".css") ? "text/css; charset=utf-8"
                                                  : "text/javascript; charset=utf-8";
    return response;
}

std::optional<std::string> QueueService::rowJson(QueueEntry& entry)
{
    if (entry.summary.empty()) {
        // Stored before the queue existed: build its summary once and keep it.
        auto body = nlohmann::json::parse(entry.body, nullptr, false);
        if (body.is_discarded()) {
            UKETSUKE_LOG(kLog, Error) << "stored check-in id=" << entry.id << " does not parse";
            return std::nullopt;
        }
        entry.summary = queueSummary(body).dump();
        if (auto saved = m_store.saveQueueSummary(entry.id, entry.summary); !saved) {
            UKETSUKE_LOG(kLog, Warn) << "cannot keep the summary of id=" << entry.id << ": "
                                     << saved.error().message;
        }
    }
    return queueRowJson(entry, entry.summary);
}

net::Response QueueService::list(const net::Request& req)
{
    if (auto refused = staffAccess(req, StaffAction::Read, m_auth, m_strings)) {
        return std::move(*refused);
    }
    const std::string date = m_settings.today();
    std::string body = "{\"date\":" + nlohmann::json(date).dump() +
                       ",\"now\":" + nlohmann::json(nowUtc()).dump() + ",\"rows\":[";
    {
        std::lock_guard lock(m_rowsMutex);
        if (m_today.date != date && !loadRows(date)) {
            return storageError();
        }
        body.reserve(body.size() + m_today.bytes + m_today.rows.size() + 2);
        bool first = true;
        for (const auto& [key, row] : m_today.rows) {
            if (!first) {
                body += ',';
            }
            body += row;
            first = false;
        }
    }
    body += "]}";
    return net::Response::json(200, std::move(body));
}

bool QueueService::loadRows(const std::string& date)
{
    auto entries = m_store.listQueue(date);
    if (!entries) {
        UKETSUKE_LOG(kLog, Error) << "cannot list the queue: " << entries.error().message;
        m_today = {};
        return false;
    }
    TodayRows today{date, {}, 0};
    for (auto& entry : *entries) {
        if (auto row = rowJson(entry)) {
            today.bytes += row->size();
            today.rows.emplace(std::pair{entry.checkedAtMs, entry.id}, std::move(*row));
        }
    }
    m_today = std::move(today);
    return true;
}

std::optional<std::string> QueueService::publishRow(std::int64_t id)
{
    std::lock_guard lock(m_rowsMutex);
    auto entry = m_store.queueEntry(id);
    if (!entry) {
        UKETSUKE_LOG(kLog, Error) << "cannot read the queue row of id=" << id << ": "
                                  << entry.error().message;
        return std::nullopt;
    }
    if (!*entry) {
        return std::nullopt;
    }
    auto row = rowJson(**entry);
    if (!row) {
        return std::nullopt;
    }
    if ((*entry)->localDate == m_today.date) {
        std::string& kept = m_today.rows[{(*entry)->checkedAtMs, id}];
        m_today.bytes = m_today.bytes - kept.size() + row->size();
        kept = *row;
    }
    m_events.broadcast("row", *row);
    return row;
}

net::Response QueueService::detail(const net::Request& req)
{
    if (auto refused = staffAccess(req, StaffAction::Read, m_auth, m_strings)) {
        return std::move(*refused);
    }
    const std::string* idText = req.param("id");
    std::int64_t id = 0;
    try {
        id = idText != nullptr ? std::stoll(*idText) : 0;
    } catch (const std::exception&) {
        id = 0;
    }
    if (id <= 0) {
        return errorAnswer(400, "bad_request", "id must be a check-in id");
    }
    auto entry = m_store.queueEntry(id);
    if (!entry) {
        return storageError();
    }
    if (!*entry) {
        return errorAnswer(404, "not_found", "no such check-in");
    }
    auto detail = queueDetail((*entry)->body);
    if (!detail) {
        UKETSUKE_LOG(kLog, Error) << "stored check-in id=" << id << " does not parse";
        return storageError();
    }
    // What the terminal sent beyond the model (a `problem` the desk's model does not know yet)
    // is in the summary kept from the request.
    if (auto summary = nlohmann::json::parse((*entry)->summary, nullptr, false);
        summary.is_object()) {
        for (const auto& [key, value] : summary.items()) {
            if (!detail->contains(key)) {
                (*detail)[key] = value;
            }
        }
    }
    (*detail)["id"] = id;
    (*detail)["local_time"] = (*entry)->localTime;
    (*detail)["status"] = (*entry)->status;
    auto recheck = m_store.recheck(id);
    if (!recheck) {
        return storageError();
    }
    if (*recheck) {
        (*detail)["recheck"] = recheckDetail(**recheck);
    }
    return net::Response::json(200, detail->dump());
}

net::Response QueueService::setStatus(const net::Request& req)
{
    std::optional<StaffSession> session;
    if (auto refused = staffAccess(req, StaffAction::Write, m_auth, m_strings, &session)) {
        return std::move(*refused);
    }
    auto json = nlohmann::json::parse(req.body, nullptr, false);
    if (!json.is_object() || !json.contains("id") || !json["id"].is_number_integer() ||
        !json.contains("status") || !json["status"].is_string()) {
        return errorAnswer(400, "bad_request", "body must be {\"id\": N, \"status\": NAME}");
    }
    const auto id = json["id"].get<std::int64_t>();
    const auto status = queueStatusFromName(json["status"].get<std::string>());
    if (!status) {
        return errorAnswer(400, "bad_request", "status must be waiting, called, done or no_show");
    }
    auto entry = m_store.queueEntry(id);
    if (!entry) {
        return storageError();
    }
    if (!*entry) {
        return errorAnswer(404, "not_found", "no such check-in");
    }
    if ((*entry)->summary.empty() && !rowJson(**entry)) {
        return storageError();
    }
    auto changed = m_store.setQueueStatus(id, std::string(queueStatusName(*status)));
    if (!changed || !*changed) {
        UKETSUKE_LOG(kLog, Error) << "cannot set the status of id=" << id;
        return storageError();
    }
    auto row = publishRow(id);
    if (!row) {
        return storageError();
    }
    UKETSUKE_LOG(kLog, Info) << "check-in id=" << id << " now " << queueStatusName(*status);
    m_auth.audit(*session, "checkin_status",
                 "id=" + std::to_string(id) + " status=" + std::string(queueStatusName(*status)));
    if (auto called = calledJson()) {
        m_displayEvents.broadcast("called", *called);
    }
    return net::Response::json(200, *row);
}

net::Response QueueService::recheck(const net::Request& req)
{
    std::optional<StaffSession> session;
    if (auto refused = staffAccess(req, StaffAction::Write, m_auth, m_strings, &session)) {
        return std::move(*refused);
    }
    if (m_settings.recheck == nullptr) {
        return errorAnswer(404, "recheck_off",
                           "re-checks need the 資格確認端末's folders (oqs.req_dir, oqs.res_dir)");
    }
    auto json = nlohmann::json::parse(req.body, nullptr, false);
    if (!json.is_object() || !json.contains("id") || !json["id"].is_number_integer()) {
        return errorAnswer(400, "bad_request", "body must be {\"id\": N, ...}");
    }
    const auto id = json["id"].get<std::int64_t>();
    auto query = recheckQueryFromJson(json);
    if (!query) {
        // The message names the field only; the page marks it.
        const std::string& message = query.error().message;
        nlohmann::json error{{"code", "invalid_field"},
                             {"message", message},
                             {"field", message.substr(0, message.find(':'))}};
        return net::Response::json(400, nlohmann::json{{"error", std::move(error)}}.dump());
    }
    auto entry = m_store.queueEntry(id);
    if (!entry) {
        return storageError();
    }
    if (!*entry) {
        return errorAnswer(404, "not_found", "no such check-in");
    }
    if ((*entry)->summary.empty() && !rowJson(**entry)) {
        return storageError();
    }
    auto begun = m_store.beginRecheck(id, session->account);
    if (!begun) {
        return storageError();
    }
    if (!*begun) {
        return errorAnswer(409, "recheck_pending", "a re-check of this check-in is running");
    }
    m_auth.audit(*session, "recheck", "id=" + std::to_string(id));
    // The pages hear "pending" before the worker can finish, so the result is never followed
    // by a stale pending row.
    auto row = publishRow(id);
    if (!row) {
        return storageError();
    }
    if (!m_settings.recheck->submit(id, std::move(*query))) {
        return errorAnswer(503, "stopping", "the desk is stopping");
    }
    return net::Response::json(202, *row);
}

net::Response QueueService::eventStream(const net::Request& req)
{
    if (auto refused = staffAccess(req, StaffAction::Read, m_auth, m_strings)) {
        return std::move(*refused);
    }
    return streamAnswer(m_events);
}

std::optional<std::string> QueueService::terminalsJson()
{
    auto terminals = m_store.listTerminals();
    if (!terminals) {
        UKETSUKE_LOG(kLog, Error) << "cannot list terminals: " << terminals.error().message;
        return std::nullopt;
    }
    nlohmann::json list = nlohmann::json::array();
    const auto now = time::Clock::now();
    const std::chrono::seconds cardLeftAfter(m_settings.cardLeftSeconds);
    std::lock_guard lock(m_callsMutex);
    for (const auto& t : *terminals) {
        const auto& h = t.health;
        const auto& p = h.printer;
        const bool printerOk = p.reachable && p.online && !p.paperNearEnd;
        nlohmann::json terminal{{"terminal_id", h.terminalId},
                                {"received_at", t.receivedAt},
                                {"local_time", t.localTime},
                                {"reported_at", h.reportedAt},
                                {"printer_keys", printerKeys(p)},
                                {"printer_ok", printerOk},
                                {"reader_available", h.readerAvailable},
                                {"outbox_depth", h.outboxDepth},
                                {"version", h.version},
                                {"card_left", cardLeft(t, now, cardLeftAfter)},
                                {"attention", terminalNeedsAttention(t, now, cardLeftAfter)}};
        if (h.card) {
            terminal["card"] = std::string(h.card->state.name());
        }
        if (auto idle = cardIdleFor(t, now)) {
            terminal["card_idle_s"] = idle->count();
        }
        if (h.call) {
            auto acked = m_acknowledgedCalls.find(h.terminalId);
            terminal["call"] = {{"id", h.call->id},
                                {"screen", h.call->screen},
                                {"since", h.call->since}};
            terminal["call_acknowledged"] =
                acked != m_acknowledgedCalls.end() && acked->second == h.call->id;
        }
        list.push_back(std::move(terminal));
    }
    return nlohmann::json{{"now", time::isoUtc(now)}, {"terminals", std::move(list)}}.dump();
}

net::Response QueueService::terminals(const net::Request& req)
{
    if (auto refused = staffAccess(req, StaffAction::Read, m_auth, m_strings)) {
        return std::move(*refused);
    }
    auto json = terminalsJson();
    return json ? net::Response::json(200, std::move(*json)) : storageError();
}

net::Response QueueService::acknowledgeCall(const net::Request& req)
{
    std::optional<StaffSession> session;
    if (auto refused = staffAccess(req, StaffAction::Write, m_auth, m_strings, &session)) {
        return std::move(*refused);
    }
    auto json = nlohmann::json::parse(req.body, nullptr, false);
    if (!json.is_object() || !json.contains("terminal_id") || !json["terminal_id"].is_string() ||
        !json.contains("call_id") || !json["call_id"].is_string()) {
        return errorAnswer(400, "bad_request",
                           "body must be {\"terminal_id\": ID, \"call_id\": ID}");
    }
    const auto terminalId = json["terminal_id"].get<std::string>();
    const auto callId = json["call_id"].get<std::string>();
    auto terminals = m_store.listTerminals();
    if (!terminals) {
        return storageError();
    }
    bool open = false;
    for (const auto& t : *terminals) {
        open = open || (t.health.terminalId == terminalId && t.health.call &&
                        t.health.call->id == callId);
    }
    if (!open) {
        return errorAnswer(404, "not_found", "that terminal has no such call open");
    }
    {
        std::lock_guard lock(m_callsMutex);
        m_acknowledgedCalls[terminalId] = callId;
    }
    UKETSUKE_LOG(kLog, Info) << "staff call " << callId << " of " << terminalId
                             << " acknowledged";
    m_auth.audit(*session, "call_ack", "terminal=" + terminalId + " call=" + callId);
    auto list = terminalsJson();
    if (!list) {
        return storageError();
    }
    m_events.broadcast("terminals", *list);
    return net::Response::json(200, *list);
}

std::optional<std::string> QueueService::calledJson()
{
    auto entries = m_store.listQueue(m_settings.today());
    if (!entries) {
        return std::nullopt;
    }
    std::vector<const QueueEntry*> called;
    for (const auto& entry : *entries) {
        if (entry.status == "called") {
            called.push_back(&entry);
        }
    }
    std::stable_sort(called.begin(), called.end(), [](const auto* a, const auto* b) {
        return a->statusAt < b->statusAt;
    });
    nlohmann::json numbers = nlohmann::json::array();
    for (const auto* entry : called) {
        auto summary = nlohmann::json::parse(entry->summary, nullptr, false);
        if (summary.is_object()) {
            numbers.push_back(summary.value("receipt_number", ""));
        }
    }
    return nlohmann::json{{"called", std::move(numbers)}}.dump();
}

net::Response QueueService::calledList(const net::Request& req)
{
    if (auto refused = staffAccess(req, StaffAction::Display, m_auth, m_strings)) {
        return std::move(*refused);
    }
    auto json = calledJson();
    return json ? net::Response::json(200, std::move(*json)) : storageError();
}

net::Response QueueService::displayEvents(const net::Request& req)
{
    if (auto refused = staffAccess(req, StaffAction::Display, m_auth, m_strings)) {
        return std::move(*refused);
    }
    return streamAnswer(m_displayEvents);
}

void QueueService::checkInStored(std::int64_t id)
{
    publishRow(id);
}

void QueueService::healthRecorded()
{
    if (auto json = terminalsJson()) {
        m_events.broadcast("terminals", *json);
    }
}

} // namespace uketsuke::desk
