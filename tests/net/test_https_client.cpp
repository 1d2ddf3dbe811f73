#include "net/https_client.hpp"

#include "tests/sim/support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using uketsuke::Errc;
using uketsuke::net::HttpsClient;
using uketsuke::net::Timeouts;
using uketsuke::net::TlsFiles;
using uketsuke::sim::GatewayOptions;
using uketsuke::sim::PkiLayout;
using namespace uketsuke::sim::testing;

TlsFiles terminalTls(const PkiLayout& pki)
{
    return TlsFiles{pki.tlsCa().string(), pki.terminalCert().string(),
                    pki.terminalKey().string()};
}

GatewayOptions gatewayOptions(const PkiLayout& pki)
{
    GatewayOptions options;
    options.pkiDir = pki.root();
    return options;
}

// How a client hears that the gateway refused its certificate. In TLS 1.2 the handshake fails
// (TlsFailure). In TLS 1.3 the client's side of the handshake completes before the server has
// checked the certificate; the refusal then arrives as an alert (TlsFailure) or, when the
// server's close overtakes the alert, as a reset connection (NetworkError). Either way no
// request reaches the server.
bool isRefusal(Errc code)
{
    return code == Errc::TlsFailure || code == Errc::NetworkError;
}

// A loopback port nobody listens on: bound by us, then closed.
int closedPort()
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0);
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0);
    ::close(fd);
    return ntohs(address.sin_port);
}

TEST_CASE("HttpsClient::postJson: talks to the gateway over mutual TLS")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(gatewayOptions(pki));
    HttpsClient client(terminalTls(pki), Timeouts{});
    auto reply = client.postJson(gateway.url() + "/v1/challenge", "{}");
    INFO((reply ? std::string() : reply.error().message));
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(json::parse(reply->body).contains("challenge_id"));
}

TEST_CASE("HttpsClient::postJson: a 4xx answer is a value, not an error")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(gatewayOptions(pki));
    HttpsClient client(terminalTls(pki), Timeouts{});
    auto reply = client.postJson(gateway.url() + "/v1/confirm", "{}");
    REQUIRE(reply);
    CHECK(reply->status == 400);
    CHECK(json::parse(reply->body)["error"]["code"] == "bad_request");

    auto get = client.get(gateway.url() + "/v1/health");
    REQUIRE(get);
    CHECK(get->status == 200);
}

TEST_CASE("HttpsClient: one client reuses its connection, two clients do not share one")
{
    const PkiLayout pki = sharedTestPki();
    TestHttpsServer server(pki);
    std::mutex mutex;
    std::vector<int> ports; // the client's source port of each request
    server.routes().add("POST", "/echo", [&](const uketsuke::net::Request& request) {
        std::lock_guard lock(mutex);
        ports.push_back(request.peerPort);
        return uketsuke::net::Response::json(200, request.body);
    });
    server.start();

    HttpsClient first(terminalTls(pki), Timeouts{});
    for (int i = 0; i < 3; ++i) {
        auto reply = first.postJson(server.url() + "/echo", "{\"n\": " + std::to_string(i) + "}");
        REQUIRE(reply);
        CHECK(reply->body == "{\"n\": " + std::to_string(i) + "}");
    }
    HttpsClient second(terminalTls(pki), Timeouts{});
    REQUIRE(second.postJson(server.url() + "/echo", "{}"));

    std::lock_guard lock(mutex);
    REQUIRE(ports.size() == 4);
    CHECK(ports[0] == ports[1]);
    CHECK(ports[1] == ports[2]);
    CHECK(ports[3] != ports[0]);
}

TEST_CASE("HttpsClient: the gateway answers a client without a certificate 403 itself")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(gatewayOptions(pki));
    HttpsClient client(TlsFiles{pki.tlsCa().string(), {}, {}}, Timeouts{});
    // The handshake succeeds (POST /v1/enrol needs no certificate); the challenge route does not
    // let the request through.
    auto reply = client.postJson(gateway.url() + "/v1/challenge", "{}");
    REQUIRE(reply);
    CHECK(reply->status == 403);
    CHECK(json::parse(reply->body)["error"]["code"] == "client_certificate_required");
    CHECK(reply->date.has_value());
    CHECK(gateway.server().challengeRequests() == 0);
    CHECK(gateway.server().service().openChallenges() == 0);
}

TEST_CASE("HttpsClient: the gateway refuses a client certificate from another CA")
{
    const PkiLayout pki = sharedTestPki();
    ScratchDir scratch;
    const PkiLayout other = writeOtherPki(scratch.path(), "other", "UKTEST-NET-OTHER");
    RunningGateway gateway(gatewayOptions(pki));
    HttpsClient client(TlsFiles{pki.tlsCa().string(), other.terminalCert().string(),
                                other.terminalKey().string()},
                       Timeouts{});
    auto reply = client.postJson(gateway.url() + "/v1/challenge", "{}");
    REQUIRE_FALSE(reply);
    INFO(reply.error().message);
    CHECK(isRefusal(reply.error().code));
    CHECK(reply.error().native != 0);
    CHECK(gateway.server().service().openChallenges() == 0);
}

