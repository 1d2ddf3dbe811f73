#pragma once

// A small blocking HTTPS/1.1 client for server tests (test code only): OpenSSL over a plain
// socket, so a test controls every byte (a trickled header, a gzip body, no certificate) and can
// choose its source address on loopback (127.0.0.2, ...) to stay under a per-peer cap.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

struct ssl_st;
struct ssl_ctx_st;

namespace uketsuke::tests {

struct ClientTls {
    std::string caFile;   // the CA for the server certificate
    std::string certFile; // the client certificate; empty: present none
    std::string keyFile;
    int minVersion = 0;      // e.g. TLS1_VERSION; 0: the library's lowest
    int maxVersion = 0;      // e.g. TLS1_2_VERSION; 0: the library's highest
    bool legacy = false;     // security level 0, so TLS 1.0/1.1 can be offered at all
    std::string tls12Ciphers; // OpenSSL cipher list for TLS 1.2; empty: the default
};

struct HttpAnswer {
    int status = 0;
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;

    // The header's value ("" when absent); `name` in any case.
    std::string header(std::string_view name) const;
    bool hasHeader(std::string_view name) const;
};

// A TCP connection to host:port from `source` (empty: any), or -1. The caller closes it.
int connectTcp(const std::string& host, int port, const std::string& source = {});

class TlsClient {
public:
    // Connects and completes the TLS handshake; nullptr on failure (`error` says why).
    static std::unique_ptr<TlsClient> connect(const std::string& host, int port,
                                              const ClientTls& tls, std::string* error = nullptr,
                                              const std::string& source = {});
    ~TlsClient();
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;

    bool write(std::string_view bytes);
    // One answer with a Content-Length body; nullopt on timeout, close or a bad answer.
    std::optional<HttpAnswer> readAnswer(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Writes a request (Host, Content-Length and `extraHeaders`, each "Name: value\r\n") and reads
    // the answer.
    std::optional<HttpAnswer> request(const std::string& method, const std::string& path,
                                      const std::string& body = {},
                                      const std::string& extraHeaders = {},
                                      const std::string& contentType = "application/json");
    // Bytes as they come (an event stream); empty on timeout or close.
    std::string readSome(std::chrono::milliseconds timeout);
    // True when the server closed the connection (or reset it) within `timeout`.
    bool closedByPeer(std::chrono::milliseconds timeout);

private:
    TlsClient() = default;
    bool fill(std::chrono::milliseconds timeout);
    int m_fd = -1;
    ssl_ctx_st* m_ctx = nullptr;
    ssl_st* m_ssl = nullptr;
    std::string m_buffer;
};

// One request per call on a new connection, for tests that check answers rather than bytes
// (in the manner of httplib's client). An empty result: no connection, a failed handshake, or
// no answer.
class HttpsTestClient {
public:
    HttpsTestClient(std::string host, int port, ClientTls tls);
    ClientTls& tls() { return m_tls; }

    std::optional<HttpAnswer> post(const std::string& path, const std::string& body,
                                   const std::string& contentType = "application/json");
    std::optional<HttpAnswer> get(const std::string& path);
    std::optional<HttpAnswer> del(const std::string& path);

private:
    std::optional<HttpAnswer> send(const std::string& method, const std::string& path,
                                   const std::string& body, const std::string& contentType);
    std::string m_host;
    int m_port = 0;
    ClientTls m_tls;
};

// A TLS server that net::Server could never be: only the protocol versions from `minVersion`
// to `maxVersion` (e.g. TLS 1.0 to 1.1), at security level 0, for clients that must refuse it.
// Accepts on 127.0.0.1 (a free port) on a thread of its own, does the handshake and closes.
class LegacyTlsServer {
public:
    LegacyTlsServer(const std::string& certFile, const std::string& keyFile, int minVersion,
                    int maxVersion);
    ~LegacyTlsServer();
    LegacyTlsServer(const LegacyTlsServer&) = delete;
    LegacyTlsServer& operator=(const LegacyTlsServer&) = delete;
    int port() const { return m_port; }

private:
    ssl_ctx_st* m_ctx = nullptr;
    int m_listener = -1;
    int m_port = 0;
    std::thread m_thread;
};

} // namespace uketsuke::tests
