// Pairing with the desk (kiosk/app/pairing.hpp): against the real desk server in this process
// (tests/desk/running_desk.hpp, pairing on as in uketsuke-desk), and against a stub desk that
// answers with a real pairing service but tampers with the reply. The desk's side:
// tests/desk/test_pairing.cpp.

#include "kiosk/app/pairing.hpp"

#include "base/hex.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "kiosk/app/staff_tests.hpp"
#include "kiosk/app/startup_checks.hpp"
#include "kiosk/model/health.hpp"
#include "kiosk/model/pairing.hpp"
#include "net/https_client.hpp"
#include "net/server.hpp"
#include "tests/desk/running_desk.hpp"
#include "tests/desk/sample_checkin.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>

namespace {

using namespace uketsuke;
namespace fs = std::filesystem;
using namespace std::chrono;
using kiosk::app::pairWithDesk;

const net::Timeouts kTimeouts{milliseconds(3000), milliseconds(10000)};

// A terminal's configuration: the gateway's files from the desk's test PKI, the desk's files of
// its own in `dir` (not there yet).
kiosk::config::KioskConfig terminalConfig(const fs::path& pki, const fs::path& dir,
                                          const std::string& terminalId = "KIOSK-0007")
{
    kiosk::config::KioskConfig config;
    config.terminalId = terminalId;
    config.gatewayTls = {(pki / "tls" / "ca.pem").string(), (pki / "tls" / "terminal.pem").string(),
                         (pki / "tls" / "terminal.key").string()};
    config.deskTls = {(dir / "desk-ca.pem").string(), (dir / "desk.pem").string(),
                      (dir / "desk.key").string()};
    return config;
}

std::string url(int port)
{
    return "https://127.0.0.1:" + std::to_string(port);
}

// POST /api/v1/terminals/health with the terminal's desk files: the status.
long postHealth(const kiosk::config::KioskConfig& config, int port)
{
    net::HttpsClient client(
        net::TlsFiles{config.deskTls.ca, config.deskTls.cert, config.deskTls.key}, kTimeouts);
    auto answer = client.postJson(url(port) + "/api/v1/terminals/health",
                                  kiosk::model::toJson(tests::sampleHealth(config.terminalId)).dump());
    REQUIRE(answer);
    return answer->status;
}

TEST_CASE("pairWithDesk: a code from the desk gives desk files that check and reach the desk")
{
    tests::RunningDesk desk;
    tests::TempDir terminal;
    // The terminal the gateway knows as KIOSK-0001 (the test PKI's certificate) pairs as that.
    auto config = terminalConfig(desk.dir.path(), terminal.path() / "desk", "KIOSK-0001");
    auto code = desk.pairing->makeCode("KIOSK-0001", system_clock::now());
    REQUIRE(code);

    // Typed as people read it.
    const std::string typed = code->code.substr(0, 4) + " " + code->code.substr(4, 4) + "-" +
                              code->code.substr(8);
    auto paired = pairWithDesk(config, url(desk.port), typed, kTimeouts);
    REQUIRE(paired);
    CHECK(paired->terminalId == "KIOSK-0001");
    CHECK(paired->notAfter > system_clock::now() + hours(24 * 300));
    CHECK((fs::status(config.deskTls.key).permissions() & fs::perms::group_all) ==
          fs::perms::none);
    CHECK_FALSE(fs::exists(config.deskTls.key + ".new"));
    CHECK_FALSE(fs::exists(config.deskTls.cert + ".new"));
    // The start-up checks take the new files.
    for (const auto& check : kiosk::app::runStartupChecks(config)) {
        INFO(check.key << ": " << check.message);
        CHECK(check.status == kiosk::app::StartupCheck::Status::Ok);
    }
    // The gateway's files are untouched: still the clinic CA's certificate.
    auto gateway = crypto::readPemCertificate(config.gatewayTls.cert);
    REQUIRE(gateway);
    CHECK(crypto::issuerOneLine(gateway->get()).find("pairing") == std::string::npos);

    CHECK(postHealth(config, desk.port) == 200);

    // Revoked at the desk: refused from the next request on.
    REQUIRE(desk.pairing->revoke("KIOSK-0001", "admin1", system_clock::now()));
    CHECK(postHealth(config, desk.port) == 403);
}

TEST_CASE("pairWithDesk: a used, wrong or malformed code is refused and installs nothing")
{
    tests::RunningDesk desk;
    tests::TempDir first;
    tests::TempDir second;
    auto code = desk.pairing->makeCode("KIOSK-0007", system_clock::now());
    REQUIRE(code);
    REQUIRE(pairWithDesk(terminalConfig(desk.dir.path(), first.path()), url(desk.port), code->code,
                         kTimeouts));

    auto config = terminalConfig(desk.dir.path(), second.path());
    auto reused = pairWithDesk(config, url(desk.port), code->code, kTimeouts);
    REQUIRE_FALSE(reused);
    CHECK(reused.error().code == Errc::ServerRejected);
    CHECK(reused.error().message.find("pairing_refused") != std::string::npos);
    // What the staff menu's pairing page says about it.
    const auto page = kiosk::app::pairFailure(reused.error());
    CHECK(page.key == "staff.pair.refused");
    CHECK(page.detail == "pairing_refused");
    CHECK_FALSE(fs::exists(config.deskTls.cert));
    CHECK_FALSE(fs::exists(config.deskTls.key));
    CHECK_FALSE(fs::exists(config.deskTls.ca));

    for (const std::string& typed : std::vector<std::string>{"1234", "1234 5678 901x", "1234567890123"}) {
        auto malformed = pairWithDesk(config, url(desk.port), typed, kTimeouts);
        REQUIRE_FALSE(malformed);
        CHECK(malformed.error().code == Errc::InvalidArgument);
        CHECK(kiosk::app::pairFailure(malformed.error()).key == "staff.pair.incomplete");
    }
}

TEST_CASE("pairWithDesk: a desk that is not there is unreachable, and nothing is installed")
{
    tests::TempDir dir;
    int port = 0;
    {
        tests::RunningDesk gone; // a port that was a desk's a moment ago
        port = gone.port;
    }
    auto config = terminalConfig(dir.path(), dir.path());
    auto unreachable = pairWithDesk(config, url(port), "1234 5678 9012", kTimeouts);
    REQUIRE_FALSE(unreachable);
    CHECK(kiosk::app::pairFailure(unreachable.error()).key == "staff.pair.unreachable");
    CHECK_FALSE(fs::exists(config.deskTls.cert));
}

TEST_CASE("pairWithDesk: refuses to write over the gateway's files")
{
    tests::RunningDesk desk;
    auto config = terminalConfig(desk.dir.path(), desk.dir.path());
    config.deskTls = config.gatewayTls;
    auto code = desk.pairing->makeCode("KIOSK-0007", system_clock::now());
    REQUIRE(code);
    auto refused = pairWithDesk(config, url(desk.port), code->code, kTimeouts);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::ConfigInvalid);
    CHECK(kiosk::app::pairFailure(refused.error()).key == "staff.pair.config");
    // Only the CA shared: refused too.
    tests::TempDir dir;
    config = terminalConfig(desk.dir.path(), dir.path());
    config.deskTls.ca = config.gatewayTls.ca;
    auto sharedCa = pairWithDesk(config, url(desk.port), code->code, kTimeouts);
    REQUIRE_FALSE(sharedCa);
    CHECK(sharedCa.error().code == Errc::ConfigInvalid);
    // The code was never sent: it still pairs.
    config = terminalConfig(desk.dir.path(), dir.path());
    CHECK(pairWithDesk(config, url(desk.port), code->code, kTimeouts));
}

