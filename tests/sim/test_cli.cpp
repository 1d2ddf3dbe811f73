#include "sim/cli.hpp"

#include "base/files.hpp"
#include "base/time.hpp"
#include "sim/activation.hpp"
#include "sim/pki.hpp"
#include "tests/sim/support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace uketsuke::sim;
using uketsuke::sim::testing::ScratchDir;

struct Run {
    int status = -1;
    std::string out;
    std::string err;
};

Run run(const std::vector<std::string>& args)
{
    std::ostringstream out;
    std::ostringstream err;
    Run result;
    result.status = runCli(args, out, err);
    result.out = out.str();
    result.err = err.str();
    return result;
}

bool oneLine(const std::string& text)
{
    return !text.empty() && text.find('\n') == text.size() - 1;
}

TEST_CASE("runCli: --help prints the usage on stdout")
{
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--help"}, {"-h"}, {"gateway", "--help"}, {"pki", "--out", "x", "--help"}}) {
        Run result = run(args);
        CHECK(result.status == kExitOk);
        CHECK(result.out.find("usage: uketsuke-sim") != std::string::npos);
        CHECK(result.out.find("--trust-ca FILE") != std::string::npos);
        CHECK(result.out.find("gateway activation-code") != std::string::npos);
        CHECK(result.out.find("--valid-hours HOURS") != std::string::npos);
        CHECK(result.err.empty());
    }
}

TEST_CASE("runCli: --version prints the version")
{
    Run result = run({"--version"});
    CHECK(result.status == kExitOk);
    CHECK(result.out == std::string("uketsuke-sim ") + UKETSUKE_VERSION + "\n");
}

TEST_CASE("runCli: bad command lines exit 2 with one line naming the problem")
{
    struct Case {
        std::vector<std::string> args;
        std::string mentions;
    };
    const Case cases[] = {
        {{}, "no command"},
        {{"--bogus"}, "--bogus"},
        {{"serve"}, "'serve'"},
        {{"pki", "--listen", "x"}, "--listen"},
        {{"pki"}, "--out"},
        {{"pki", "--out"}, "--out needs a value"},
        {{"pki", "--out", "a", "--out", "b"}, "--out given twice"},
        {{"gateway", "--pki", "p"}, "--listen"},
        {{"gateway", "--pki", "p", "--listen", "8443"}, "HOST:PORT"},
        {{"gateway", "--pki", "p", "--listen", "127.0.0.1:99999"}, "0-65535"},
        {{"gateway", "--pki", "p", "--listen", "::1:0"}, "brackets"},
        {{"gateway", "--pki", "p", "--listen", "127.0.0.1:0", "extra"}, "'extra'"},
    };
    for (const auto& c : cases) {
        Run result = run(c.args);
        INFO(result.err);
        CHECK(result.status == kExitUsage);
        CHECK(oneLine(result.err));
        CHECK(result.err.find(c.mentions) != std::string::npos);
        CHECK(result.out.empty());
    }
}

TEST_CASE("runCli: a bad config file exits 2 naming the key")
{
    ScratchDir scratch;
    const auto config = scratch.path() / "sim.toml";

    REQUIRE(uketsuke::files::writeFile(config, "listen = \"127.0.0.1:0\"\npki = \"p\"\nlisten_port = 5\n"));
    Run unknown = run({"gateway", "--config", config.string()});
    CHECK(unknown.status == kExitUsage);
    CHECK(oneLine(unknown.err));
    CHECK(unknown.err.find("'listen_port'") != std::string::npos);

    REQUIRE(uketsuke::files::writeFile(config, "listen = 8443\n"));
    Run wrongType = run({"gateway", "--config", config.string()});
    CHECK(wrongType.status == kExitUsage);
    CHECK(wrongType.err.find("'listen'") != std::string::npos);

    REQUIRE(uketsuke::files::writeFile(config, "listen = \"unterminated\n"));
    Run syntax = run({"gateway", "--config", config.string()});
    CHECK(syntax.status == kExitUsage);
    CHECK(oneLine(syntax.err));

    Run missing = run({"gateway", "--config", (scratch.path() / "none.toml").string()});
    CHECK(missing.status == kExitUsage);
    CHECK(oneLine(missing.err));
}

