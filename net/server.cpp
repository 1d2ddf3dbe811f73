#include "net/server.hpp"

#include "base/log.hpp"
#include "net/tls_context.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <arpa/inet.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <thread>
#include <vector>

namespace uketsuke::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;

const log::Category kLog("net.server");

constexpr std::size_t kFirstReadBytes = 4096;
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);
constexpr auto kStreamHeartbeat = std::chrono::seconds(15);
// After refusing a request whose body was not read, the rest of it is read and thrown away for
// this long (and up to kMaxDrainBytes), so the peer gets the answer instead of a reset.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kMaxDrainBytes = 4 * 1024 * 1024;

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Percent-decoding of a query component ('+' is a space). A bad escape is kept as it is.
std::string decodeComponent(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() &&
                   hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string formatEvent(std::string_view name, std::string_view data)
{
    std::string out;
    if (!name.empty()) {
        out.append("event: ").append(name).append("\n");
    }
    while (true) {
        const auto newline = data.find('\n');
        out.append("data: ").append(data.substr(0, newline)).append("\n");
        if (newline == std::string_view::npos) {
            break;
        }
        data = data.substr(newline + 1);
    }
    out.append("\n");
    return out;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Request, Response, EventStream, Router

const std::string* Request::header(std::string_view name) const
{
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) {
            return &value;
        }
    }
    return nullptr;
}

const std::string* Request::param(std::string_view name) const
{
    auto found = query.find(std::string(name));
    return found == query.end() ? nullptr : &found->second;
}

Response Response::json(int status, std::string body)
{
    Response response;
    response.status = status;
    response.contentType = "application/json";
    response.body = std::move(body);
    return response;
}

Response Response::text(int status, std::string body)
{
    Response response;
    response.status = status;
    response.body = std::move(body);
    return response;
}

Response Response::eventStream(std::shared_ptr<EventStream> stream)
{
    Response response;
    response.contentType = "text/event-stream";
    response.stream = std::move(stream);
    return response;
}

std::shared_ptr<EventStream> EventStream::create()
{
    return std::shared_ptr<EventStream>(new EventStream());
}

bool EventStream::push(std::string_view name, std::string_view data)
{
    std::function<void()> wake;
    {
        std::lock_guard lock(m_mutex);
        if (m_closed) {
            return false;
        }
        m_pending += formatEvent(name, data);
        wake = m_wake;
    }
    if (wake) {
        wake();
    }
    return true;
}

void EventStream::close()
{
    std::function<void()> wake;
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        wake = m_wake;
    }
    if (wake) {
        wake();
    }
}

bool EventStream::isOpen() const
{
    std::lock_guard lock(m_mutex);
    return !m_closed;
}

EventStream::Pending EventStream::take()
{
    std::lock_guard lock(m_mutex);
    Pending pending{std::move(m_pending), m_closed};
    m_pending.clear();
    return pending;
}

void EventStream::attach(std::function<void()> wake)
{
    std::lock_guard lock(m_mutex);
    m_wake = std::move(wake);
}

void EventStream::detach()
{
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_wake = nullptr;
    m_pending.clear();
}

void Router::add(std::string method, std::string path, Handler handler, RouteOptions options)
{
    m_routes.push_back(Route{std::move(method), std::move(path), std::move(handler), options});
}

void Router::setErrorBody(ErrorBody errorBody)
{
    m_errorBody = std::move(errorBody);
}

void Router::setDefaultHeaders(std::vector<std::pair<std::string, std::string>> headers)
{
    m_defaultHeaders = std::move(headers);
}

const Router::Route* Router::find(std::string_view method, std::string_view path,
                                  int& status) const
{
    bool pathKnown = false;
    for (const Route& route : m_routes) {
        if (route.path == path) {
            pathKnown = true;
            if (route.method == method) {
                return &route;
            }
        }
    }
    status = pathKnown ? 405 : 404;
    return nullptr;
}

