#include "desk/options.hpp"

#include "tests/desk/pki_fixture.hpp"

#include <catch2/catch.hpp>

#include <fstream>

namespace {

using namespace uketsuke;
using desk::parseCommandLine;

TEST_CASE("parseCommandLine: flags give the options")
{
    auto parsed =
        parseCommandLine({"--pki", "/p", "--listen", "0.0.0.0:0", "--data=/d", "--assets", "/a"});
    REQUIRE(parsed);
    CHECK(parsed->action == desk::Action::Run);
    CHECK(parsed->options.pkiDir == "/p");
    CHECK(parsed->options.listenHost == "0.0.0.0");
    CHECK(parsed->options.listenPort == 0);
    CHECK(parsed->options.dataDir == "/d");
    CHECK(parsed->options.assetsDir == "/a");
    CHECK(parsed->options.retentionDays == 30);
    CHECK(parsed->options.timeZone == "Asia/Tokyo");
}

TEST_CASE("parseCommandLine: export keys and the export command")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.toml";
    std::ofstream(file) << "pki = \"p\"\ndata = \"d\"\n[export]\ndir = \"out\"\n"
                           "encoding = \"shift_jis\"\n";
    auto serve = parseCommandLine({"--config", file.string()});
    REQUIRE(serve);
    CHECK(serve->action == desk::Action::Run);
    CHECK(serve->options.exporting.dir == dir.path() / "out");
    CHECK(serve->options.exporting.encoding == kiosk::model::XmlEncoding::ShiftJis);

    auto command = parseCommandLine({"--config", file.string(), "export", "--date=2026-12-05"});
    REQUIRE(command);
    CHECK(command->action == desk::Action::Export);
    CHECK(command->options.exportDate == "2026-12-05");

    CHECK_FALSE(parseCommandLine({"--config", file.string(), "export"}));
    CHECK_FALSE(parseCommandLine({"--config", file.string(), "export", "--date", "5.12.2026"}));
    CHECK_FALSE(parseCommandLine({"--config", file.string(), "--date", "2026-12-05"}));
    CHECK_FALSE(parseCommandLine({"--config", file.string(), "import"}));
    CHECK_FALSE(parseCommandLine({"--pki", "p", "--data", "d", "export", "--date", "2026-12-05"}));
    CHECK(parseCommandLine({"--pki", "p", "--data", "d"})->options.exporting.dir.empty());
}

TEST_CASE("parseCommandLine: metrics.allow and metrics.terminal_up_s")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.toml";
    std::ofstream(file) << "pki = \"p\"\ndata = \"d\"\n[metrics]\n"
                           "allow = [\"192.0.2.10\", \"::ffff:192.0.2.11\"]\nterminal_up_s = 300\n";
    auto parsed = parseCommandLine({"--config", file.string()});
    REQUIRE(parsed);
    CHECK(parsed->options.metricsAllow ==
          std::vector<std::string>{"192.0.2.10", "::ffff:192.0.2.11"});
    CHECK(parsed->options.terminalUpSeconds == 300);
    auto defaults = parseCommandLine({"--pki", "p", "--data", "d"});
    REQUIRE(defaults);
    CHECK(defaults->options.metricsAllow.empty());
    CHECK(defaults->options.terminalUpSeconds == 150);
}

TEST_CASE("parseCommandLine: card_left_s, 60 s by default, 10 s to an hour")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.toml";
    std::ofstream(file) << "pki = \"p\"\ndata = \"d\"\ncard_left_s = 120\n";
    auto parsed = parseCommandLine({"--config", file.string()});
    REQUIRE(parsed);
    CHECK(parsed->options.cardLeftSeconds == 120);
    CHECK(parseCommandLine({"--pki", "p", "--data", "d"})->options.cardLeftSeconds == 60);
    std::ofstream(file) << "pki = \"p\"\ndata = \"d\"\ncard_left_s = 5\n";
    auto refused = parseCommandLine({"--config", file.string()});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("card_left_s") != std::string::npos);
}