// A desk that answers POST /api/v1/pair with a real pairing service, then tampers.
enum class Tamper {
    CaSwapped,    // another CA put in "ca" after the proof was made
    NoCode,       // an impostor that does not know the code: its own proof
    CaNotDesks,   // a correct proof over a "ca" that does not vouch for the desk's certificate
};

class StubDesk {
public:
    StubDesk(const fs::path& pki, Tamper tamper) : m_tamper(tamper)
    {
        const auto ca = pki / "tls" / "ca.pem";
        auto pairing = desk::PairingService::open(pki / "stub", ca, ca);
        REQUIRE(pairing);
        m_pairing = std::move(*pairing);
        auto code = m_pairing->makeCode("KIOSK-0007", system_clock::now());
        REQUIRE(code);
        m_code = code->code;
        net::TlsSettings tls;
        tls.certFile = (pki / "tls" / "desk.pem").string();
        tls.keyFile = (pki / "tls" / "desk.key").string();
        tls.clientAuth = net::ClientAuth::None;
        net::Router router;
        router.add(
            "POST", "/api/v1/pair", [this](const net::Request& request) { return answer(request); },
            net::RouteOptions{false});
        auto port = m_server.listen("127.0.0.1", 0, tls, std::move(router));
        REQUIRE(port);
        m_port = *port;
        m_server.start();
    }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(m_port); }
    const std::string& code() const { return m_code; }