Response Router::error(int status, std::string_view code, const Request& request) const
{
    if (m_errorBody) {
        return m_errorBody(status, code, request);
    }
    return Response::text(status, "HTTP " + std::to_string(status) + " " + std::string(code) +
                                      "\n");
}

// ---------------------------------------------------------------------------------------------
// Server

namespace {

class Connection;

struct Listener {
    explicit Listener(asio::io_context& ioc) : acceptor(asio::make_strand(ioc)), retry(ioc) {}
    tcp::acceptor acceptor;
    asio::steady_timer retry;
    std::shared_ptr<asio::ssl::context> tls;
    std::shared_ptr<const Router> router;
};

} // namespace

namespace detail {

struct ServerState : std::enable_shared_from_this<ServerState> {
    ServerSettings settings;
    asio::io_context ioc;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    asio::thread_pool handlers;
    std::vector<std::thread> threads;
    std::vector<std::unique_ptr<Listener>> listeners;

    std::mutex mutex; // guards the members below
    std::map<std::string, std::size_t> perPeer;
    std::map<Connection*, std::weak_ptr<Connection>> connections;
    bool started = false;
    bool stopping = false;

    std::atomic<std::size_t> refused{0};
    std::atomic<std::size_t> failedHandshakes{0};
    std::atomic<std::size_t> handlerCalls{0};

    explicit ServerState(ServerSettings s)
        : settings(std::move(s)),
          handlers(static_cast<std::size_t>(std::max(1, settings.handlerThreads)))
    {
    }

    void accept(Listener& listener);
    void release(Connection* connection, const std::string& peer);
};

} // namespace detail

namespace {

// One TLS connection: handshake, then requests one after another, each answered by a handler
// on the pool, or an event stream. Every member runs on the connection's strand.
class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(std::shared_ptr<detail::ServerState> server, const Listener& listener,
               tcp::socket socket, std::string peer, int peerPort)
        : m_server(std::move(server)), m_router(listener.router),
          m_stream(std::move(socket), *listener.tls), m_peer(std::move(peer)), m_peerPort(peerPort),
          m_limits(m_server->settings.limits), m_heartbeat(m_stream.get_executor())
    {
    }

    ~Connection()
    {
        if (m_events) {
            m_events->detach();
        }
        m_server->release(this, m_peer);
    }

    void start()
    {
        beast::get_lowest_layer(m_stream).expires_after(m_limits.handshakeTimeout);
        m_stream.async_handshake(asio::ssl::stream_base::server,
                                 [self = shared_from_this()](beast::error_code ec) {
                                     self->onHandshake(ec);
                                 });
    }

    // Thread: any. Closes the connection on its strand.
    void closeSoon()
    {
        asio::post(m_stream.get_executor(), [self = shared_from_this()] { self->close(); });
    }

private:
    void onHandshake(beast::error_code ec)
    {
        if (ec) {
            m_server->failedHandshakes++;
            UKETSUKE_LOG(kLog, Debug) << "TLS handshake failed: " << ec.message();
            close();
            return;
        }
        if (auto client = verifiedClient(m_stream.native_handle())) {
            m_clientName = std::move(client->name);
            m_clientSerial = std::move(client->serial);
        }
        waitForRequest(m_limits.requestTimeout);
    }

    // Waits for the first bytes of the next request (within `timeout`), then reads it whole
    // within the request timeout.
    void waitForRequest(std::chrono::milliseconds timeout)
    {
        if (m_closed) {
            return;
        }
        if (m_buffer.size() > 0) {
            readRequest();
            return;
        }
        beast::get_lowest_layer(m_stream).expires_after(timeout);
        m_stream.async_read_some(m_buffer.prepare(kFirstReadBytes),
                                 [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                     if (ec) {
                                         self->close();
                                         return;
                                     }
                                     self->m_buffer.commit(n);
                                     self->readRequest();
                                 });
    }

