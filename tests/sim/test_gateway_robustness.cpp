// The reference gateway under attack (issue 8): a crowd of idle and trickling connections does
// not delay a real challenge, a gzip bomb is refused before any handler and costs no memory, and
// a client without a certificate never reaches a handler (only POST /v1/enrol, issue 12, takes
// one without).

#include "sim/gateway_server.hpp"
#include "tests/net/robustness.hpp"
#include "tests/sim/support.hpp"

#include <catch2/catch.hpp>

#include <chrono>

namespace {

using namespace uketsuke;
using namespace uketsuke::sim;
using namespace uketsuke::sim::testing;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

tests::ClientTls clientTls(const PkiLayout& pki, bool withCert = true)
{
    tests::ClientTls files;
    files.caFile = pki.tlsCa().string();
    if (withCert) {
        files.certFile = pki.terminalCert().string();
        files.keyFile = pki.terminalKey().string();
    }
    return files;
}

GatewayOptions sharedOptions()
{
    GatewayOptions options;
    options.pkiDir = sharedTestPki().root();
    return options;
}

std::chrono::milliseconds timedChallenge(const RunningGateway& gateway, const PkiLayout& pki)
{
    const auto start = Clock::now();
    auto client = tests::TlsClient::connect("127.0.0.1", gateway.port(), clientTls(pki));
    REQUIRE(client);
    auto answer = client->request("POST", "/v1/challenge", "{}");
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(answer->body.find("challenge_id") != std::string::npos);
    return took;
}

TEST_CASE("Gateway robustness: 500 idle and 50 trickling connections do not delay a challenge")
{
    REQUIRE(tests::ensureOpenFiles(4096) >= 4096);
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(sharedOptions());
    tests::Crowd crowd("127.0.0.1", gateway.port(), clientTls(pki), 500, 50, "/v1/challenge",
                       2s);
    CHECK(crowd.idleOpen() == 500);
    CHECK(crowd.tricklingOpen() == 50);

    CHECK(timedChallenge(gateway, pki) < 1s);
    crowd.waitForRounds(1);
    CHECK(gateway.server().stats().openConnections >= 550);
    CHECK(timedChallenge(gateway, pki) < 1s);
    CHECK(gateway.server().challengeRequests() == 2);
}

TEST_CASE("Gateway robustness: a gzip bomb is refused before any handler and costs no memory")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(sharedOptions());
    const std::string bomb = tests::gzipBomb(60u << 20); // under the 64 KiB body limit
    REQUIRE(bomb.size() < 64 * 1024);
    const long before = tests::residentKiB();
    auto client = tests::TlsClient::connect("127.0.0.1", gateway.port(), clientTls(pki));
    REQUIRE(client);
    auto answer = client->request("POST", "/v1/challenge", bomb, "Content-Encoding: gzip\r\n");
    REQUIRE(answer);
    CHECK(answer->status >= 400);
    CHECK(answer->status < 500);
    CHECK(gateway.server().challengeRequests() == 0);
    CHECK(gateway.server().stats().handlerCalls == 0);
    CHECK(tests::residentKiB() - before < 10 * 1024);
}

TEST_CASE("Gateway robustness: a client without a certificate never reaches a handler")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(sharedOptions());
    // The handshake succeeds (a terminal without a certificate may come to enrol), but every
    // route other than POST /v1/enrol is answered 403 by the server itself.
    auto client = tests::TlsClient::connect("127.0.0.1", gateway.port(), clientTls(pki, false));
    REQUIRE(client);
    for (const char* path : {"/v1/challenge", "/v1/confirm"}) {
        INFO(path);
        auto answer = client->request("POST", path, "{}");
        REQUIRE(answer);
        CHECK(answer->status == 403);
        CHECK(answer->body.find("client_certificate_required") != std::string::npos);
    }
    CHECK(gateway.server().challengeRequests() == 0);
    CHECK(gateway.server().confirmRequests() == 0);
    CHECK(gateway.server().stats().handlerCalls == 0);
}

TEST_CASE("Gateway robustness: the refusal matrix: every bad client is refused before a handler")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(sharedOptions());
    for (const auto& refusal : tests::refusalMatrix(pki.root(), "gateway")) {
        INFO(refusal.name);
        CHECK(tests::refused("127.0.0.1", gateway.port(), refusal.tls, "/v1/challenge"));
    }
    CHECK(gateway.server().challengeRequests() == 0);
    CHECK(gateway.server().stats().handlerCalls == 0);
    // The same server still answers the terminal's own certificate.
    timedChallenge(gateway, pki);
    CHECK(gateway.server().challengeRequests() == 1);
}

} // namespace
