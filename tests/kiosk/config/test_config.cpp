#include "kiosk/config/config.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace uketsuke;
using namespace uketsuke::kiosk::config;

namespace {

std::string writeToml(const std::string& name, const std::string& text)
{
    auto dir = std::filesystem::temp_directory_path() /
               ("uketsuke-config-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
}

} // namespace

TEST_CASE("parseKioskArgs: --pki sets the TLS files and the virtual cards' folder")
{
    auto c = parseKioskArgs({"--pki", "/p", "--gateway", "https://g:1", "--desk", "https://d:2"});
    REQUIRE(c.has_value());
    CHECK(c->gatewayTls.ca == "/p/tls/ca.pem");
    CHECK(c->gatewayTls.cert == "/p/tls/terminal.pem");
    CHECK(c->deskTls.key == "/p/tls/terminal.key");
    CHECK(c->simPkiDir == "/p");
    CHECK(c->gatewayUrl == "https://g:1");
    CHECK(c->deskUrl == "https://d:2");
    CHECK(c->fullscreen);
}

TEST_CASE("parseKioskArgs: --help and --version need nothing else")
{
    CHECK(parseKioskArgs({"--help"})->action == KioskConfig::Action::Help);
    CHECK(parseKioskArgs({"--version"})->action == KioskConfig::Action::Version);
}

TEST_CASE("parseKioskArgs: flags override the config file")
{
    auto file = writeToml("k.toml", R"(
clinic_code = "1311111111"
[ui]
width = 800
fullscreen = false
[gateway]
url = "https://from-file:1"
[timeouts]
enter_pin_s = 30
)");
    auto c = parseKioskArgs({"--config", file, "--pki", "/p", "--gateway", "https://flag:2"});
    REQUIRE(c.has_value());
    CHECK(c->clinicCode == "1311111111");
    CHECK(c->width == 800);
    CHECK_FALSE(c->fullscreen);
    CHECK(c->gatewayUrl == "https://flag:2");
    CHECK(c->timeouts.enterPin == std::chrono::seconds(30));
}

TEST_CASE("parseKioskArgs: a bad flag or key is one clear line")
{
    auto unknown = parseKioskArgs({"--pki", "/p", "--colour", "red"});
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().code == Errc::ConfigInvalid);
    CHECK(unknown.error().message.find("--colour") != std::string::npos);

    auto missingValue = parseKioskArgs({"--pki"});
    REQUIRE_FALSE(missingValue.has_value());
    CHECK(missingValue.error().message.find("--pki") != std::string::npos);

    auto badKey = parseKioskArgs({"--config", writeToml("bad.toml", "colour = 1\n"), "--pki", "/p"});
    REQUIRE_FALSE(badKey.has_value());
    CHECK(badKey.error().message.find("colour") != std::string::npos);

    auto badValue =
        parseKioskArgs({"--config", writeToml("neg.toml", "[ui]\nwidth = -3\n"), "--pki", "/p"});
    REQUIRE_FALSE(badValue.has_value());
    CHECK(badValue.error().message.find("ui.width") != std::string::npos);

    auto badUrl = parseKioskArgs({"--pki", "/p", "--desk", "http://plain"});
    REQUIRE_FALSE(badUrl.has_value());
    CHECK(badUrl.error().message.find("desk.url") != std::string::npos);

    auto corrupt = parseKioskArgs({"--config", writeToml("corrupt.toml", "[ui\nwidth=")});
    REQUIRE_FALSE(corrupt.has_value());
    CHECK(corrupt.error().code == Errc::ConfigInvalid);
    CHECK(corrupt.error().message.find('\n') == std::string::npos);

    auto missing = parseKioskArgs({"--config", "/nonexistent/kiosk.toml"});
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == Errc::ConfigMissing);
}

TEST_CASE("parseKioskArgs: headless needs a script, and the sim reader needs a PKI")
{
    CHECK_FALSE(parseKioskArgs({"--pki", "/p", "--headless"}).has_value());
    CHECK(parseKioskArgs({"--pki", "/p", "--headless", "--script", "s"})->headless);
    CHECK_FALSE(parseKioskArgs({}).has_value());
}
