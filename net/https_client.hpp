#pragma once

// The HTTPS client of net/ (the server is net/server.hpp), for the terminal's two peers (eligibility gateway, desk): libcurl with
// TLS 1.2+, the clinic's CA pinned, the terminal's client certificate, connect and total time
// budgets, and one easy handle reused so the connection survives across check-ins.
// Not thread-safe: each worker owns its own client.

#include "base/result.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace uketsuke::net {

struct TlsFiles {
    std::string caFile;   // PEM: the only CA trusted for the server certificate
    std::string certFile; // PEM: the terminal's client certificate
    std::string keyFile;  // PEM: its private key
    // False only for the desk pairing's one request (docs/protocol/desk.md "Pairing"): the
    // server's certificate is not verified (caFile is ignored) because the terminal does not
    // know the desk's CA yet; the reply is authenticated by the pairing code instead.
    bool verifyServer = true;
};

struct Timeouts {
    std::chrono::milliseconds connect{3000};
    std::chrono::milliseconds total{10000};
};

struct HttpResponse {
    long status = 0;
    std::string body;
    // The server's Date header, when it sent a readable one (clock-skew checks).
    std::optional<std::chrono::system_clock::time_point> date;
    // False when the request went over a connection kept from an earlier one.
    bool newConnection = true;
    // The server's own certificate (PEM) when keepServerCertificate(true) was set and the
    // request opened a new connection; empty otherwise.
    std::string serverCertificatePem;
};

// The time in one raw response header line if it is a readable Date header ("Date: Sat, 05
// Dec 2026 01:02:03 GMT\r\n", the name in any case), else nullopt. Outside bytes: fuzzed
// (tests/fuzz/fuzz_gateway_reply.cpp).
std::optional<std::chrono::system_clock::time_point> dateFromHeaderLine(std::string_view line);

class HttpsClient {
public:
    HttpsClient(TlsFiles tls, Timeouts timeouts);
    ~HttpsClient();
    HttpsClient(const HttpsClient&) = delete;
    HttpsClient& operator=(const HttpsClient&) = delete;

    // POSTs a JSON body and returns whatever HTTP status the server sent (a 4xx/5xx is a value,
    // not an error). Blocks up to the total timeout. Thread: the owning worker.
    // Errors: Timeout, NetworkUnreachable (DNS, refused), TlsFailure (handshake, certificate),
    // NetworkError (anything else from curl; native = CURLcode).
    Result<HttpResponse> postJson(const std::string& url, const std::string& body);
    Result<HttpResponse> get(const std::string& url);
    // Keep the server's certificate in every response over a new connection (its expiry for
    // the staff menu's network test). Off by default: it costs a PEM conversion per handshake.
    void keepServerCertificate(bool on);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace uketsuke::net
