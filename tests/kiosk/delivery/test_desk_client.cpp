#include "kiosk/delivery/desk_client.hpp"

#include "tests/desk/sample_checkin.hpp"
#include "tests/kiosk/delivery/desk_fixture.hpp"

#include "net/server.hpp"

#include <catch2/catch.hpp>

namespace {

using namespace uketsuke;
using kiosk::delivery::DeskClient;

const net::Timeouts kTimeouts{std::chrono::milliseconds(3000),
                                     std::chrono::milliseconds(10000)};

// An HTTPS server with the desk's certificate that answers every check-in with one fixed
// reply: the desk misbehaving in ways the real one does not.
class StubDesk {
public:
    StubDesk(const std::filesystem::path& pki, int status, std::string body)
    {
        uketsuke::net::TlsSettings tls;
        tls.certFile = (pki / "tls" / "desk.pem").string();
        tls.keyFile = (pki / "tls" / "desk.key").string();
        tls.clientAuth = uketsuke::net::ClientAuth::None;
        uketsuke::net::Router router;
        router.add(
            "POST", "/api/v1/checkins",
            [status, body](const uketsuke::net::Request&) {
                return uketsuke::net::Response::json(status, body);
            },
            uketsuke::net::RouteOptions{false});
        auto port = m_server.listen("127.0.0.1", 0, tls, std::move(router));
        REQUIRE(port);
        m_port = *port;
        m_server.start();
    }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(m_port); }

private:
    uketsuke::net::Server m_server;
    int m_port = 0;
};

TEST_CASE("DeskClient::deliver: a real desk stores it once, and delivering again also succeeds")
{
    tests::TempDir dir;
    tests::LocalDesk desk(dir.path());
    desk.start();
    DeskClient client(desk.url() + "/", desk.terminalTls(), kTimeouts);
    const auto checkIn = tests::sampleCheckIn("3f2b8c1e-9d4a-4e7b-8a61-0c5d2e9f7a13");

    auto first = client.deliver(checkIn);
    INFO((first ? std::string() : first.error().message));
    REQUIRE(first);
    auto again = client.deliver(checkIn);
    REQUIRE(again);
    CHECK(desk.count() == 1);
}

TEST_CASE("DeskClient::deliver: a check-in for another terminal is ServerRejected with 403")
{
    tests::TempDir dir;
    tests::LocalDesk desk(dir.path());
    desk.start();
    DeskClient client(desk.url(), desk.terminalTls(), kTimeouts);
    auto result = client.deliver(tests::sampleCheckIn("k1", "0001", "x", "KIOSK-0009"));
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::ServerRejected);
    CHECK(result.error().native == 403);
    CHECK(result.error().message.find("terminal_mismatch") != std::string::npos);
    CHECK(desk.count() == 0);
}

TEST_CASE("DeskClient::deliver: without a client certificate the desk refuses it")
{
    tests::TempDir dir;
    tests::LocalDesk desk(dir.path());
    desk.start();
    auto tls = desk.terminalTls();
    tls.certFile.clear();
    tls.keyFile.clear();
    DeskClient client(desk.url(), tls, kTimeouts);
    auto result = client.deliver(tests::sampleCheckIn("k1"));
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::ServerRejected);
    CHECK(result.error().message.find("client_certificate_required") != std::string::npos);
    CHECK(desk.count() == 0);
}

TEST_CASE("DeskClient::deliver: a certificate from another CA is a TLS failure")
{
    tests::TempDir dir;
    tests::LocalDesk desk(dir.path());
    tests::writeClientCertificate(dir.path(), "rogue", "KIOSK-0001", true);
    desk.start();
    DeskClient client(desk.url(), desk.terminalTls("rogue"), kTimeouts);
    auto result = client.deliver(tests::sampleCheckIn("k1"));
    REQUIRE_FALSE(result);
    // With TLS 1.3 the server checks the client certificate after the client considers the
    // handshake done, so the refusal arrives as an alert (TlsFailure) or as a reset connection
    // (NetworkError), depending on timing. Either way nothing was stored.
    CHECK((result.error().code == Errc::TlsFailure || result.error().code == Errc::NetworkError));
    CHECK(desk.count() == 0);
}

TEST_CASE("DeskClient::deliver: no desk listening is NetworkUnreachable")
{
    tests::TempDir dir;
    tests::LocalDesk desk(dir.path());
    desk.start();
    const std::string url = desk.url();
    desk.stop();
    DeskClient client(url, desk.terminalTls(), kTimeouts);
    auto result = client.deliver(tests::sampleCheckIn("k1"));
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::NetworkUnreachable);
}

TEST_CASE("DeskClient::deliver: a 5xx is ServerError and an odd answer is BadReply")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    const net::TlsFiles tls{(dir.path() / "tls" / "ca.pem").string(),
                                   (dir.path() / "tls" / "terminal.pem").string(),
                                   (dir.path() / "tls" / "terminal.key").string()};
    struct Case {
        int status;
        const char* body;
        Errc expected;
    };
    const Case cases[] = {
        {500, R"({"error":{"code":"storage_error","message":"x"}})", Errc::ServerError},
        {503, "", Errc::ServerError},
        {201, R"({"status":"something else"})", Errc::BadReply},
        {200, "not json", Errc::BadReply},
        {302, "", Errc::BadReply},
        {400, R"({"error":{"code":"bad_request","message":"x"}})", Errc::ServerRejected},
    };
    for (const auto& c : cases) {
        StubDesk stub(dir.path(), c.status, c.body);
        DeskClient client(stub.url(), tls, kTimeouts);
        auto result = client.deliver(tests::sampleCheckIn("k1"));
        INFO(c.status << " " << c.body);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == c.expected);
        CHECK(result.error().native == c.status);
    }
}

} // namespace
