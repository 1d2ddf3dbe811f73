#include "net/server.hpp"

#include "tests/desk/pki_fixture.hpp"
#include "tests/net/tls_client.hpp"

#include <catch2/catch.hpp>
#include <openssl/ssl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <thread>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;

// A server on a free loopback port with the test PKI (desk.pem as server certificate, the
// terminal's certificate for clients) and a few routes that count their calls.
struct Fixture {
    tests::TempDir dir;
    std::unique_ptr<net::Server> server;
    int port = 0;
    std::atomic<int> calls{0};
    std::mutex mutex;
    std::condition_variable changed;
    std::shared_ptr<net::EventStream> stream;

    explicit Fixture(net::ClientAuth auth = net::ClientAuth::Optional,
                     net::Limits limits = net::Limits{})
    {
        tests::writeTestPki(dir.path());
        net::ServerSettings settings;
        settings.limits = limits;
        server = std::make_unique<net::Server>(settings);
        net::TlsSettings tls;
        tls.certFile = this->tls("desk.pem");
        tls.keyFile = this->tls("desk.key");
        tls.caFile = this->tls("ca.pem");
        tls.clientAuth = auth;
        net::Router router;
        router.add("POST", "/echo", [this](const net::Request& request) {
            calls++;
            const std::string* q = request.param("q");
            return net::Response::text(200, request.clientName.value_or("-") + "|" +
                                                (q ? *q : "") + "|" + request.body);
        });
        router.add(
            "GET", "/open",
            [this](const net::Request& request) {
                calls++;
                return net::Response::text(200, request.clientName ? "cert" : "no cert");
            },
            net::RouteOptions{false});
        router.add(
            "GET", "/events",
            [this](const net::Request&) {
                calls++;
                auto events = net::EventStream::create();
                events->push("hello", "first");
                {
                    std::lock_guard lock(mutex);
                    stream = events;
                }
                changed.notify_all();
                return net::Response::eventStream(events);
            },
            net::RouteOptions{false});
        router.setErrorBody([](int status, std::string_view code, const net::Request&) {
            return net::Response::json(status,
                                       "{\"error\":{\"code\":\"" + std::string(code) + "\"}}");
        });
        auto bound = server->listen("127.0.0.1", 0, tls, std::move(router));
        REQUIRE(bound);
        port = *bound;
        server->start();
    }

    std::string tls(const std::string& file) const { return (dir.path() / "tls" / file).string(); }

    tests::ClientTls client(bool withCert = true) const
    {
        tests::ClientTls files;
        files.caFile = tls("ca.pem");
        if (withCert) {
            files.certFile = tls("terminal.pem");
            files.keyFile = tls("terminal.key");
        }
        return files;
    }

    std::unique_ptr<tests::TlsClient> connect(bool withCert = true,
                                              const std::string& source = {}) const
    {
        std::string error;
        auto connected = tests::TlsClient::connect("127.0.0.1", port, client(withCert), &error,
                                                   source);
        INFO(error);
        REQUIRE(connected);
        return connected;
    }
};

// True when the server closes a plain TCP connection within `timeout` (read returns 0 or fails).
bool tcpClosedWithin(int fd, std::chrono::milliseconds timeout)
{
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
        return false;
    }
    char byte;
    return ::read(fd, &byte, 1) <= 0;
}

TEST_CASE("net::Server: a route gets the body, the query and the client certificate's CN")
{
    Fixture f;
    auto client = f.connect();
    auto answer = client->request("POST", "/echo?q=a%20b+c", "{\"x\":1}");
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(answer->body == "KIOSK-0001|a b c|{\"x\":1}");
    // Kept alive: a second request on the same connection.
    auto again = client->request("POST", "/echo", "2");
    REQUIRE(again);
    CHECK(again->body == "KIOSK-0001||2");
    CHECK(f.calls == 2);
}

