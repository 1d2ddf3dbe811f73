#pragma once

// The one HTTPS server of Uketsuke (docs/net.md): Boost.Beast over Boost.Asio and OpenSSL 3,
// used by the desk and by the simulated eligibility gateway.
//
// Threads: `ioThreads` run every socket (accept, TLS handshake, reading, writing) without
// blocking; no connection has a thread of its own. Handlers run on a small pool of
// `handlerThreads`, so a handler may block briefly (SQLite, a lock) without stalling the
// sockets. An event stream (server-sent events) costs no thread: any thread pushes to it.
//
// What a request must pass before a handler sees it, in order:
//   the caps on connections (in total and per peer address): over a cap, the connection is
//   closed at once; the TLS handshake within `handshakeTimeout` (TLS 1.3, or TLS 1.2 with
//   ECDHE and an AEAD cipher only); the client certificate, verified against the CA when the
//   listener asks for one; the request head within `requestTimeout` (and `maxHeaderBytes`);
//   a body of at most `maxBodyBytes`, never decoded (a Content-Encoding other than identity is
//   415); a route for the path (404) and method (405); a verified client certificate when the
//   route needs one (403). Errors the server answers itself get the router's error body.

#include "base/result.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uketsuke::net {

namespace detail {
struct ServerState; // net/server.cpp
}

// How a listener treats client certificates.
enum class ClientAuth {
    // A client must present a certificate that verifies against the CA, or the handshake fails.
    Required,
    // A certificate is asked for and, when given, must verify (or the handshake fails); a
    // client without one still connects, and reaches only routes that need no certificate.
    Optional,
    // No certificate is asked for: server-authenticated HTTPS only (a staff page, later).
    None,
};

struct TlsSettings {
    std::string certFile; // PEM: the server's certificate chain
    std::string keyFile;  // PEM: its private key
    std::string caFile;   // PEM: the CA for client certificates (unused with ClientAuth::None)
    ClientAuth clientAuth = ClientAuth::Required;
    // Client certificates must carry the clientAuth purpose (extended key usage).
    bool requireClientAuthPurpose = false;
    // The TLS session id context, so resumed sessions keep their client identity.
    std::string sessionContext = "uketsuke";
    // The log category name for refused client certificates and connection errors.
    std::string logName = "net.server";
};

struct Limits {
    std::size_t maxConnections = 1024;       // open connections in total
    std::size_t maxConnectionsPerPeer = 64;  // open connections from one peer address
    std::chrono::milliseconds handshakeTimeout{5000};
    std::chrono::milliseconds requestTimeout{10000}; // first byte to the end of the body
    std::chrono::milliseconds idleTimeout{30000};    // between requests on a kept connection
    std::chrono::milliseconds writeTimeout{10000};   // one answer, or one event of a stream
    std::size_t maxHeaderBytes = 16 * 1024;
    std::size_t maxBodyBytes = 256 * 1024;
};

struct Request {
    std::string method; // "GET", "POST", ...
    std::string path;   // the target without the query
    std::multimap<std::string, std::string> query;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string peerAddress; // "127.0.0.1", "::1", "::ffff:127.0.0.1"
    int peerPort = 0;        // the peer's TCP port (which connection a request came on)
    // The CN of the client certificate, when the client presented one and it verified, and
    // that certificate's serial (upper-case hex; empty without one).
    std::optional<std::string> clientName;
    std::string clientSerial;

    // The first header of that name (case-insensitive), or nullptr.
    const std::string* header(std::string_view name) const;
    // The first query parameter of that name, or nullptr.
    const std::string* param(std::string_view name) const;
};

class EventStream;

struct Response {
    int status = 200;
    std::string contentType = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // Fault injection: close the connection without answering.
    bool dropConnection = false;
    // Set by eventStream(): the answer is a text/event-stream that stays open.
    std::shared_ptr<EventStream> stream;

    static Response json(int status, std::string body);
    static Response text(int status, std::string body);
    // Answers 200 text/event-stream and keeps the connection for `stream` until either side
    // closes it. Events pushed before the answer is sent are kept and sent first.
    static Response eventStream(std::shared_ptr<EventStream> stream);
};

// A server-sent-event stream. Thread: any, for every member.
class EventStream {
public:
    static std::shared_ptr<EventStream> create();