TEST_CASE("runCli: a gateway without a PKI exits 2 saying what is missing")
{
    ScratchDir scratch;
    Run result = run({"gateway", "--pki", (scratch.path() / "none").string(), "--listen",
                      "127.0.0.1:0"});
    CHECK(result.status == kExitUsage);
    CHECK(oneLine(result.err));
    CHECK(result.err.find("gateway.pem") != std::string::npos);
}

TEST_CASE("runCli: pki reads --config, with paths relative to the config file, flags winning")
{
    ScratchDir scratch;
    REQUIRE(uketsuke::files::writeFile(scratch.path() / "people.json",
                      uketsuke::sim::testing::onePersonaJson("only", "UKTEST-CLI-1")));
    REQUIRE(uketsuke::files::writeFile(scratch.path() / "sim.toml",
                      "out = \"from-config\"\npersonas = \"people.json\"\n"));

    Run result = run({"pki", "--config", (scratch.path() / "sim.toml").string(), "--out",
                      (scratch.path() / "from-flag").string()});
    INFO(result.err);
    REQUIRE(result.status == kExitOk);
    const PkiLayout layout(scratch.path() / "from-flag");
    CHECK(std::filesystem::is_regular_file(layout.cardCertificate("only")));
    CHECK_FALSE(std::filesystem::exists(layout.cardCertificate("valid")));
    CHECK_FALSE(std::filesystem::exists(scratch.path() / "from-config"));
}

TEST_CASE("runCli: pki with a bad personas file exits 2")
{
    ScratchDir scratch;
    REQUIRE(uketsuke::files::writeFile(scratch.path() / "people.json", "{\"format\": 1}"));
    Run result = run({"pki", "--out", (scratch.path() / "pki").string(), "--personas",
                      (scratch.path() / "people.json").string()});
    CHECK(result.status == kExitUsage);
    CHECK(oneLine(result.err));
    CHECK(result.err.find("personas") != std::string::npos);
}

TEST_CASE("runCli: a card persona that is not a plain name exits 2 naming the flag or key")
{
    Run flag = run({"card", "--pki", "p", "--persona", "../x"});
    CHECK(flag.status == kExitUsage);
    CHECK(oneLine(flag.err));
    CHECK(flag.err.find("--persona") != std::string::npos);

    ScratchDir scratch;
    const auto config = scratch.path() / "sim.toml";
    REQUIRE(uketsuke::files::writeFile(config, "pki = \"p\"\npersona = \"a/b\"\n"));
    Run key = run({"card", "--config", config.string()});
    CHECK(key.status == kExitUsage);
    CHECK(oneLine(key.err));
    CHECK(key.err.find("'persona'") != std::string::npos);
}

TEST_CASE("runCli: the gateway takes the server limits as flags and keys")
{
    Run flag = run({"gateway", "--pki", "p", "--listen", "127.0.0.1:0", "--max-body-bytes", "12"});
    CHECK(flag.status == kExitUsage);
    CHECK(oneLine(flag.err));
    CHECK(flag.err.find("--max-body-bytes") != std::string::npos);

    ScratchDir scratch;
    const auto config = scratch.path() / "sim.toml";
    REQUIRE(uketsuke::files::writeFile(config, "pki = \"p\"\nlisten = \"127.0.0.1:0\"\n"
                                               "handshake_timeout_ms = \"5s\"\n"));
    Run key = run({"gateway", "--config", config.string()});
    CHECK(key.status == kExitUsage);
    CHECK(oneLine(key.err));
    CHECK(key.err.find("'handshake_timeout_ms'") != std::string::npos);

    // Good limits pass the parser: what fails then is the missing PKI, exit 2 naming its file.
    Run fine = run({"gateway", "--pki", (scratch.path() / "none").string(), "--listen",
                    "127.0.0.1:0", "--max-connections", "10", "--idle-timeout-ms", "1000"});
    CHECK(fine.status == kExitUsage);
    CHECK(fine.err.find("gateway.pem") != std::string::npos);
}

