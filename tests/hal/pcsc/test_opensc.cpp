// OpenSC as an independent client of `uketsuke-sim card` behind the real pcscd + vpcd
// (docs/pcsc.md): if OpenSC's jpki driver treats the virtual card like a real one,
// the card model follows the card's protocol rather than only our own client's habits.

#include <catch2/catch.hpp>

#include "hal/pcsc/pcsc_reader.hpp"
#include "tests/hal/pcsc/pcsc_sandbox.hpp"
#include "tests/support/test_card.hpp"

#include <fstream>
#include <regex>
#include <unistd.h>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;
using test::runCommand;

constexpr const char* kPkcs15Tool = "/usr/bin/pkcs15-tool";
constexpr const char* kPkcs11Tool = "/usr/bin/pkcs11-tool";
constexpr const char* kOpenssl = "/usr/bin/openssl";
constexpr const char* kP11Module = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";

struct OpenScSandbox {
    test::TempDir dir;
    test::Pcscd pcscd{dir.path()};
    test::Process card;

    explicit OpenScSandbox(const std::string& persona)
    {
        pcscd.start();
        card = test::startSimCard(persona, dir.path());
        // Ready when pcscd reports the card (a condition, not a delay).
        hal::pcsc::PcscReader reader;
        auto change = reader.waitForChange(hal::CardPresence::Absent, 20s);
        REQUIRE(change);
        REQUIRE(change->presence == hal::CardPresence::Present);
    }
};

bool haveOpenSc()
{
    return access(kPkcs15Tool, X_OK) == 0 && access(kPkcs11Tool, X_OK) == 0 &&
           access(kP11Module, R_OK) == 0 && access(kOpenssl, X_OK) == 0;
}

// "Tries left : N" of each PIN, in the order pkcs15-tool lists them.
std::vector<int> triesLeft(const std::string& listing)
{
    std::vector<int> out;
    std::regex line(R"(Tries left\s*:\s*(\d+))");
    for (auto it = std::sregex_iterator(listing.begin(), listing.end(), line);
         it != std::sregex_iterator(); ++it) {
        out.push_back(std::stoi((*it)[1].str()));
    }
    return out;
}

TEST_CASE("OpenSC: pkcs15-tool --list-pins shows the tries left of the card")
{
    // A test dependency (scripts/install-deps.sh): missing is a failure, not a skip.
    REQUIRE(haveOpenSc());
    SECTION("valid: 3 and 5")
    {
        OpenScSandbox box("valid");
        auto listed = runCommand({kPkcs15Tool, "--reader", "0", "--list-pins"});
        INFO(listed.output);
        REQUIRE(listed.status == 0);
        CHECK(listed.output.find("User Authentication PIN") != std::string::npos);
        CHECK(triesLeft(listed.output) == std::vector<int>{3, 5});
    }
    SECTION("one-try: 1")
    {
        OpenScSandbox box("one-try");
        auto listed = runCommand({kPkcs15Tool, "--reader", "0", "--list-pins"});
        INFO(listed.output);
        REQUIRE(listed.status == 0);
        CHECK(triesLeft(listed.output) == std::vector<int>{1, 5});
    }
    SECTION("blocked: 0")
    {
        OpenScSandbox box("blocked");
        auto listed = runCommand({kPkcs15Tool, "--reader", "0", "--list-pins"});
        INFO(listed.output);
        REQUIRE(listed.status == 0);
        CHECK(triesLeft(listed.output) == std::vector<int>{0, 5});
    }
}

TEST_CASE("OpenSC: pkcs15-tool --read-certificate 01 returns the persona's certificate")
{
    REQUIRE(haveOpenSc());
    OpenScSandbox box("valid");
    const auto pem = box.dir.path() / "auth.pem";
    auto read = runCommand({kPkcs15Tool, "--reader", "0", "--read-certificate", "01", "--output",
                            pem.string()});
    INFO(read.output);
    REQUIRE(read.status == 0);
    const auto der = box.dir.path() / "auth.der";
    auto converted = runCommand(
        {kOpenssl, "x509", "-in", pem.string(), "-outform", "DER", "-out", der.string()});
    REQUIRE(converted.status == 0);
    CHECK(test::readBinaryFile(der) ==
          test::readBinaryFile(test::sharedPki() / "jpki/cards/valid.der"));
}

TEST_CASE("OpenSC: pkcs11-tool signs with key 01, and OpenSSL verifies the signature")
{
    REQUIRE(haveOpenSc());
    OpenScSandbox box("valid");
    const auto& dir = box.dir.path();
    test::writeFile(dir / "data", std::string("the eligibility challenge"));
    auto signedIt = runCommand({kPkcs11Tool, "--module", kP11Module, "--slot-index", "0",
                                "--login", "--pin", "1234", "--sign", "-m", "SHA256-RSA-PKCS",
                                "--id", "01", "-i", (dir / "data").string(), "-o",
                                (dir / "sig").string()});
    INFO(signedIt.output);
    REQUIRE(signedIt.status == 0);
    CHECK(test::readBinaryFile(dir / "sig").size() == 256);

    const auto cert = test::sharedPki() / "jpki/cards/valid.der";
    auto pub = runCommand({kOpenssl, "x509", "-inform", "DER", "-in", cert.string(), "-pubkey",
                           "-noout", "-out", (dir / "pub.pem").string()});
    REQUIRE(pub.status == 0);
    auto verified = runCommand({kOpenssl, "dgst", "-sha256", "-verify", (dir / "pub.pem").string(),
                                "-signature", (dir / "sig").string(), (dir / "data").string()});
    INFO(verified.output);
    CHECK(verified.status == 0);
    CHECK(verified.output.find("Verified OK") != std::string::npos);

    // A wrong PIN through OpenSC counts down on the same card model.
    auto wrong = runCommand({kPkcs15Tool, "--reader", "0", "--verify-pin", "--auth-id", "01",
                             "--pin", "9999"});
    CHECK(wrong.status != 0);
    auto listed = runCommand({kPkcs15Tool, "--reader", "0", "--list-pins"});
    INFO(listed.output);
    CHECK(triesLeft(listed.output) == std::vector<int>{2, 5});
}

} // namespace