    void readRequest()
    {
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(m_limits.maxHeaderBytes));
        m_parser->body_limit(m_limits.maxBodyBytes);
        beast::get_lowest_layer(m_stream).expires_after(m_limits.requestTimeout);
        http::async_read_header(m_stream, m_buffer, *m_parser,
                                [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                    self->onHeader(ec);
                                });
    }

    void onHeader(beast::error_code ec)
    {
        if (ec == http::error::header_limit) {
            refuse(431, "header_too_large");
            return;
        }
        if (ec == http::error::body_limit) { // a Content-Length over the limit
            refuse(413, "payload_too_large");
            return;
        }
        if (ec) {
            if (ec != http::error::end_of_stream && ec != beast::error::timeout) {
                refuse(400, "bad_request");
            } else {
                close();
            }
            return;
        }
        const auto& head = m_parser->get();
        // The body is never decoded: an encoded one is refused before it is read.
        const auto encoding = head.find(http::field::content_encoding);
        if (encoding != head.end() && !iequals(encoding->value(), "identity")) {
            refuse(415, "unsupported_content_encoding");
            return;
        }
        const auto transfer = head.find(http::field::transfer_encoding);
        if (transfer != head.end() && !iequals(transfer->value(), "chunked")) {
            refuse(415, "unsupported_content_encoding");
            return;
        }
        if (m_parser->content_length() && *m_parser->content_length() > m_limits.maxBodyBytes) {
            refuse(413, "payload_too_large");
            return;
        }
        http::async_read(m_stream, m_buffer, *m_parser,
                         [self = shared_from_this()](beast::error_code error, std::size_t) {
                             self->onBody(error);
                         });
    }

    void onBody(beast::error_code ec)
    {
        if (ec == http::error::body_limit) {
            refuse(413, "payload_too_large");
            return;
        }
        if (ec) {
            close();
            return;
        }
        beast::get_lowest_layer(m_stream).expires_never();
        auto message = m_parser->release();
        m_keepAlive = message.keep_alive();
        Request request = makeRequest(message);
        int status = 0;
        const Router::Route* route = m_router->find(request.method, request.path, status);
        if (route == nullptr) {
            send(m_router->error(status, status == 405 ? "method_not_allowed" : "not_found",
                                 request));
            return;
        }
        if (route->options.clientCertificate && !request.clientName) {
            send(m_router->error(403, "client_certificate_required", request));
            return;
        }
        m_server->handlerCalls++;
        asio::post(m_server->handlers, [self = shared_from_this(), route,
                                        request = std::move(request)]() mutable {
            Response response;
            try {
                response = route->handler(request);
            } catch (...) {
                UKETSUKE_LOG(kLog, Error) << "handler for " << request.path << " threw";
                response = self->m_router->error(500, "internal", request);
            }
            asio::post(self->m_stream.get_executor(),
                       [self, response = std::move(response)]() mutable {
                           self->send(std::move(response));
                       });
        });
    }

    Request makeRequest(const http::request<http::string_body>& message) const
    {
        Request request;
        request.method = std::string(message.method_string());
        const std::string_view target = message.target();
        const auto question = target.find('?');
        request.path = std::string(target.substr(0, question));
        if (question != std::string_view::npos) {
            request.query = parseQuery(target.substr(question + 1));
        }
        for (const auto& field : message) {
            request.headers.emplace_back(std::string(field.name_string()),
                                         std::string(field.value()));
        }
        request.body = message.body();
        request.peerAddress = m_peer;
        request.peerPort = m_peerPort;
        request.clientName = m_clientName;
        request.clientSerial = m_clientSerial;
        return request;
    }

    // Answers an error the server decided itself, then closes (the rest of the request is
    // unread, so the connection cannot be reused).
    void refuse(int status, std::string_view code)
    {
        m_keepAlive = false;
        m_linger = true;
        Request request;
        request.peerAddress = m_peer;
        request.clientName = m_clientName;
        request.clientSerial = m_clientSerial;
        if (m_parser) {
            const auto& head = m_parser->get();
            request.method = std::string(head.method_string());
            const std::string_view target = head.target();
            request.path = std::string(target.substr(0, target.find('?')));
        }
        UKETSUKE_LOG(kLog, Info) << "refused a request: " << status << " " << code;
        send(m_router->error(status, code, request));
    }

    void send(Response response)
    {
        if (m_closed) {
            return;
        }
        if (response.dropConnection) {
            close();
            return;
        }
        if (response.stream) {
            startStream(std::move(response));
            return;
        }
        auto message = std::make_shared<http::response<http::string_body>>();
        message->version(11);
        message->result(static_cast<unsigned>(response.status));
        bool hasType = false;
        for (const auto& [name, value] : response.headers) {
            message->insert(name, value);
            hasType = hasType || iequals(name, "Content-Type");
        }
        for (const auto& [name, value] : m_router->defaultHeaders()) {
            if (message->find(name) == message->end()) {
                message->insert(name, value);
            }
        }
        if (!hasType) {
            message->set(http::field::content_type, response.contentType);
        }
        message->body() = std::move(response.body);
        message->keep_alive(m_keepAlive);
        message->prepare_payload();
        beast::get_lowest_layer(m_stream).expires_after(m_limits.writeTimeout);
        http::async_write(m_stream, *message,
                          [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
                              if (!ec && self->m_linger) {
                                  self->lingerClose();
                                  return;
                              }
                              if (ec || !self->m_keepAlive) {
                                  self->close();
                                  return;
                              }
                              self->waitForRequest(self->m_limits.idleTimeout);
                          });
    }

    void startStream(Response response)
    {
        m_events = std::move(response.stream);
        std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n";
        for (const auto& [name, value] : response.headers) {
            head += name + ": " + value + "\r\n";
        }
        for (const auto& [name, value] : m_router->defaultHeaders()) {
            if (!iequals(name, "Cache-Control")) {
                head += name + ": " + value + "\r\n";
            }
        }
        head += "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
        m_out = std::move(head);
        std::weak_ptr<Connection> weak = weak_from_this();
        auto executor = m_stream.get_executor();
        m_events->attach([weak, executor] {
            asio::post(executor, [weak] {
                if (auto self = weak.lock()) {
                    self->pumpStream();
                }
            });
        });
        writeOut();
        armHeartbeat();
    }

    void armHeartbeat()
    {
        m_heartbeat.expires_after(kStreamHeartbeat);
        // The pending wait holds the connection: a quiet stream has no other operation.
        m_heartbeat.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec || self->m_closed) {
                return;
            }
            self->m_heartbeatDue = true;
            self->pumpStream();
            self->armHeartbeat();
        });
    }

    void pumpStream()
    {
        if (m_writing || m_closed || !m_events) {
            return;
        }
        auto pending = m_events->take();
        m_out = std::move(pending.bytes);
        if (m_out.empty() && m_heartbeatDue) {
            m_out = ":\n\n"; // a comment: finds a peer that went away
        }
        m_heartbeatDue = false;
        if (!m_out.empty()) {
            m_streamClosing = pending.closed;
            writeOut();
        } else if (pending.closed) {
            close();
        }
    }

    void writeOut()
    {
        m_writing = true;
        beast::get_lowest_layer(m_stream).expires_after(m_limits.writeTimeout);
        asio::async_write(m_stream, asio::buffer(m_out),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->m_writing = false;
                              beast::get_lowest_layer(self->m_stream).expires_never();
                              if (ec || self->m_streamClosing) {
                                  self->close();
                                  return;
                              }
                              self->pumpStream();
                          });
    }

    // Half-closes after an answer to a request that was not read whole, then discards what
    // the peer still sends (raw bytes: nothing is decrypted or parsed) until it closes, or for
    // kLingerTime at most. Closing at once would make the kernel reset the connection while
    // unread bytes wait, and the peer would lose the answer.
    void lingerClose()
    {
        auto& lowest = beast::get_lowest_layer(m_stream);
        beast::error_code ignored;
        lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
        lowest.expires_after(kLingerTime);
        drain();
    }

    void drain()
    {
        m_drain.resize(16 * 1024);
        beast::get_lowest_layer(m_stream).async_read_some(
            asio::buffer(m_drain), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                self->m_drained += n;
                if (ec || self->m_drained > kMaxDrainBytes) {
                    self->close();
                    return;
                }
                self->drain();
            });
    }

    void close()
    {
        if (m_closed) {
            return;
        }
        m_closed = true;
        if (m_events) {
            m_events->detach();
        }
        beast::error_code ignored;
        m_heartbeat.cancel();
        auto& socket = beast::get_lowest_layer(m_stream).socket();
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(m_stream).close();
    }

    std::shared_ptr<detail::ServerState> m_server;
    std::shared_ptr<const Router> m_router;
    Stream m_stream;
    std::string m_peer;
    int m_peerPort = 0;
    const Limits& m_limits;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::optional<std::string> m_clientName;
    std::string m_clientSerial;
    bool m_keepAlive = true;
    bool m_closed = false;
    bool m_linger = false;
    std::vector<char> m_drain;
    std::size_t m_drained = 0;
    // Event stream state.
    std::shared_ptr<EventStream> m_events;
    std::string m_out;
    bool m_writing = false;
    bool m_streamClosing = false;
    bool m_heartbeatDue = false;
    asio::steady_timer m_heartbeat;
};

} // namespace

