#include "kiosk/app/startup_checks.hpp"

#include "tests/desk/pki_fixture.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using Status = app::StartupCheck::Status;

namespace {

struct Pki {
    tests::TempDir dir;
    std::filesystem::path tls;
    Pki() : tls(dir.path() / "tls") { tests::writeTestPki(dir.path()); }
    std::string file(const std::string& name) const { return (tls / name).string(); }
};

config::KioskConfig configFor(const Pki& pki)
{
    config::KioskConfig config;
    config::applyPkiDir(config, pki.dir.path().string());
    return config;
}

const app::StartupCheck& find(const std::vector<app::StartupCheck>& checks, const std::string& key)
{
    for (const auto& check : checks) {
        if (check.key == key) {
            return check;
        }
    }
    FAIL("no check for " << key);
    throw std::logic_error("unreachable");
}

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream(path) << text;
}

} // namespace

TEST_CASE("Start-up checks: a complete PKI passes and names the terminal's CN")
{
    Pki pki;
    auto config = configFor(pki);
    config.terminalId = "KIOSK-0001";
    auto checks = app::runStartupChecks(config);
    CHECK(app::firstInvalid(checks) == nullptr);
    CHECK(app::missing(checks).empty());
    CHECK(find(checks, "gateway.cert").message == "CN=KIOSK-0001");
    CHECK(find(checks, "desk.key").status == Status::Ok);
    CHECK(find(checks, "terminal_id").status == Status::Ok);
    auto json = app::startupChecksJson(checks);
    CHECK(json["ok"] == true);
    CHECK(json["mode"] == "run");
}

TEST_CASE("Start-up checks: a missing client certificate or key means not ready, not invalid")
{
    Pki pki;
    auto config = configFor(pki);
    config.deskTls.cert = (pki.dir.path() / "enrolled" / "terminal.pem").string();
    config.deskTls.key = (pki.dir.path() / "enrolled" / "terminal.key").string();
    auto checks = app::runStartupChecks(config);
    CHECK(app::firstInvalid(checks) == nullptr);
    auto missing = app::missing(checks);
    REQUIRE(missing.size() == 2);
    CHECK(missing[0].key == "desk.cert");
    CHECK(missing[1].key == "desk.key");
    CHECK(app::startupChecksJson(checks)["mode"] == "not-ready");
}

TEST_CASE("Start-up checks: a terminal not paired with the desk yet (no desk files) is not ready")
{
    Pki pki;
    auto config = configFor(pki);
    const auto paired = pki.dir.path() / "paired";
    config.deskTls = {(paired / "desk-ca.pem").string(), (paired / "desk.pem").string(),
                      (paired / "desk.key").string()};
    auto checks = app::runStartupChecks(config);
    CHECK(app::firstInvalid(checks) == nullptr);
    auto missing = app::missing(checks);
    REQUIRE(missing.size() == 3);
    CHECK(missing[0].key == "desk.ca");
    CHECK(missing[1].key == "desk.cert");
    CHECK(missing[2].key == "desk.key");
    CHECK(app::startupChecksJson(checks)["mode"] == "not-ready");
    // The gateway's CA missing stays a mistake: nothing brings it.
    config.gatewayTls.ca = (paired / "gateway-ca.pem").string();
    config.gatewayTls.cert = (paired / "gateway.pem").string();
    const auto gatewayChecks = app::runStartupChecks(config);
    const app::StartupCheck* bad = app::firstInvalid(gatewayChecks);
    REQUIRE(bad != nullptr);
    CHECK(bad->key == "gateway.ca");
}

TEST_CASE("Start-up checks: a file that is there but wrong is invalid, naming its key")
{
    Pki pki;
    auto config = configFor(pki);
    std::string expectedKey;

    SECTION("a certificate that is not PEM")
    {
        writeText(pki.file("broken.pem"), "not a certificate\n");
        config.deskTls.cert = pki.file("broken.pem");
        expectedKey = "desk.cert";
    }
    SECTION("a key that is not PEM")
    {
        writeText(pki.file("broken.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n");
        config.gatewayTls.key = pki.file("broken.key");
        expectedKey = "gateway.key";
    }
    SECTION("a key of another certificate")
    {
        tests::writeClientCertificate(pki.dir.path(), "other", "KIOSK-0002");
        config.deskTls.key = pki.file("other.key");
        expectedKey = "desk.key";
    }
    SECTION("terminal_id is not the certificate's CN")
    {
        config.terminalId = "KIOSK-9999";
        expectedKey = "terminal_id";
    }
    SECTION("a CA that cannot be read")
    {
        config.deskTls.ca = pki.file("no-such-ca.pem");
        expectedKey = "desk.ca";
    }
    auto checks = app::runStartupChecks(config);
    const app::StartupCheck* bad = app::firstInvalid(checks);
    REQUIRE(bad != nullptr);
    CHECK(bad->key == expectedKey);
    CHECK(bad->message.find('\n') == std::string::npos);
    CHECK(app::startupChecksJson(checks)["mode"] == "invalid");
}

TEST_CASE("Start-up checks: the gateway's files are checked only when the gateway is used")
{
    Pki pki;
    auto config = configFor(pki);
    config.eligibility = config::EligibilityKind::OqsFiles;
    config.gatewayTls.cert = pki.file("no-such.pem");
    auto checks = app::runStartupChecks(config);
    CHECK(app::firstInvalid(checks) == nullptr);
    CHECK(app::missing(checks).empty());
    for (const auto& check : checks) {
        CHECK(check.key.rfind("gateway.", 0) != 0);
    }
}
