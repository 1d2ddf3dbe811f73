#pragma once

// The server limits (net::Limits) as options of the programs that serve: the desk and the
// simulated gateway declare them with this one function, so both have the same flags and keys
// (docs/net.md "Limits and timeouts").

#include "base/options.hpp"
#include "net/server.hpp"

namespace uketsuke::net {

// Declares in `table`, bound to `limits` (whose values are the defaults):
//   --handshake-timeout-ms / handshake_timeout_ms      Limits::handshakeTimeout
//   --request-timeout-ms / request_timeout_ms          Limits::requestTimeout
//   --idle-timeout-ms / idle_timeout_ms                Limits::idleTimeout
//   --max-connections / max_connections                Limits::maxConnections
//   --max-connections-per-peer / max_connections_per_peer  Limits::maxConnectionsPerPeer
//   --max-body-bytes / max_body_bytes                  Limits::maxBodyBytes
void declareLimits(options::Table& table, Limits& limits);

} // namespace uketsuke::net
