#pragma once

// The staff queue's routes (docs/programs/uketsuke-desk.md "The page", docs/protocol/desk.md
// "Staff queue"), registered by deskRoutes (desk/routes.cpp):
//   GET  /                         the live page (desk/queue_page.hpp)
//   GET  /display                  the waiting-room display
//   GET  /desk/queue.js, /desk/display.js, /desk/desk.css   from <assets>/desk/
//   GET  /favicon.ico              204 (no icon)
//   GET  /api/v1/queue             today's queue rows (JSON)
//   GET  /api/v1/queue/detail?id=N one check-in's detail
//   POST /api/v1/queue/status      {"id": N, "status": "called"|"done"|"no_show"|"waiting"}
//   POST /api/v1/queue/recheck     {"id": N, "insurer_number", "symbol", "number", "branch",
//                                  "birthdate"}: re-check eligibility (desk/recheck.hpp); 202
//   GET  /api/v1/events            server-sent events for the page: hello, row, terminals
//   GET  /api/v1/terminals         the terminals' latest health, with their open staff calls
//   POST /api/v1/calls/ack         {"terminal_id", "call_id"}: someone is on the way
//   GET  /api/v1/display           the numbers being called (no names)
//   GET  /api/v1/display/events    server-sent events for the display: called
// Every one of them passes staffAccess() first. Handlers run on the server's pool.

#include "desk/events.hpp"
#include "desk/auth.hpp"
#include "desk/recheck.hpp"
#include "desk/store.hpp"
#include "kiosk/model/strings.hpp"
#include "net/server.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace uketsuke::desk {

struct QueueSettings {
    std::string assetsDir;              // <assets>/desk/*.js, *.css and <assets>/i18n/*.json
    int waitAlertMinutes = 20;          // wait_alert_min: a waiting row turns to alert after it
    int terminalSilentSeconds = 180;    // terminal_silent_s: a terminal heard from longer ago
    int cardLeftSeconds = 60;           // card_left_s: a card idle on a reader longer is a warning
    std::function<std::string()> today; // the desk's local date, YYYY-MM-DD
    RecheckWorker* recheck = nullptr;   // staff re-checks (desk/recheck.hpp); null: off
};

// What a staff request wants to do.
enum class StaffAction {
    Read,    // the page, the list, the detail, the events
    Write,   // a status change: also needs the CSRF token
    Display, // the waiting-room display (no personal data)
};

// THE access check of every queue route: nullopt lets the request through, otherwise the answer
// to send. Read and Write need a staff session (desk/staff_routes.hpp admitStaff(): 303 to
// /login, or 401 login_required under /api/), and a write its session's CSRF token in
// `X-CSRF-Token` (403 csrf_failed); `session` (when given) receives the session. Display
// (numbers only, no personal data) and the page's static script and style are open.
std::optional<net::Response> staffAccess(const net::Request& req, StaffAction action,
                                         StaffAuth& auth, const kiosk::model::StringTable& strings,
                                         std::optional<StaffSession>* session = nullptr);

class QueueService {
public:
    // Loads the page's assets and every string table of <assetsDir>/i18n; a missing file is
    // logged and answered 404 (the desk still takes check-ins). `strings` is the default table.
    QueueService(DeskStore& store, StaffAuth& auth, const kiosk::model::StringTable& strings,
                 QueueSettings settings);

    // Adds the routes above to `router`.
    static void addRoutes(const std::shared_ptr<QueueService>& service, net::Router& router);

    // A check-in was stored (first time) as row `id`, with its summary (DeskStore::ingest):
    // tells every page. Thread: a handler.
    void checkInStored(std::int64_t id);
    // A terminal's health was recorded: tells every page. Thread: a handler.
    void healthRecorded();

    EventHub& events() { return m_events; }

private:
    net::Response page(const net::Request& req) const;
    net::Response display(const net::Request& req) const;
    net::Response asset(const net::Request& req, const std::string& name) const;
    net::Response list(const net::Request& req);
    net::Response detail(const net::Request& req);
    net::Response setStatus(const net::Request& req);
    net::Response recheck(const net::Request& req);
    // Reads the row of check-in `id` as stored now, keeps it in today's rows when it is of
    // today, and tells every page: the one way a changed row goes out (stored, status, re-check
    // begun or ended). Read and sent under one lock, so neither the list nor the events go
    // back to an older state of a row. nullopt when there is no such check-in or it cannot be
    // read.
    std::optional<std::string> publishRow(std::int64_t id);
    // Makes m_today hold the rows of `date`, read from the store; false on a storage error.
    // Thread: holding m_rowsMutex.
    bool loadRows(const std::string& date);
    net::Response eventStream(const net::Request& req);
    net::Response terminals(const net::Request& req);
    net::Response acknowledgeCall(const net::Request& req);
    net::Response calledList(const net::Request& req);
    net::Response displayEvents(const net::Request& req);

    // The row JSON of a queue entry; builds and keeps its summary when it has none.
    std::optional<std::string> rowJson(QueueEntry& entry);
    // {"now", "terminals": [...]}; nullopt on a storage error.
    std::optional<std::string> terminalsJson();
    // {"called": ["0007", ...]} of today, oldest call first; nullopt on a storage error.
    std::optional<std::string> calledJson();
    nlohmann::json pageConfig() const;

    DeskStore& m_store;
    const kiosk::model::StringTable& m_strings;
    QueueSettings m_settings;
    std::optional<kiosk::model::StringCatalog> m_catalog;
    StaffAuth& m_auth;
    std::string m_queueJs, m_displayJs, m_css;
    EventHub m_events;
    // Today's queue rows as JSON, kept so that GET /api/v1/queue is a copy, not 4 000 rows read
    // and built again (issue 11: a busy day's list within 20 ms). Filled from the store at start
    // and when the day changes, then kept by publishRow.
    struct TodayRows {
        std::string date; // YYYY-MM-DD; empty: not read
        // (checked_at in ms, id) -> the row's JSON: the store's order (listQueue).
        std::map<std::pair<std::int64_t, std::int64_t>, std::string> rows;
        std::size_t bytes = 0; // the rows' JSON together
    };
    std::mutex m_rowsMutex;
    TodayRows m_today; // guarded by m_rowsMutex
    EventHub m_displayEvents;
    // The staff call each terminal had acknowledged at the desk: terminal id -> call id. In
    // memory: after a restart of the desk an open call shows again.
    std::mutex m_callsMutex;
    std::map<std::string, std::string> m_acknowledgedCalls; // guarded by m_callsMutex
};

} // namespace uketsuke::desk