TEST_CASE("parseCommandLine: the 資格確認端末's folders and clinic_code turn re-checks on")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.toml";
    std::ofstream(file) << "pki = \"p\"\ndata = \"d\"\nclinic_code = \"1312345678\"\n[oqs]\n"
                           "req_dir = \"req\"\nres_dir = \"res\"\nencoding = \"shift_jis\"\n"
                           "timeout_s = 45\n";
    auto parsed = parseCommandLine({"--config", file.string()});
    REQUIRE(parsed);
    const auto& recheck = parsed->options.recheck;
    CHECK(recheck.enabled());
    CHECK(recheck.reqDir == (dir.path() / "req").string());
    CHECK(recheck.resDir == (dir.path() / "res").string());
    CHECK(recheck.clinicCode == "1312345678");
    CHECK(recheck.encoding == kiosk::model::XmlEncoding::ShiftJis);
    CHECK(recheck.timeout == std::chrono::seconds(45));
    auto off = parseCommandLine({"--pki", "p", "--data", "d"});
    REQUIRE(off);
    CHECK_FALSE(off->options.recheck.enabled());

    std::ofstream(file) << "pki = \"p\"\ndata = \"d\"\n[oqs]\nreq_dir = \"req\"\n";
    auto half = parseCommandLine({"--config", file.string()});
    REQUIRE_FALSE(half);
    CHECK(half.error().message.find("oqs.res_dir") != std::string::npos);
    std::ofstream(file) << "pki = \"p\"\ndata = \"d\"\nclinic_code = \"abc\"\n";
    auto code = parseCommandLine({"--config", file.string()});
    REQUIRE_FALSE(code);
    CHECK(code.error().message.find("clinic_code") != std::string::npos);
}

TEST_CASE("parseCommandLine: time_zone takes a tz database name, the kiosk's key")
{
    tests::TempDir dir;
    const auto good = dir.path() / "good.toml";
    std::ofstream(good) << "pki = \"p\"\ndata = \"d\"\ntime_zone = \"UTC\"\n";
    auto parsed = parseCommandLine({"--config", good.string()});
    REQUIRE(parsed);
    CHECK(parsed->options.timeZone == "UTC");

    const auto bad = dir.path() / "bad.toml";
    std::ofstream(bad) << "pki = \"p\"\ndata = \"d\"\ntime_zone = \"Tokyo\"\n";
    auto refused = parseCommandLine({"--config", bad.string()});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::ConfigInvalid);
    CHECK(refused.error().message.find("time_zone") != std::string::npos);
}

TEST_CASE("parseCommandLine: --help and --version win")
{
    CHECK(parseCommandLine({"--bogus", "--help"})->action == desk::Action::Help);
    CHECK(parseCommandLine({"--version"})->action == desk::Action::Version);
    CHECK(desk::usage().find("--pki DIR") != std::string::npos);
}

TEST_CASE("parseCommandLine: unknown flags, missing values and missing options name the flag")
{
    auto unknown = parseCommandLine({"--pki", "/p", "--data", "/d", "--colour"});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == Errc::InvalidArgument);
    CHECK(unknown.error().message.find("--colour") != std::string::npos);

    auto noValue = parseCommandLine({"--pki"});
    REQUIRE_FALSE(noValue);
    CHECK(noValue.error().message.find("--pki") != std::string::npos);

    auto noData = parseCommandLine({"--pki", "/p"});
    REQUIRE_FALSE(noData);
    CHECK(noData.error().message.find("--data") != std::string::npos);

    auto badListen = parseCommandLine({"--pki", "/p", "--data", "/d", "--listen", "host"});
    REQUIRE_FALSE(badListen);
    CHECK(badListen.error().message.find("--listen") != std::string::npos);
}

TEST_CASE("parseCommandLine: the config file gives defaults that flags override")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.toml";
    std::ofstream(file) << "pki = \"pki\"\n"
                           "data = \"/var/lib/uketsuke\"\n"
                           "listen = \"[::1]:9443\"\n"
                           "retention_days = 7\n";
    auto parsed = parseCommandLine({"--config", file.string(), "--data", "/elsewhere"});
    REQUIRE(parsed);
    CHECK(parsed->options.pkiDir == (dir.path() / "pki").string()); // relative to the file
    CHECK(parsed->options.dataDir == "/elsewhere");
    CHECK(parsed->options.listenHost == "::1");
    CHECK(parsed->options.listenPort == 9443);
    CHECK(parsed->options.retentionDays == 7);
}

