#pragma once

// The server side of TLS for net::Server: an OpenSSL 3 context from TlsSettings, and the
// verified client certificate's CN. Internal to net/ (server.cpp); tests may use it.

#include "base/result.hpp"
#include "net/server.hpp"

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <optional>
#include <string>

struct ssl_st;

namespace uketsuke::net {

// TLS 1.3 (its suites are all AEAD) and TLS 1.2 with ECDHE + AES-GCM or ChaCha20-Poly1305 only;
// no compression, no renegotiation. Errors: ConfigMissing (a file is missing, named),
// ConfigInvalid (a file does not load; the key does not match the certificate).
Result<std::shared_ptr<boost::asio::ssl::context>> makeServerContext(const TlsSettings& tls);

// The peer's certificate, if it presented one and it verified: its CN and its serial (upper-case
// hex, crypto::serialHex). nullopt otherwise, or when it has no CN.
struct VerifiedClient {
    std::string name;
    std::string serial;
};
std::optional<VerifiedClient> verifiedClient(ssl_st* ssl);

// The TLS 1.2 cipher list the server allows (OpenSSL syntax).
inline constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

} // namespace uketsuke::net