private:
    net::Response answer(const net::Request& request)
    {
        auto outcome = m_pairing->pair(request.body, system_clock::now());
        if (!outcome || outcome->refusal != desk::PairRefusal::None) {
            return net::Response::json(403, R"({"error":{"code":"pairing_refused","message":"x"}})");
        }
        kiosk::model::PairReply reply = outcome->reply;
        auto foreign = crypto::certificateToPem(m_pairing->caCertificate());
        REQUIRE(foreign);
        switch (m_tamper) {
        case Tamper::CaSwapped:
            reply.ca = *foreign;
            break;
        case Tamper::NoCode:
            reply.proof = std::string(64, 'a');
            break;
        case Tamper::CaNotDesks: {
            // The proof made again with the code, over a ca that did not issue desk.pem.
            reply.ca = *foreign;
            auto digest = crypto::sha256(std::span(
                reinterpret_cast<const std::uint8_t*>(m_code.data()), m_code.size()));
            REQUIRE(digest);
            const std::string key = hex(*digest, HexCase::Lower);
            auto mac = crypto::hmacSha256(
                std::span(reinterpret_cast<const std::uint8_t*>(key.data()), key.size()),
                kiosk::model::replyProofText(reply));
            REQUIRE(mac);
            reply.proof = hex(*mac, HexCase::Lower);
            break;
        }
        }
        return net::Response::json(200, kiosk::model::pairReplyToJson(reply));
    }

    Tamper m_tamper;
    std::unique_ptr<desk::PairingService> m_pairing;
    std::string m_code;
    net::Server m_server;
    int m_port = 0;
};

TEST_CASE("pairWithDesk: a reply that does not prove the code or the desk installs nothing")
{
    tests::TempDir pki;
    tests::writeTestPki(pki.path());
    for (Tamper tamper : {Tamper::CaSwapped, Tamper::NoCode, Tamper::CaNotDesks}) {
        INFO(static_cast<int>(tamper));
        StubDesk stub(pki.path(), tamper);
        tests::TempDir dir;
        auto config = terminalConfig(pki.path(), dir.path());
        auto paired = pairWithDesk(config, stub.url(), stub.code(), kTimeouts);
        REQUIRE_FALSE(paired);
        CHECK(paired.error().code == Errc::BadReply);
        CHECK_FALSE(fs::exists(config.deskTls.cert));
        CHECK_FALSE(fs::exists(config.deskTls.key));
        CHECK_FALSE(fs::exists(config.deskTls.ca));
    }
}

TEST_CASE("pairCommand: reads the code from standard input, exit statuses")
{
    tests::RunningDesk desk;
    tests::TempDir dir;
    auto config = terminalConfig(desk.dir.path(), dir.path());
    config.deskUrl = url(desk.port);
    auto code = desk.pairing->makeCode("KIOSK-0007", system_clock::now());
    REQUIRE(code);
    std::istringstream in(code->code + "\n");
    std::ostringstream out;
    std::ostringstream err;
    CHECK(kiosk::app::pairCommand(config, in, false, out, err) == 0);
    CHECK(out.str().rfind("paired as KIOSK-0007, certificate until ", 0) == 0);

    std::istringstream again(code->code + "\n");
    std::ostringstream err2;
    CHECK(kiosk::app::pairCommand(config, again, false, out, err2) == 1);
    CHECK(err2.str().find("pairing_refused") != std::string::npos);
    // The error names no code.
    CHECK(err2.str().find(code->code) == std::string::npos);

    std::istringstream bad("12\n");
    std::ostringstream err3;
    CHECK(kiosk::app::pairCommand(config, bad, false, out, err3) == 2);
}

} // namespace
