// The desk under attack (issue 8): a crowd of idle and trickling connections does not delay a
// real check-in, a gzip bomb is refused before any handler and costs no memory, and a client
// without a certificate never reaches the terminal API.

#include "desk/server.hpp"

#include "kiosk/model/json.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/running_desk.hpp"
#include "tests/desk/sample_checkin.hpp"
#include "tests/net/robustness.hpp"

#include <catch2/catch.hpp>

#include <chrono>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

using tests::RunningDesk;

std::string checkInBody(const std::string& key)
{
    return kiosk::model::toJson(tests::sampleCheckIn(key)).dump();
}

// A real terminal's check-in on a new connection: the time from connect to the answer.
std::chrono::milliseconds timedCheckIn(const RunningDesk& desk, const std::string& key)
{
    const auto start = Clock::now();
    auto client = tests::TlsClient::connect("127.0.0.1", desk.port, desk.clientTls());
    REQUIRE(client);
    auto answer = client->request("POST", "/api/v1/checkins", checkInBody(key));
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    REQUIRE(answer);
    CHECK(answer->status == 201);
    return took;
}

TEST_CASE("Desk robustness: 500 idle and 50 trickling connections do not delay a check-in")
{
    REQUIRE(tests::ensureOpenFiles(4096) >= 4096);
    RunningDesk desk;
    tests::Crowd crowd("127.0.0.1", desk.port, desk.clientTls(), 500, 50, "/api/v1/checkins", 2s);
    CHECK(crowd.idleOpen() == 500);
    CHECK(crowd.tricklingOpen() == 50);

    CHECK(timedCheckIn(desk, "robust-1") < 1s);
    // Once more after every trickling connection has sent another header line.
    crowd.waitForRounds(1);
    CHECK(desk.server->stats().openConnections >= 550);
    CHECK(timedCheckIn(desk, "robust-2") < 1s);
    CHECK(desk.count() == 2);
}

TEST_CASE("Desk robustness: a gzip bomb is refused before any handler and costs no memory")
{
    RunningDesk desk;
    const std::string bomb = tests::gzipBomb(255u << 20); // 255 MiB inflated
    REQUIRE(bomb.size() < 256 * 1024);
    const long before = tests::residentKiB();
    auto client = tests::TlsClient::connect("127.0.0.1", desk.port, desk.clientTls());
    REQUIRE(client);
    auto answer =
        client->request("POST", "/api/v1/checkins", bomb, "Content-Encoding: gzip\r\n");
    REQUIRE(answer);
    CHECK(answer->status >= 400);
    CHECK(answer->status < 500);
    CHECK(desk.server->stats().handlerCalls == 0);
    CHECK(desk.count() == 0);
    CHECK(tests::residentKiB() - before < 10 * 1024);
}

TEST_CASE("Desk robustness: a client without a certificate never reaches the terminal API")
{
    RunningDesk desk;
    auto client = tests::TlsClient::connect("127.0.0.1", desk.port, desk.clientTls(""));
    REQUIRE(client);
    auto answer = client->request("POST", "/api/v1/checkins", checkInBody("no-cert"));
    REQUIRE(answer);
    CHECK(answer->status == 403);
    CHECK(desk.server->stats().handlerCalls == 0);
    CHECK(desk.count() == 0);
}

TEST_CASE("Desk robustness: the refusal matrix: every bad client is refused before a handler")
{
    RunningDesk desk;
    for (const auto& refusal : tests::refusalMatrix(desk.dir.path(), "desk")) {
        INFO(refusal.name);
        CHECK(tests::refused("127.0.0.1", desk.port, refusal.tls, "/api/v1/checkins"));
    }
    CHECK(desk.server->stats().handlerCalls == 0);
    CHECK(desk.count() == 0);
    // The same server still takes the terminal's own certificate.
    timedCheckIn(desk, "after-refusals");
    CHECK(desk.count() == 1);
}

} // namespace
