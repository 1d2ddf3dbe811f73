#pragma once

// The desk's HTTP routes (docs/protocol/desk.md), apart from the server that carries them
// (desk/server.hpp sets up TLS, the listener and the purge thread):
//  - POST /api/v1/checkins: terminals only. The server lets the request through only with a
//    verified client certificate (otherwise 403 client_certificate_required); the check-in is
//    stored only when its terminal_id equals the certificate's CN.
//  - POST /api/v1/terminals/health: terminals only, like check-ins; a terminal's latest health
//    report (printer, reader, outbox), kept when its terminal_id equals the certificate's CN.
//  - GET /api/v1/checkins?date=YYYY-MM-DD, GET /simple (the page without scripts) and the
//    staff queue (GET / the live page, /display, the queue API and its event streams,
//    desk/queue_routes.hpp): staff with a session only (desk/staff_routes.hpp admitStaff():
//    else 401 login_required, or 303 to /login), from any address; no client certificate;
//  - /login, /logout, /api/v1/session: staff log-in (desk/staff_routes.hpp);
//  - GET /metrics: Prometheus text (desk/metrics.hpp), loopback or metrics.allow peers only.
// Handlers run on the server's handler pool: the store is thread-safe.

#include "desk/auth.hpp"
#include "desk/export.hpp"
#include "desk/pairing.hpp"
#include "desk/metrics.hpp"
#include "desk/recheck.hpp"
#include "desk/store.hpp"
#include "kiosk/model/strings.hpp"
#include "net/server.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::desk {

struct RouteSettings {
    std::chrono::seconds pageRefresh{10};
    // The desk's "today" for the page and the default of ?date=; empty: today in the store's
    // time zone (DeskStore::zone).
    std::function<std::string()> today;
    // Writes each stored check-in's export files after it is durable; null: no export.
    Exporter* exporter = nullptr;
    // GET /metrics and the ingest latency; null: no /metrics.
    Metrics* metrics = nullptr;
    // Peers besides loopback that may read /metrics (option metrics.allow).
    std::vector<std::string> metricsAllow;
    // A terminal is up when heard from within this (option metrics.terminal_up_s).
    std::chrono::seconds terminalUpWithin{150};
    // The staff queue (desk/queue_routes.hpp): assets, wait alert, silent terminals, cards
    // left on a reader (also on /simple).
    std::string assetsDir;
    int waitAlertMinutes = 20;
    int terminalSilentSeconds = 180;
    int cardLeftSeconds = 60;
    // Staff re-checks through the 資格確認端末 (desk/recheck.hpp); null: off.
    RecheckWorker* recheck = nullptr;
    // Pairing and revocation (desk/pairing_routes.hpp); null: no pairing routes, and the
    // terminal API admits every certificate the TLS layer verified.
    PairingService* pairing = nullptr;
};

// The routes, their error bodies (JSON under /api/, text elsewhere) and default headers.
// `store`, `auth` and `strings` must outlive the router.
net::Router deskRoutes(DeskStore& store, StaffAuth& auth,
                       const kiosk::model::StringTable& strings, RouteSettings settings);

// True for a loopback peer address (net::isLoopbackAddress).
bool isLoopbackAddress(std::string_view address);

// True when an idempotency key is 1 to 128 characters of A-Z a-z 0-9 . _ : -.
bool isValidIdempotencyKey(std::string_view key);

} // namespace uketsuke::desk
