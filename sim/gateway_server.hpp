#pragma once

// The server of `uketsuke-sim gateway`: net::Server (docs/net.md) with the PKI's gateway
// certificate, asking for a client certificate that chains to the PKI's TLS CA (with the
// clientAuth purpose; ClientAuth::Optional), routing POST /v1/challenge and /v1/confirm to
// GatewayService (sim/gateway.hpp), GET /v1/health, and with --allow-faults the fault control of
// sim/faults.hpp: each needs a verified client certificate (403 client_certificate_required
// without one, from the server itself). POST /v1/enrol, which gives a terminal its certificate,
// needs none. Every answer carries the gateway's clock as its Date header.

#include "base/result.hpp"
#include "net/server.hpp"
#include "sim/faults.hpp"
#include "sim/gateway.hpp"

#include <memory>
#include <string>

namespace uketsuke::sim {

class GatewayServer {
public:
    // Loads the service and the TLS files (<pkiDir>/tls/gateway.pem, gateway.key, ca.pem);
    // the server will keep to `limits` (docs/net.md).
    // Errors: as GatewayService::create, and ConfigInvalid when the TLS context cannot be set up.
    static Result<std::unique_ptr<GatewayServer>> create(GatewayOptions options,
                                                         net::Limits limits = defaultLimits());

    // net's defaults with request bodies up to 64 KiB (the protocol's are a few KiB).
    static net::Limits defaultLimits();
    ~GatewayServer();
    GatewayServer(const GatewayServer&) = delete;
    GatewayServer& operator=(const GatewayServer&) = delete;

    // Binds and listens; port 0 picks a free port. Returns the bound port. Connections are
    // queued from here on, before run(). Errors: NetworkError (cannot bind).
    Result<int> bind(const std::string& host, int port);

    // Serves until stop(). Blocks; thread: the caller's (a dedicated thread in tests).
    Result<void> run();

    // Makes run() return (or return at once if it has not started yet). Waits for nothing.
    // Thread: any.
    void stop();

    GatewayService& service();

    // Faults to inject from now on (tests, or /control/faults). Thread: any.
    FaultInjector& faults();

    // Requests that reached each endpoint (after TLS), for tests of retries. Thread: any.
    int challengeRequests() const;
    int confirmRequests() const;
    int enrolRequests() const;

    // Connection counters of the server (tests, diagnostics); zero before bind().
    net::ServerStats stats() const;

private:
    struct Impl;
    explicit GatewayServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace uketsuke::sim