TEST_CASE("runCli: gateway activation-code prints the code in groups of four and its expiry")
{
    using namespace std::chrono_literals;
    ScratchDir scratch;
    const PkiLayout pki = uketsuke::sim::testing::copyOfSharedPki(scratch.path() / "pki");
    const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    Run result = run({"gateway", "activation-code", "--pki", pki.root().string(), "--terminal",
                      "KIOSK-0002"});
    const auto after = std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now());
    INFO(result.err);
    REQUIRE(result.status == kExitOk);
    std::smatch match;
    REQUIRE(std::regex_match(
        result.out, match,
        std::regex("(\\d{4}) (\\d{4}) (\\d{4})\nvalid until (\\S+) for terminal KIOSK-0002 at "
                   "clinic 1399999999\n")));
    const std::string code = match[1].str() + match[2].str() + match[3].str();
    const auto expiresAt = uketsuke::time::parseIsoUtc(match[4].str());
    REQUIRE(expiresAt);
    CHECK(*expiresAt >= before + 24h);
    CHECK(*expiresAt <= after + 24h);

    // The code is in the PKI's activation folder for that terminal and the default clinic.
    const ActivationStore codes(pki.activationDir());
    auto check = codes.check(code, kDefaultClinicCode, std::chrono::system_clock::now());
    CHECK(check.state == CodeState::Open);
    CHECK(check.activation.terminalId == "KIOSK-0002");
    CHECK(check.activation.expiresAt == *expiresAt);

    Run other = run({"gateway", "activation-code", "--pki", pki.root().string(), "--terminal",
                     "KIOSK-0003", "--clinic", "1311111111", "--valid-hours", "2"});
    REQUIRE(other.status == kExitOk);
    REQUIRE(std::regex_search(other.out, match, std::regex("^(\\d{4}) (\\d{4}) (\\d{4})\n")));
    auto second = codes.check(match[1].str() + match[2].str() + match[3].str(), "1311111111",
                              std::chrono::system_clock::now());
    CHECK(second.state == CodeState::Open);
    CHECK(second.activation.terminalId == "KIOSK-0003");
    CHECK(second.activation.expiresAt <= after + 2h + 5s);
    CHECK(second.activation.expiresAt < *expiresAt);
}

TEST_CASE("runCli: gateway activation-code with bad arguments exits 2 with one line")
{
    ScratchDir scratch;
    const PkiLayout pki = uketsuke::sim::testing::copyOfSharedPki(scratch.path() / "pki");
    const std::string dir = pki.root().string();
    struct Case {
        std::vector<std::string> args;
        std::string mentions;
    };
    const Case cases[] = {
        {{"gateway", "activation-code", "--pki", dir}, "--terminal"},
        {{"gateway", "activation-code", "--terminal", "KIOSK-0002"}, "--pki"},
        {{"gateway", "activation-code", "--pki", dir, "--terminal", "../x"}, "--terminal"},
        {{"gateway", "activation-code", "--pki", dir, "--terminal", "KIOSK-0002", "--clinic",
          "139999999"},
         "--clinic"},
        {{"gateway", "activation-code", "--pki", dir, "--terminal", "KIOSK-0002",
          "--valid-hours", "0"},
         "--valid-hours"},
        {{"gateway", "activation-code", "--pki", dir, "--terminal", "KIOSK-0002",
          "--valid-hours", "721"},
         "--valid-hours"},
        {{"gateway", "activation-code", "--pki", dir, "--terminal", "KIOSK-0002", "--listen",
          "127.0.0.1:0"},
         "--listen"},
        {{"gateway", "activation-code", "--pki", dir, "--terminal", "KIOSK-0002", "extra"},
         "'extra'"},
        {{"gateway", "activation-code", "--pki", (scratch.path() / "none").string(),
          "--terminal", "KIOSK-0002"},
         "ca.pem"},
    };
    for (const auto& c : cases) {
        Run result = run(c.args);
        INFO(result.err);
        CHECK(result.status == kExitUsage);
        CHECK(oneLine(result.err));
        CHECK(result.err.find(c.mentions) != std::string::npos);
        CHECK(result.out.empty());
    }
    // Nothing was written for any of them.
    CHECK_FALSE(std::filesystem::exists(pki.activationDir()));
}

} // namespace