void detail::ServerState::accept(Listener& listener)
{
    listener.acceptor.async_accept(
        asio::make_strand(ioc),
        [self = shared_from_this(), &listener](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !listener.acceptor.is_open()) {
                return;
            }
            if (ec) {
                // Out of descriptors (EMFILE) or a passing error: try again shortly, without
                // spinning.
                UKETSUKE_LOG(kLog, Warn) << "accept failed: " << ec.message();
                listener.retry.expires_after(kAcceptRetry);
                listener.retry.async_wait([self, &listener](beast::error_code waitError) {
                    if (!waitError) {
                        self->accept(listener);
                    }
                });
                return;
            }
            beast::error_code ignored;
            const auto remote = socket.remote_endpoint(ignored);
            std::string peer = ignored ? std::string() : remote.address().to_string();
            const int peerPort = ignored ? 0 : static_cast<int>(remote.port());
            bool admit = false;
            {
                std::lock_guard lock(self->mutex);
                const Limits& limits = self->settings.limits;
                std::size_t& fromPeer = self->perPeer[peer];
                admit = !self->stopping && self->connections.size() < limits.maxConnections &&
                        fromPeer < limits.maxConnectionsPerPeer;
                if (admit) {
                    ++fromPeer;
                } else if (fromPeer == 0) {
                    self->perPeer.erase(peer);
                }
            }
            if (!admit) {
                self->refused++;
                UKETSUKE_LOG(kLog, Debug) << "connection over a cap closed";
                socket.close(ignored);
            } else {
                socket.set_option(tcp::no_delay(true), ignored);
                auto connection =
                    std::make_shared<Connection>(self, listener, std::move(socket), peer, peerPort);
                {
                    std::lock_guard lock(self->mutex);
                    self->connections[connection.get()] = connection;
                }
                connection->start();
            }
            self->accept(listener);
        });
}

