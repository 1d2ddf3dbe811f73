#pragma once

// Helpers for the tests of sim/ (PKI, gateway, CLI) and of the terminal's HTTPS and gateway
// clients (tests/net, tests/kiosk/eligibility), which all need a test PKI and a running
// gateway. Test code only: failures throw std::runtime_error, which Catch2 reports.

#include "hal/card.hpp"
#include "net/server.hpp"
#include "sim/gateway_server.hpp"
#include "sim/pki.hpp"


#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>

namespace uketsuke::sim::testing {

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// The test PKI of the shipped personas, shared by every test process of a build tree: made
// once (under a file lock, so parallel ctest runs agree) and again when the personas file
// changed or the PKI is more than a day old (card validity is relative to "now").
PkiLayout sharedTestPki();

// A copy of the shared test PKI in `dir` (created), for tests that write into a PKI (activation
// codes) without touching the one other test processes share.
PkiLayout copyOfSharedPki(const std::filesystem::path& dir);

// A PEM certificate request for `key` (subject CN=`commonName`), as a terminal sends to enrol.
std::string csrPemFor(EVP_PKEY* key, const std::string& commonName = "KIOSK-ENROL");

// A personas file with one valid persona: {"id": id, "card": {"cn": cn, ...}}.
std::string onePersonaJson(const std::string& id, const std::string& cn);

// Writes a whole other PKI (own TLS CA and own JPKI CA) into dir with one persona `id`/`cn`:
// its terminal certificate and its card come from CAs the shared PKI does not know.
PkiLayout writeOtherPki(const std::filesystem::path& dir, const std::string& id,
                        const std::string& cn);

hal::Bytes readBytes(const std::filesystem::path& file);

// What the virtual card does with the user-authentication key: RSA PKCS#1 v1.5 over SHA-256.
hal::Bytes signAsCard(const std::filesystem::path& keyPem, std::span<const std::uint8_t> message);

// A steady clock that moves only when told to (challenge expiry without sleeping).
class ManualClock {
public:
    std::chrono::steady_clock::time_point now() const;
    void advance(std::chrono::milliseconds by);
    std::function<std::chrono::steady_clock::time_point()> function();

private:
    mutable std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_now = std::chrono::steady_clock::now();
};

// A GatewayServer listening on 127.0.0.1 (free port) and serving on its own thread; stopped
// and joined on destruction.
class RunningGateway {
public:
    explicit RunningGateway(GatewayOptions options, const std::string& host = "127.0.0.1");
    ~RunningGateway();
    RunningGateway(const RunningGateway&) = delete;
    RunningGateway& operator=(const RunningGateway&) = delete;

    const std::string& url() const { return m_url; }
    int port() const { return m_port; }
    GatewayServer& server() { return *m_server; }

private:
    std::unique_ptr<GatewayServer> m_server;
    std::thread m_thread;
    std::string m_url;
    int m_port = 0;
};

// A bare HTTPS server with the shared PKI's gateway certificate that requires a client
// certificate from the PKI's TLS CA, for replies the real gateway never gives (5xx, garbage,
// slow answers) and for watching connections. Register routes on routes() before start().
class TestHttpsServer {
public:
    explicit TestHttpsServer(const PkiLayout& pki);
    ~TestHttpsServer();
    TestHttpsServer(const TestHttpsServer&) = delete;
    TestHttpsServer& operator=(const TestHttpsServer&) = delete;

    net::Router& routes();
    void start(); // binds 127.0.0.1 on a free port and serves on threads of its own
    const std::string& url() const { return m_url; }

private:
    net::TlsSettings m_tls;
    net::Router m_router;
    std::unique_ptr<net::Server> m_server;
    std::string m_url;
};

} // namespace uketsuke::sim::testing