TEST_CASE("HttpsClient: a server certificate from another CA is a TlsFailure")
{
    const PkiLayout pki = sharedTestPki();
    ScratchDir scratch;
    const PkiLayout other = writeOtherPki(scratch.path(), "other", "UKTEST-NET-OTHER");
    RunningGateway gateway(gatewayOptions(pki));
    // Our own certificate is fine, but we pin the other PKI's CA: the gateway is not trusted.
    HttpsClient client(TlsFiles{other.tlsCa().string(), pki.terminalCert().string(),
                                pki.terminalKey().string()},
                       Timeouts{});
    auto reply = client.postJson(gateway.url() + "/v1/challenge", "{}");
    REQUIRE_FALSE(reply);
    CHECK(reply.error().code == Errc::TlsFailure);
    CHECK(reply.error().native != 0);
}

TEST_CASE("HttpsClient: a closed port is NetworkUnreachable")
{
    const PkiLayout pki = sharedTestPki();
    HttpsClient client(terminalTls(pki), Timeouts{});
    const std::string url = "https://127.0.0.1:" + std::to_string(closedPort()) + "/v1/challenge";
    auto reply = client.postJson(url, "{}");
    REQUIRE_FALSE(reply);
    CHECK(reply.error().code == Errc::NetworkUnreachable);
}

TEST_CASE("HttpsClient: a server slower than the total budget is a Timeout")
{
    const PkiLayout pki = sharedTestPki();
    TestHttpsServer server(pki);
    std::mutex mutex;
    std::condition_variable released;
    bool release = false;
    server.routes().add("POST", "/slow", [&](const uketsuke::net::Request&) {
        std::unique_lock lock(mutex);
        // Held until the test has seen its timeout (bounded, so a broken test cannot hang).
        released.wait_for(lock, 30s, [&] { return release; });
        return uketsuke::net::Response::json(200, "{}");
    });
    server.start();

    HttpsClient client(terminalTls(pki), Timeouts{2000ms, 300ms});
    const auto started = std::chrono::steady_clock::now();
    auto reply = client.postJson(server.url() + "/slow", "{}");
    const auto took = std::chrono::steady_clock::now() - started;
    {
        std::lock_guard lock(mutex);
        release = true;
    }
    released.notify_all();
    REQUIRE_FALSE(reply);
    CHECK(reply.error().code == Errc::Timeout);
    CHECK(took < 10s);
}

TEST_CASE("HttpsClient: only https URLs are fetched")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(gatewayOptions(pki));
    HttpsClient client(terminalTls(pki), Timeouts{});
    auto reply = client.postJson("http://127.0.0.1:" + std::to_string(gateway.port()) +
                                     "/v1/challenge",
                                 "{}");
    REQUIRE_FALSE(reply);
    CHECK(reply.error().code == Errc::NetworkError);
    CHECK(gateway.server().service().openChallenges() == 0);
}

TEST_CASE("HttpsClient: a missing CA file fails instead of trusting the system CAs")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(gatewayOptions(pki));
    HttpsClient client(TlsFiles{(pki.root() / "no-such-ca.pem").string(),
                                pki.terminalCert().string(), pki.terminalKey().string()},
                       Timeouts{});
    auto reply = client.postJson(gateway.url() + "/v1/challenge", "{}");
    REQUIRE_FALSE(reply);
    CHECK(reply.error().code == Errc::TlsFailure);
}

TEST_CASE("HttpsClient: reports the server's Date and whether the connection was kept")
{
    const PkiLayout pki = sharedTestPki();
    GatewayOptions options = gatewayOptions(pki);
    const auto wall = std::chrono::sys_days{std::chrono::year{2026} / 11 / 26} + 4h + 5min + 6s;
    options.wallNow = [wall] { return wall; };
    RunningGateway gateway(std::move(options));
    HttpsClient client(terminalTls(pki), Timeouts{});
    auto first = client.postJson(gateway.url() + "/v1/challenge", "{}");
    REQUIRE(first);
    CHECK(first->newConnection);
    REQUIRE(first->date.has_value());
    CHECK(*first->date == wall);
    auto second = client.get(gateway.url() + "/v1/health");
    REQUIRE(second);
    CHECK_FALSE(second->newConnection);
    CHECK(second->date == first->date);
}

} // namespace

TEST_CASE("dateFromHeaderLine: reads a Date header in any case, and nothing else")
{
    using uketsuke::net::dateFromHeaderLine;
    const auto expected = std::chrono::system_clock::from_time_t(1796432400); // 2026-12-05 01:00Z
    CHECK(dateFromHeaderLine("Date: Sat, 05 Dec 2026 01:00:00 GMT\r\n") == expected);
    CHECK(dateFromHeaderLine("date:Sat, 05 Dec 2026 01:00:00 GMT") == expected);
    CHECK(dateFromHeaderLine("DATE: Sat, 05 Dec 2026 01:00:00 GMT\n") == expected);
    CHECK_FALSE(dateFromHeaderLine("Dates: Sat, 05 Dec 2026 01:00:00 GMT\r\n"));
    CHECK_FALSE(dateFromHeaderLine("Expires: Sat, 05 Dec 2026 01:00:00 GMT\r\n"));
    CHECK_FALSE(dateFromHeaderLine("Date: tomorrow\r\n"));
    CHECK_FALSE(dateFromHeaderLine("Date:"));
    CHECK_FALSE(dateFromHeaderLine(""));
}
