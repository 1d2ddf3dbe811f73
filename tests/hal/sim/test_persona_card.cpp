#include "hal/sim/persona_card.hpp"

#include "hal/apdu.hpp"
#include "tests/support/test_card.hpp"

#include <catch2/catch.hpp>

namespace {

using uketsuke::Errc;
using uketsuke::hal::Bytes;
using uketsuke::hal::sim::loadPersonaCard;
using uketsuke::hal::sim::VirtualCard;
namespace hal = uketsuke::hal;
namespace test = uketsuke::test;

// Writes the files `uketsuke-sim pki` would write for two personas.
void writePki(const test::TempDir& dir)
{
    const auto& card = test::defaultTestCard();
    test::writeFile(dir.path() / "personas.json", std::string(R"({
  "format": 1,
  "personas": [
    {"id": "valid", "card": {"cn": "UKTEST0000000000000001", "pin": "1234",
                             "pin_tries_left": 2, "not_before_days": -400,
                             "not_after_days": 1400},
     "qualification": {}},
    {"id": "no-files", "card": {"pin": "1234"}},
    {"id": "transit", "card": {"kind": "foreign", "atr": "3B 88 80 01 00 00 05 E0 B3 81 A1 00 7F"}},
    {"id": "bad-pin", "card": {"pin": 1234}}
  ]
})"));
    test::writeFile(dir.path() / "jpki" / "cards" / "valid.der", card.certificateDer);
    test::writeFile(dir.path() / "jpki" / "cards" / "valid.key.pem", card.keyPem);
    test::writeFile(dir.path() / "jpki" / "auth-ca.pem", card.caPem);
}

std::uint16_t sw(VirtualCard& card, const hal::Apdu& apdu)
{
    const Bytes response = card.process(hal::encodeApdu(apdu));
    REQUIRE(response.size() >= 2);
    return static_cast<std::uint16_t>(response[response.size() - 2] << 8 | response.back());
}

TEST_CASE("loadPersonaCard: builds the persona's card from the PKI directory")
{
    test::TempDir dir;
    writePki(dir);
    auto card = loadPersonaCard(dir.path().string(), "valid");
    REQUIRE(card);
    auto& c = **card;
    CHECK(c.authPinTriesLeft() == 2);
    REQUIRE(sw(c, hal::selectAid(hal::jpki::kJpkiAid)) == 0x9000);
    REQUIRE(sw(c, hal::selectEf(0x000B)) == 0x9000);
    // EF 000B holds the CA from auth-ca.pem, as DER.
    const auto& ca = test::defaultTestCard().caDer;
    const Bytes head = c.process(hal::encodeApdu(hal::readBinary(0, 64)));
    REQUIRE(head.size() == 66);
    CHECK(Bytes(head.begin(), head.begin() + 64) == Bytes(ca.begin(), ca.begin() + 64));
    REQUIRE(sw(c, hal::selectEf(0x0018)) == 0x9000);
    CHECK(sw(c, hal::verifyQuery()) == 0x63C2);
}

TEST_CASE("loadPersonaCard: a foreign card needs no certificate files")
{
    test::TempDir dir;
    writePki(dir);
    auto card = loadPersonaCard(dir.path().string(), "transit");
    REQUIRE(card);
    CHECK((*card)->atr().size() == 13);
    CHECK(sw(**card, hal::selectAid(hal::jpki::kJpkiAid)) == 0x6A82);
}

TEST_CASE("loadPersonaCard: keeps the counters in the given state file")
{
    test::TempDir dir;
    writePki(dir);
    const auto stateFile = (dir.path() / "valid.state.json").string();
    {
        auto card = loadPersonaCard(dir.path().string(), "valid", stateFile);
        REQUIRE(card);
        REQUIRE(sw(**card, hal::selectAid(hal::jpki::kJpkiAid)) == 0x9000);
        REQUIRE(sw(**card, hal::selectEf(0x0018)) == 0x9000);
        uketsuke::Pin wrong;
        for (char c : {'0', '0', '0', '0'}) {
            wrong.push(c);
        }
        CHECK(sw(**card, hal::verify(wrong)) == 0x63C1);
    }
    auto again = loadPersonaCard(dir.path().string(), "valid", stateFile);
    REQUIRE(again);
    CHECK((*again)->authPinTriesLeft() == 1);
}

TEST_CASE("loadPersonaCard: clear errors for missing or bad input")
{
    test::TempDir dir;
    writePki(dir);
    const auto pki = dir.path().string();

    auto unknown = loadPersonaCard(pki, "nobody");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == Errc::ConfigMissing);

    auto traversal = loadPersonaCard(pki, "../valid");
    REQUIRE_FALSE(traversal);
    CHECK(traversal.error().code == Errc::InvalidArgument);

    auto noFiles = loadPersonaCard(pki, "no-files");
    REQUIRE_FALSE(noFiles);
    CHECK(noFiles.error().code == Errc::ConfigMissing);

    auto badPin = loadPersonaCard(pki, "bad-pin");
    REQUIRE_FALSE(badPin);
    CHECK(badPin.error().code == Errc::ConfigInvalid);
    CHECK(badPin.error().message.find("1234") == std::string::npos);

    auto noDir = loadPersonaCard((dir.path() / "missing").string(), "valid");
    REQUIRE_FALSE(noDir);
    CHECK(noDir.error().code == Errc::ConfigMissing);
}

} // namespace