TEST_CASE("parseCommandLine: a bad config file names the key or the problem")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.toml";
    struct Case {
        const char* text;
        const char* named;
    };
    const Case cases[] = {
        {"pki = \"/p\"\ndata = \"/d\"\ncolour = \"blue\"\n", "colour"},
        {"pki = 3\ndata = \"/d\"\n", "pki"},
        {"pki = \"/p\"\ndata = \"/d\"\nretention_days = 0\n", "retention_days"},
        {"pki = \"/p\"\ndata = \"/d\"\nlisten = \"nowhere\"\n", "listen"},
        {"pki = \"/p\"\ndata = \n", "desk.toml"},
    };
    for (const auto& c : cases) {
        std::ofstream(file) << c.text;
        auto parsed = parseCommandLine({"--config", file.string()});
        INFO(c.text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::ConfigInvalid);
        CHECK(parsed.error().message.find(c.named) != std::string::npos);
        CHECK(parsed.error().message.find('\n') == std::string::npos);
    }
    auto missing = parseCommandLine({"--config", (dir.path() / "none.toml").string()});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::ConfigMissing);
}

TEST_CASE("parseCommandLine: the desk listens on 8444 by default, the terminal's desk.url port")
{
    auto parsed = parseCommandLine({"--pki", "/p", "--data", "/d"});
    REQUIRE(parsed);
    CHECK(parsed->options.listenHost == "127.0.0.1");
    CHECK(parsed->options.listenPort == 8444);
}

TEST_CASE("parseCommandLine: the server limits are flags and keys, net's defaults otherwise")
{
    auto defaults = parseCommandLine({"--pki", "/p", "--data", "/d"});
    REQUIRE(defaults);
    const net::Limits expected = desk::ServerSettings::defaultLimits();
    CHECK(defaults->options.limits.maxConnections == expected.maxConnections);
    CHECK(defaults->options.limits.maxConnectionsPerPeer == expected.maxConnectionsPerPeer);
    CHECK(defaults->options.limits.handshakeTimeout == expected.handshakeTimeout);
    CHECK(defaults->options.limits.requestTimeout == expected.requestTimeout);
    CHECK(defaults->options.limits.idleTimeout == expected.idleTimeout);
    CHECK(defaults->options.limits.maxBodyBytes == expected.maxBodyBytes);

    tests::TempDir dir;
    const auto file = dir.path() / "desk.toml";
    std::ofstream(file) << "pki = \"/p\"\ndata = \"/d\"\n"
                           "max_connections = 200\nmax_connections_per_peer = 8\n"
                           "handshake_timeout_ms = 2000\nidle_timeout_ms = 5000\n"
                           "max_body_bytes = 65536\n";
    auto parsed = parseCommandLine({"--config", file.string(), "--max-connections", "300",
                                    "--request-timeout-ms=4000"});
    REQUIRE(parsed);
    CHECK(parsed->options.limits.maxConnections == 300);
    CHECK(parsed->options.limits.maxConnectionsPerPeer == 8);
    CHECK(parsed->options.limits.handshakeTimeout == std::chrono::milliseconds(2000));
    CHECK(parsed->options.limits.requestTimeout == std::chrono::milliseconds(4000));
    CHECK(parsed->options.limits.idleTimeout == std::chrono::milliseconds(5000));
    CHECK(parsed->options.limits.maxBodyBytes == 65536);

    auto zero = parseCommandLine({"--pki", "/p", "--data", "/d", "--max-connections-per-peer", "0"});
    REQUIRE_FALSE(zero);
    CHECK(zero.error().code == Errc::InvalidArgument);
    CHECK(zero.error().message.find("--max-connections-per-peer") != std::string::npos);
}

} // namespace