void detail::ServerState::release(Connection* connection, const std::string& peer)
{
    std::lock_guard lock(mutex);
    connections.erase(connection);
    auto found = perPeer.find(peer);
    if (found != perPeer.end() && --found->second == 0) {
        perPeer.erase(found);
    }
}

Server::Server(ServerSettings settings) : m_impl(std::make_shared<detail::ServerState>(std::move(settings))) {}

Server::~Server()
{
    stop();
}

Result<int> Server::listen(const std::string& host, int port, const TlsSettings& tls,
                           Router router)
{
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->started || m_impl->stopping) {
            return fail(Errc::InvalidArgument, "listen() after start()");
        }
    }
    auto context = makeServerContext(tls);
    if (!context) {
        return fail(std::move(context).error());
    }
    auto listener = std::make_unique<Listener>(m_impl->ioc);
    listener->tls = std::move(*context);
    listener->router = std::make_shared<const Router>(std::move(router));

    beast::error_code ec;
    tcp::resolver resolver(m_impl->ioc);
    auto endpoints = resolver.resolve(host, std::to_string(port),
                                      tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || endpoints.empty()) {
        return fail(Errc::NetworkError, "cannot resolve " + host + ": " + ec.message());
    }
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    tcp::acceptor& acceptor = listener->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        // Not SO_REUSEPORT: a second server on the same port is an error, not a sharer.
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return fail(Errc::NetworkError,
                    "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message(),
                    ec.value());
    }
    const int bound = acceptor.local_endpoint().port();
    m_impl->listeners.push_back(std::move(listener));
    return bound;
}