TEST_CASE("net::Server: unknown paths and methods get the router's error body")
{
    Fixture f;
    auto client = f.connect();
    auto missing = client->request("GET", "/nowhere");
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(missing->body == "{\"error\":{\"code\":\"not_found\"}}");
    auto wrongMethod = client->request("GET", "/echo");
    REQUIRE(wrongMethod);
    CHECK(wrongMethod->status == 405);
    CHECK(f.calls == 0);
}

TEST_CASE("net::Server: without a client certificate only routes that need none are reached")
{
    Fixture f(net::ClientAuth::Optional);
    auto client = f.connect(false);
    auto refused = client->request("POST", "/echo", "x");
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK(refused->body.find("client_certificate_required") != std::string::npos);
    CHECK(f.calls == 0);
    auto open = client->request("GET", "/open");
    REQUIRE(open);
    CHECK(open->body == "no cert");
    CHECK(f.calls == 1);
}

TEST_CASE("net::Server: with ClientAuth::Required a client without a certificate never gets in")
{
    Fixture f(net::ClientAuth::Required);
    std::string error;
    auto client = tests::TlsClient::connect("127.0.0.1", f.port, f.client(false), &error);
    // TLS 1.3: the client may finish its side before the server refuses; then the first request
    // finds the connection closed.
    if (client) {
        CHECK_FALSE(client->request("GET", "/open"));
    }
    CHECK(f.calls == 0);
    auto good = f.connect(true);
    auto answer = good->request("GET", "/open");
    REQUIRE(answer);
    CHECK(answer->body == "cert");
}

