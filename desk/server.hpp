#pragma once

// The desk's HTTPS server (docs/protocol/desk.md). One port serves two kinds of client:
//  - terminals, on the API under /api/: the TLS layer asks every client for a certificate and
//    verifies it against the clinic CA but lets a client without one finish the handshake; the
//    terminal API then answers 403 unless a verified certificate was presented, and stores a
//    check-in only when its terminal_id equals the certificate's CN;
//  - staff, on the page (GET /) and the list (GET /api/v1/checkins): loopback peers only until
//    staff log-in exists.
// A client certificate that does not verify fails the handshake.

#include "desk/store.hpp"
#include "base/result.hpp"
#include "kiosk/model/strings.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace httplib {
class SSLServer;
}

namespace uketsuke::desk {

struct ServerSettings {
    std::string certFile; // PEM: the desk's server certificate chain
    std::string keyFile;  // PEM: its private key
    std::string caFile;   // PEM: the clinic CA that issued the terminals' certificates
    std::chrono::seconds pageRefresh{10};
    int retentionDays = 30;
    std::chrono::minutes purgeInterval{60};
    std::size_t maxBodyBytes = 256 * 1024;
    // The desk's "today" for the page and the default of ?date=; tests may pin it.
    std::function<std::string()> today = localDateToday;
};

// The settings for the files `uketsuke-sim pki` writes: DIR/tls/desk.pem, desk.key, ca.pem.
ServerSettings settingsForPki(const std::string& pkiDir);

class DeskServer {
public:
    // Loads the certificate, key and CA. Does not listen yet. Thread: any.
    // Errors: ConfigMissing (a file is missing, named in the message), ConfigInvalid (a file
    // does not load, or the key does not match the certificate).
    static Result<std::unique_ptr<DeskServer>> create(ServerSettings settings, DeskStore& store,
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

    // Stops accepting, lets requests in progress finish, and joins the threads. Blocks for at
    // most the keep-alive timeout (2 s) of an idle connection. Thread: the owner. Idempotent.
    void stop();

private:
    DeskServer(ServerSettings settings, DeskStore& store, kiosk::model::StringTable strings);
    void maintain();

    ServerSettings m_settings;
    DeskStore& m_store;
    kiosk::model::StringTable m_strings;
    std::unique_ptr<httplib::SSLServer> m_server;
    std::thread m_listener;
    std::atomic<bool> m_listenerDone{false};
    std::thread m_maintenance;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
};

// True for a loopback peer address as the server reports it: 127.0.0.0/8, ::1, and IPv4 loopback
// mapped into IPv6 (::ffff:127.0.0.1). Anything that does not parse is not loopback.
bool isLoopbackAddress(std::string_view address);

// True when an idempotency key is 1 to 128 characters of A-Z a-z 0-9 . _ : -.
bool isValidIdempotencyKey(std::string_view key);

} // namespace uketsuke::desk