void Server::start()
{
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->started || m_impl->stopping) {
            return;
        }
        m_impl->started = true;
    }
    m_impl->work.emplace(m_impl->ioc.get_executor());
    for (auto& listener : m_impl->listeners) {
        m_impl->accept(*listener);
    }
    for (int i = 0; i < std::max(1, m_impl->settings.ioThreads); ++i) {
        m_impl->threads.emplace_back([impl = m_impl.get()] { impl->ioc.run(); });
    }
}

void Server::stop()
{
    std::vector<std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->stopping) {
            return;
        }
        m_impl->stopping = true;
        for (auto& [raw, weak] : m_impl->connections) {
            if (auto connection = weak.lock()) {
                open.push_back(std::move(connection));
            }
        }
    }
    for (auto& listener : m_impl->listeners) {
        asio::post(listener->acceptor.get_executor(), [listener = listener.get()] {
            beast::error_code ignored;
            listener->acceptor.close(ignored);
            listener->retry.cancel();
        });
    }
    for (auto& connection : open) {
        connection->closeSoon();
    }
    open.clear();
    // Handlers in progress finish; their answers find closed connections.
    m_impl->handlers.join();
    m_impl->work.reset();
    if (m_impl->threads.empty()) {
        // Never started: run the posted closes here.
        m_impl->ioc.restart();
        m_impl->ioc.run();
    }
    for (auto& thread : m_impl->threads) {
        thread.join();
    }
    m_impl->threads.clear();
}

ServerStats Server::stats() const
{
    ServerStats stats;
    {
        std::lock_guard lock(m_impl->mutex);
        stats.openConnections = m_impl->connections.size();
    }
    stats.refusedConnections = m_impl->refused.load();
    stats.failedHandshakes = m_impl->failedHandshakes.load();
    stats.handlerCalls = m_impl->handlerCalls.load();
    return stats;
}

std::size_t raiseOpenFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return 0;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return static_cast<std::size_t>(limit.rlim_cur);
}

std::multimap<std::string, std::string> parseQuery(std::string_view query)
{
    std::multimap<std::string, std::string> params;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty()) {
            continue;
        }
        const auto eq = pair.find('=');
        params.emplace(decodeComponent(pair.substr(0, eq)),
                       eq == std::string_view::npos ? std::string()
                                                    : decodeComponent(pair.substr(eq + 1)));
    }
    return params;
}

bool isLoopbackAddress(std::string_view address)
{
    std::string text(address);
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
        const unsigned char* b = v6.s6_addr;
        bool zeroPrefix = true;
        for (int i = 0; i < 10; ++i) {
            zeroPrefix = zeroPrefix && b[i] == 0;
        }
        if (zeroPrefix && b[10] == 0 && b[11] == 0) {
            bool loopback = b[15] == 1;
            for (int i = 12; i < 15; ++i) {
                loopback = loopback && b[i] == 0;
            }
            return loopback; // ::1
        }
        return zeroPrefix && b[10] == 0xff && b[11] == 0xff && b[12] == 127; // ::ffff:127.x.x.x
    }
    return false;
}

} // namespace uketsuke::net