TEST_CASE("net::Server: a body over the limit is 413 and an encoded body 415, before any handler")
{
    net::Limits limits;
    limits.maxBodyBytes = 1024;
    Fixture f(net::ClientAuth::Optional, limits);
    {
        auto client = f.connect();
        auto tooLarge = client->request("POST", "/echo", std::string(2048, 'x'));
        REQUIRE(tooLarge);
        CHECK(tooLarge->status == 413);
        CHECK(tooLarge->body.find("payload_too_large") != std::string::npos);
    }
    {
        auto client = f.connect();
        auto encoded = client->request("POST", "/echo", std::string(100, 'x'),
                                       "Content-Encoding: gzip\r\n");
        REQUIRE(encoded);
        CHECK(encoded->status == 415);
    }
    {
        // Chunked, without a length up front: the limit holds on the bytes as they come.
        auto client = f.connect();
        std::string chunk(1000, 'y');
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
        REQUIRE(client->write("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
        client->write(std::string(size) + chunk + "\r\n");
        client->write(std::string(size) + chunk + "\r\n0\r\n\r\n");
        auto answer = client->readAnswer();
        REQUIRE(answer);
        CHECK(answer->status == 413);
    }
    CHECK(f.calls == 0);
}

TEST_CASE("net::Server: TLS below 1.2 and TLS 1.2 without an AEAD cipher are refused")
{
    Fixture f;
    auto files = f.client();
    files.maxVersion = TLS1_1_VERSION;
    CHECK_FALSE(tests::TlsClient::connect("127.0.0.1", f.port, files));
    files.maxVersion = TLS1_2_VERSION;
    files.tls12Ciphers = "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA";
    CHECK_FALSE(tests::TlsClient::connect("127.0.0.1", f.port, files));
    files.tls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256";
    auto aead = tests::TlsClient::connect("127.0.0.1", f.port, files);
    REQUIRE(aead);
    auto answer = aead->request("GET", "/open");
    REQUIRE(answer);
    CHECK(answer->status == 200);
}

TEST_CASE("net::Server: a connection that never starts TLS is closed after the handshake timeout")
{
    net::Limits limits;
    limits.handshakeTimeout = 300ms;
    Fixture f(net::ClientAuth::Optional, limits);
    int fd = tests::connectTcp("127.0.0.1", f.port);
    REQUIRE(fd >= 0);
    const auto start = std::chrono::steady_clock::now();
    CHECK(tcpClosedWithin(fd, 5s));
    CHECK(std::chrono::steady_clock::now() - start >= 250ms);
    ::close(fd);
}

TEST_CASE("net::Server: an idle kept connection and a trickled request are closed in time")
{
    net::Limits limits;
    limits.idleTimeout = 300ms;
    limits.requestTimeout = 500ms;
    Fixture f(net::ClientAuth::Optional, limits);
    auto idle = f.connect();
    REQUIRE(idle->request("GET", "/open"));
    CHECK(idle->closedByPeer(5s));

    auto trickle = f.connect();
    REQUIRE(trickle->write("GET /open HTTP/1.1\r\n"));
    REQUIRE(trickle->write("Host: x\r\n"));
    CHECK(trickle->closedByPeer(5s));
}

TEST_CASE("net::Server: connections over the per-peer cap are closed, other peers still served")
{
    net::Limits limits;
    limits.maxConnectionsPerPeer = 2;
    Fixture f(net::ClientAuth::Optional, limits);
    int first = tests::connectTcp("127.0.0.1", f.port, "127.0.0.2");
    int second = tests::connectTcp("127.0.0.1", f.port, "127.0.0.2");
    int third = tests::connectTcp("127.0.0.1", f.port, "127.0.0.2");
    REQUIRE(first >= 0);
    REQUIRE(second >= 0);
    REQUIRE(third >= 0);
    CHECK(tcpClosedWithin(third, 5s));
    auto other = f.connect(true, "127.0.0.3");
    auto answer = other->request("GET", "/open");
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(f.server->stats().refusedConnections == 1);
    ::close(first);
    ::close(second);
    ::close(third);
}

TEST_CASE("net::Server: an event stream delivers events pushed from another thread")
{
    Fixture f;
    auto client = f.connect(false);
    REQUIRE(client->write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string received;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (received.find("data: first\n\n") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
        received += client->readSome(1s);
    }
    CHECK(received.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(received.find("text/event-stream") != std::string::npos);
    CHECK(received.find("event: hello\ndata: first\n\n") != std::string::npos);

    std::shared_ptr<net::EventStream> stream;
    {
        std::unique_lock lock(f.mutex);
        f.changed.wait_for(lock, 5s, [&f] { return f.stream != nullptr; });
        stream = f.stream;
    }
    REQUIRE(stream);
    std::thread pusher([stream] { stream->push("", "two\nlines"); });
    pusher.join();
    while (received.find("data: lines\n\n") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
        received += client->readSome(1s);
    }
    const std::string expected = "event: hello\ndata: first\n\ndata: two\ndata: lines\n\n";
    REQUIRE(received.size() >= expected.size());
    CHECK(received.substr(received.size() - expected.size()) == expected);
    stream->close();
    CHECK(client->closedByPeer(5s));
    CHECK_FALSE(stream->push("late", "x"));
}

TEST_CASE("net::Server: stop() closes open connections and event streams and returns")
{
    Fixture f;
    auto client = f.connect(false);
    REQUIRE(client->write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
    REQUIRE_FALSE(client->readSome(5s).empty());
    auto idle = f.connect();
    f.server->stop();
    CHECK(client->closedByPeer(5s));
    CHECK(idle->closedByPeer(5s));
    std::lock_guard lock(f.mutex);
    REQUIRE(f.stream);
    CHECK_FALSE(f.stream->isOpen());
}

TEST_CASE("net::isLoopbackAddress")
{
    CHECK(net::isLoopbackAddress("127.0.0.1"));
    CHECK(net::isLoopbackAddress("127.9.9.9"));
    CHECK(net::isLoopbackAddress("::1"));
    CHECK(net::isLoopbackAddress("::ffff:127.0.0.1"));
    CHECK_FALSE(net::isLoopbackAddress("192.168.1.2"));
    CHECK_FALSE(net::isLoopbackAddress("::ffff:10.0.0.1"));
    CHECK_FALSE(net::isLoopbackAddress("garbage"));
}

} // namespace
