#pragma once

// The desk's HTTPS server (docs/protocol/desk.md): the set-up around net::Server. One port
// serves two kinds of client (the routes are in desk/routes.hpp):
//  - terminals, on the API under /api/: the TLS layer asks every client for a certificate and
//    verifies it against the clinic CA but lets a client without one finish the handshake; the
//    terminal API is reached only with a verified certificate (else 403);
//  - staff at reception PCs, on the page (GET /) and the list (GET /api/v1/checkins): no client
//    certificate, a log-in instead (desk/auth.hpp, desk/staff_routes.hpp), from any address.
// A client certificate that does not verify fails the handshake. Limits and timeouts: docs/net.md.

#include "desk/auth.hpp"
#include "desk/export.hpp"
#include "desk/routes.hpp"
#include "desk/store.hpp"
#include "base/paths.hpp"
#include "base/result.hpp"
#include "kiosk/model/strings.hpp"
#include "net/server.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace uketsuke::desk {

struct ServerSettings {
    std::string certFile; // PEM: the desk's server certificate chain
    std::string keyFile;  // PEM: its private key
    std::string caFile;   // PEM: the clinic CA that issued the terminals' certificates
    std::chrono::seconds pageRefresh{10};
    int retentionDays = 30;
    std::chrono::minutes purgeInterval{60};
    // Handlers that may run at once. A check-in's handler waits for its group's commit
    // (DeskStore::ingest), so this bounds how many check-ins share one fsync; a log-in's
    // handler hashes for a while (argon2id). Threads that wait cost little.
    int handlerThreads = 16;
    // Connection caps, timeouts and the body limit (256 KiB by default).
    net::Limits limits = defaultLimits();
    // The desk's "today" for the page and the default of ?date=; tests may pin it. Empty:
    // today in the store's time zone.
    std::function<std::string()> today;
    // The export for レセコン (docs/export.md), written at ingest; off when dir is empty.
    ExportSettings exporting;
    // GET /metrics: peers besides loopback allowed, and when a terminal counts as up.
    std::vector<std::string> metricsAllow;
    std::chrono::seconds terminalUpWithin{150};
    // The staff queue (desk/queue_routes.hpp).
    std::string assetsDir = defaultAssetsDir();
    int waitAlertMinutes = 20;
    int terminalSilentSeconds = 180;
    int cardLeftSeconds = 60;
    // Staff re-checks through the 資格確認端末's folders (desk/recheck.hpp); off when
    // recheck.reqDir is empty.
    RecheckSettings recheck;
    // Pairing and revocation (desk/pairing.hpp); null: off. With it, caFile is its
    // clientCaFile() (the clinic CA and the pairing CA). Must outlive the server.
    PairingService* pairing = nullptr;

    static net::Limits defaultLimits();
};

// The settings for the files `uketsuke-sim pki` writes: DIR/tls/desk.pem, desk.key, ca.pem.
ServerSettings settingsForPki(const std::string& pkiDir);

class DeskServer {
public:
    // Loads the certificate, key and CA, and checks the 資格確認端末's folders when re-checks are
    // on. Does not listen yet. Thread: any.
    // Errors: ConfigMissing (a file or folder is missing, named in the message), ConfigInvalid
    // (a file does not load, or the key does not match the certificate), StorageError.
    // `store` and `auth` must outlive the server.
    static Result<std::unique_ptr<DeskServer>> create(ServerSettings settings, DeskStore& store,
                                                      StaffAuth& auth,
                                                      kiosk::model::StringTable strings);
    // Stops the server if it runs.
    ~DeskServer();
    DeskServer(const DeskServer&) = delete;
    DeskServer& operator=(const DeskServer&) = delete;

    // Binds HOST:PORT (PORT 0 = a free port) and serves on threads of its own until stop().
    // Returns the bound port; clients may connect as soon as it returns. Also purges check-ins
    // older than the retention period now and every purge interval. Thread: the owner; call
    // once. Errors: NetworkError (cannot bind), InvalidArgument (called twice).
    Result<int> start(const std::string& host, int port);

    // Stops accepting, closes every connection, lets handlers in progress finish, and joins the
    // threads. Thread: the owner. Idempotent.
    void stop();

    // Connection counters of the server (tests, diagnostics); zero before start().
    net::ServerStats stats() const;

private:
    DeskServer(ServerSettings settings, DeskStore& store, StaffAuth& auth,
               kiosk::model::StringTable strings, std::unique_ptr<RecheckWorker> recheck);
    void maintain();

    ServerSettings m_settings;
    DeskStore& m_store;
    StaffAuth& m_auth;
    kiosk::model::StringTable m_strings;
    std::unique_ptr<Exporter> m_exporter; // null when export is off
    Metrics m_metrics;
    // Before m_server: the routes' QueueService uses it until the server is gone. Stopped
    // first in stop(), so it calls nothing after.
    std::unique_ptr<RecheckWorker> m_recheck; // null when re-checks are off
    std::unique_ptr<net::Server> m_server;
    std::thread m_maintenance;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
};

} // namespace uketsuke::desk
