#include "net/server_options.hpp"

namespace uketsuke::net {
namespace {

constexpr std::int64_t kMaxTimeoutMs = 60 * 60 * 1000;
constexpr std::int64_t kMaxConnections = 1000000;
constexpr std::int64_t kMaxBodyBytes = 64 * 1024 * 1024;

} // namespace

void declareLimits(options::Table& t, Limits& limits)
{
    using std::chrono::milliseconds;
    t.duration<milliseconds>("--handshake-timeout-ms", "handshake_timeout_ms", "MS",
                             limits.handshakeTimeout, 100, kMaxTimeoutMs,
                             "a connection must finish the TLS handshake within this");
    t.duration<milliseconds>("--request-timeout-ms", "request_timeout_ms", "MS",
                             limits.requestTimeout, 100, kMaxTimeoutMs,
                             "from a request's first byte to the end of its body");
    t.duration<milliseconds>("--idle-timeout-ms", "idle_timeout_ms", "MS", limits.idleTimeout,
                             100, kMaxTimeoutMs,
                             "a kept connection with no new request is closed after this");
    t.number("--max-connections", "max_connections", "N", limits.maxConnections, 1,
             kMaxConnections, "open connections in total");
    t.number("--max-connections-per-peer", "max_connections_per_peer", "N",
             limits.maxConnectionsPerPeer, 1, kMaxConnections,
             "open connections from one peer address");
    t.number("--max-body-bytes", "max_body_bytes", "BYTES", limits.maxBodyBytes, 1024,
             kMaxBodyBytes, "a larger request body is refused with 413 before it is read");
}

} // namespace uketsuke::net