    // Queues one event ("event: NAME" when name is not empty, one "data:" line per line of
    // data). False once the stream is closed (by close(), the client, or the server stopping).
    bool push(std::string_view name, std::string_view data);
    // Ends the stream: queued events are still sent, then the connection closes.
    void close();
    bool isOpen() const;

    // Used by the server's connection: takes what is queued; `wake` is called (from the pushing
    // thread) whenever more is queued or the stream closes.
    struct Pending {
        std::string bytes;
        bool closed = false;
    };
    Pending take();
    void attach(std::function<void()> wake);
    void detach(); // the connection is gone: the stream is closed from now on

private:
    EventStream() = default;
    mutable std::mutex m_mutex;
    std::string m_pending;
    bool m_closed = false;
    std::function<void()> m_wake;
};

using Handler = std::function<Response(const Request&)>;

struct RouteOptions {
    // A request reaches the handler only with a verified client certificate; otherwise the
    // server answers 403 "client_certificate_required" itself.
    bool clientCertificate = true;
};

// Method + exact path -> handler. Filled before the server starts; read-only afterwards.
class Router {
public:
    void add(std::string method, std::string path, Handler handler, RouteOptions options = {});

    // The body of answers the server gives itself (404, 405, 413, 415, 403, 500, ...): the
    // status and a snake_case code ("not_found", "payload_too_large", ...). Default: text.
    using ErrorBody = std::function<Response(int status, std::string_view code,
                                             const Request& request)>;
    void setErrorBody(ErrorBody errorBody);
    // Headers added to every answer (a handler's own header of the same name wins).
    void setDefaultHeaders(std::vector<std::pair<std::string, std::string>> headers);

    struct Route {
        std::string method;
        std::string path;
        Handler handler;
        RouteOptions options;
    };
    // The route for a request, or the error code and status when there is none.
    const Route* find(std::string_view method, std::string_view path, int& status) const;
    Response error(int status, std::string_view code, const Request& request) const;
    const std::vector<std::pair<std::string, std::string>>& defaultHeaders() const
    {
        return m_defaultHeaders;
    }

private:
    std::vector<Route> m_routes;
    ErrorBody m_errorBody;
    std::vector<std::pair<std::string, std::string>> m_defaultHeaders;
};

struct ServerSettings {
    int ioThreads = 1;
    int handlerThreads = 2;
    Limits limits;
};

// Counters for tests and diagnostics.
struct ServerStats {
    std::size_t openConnections = 0;
    std::size_t refusedConnections = 0; // over a cap
    std::size_t failedHandshakes = 0;   // includes a handshake timeout and a refused certificate
    std::size_t handlerCalls = 0;
};

class Server {
public:
    explicit Server(ServerSettings settings = {});
    // Stops the server if it runs.
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds HOST:PORT (PORT 0 = a free port) with its own TLS settings and routes; connections
    // queue from here on and are served once start() ran. Returns the bound port.
    // Thread: the owner, before start(). Errors: ConfigMissing (a TLS file is missing),
    // ConfigInvalid (a TLS file does not load, key and certificate differ), NetworkError
    // (cannot bind), InvalidArgument (after start()).
    Result<int> listen(const std::string& host, int port, const TlsSettings& tls, Router router);

    // Starts the io threads and the handler pool. Thread: the owner; once.
    void start();

    // Closes the listeners and every connection (event streams included), lets running
    // handlers finish, and joins the threads. Thread: the owner (not a handler). Idempotent.
    void stop();

    ServerStats stats() const;

private:
    std::shared_ptr<detail::ServerState> m_impl;
};

// Raises this process's soft limit on open files to its hard limit (a server holds a descriptor
// per connection; the usual soft limit of 1024 is less than the connection caps). Returns the
// new soft limit.
std::size_t raiseOpenFileLimit();

// Reads "a=1&b=x+y%21" (a URL's query, or an application/x-www-form-urlencoded body, such as a
// log-in form) into names and values: '+' is a space, a bad percent escape is kept as it is.
std::multimap<std::string, std::string> parseQuery(std::string_view query);

// True for a loopback peer address: 127.0.0.0/8, ::1, and ::ffff:127.x.x.x.
bool isLoopbackAddress(std::string_view address);

} // namespace uketsuke::net
