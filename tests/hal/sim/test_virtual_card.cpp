#include "hal/sim/virtual_card.hpp"

#include "hal/apdu.hpp"
#include "tests/support/test_card.hpp"

#include <catch2/catch.hpp>
#include <openssl/evp.h>

#include <fstream>
#include <iterator>
#include <random>

namespace {

using uketsuke::Errc;
using uketsuke::hal::Bytes;
using uketsuke::hal::sim::CardAccess;
using uketsuke::hal::sim::VirtualCard;
using uketsuke::hal::sim::VirtualCardConfig;
namespace jpki = uketsuke::hal::jpki;
namespace test = uketsuke::test;

std::shared_ptr<VirtualCard> makeCard(VirtualCardConfig config)
{
    auto card = VirtualCard::create(std::move(config));
    REQUIRE(card);
    return *card;
}

std::shared_ptr<VirtualCard> makeCard()
{
    return makeCard(test::virtualCardConfig(test::defaultTestCard()));
}

Bytes send(VirtualCard& card, const Bytes& command)
{
    Bytes response = card.process(command);
    REQUIRE(response.size() >= 2);
    return response;
}

std::uint16_t swOf(const Bytes& response)
{
    return static_cast<std::uint16_t>(response[response.size() - 2] << 8 | response.back());
}

Bytes dataOf(const Bytes& response)
{
    return Bytes(response.begin(), response.end() - 2);
}

std::uint16_t sw(VirtualCard& card, const Bytes& command)
{
    return swOf(send(card, command));
}

const Bytes kSelectJpki{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00,
                        0x26, 0x01, 0x00, 0x00, 0x00, 0x01};

Bytes selectEf(std::uint16_t fid)
{
    return {0x00, 0xA4, 0x02, 0x0C, 0x02, static_cast<std::uint8_t>(fid >> 8),
            static_cast<std::uint8_t>(fid & 0xFF)};
}

Bytes readBinary(std::size_t offset, std::uint8_t le)
{
    return {0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8),
            static_cast<std::uint8_t>(offset & 0xFF), le};
}

Bytes verifyPin(const std::string& pin)
{
    Bytes command{0x00, 0x20, 0x00, 0x80, static_cast<std::uint8_t>(pin.size())};
    command.insert(command.end(), pin.begin(), pin.end());
    return command;
}

const Bytes kVerifyQuery{0x00, 0x20, 0x00, 0x80};

Bytes signCommand(const Bytes& input)
{
    Bytes command{0x80, 0x2A, 0x00, 0x80, static_cast<std::uint8_t>(input.size())};
    command.insert(command.end(), input.begin(), input.end());
    command.push_back(0x00);
    return command;
}

Bytes digestInfoOf(const Bytes& message)
{
    Bytes out(jpki::kSha256DigestInfoPrefix.begin(), jpki::kSha256DigestInfoPrefix.end());
    Bytes hash(32);
    unsigned int size = 0;
    REQUIRE(EVP_Digest(message.data(), message.size(), hash.data(), &size, EVP_sha256(),
                       nullptr) == 1);
    out.insert(out.end(), hash.begin(), hash.end());
    return out;
}

// Reads EF 000A the way the terminal does: 256 bytes at offset 0, whose first four are the
// `30 82 HH LL` header, then 256-byte chunks up to the DER length, the last asking for the exact
// remainder.
Bytes readCertificate(VirtualCard& card)
{
    REQUIRE(sw(card, kSelectJpki) == 0x9000);
    REQUIRE(sw(card, selectEf(0x000A)) == 0x9000);
    const Bytes first = send(card, readBinary(0, 0x00));
    REQUIRE(swOf(first) == 0x9000);
    REQUIRE(first.size() == 256 + 2);
    REQUIRE(first[0] == 0x30);
    REQUIRE(first[1] == 0x82);
    const std::size_t total = (std::size_t{first[2]} << 8 | first[3]) + 4;
    REQUIRE(total > 256);
    Bytes der(first.begin(), first.end() - 2);
    while (der.size() < total) {
        const std::size_t want = std::min<std::size_t>(256, total - der.size());
        const Bytes chunk = send(card, readBinary(der.size(), static_cast<std::uint8_t>(want)));
        REQUIRE(swOf(chunk) == 0x9000);
        REQUIRE(chunk.size() == want + 2);
        der.insert(der.end(), chunk.begin(), chunk.end() - 2);
    }
    return der;
}

TEST_CASE("VirtualCard::process: SELECT of the JPKI AID answers 90 00")
{
    auto card = makeCard();
    CHECK(sw(*card, kSelectJpki) == 0x9000);
    // P2 = 00 (FCI requested) is accepted too.
    Bytes withFci = kSelectJpki;
    withFci[3] = 0x00;
    CHECK(sw(*card, withFci) == 0x9000);
}

TEST_CASE("VirtualCard::process: an unknown AID answers 6A 82, never 90 00")
{
    auto card = makeCard();
    // OpenSC 0.23 probes (docs/card.md).
    CHECK(sw(*card, {0x00, 0xA4, 0x04, 0x00, 0x07, 0x62, 0x76, 0x01, 0xFF, 0x00, 0x00, 0x00}) ==
          0x6A82);
    CHECK(sw(*card, {0x00, 0xA4, 0x04, 0x00, 0x06, 0xA0, 0x00, 0x00, 0x00, 0x01, 0x01}) ==
          0x6A82);
    CHECK(sw(*card, {0x00, 0xA4, 0x04, 0x00, 0x06, 0xD2, 0x76, 0x00, 0x01, 0x24, 0x01}) ==
          0x6A82);
    // A JPKI AID with one byte changed.
    Bytes almost = kSelectJpki;
    almost.back() = 0x02;
    CHECK(sw(*card, almost) == 0x6A82);
}

TEST_CASE("VirtualCard::process: unknown INS answers 6D 00, unknown CLA 6E 00")
{
    auto card = makeCard();
    CHECK(sw(*card, {0x00, 0xCA, 0xDF, 0x30, 0x05}) == 0x6D00);
    CHECK(sw(*card, {0x00, 0xCB, 0x3F, 0xFF, 0x03, 0x5C, 0x01, 0x7E, 0x08}) == 0x6D00);
    CHECK(sw(*card, {0x80, 0xA2, 0x00, 0x00}) == 0x6D00);
    CHECK(sw(*card, {0x90, 0xA4, 0x04, 0x0C, 0x01, 0x00}) == 0x6E00);
    CHECK(sw(*card, {0xFF, 0x20, 0x00, 0x80}) == 0x6E00);
    CHECK(sw(*card, {0x00, 0xA4}) == 0x6700);
}

TEST_CASE("VirtualCard::process: READ BINARY in 256-byte chunks returns the certificate exactly")
{
    const auto& testCard = test::defaultTestCard();
    auto card = makeCard();
    const Bytes der = readCertificate(*card);
    CHECK(der == testCard.certificateDer);

    // The EF is larger than the certificate: reading on past the DER gives padding, not an
    // error, so a reader that trusts the EF size gets garbage after the DER.
    const Bytes after = send(*card, readBinary(der.size(), 16));
    CHECK(swOf(after) == 0x9000);
    CHECK(dataOf(after) == Bytes(16, 0x00));
}

TEST_CASE("VirtualCard::process: READ BINARY at and across the end of the EF")
{
    auto config = test::virtualCardConfig(test::defaultTestCard());
    config.certificateEfSize = 1; // no padding: the EF is exactly the DER
    const std::size_t size = config.authCertificate.size();
    auto card = makeCard(std::move(config));
    REQUIRE(sw(*card, kSelectJpki) == 0x9000);
    REQUIRE(sw(*card, selectEf(0x000A)) == 0x9000);

    const Bytes crossing = send(*card, readBinary(size - 10, 0x20));
    CHECK(swOf(crossing) == 0x6282);
    CHECK(dataOf(crossing).size() == 10);
    CHECK(sw(*card, readBinary(size, 0x10)) == 0x6B00);
    CHECK(sw(*card, readBinary(size + 300, 0x10)) == 0x6B00);
}

TEST_CASE("VirtualCard::process: READ BINARY without a current EF answers 69 86")
{
    auto card = makeCard();
    REQUIRE(sw(*card, kSelectJpki) == 0x9000);
    CHECK(sw(*card, readBinary(0, 4)) == 0x6986);
    CHECK(sw(*card, selectEf(0x0099)) == 0x6A82);
}

TEST_CASE("VirtualCard::process: READ BINARY by SFI and the token label in EF 0006")
{
    auto card = makeCard();
    REQUIRE(sw(*card, kSelectJpki) == 0x9000);
    const Bytes token = send(*card, {0x00, 0xB0, 0x86, 0x00, 0x20});
    REQUIRE(swOf(token) == 0x9000);
    const Bytes label = dataOf(token);
    CHECK(std::string(label.begin(), label.end()) == "JPKIAPICCTOKEN2                 ");
    // The full CK_TOKEN_INFO is 160 bytes.
    const Bytes all = send(*card, {0x00, 0xB0, 0x86, 0x00, 0x00});
    CHECK(swOf(all) == 0x6282);
    CHECK(dataOf(all).size() == 160);
}

TEST_CASE("VirtualCard::process: VERIFY counts down 63C2, 63C1, 63C0, then 69 84")
{
    auto card = makeCard();
    REQUIRE(sw(*card, kSelectJpki) == 0x9000);
    REQUIRE(sw(*card, selectEf(0x0018)) == 0x9000);
    CHECK(sw(*card, kVerifyQuery) == 0x63C3);
    CHECK(sw(*card, verifyPin("0000")) == 0x63C2);
    CHECK(sw(*card, verifyPin("0000")) == 0x63C1);
    CHECK(sw(*card, kVerifyQuery) == 0x63C1); // the query spends no try
    CHECK(sw(*card, verifyPin("0000")) == 0x63C0);
    CHECK(sw(*card, verifyPin("0000")) == 0x6984);
    CHECK(sw(*card, verifyPin("1234")) == 0x6984); // blocked: even the right PIN is refused
    CHECK(sw(*card, kVerifyQuery) == 0x63C0);
    CHECK(card->authPinTriesLeft() == 0);
}

TEST_CASE("VirtualCard::process: a correct PIN resets the counter to 3")
{
    auto card = makeCard();
    REQUIRE(sw(*card, kSelectJpki) == 0x9000);
    REQUIRE(sw(*card, selectEf(0x0018)) == 0x9000);
    CHECK(sw(*card, verifyPin("9999")) == 0x63C2);
    CHECK(sw(*card, verifyPin("9999")) == 0x63C1);
    CHECK(sw(*card, verifyPin("1234")) == 0x9000);
    CHECK(sw(*card, kVerifyQuery) == 0x63C3);
    CHECK(card->authPinTriesLeft() == 3);
}

TEST_CASE("VirtualCard::process: VERIFY by SFI and without a PIN EF")
{
    auto card = makeCard();
    REQUIRE(sw(*card, kSelectJpki) == 0x9000);
    CHECK(sw(*card, kVerifyQuery) == 0x6986); // no current EF
    REQUIRE(sw(*card, selectEf(0x000A)) == 0x9000);
    CHECK(sw(*card, kVerifyQuery) == 0x6986); // current EF is not a PIN
    CHECK(sw(*card, {0x00, 0x20, 0x00, 0x98}) == 0x63C3);
    CHECK(sw(*card, {0x00, 0x20, 0x00, 0x9B}) == 0x63C5); // signing password
}

TEST_CASE("VirtualCard::process: signing without VERIFY answers 69 82")
{
    auto card = makeCard();
    REQUIRE(sw(*card, kSelectJpki) == 0x9000);
    REQUIRE(sw(*card, selectEf(0x0017)) == 0x9000);
    CHECK(sw(*card, signCommand(digestInfoOf({1, 2, 3}))) == 0x6982);
}

TEST_CASE("VirtualCard::process: a signature after VERIFY verifies with the certificate's key")
{
    const auto& testCard = test::defaultTestCard();
    auto card = makeCard();
    const Bytes message{'c', 'h', 'a', 'l', 'l', 'e', 'n', 'g', 'e'};
    REQUIRE(sw(*card, kSelectJpki) == 0x9000);
    REQUIRE(sw(*card, selectEf(0x0018)) == 0x9000);
    REQUIRE(sw(*card, verifyPin("1234")) == 0x9000);
    REQUIRE(sw(*card, selectEf(0x0017)) == 0x9000);
    const Bytes response = send(*card, signCommand(digestInfoOf(message)));
    REQUIRE(swOf(response) == 0x9000);
    const Bytes signature = dataOf(response);
    CHECK(signature.size() == 256);
    CHECK(test::verifySha256Signature(testCard.certificateDer, message, signature));
    const Bytes other{'o', 't', 'h', 'e', 'r'};
    CHECK_FALSE(test::verifySha256Signature(testCard.certificateDer, other, signature));

    // Errors of the signature command itself.
    CHECK(sw(*card, {0x80, 0x2A, 0x01, 0x80, 0x01, 0x00, 0x00}) == 0x6A86);
    CHECK(sw(*card, signCommand(Bytes(246, 0x01))) == 0x6700);
}

TEST_CASE("VirtualCard::process: re-selecting the AP or a reset clears the verified state")
{
    auto card = makeCard();
    const Bytes input = digestInfoOf({'x'});
    auto verifyThenSelectKey = [&] {
        REQUIRE(sw(*card, kSelectJpki) == 0x9000);
        REQUIRE(sw(*card, selectEf(0x0018)) == 0x9000);
        REQUIRE(sw(*card, verifyPin("1234")) == 0x9000);
    };

    SECTION("AP re-select")
    {
        verifyThenSelectKey();
        REQUIRE(sw(*card, kSelectJpki) == 0x9000);
        REQUIRE(sw(*card, selectEf(0x0017)) == 0x9000);
        CHECK(sw(*card, signCommand(input)) == 0x6982);
    }
    SECTION("reset")
    {
        verifyThenSelectKey();
        card->reset();
        CHECK(sw(*card, selectEf(0x0017)) == 0x6A82); // no current AP either
        REQUIRE(sw(*card, kSelectJpki) == 0x9000);
        REQUIRE(sw(*card, selectEf(0x0017)) == 0x9000);
        CHECK(sw(*card, signCommand(input)) == 0x6982);
    }
    SECTION("power-off")
    {
        verifyThenSelectKey();
        card->powerOff();
        REQUIRE(sw(*card, kSelectJpki) == 0x9000);
        REQUIRE(sw(*card, selectEf(0x0017)) == 0x9000);
        CHECK(sw(*card, signCommand(input)) == 0x6982);
    }
    SECTION("selecting other EFs keeps it")
    {
        verifyThenSelectKey();
        REQUIRE(sw(*card, selectEf(0x000A)) == 0x9000);
        REQUIRE(sw(*card, selectEf(0x0017)) == 0x9000);
        CHECK(sw(*card, signCommand(input)) == 0x9000);
    }
}

TEST_CASE("VirtualCard::process: the signing certificate EF needs the signing password")
{
    auto card = makeCard();
    REQUIRE(sw(*card, kSelectJpki) == 0x9000);
    REQUIRE(sw(*card, selectEf(0x0001)) == 0x9000);
    CHECK(sw(*card, readBinary(0, 4)) == 0x6982);
    REQUIRE(sw(*card, selectEf(0x001B)) == 0x9000);
    REQUIRE(sw(*card, verifyPin("ABC123")) == 0x9000);
    REQUIRE(sw(*card, selectEf(0x0001)) == 0x9000);
    CHECK(sw(*card, readBinary(0, 4)) == 0x9000);
    // No signing key configured: the signature is refused after the password.
    REQUIRE(sw(*card, selectEf(0x001A)) == 0x9000);
    CHECK(sw(*card, signCommand(digestInfoOf({'x'}))) == 0x6A88);
}

TEST_CASE("VirtualCard::process: the other applications answer SELECT and guard their data")
{
    auto card = makeCard();
    const Bytes selectSupport{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00,
                              0x31, 0x00, 0x01, 0x01, 0x04, 0x08};
    const Bytes selectFace{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00,
                           0x31, 0x00, 0x01, 0x01, 0x04, 0x02};
    CHECK(sw(*card, selectFace) == 0x9000);
    CHECK(sw(*card, selectSupport) == 0x9000);
    REQUIRE(sw(*card, selectEf(0x0001)) == 0x9000);
    CHECK(sw(*card, readBinary(0, 17)) == 0x6982); // My Number: needs the 入力補助 PIN
    // The JPKI PIN EF does not exist in this AP.
    CHECK(sw(*card, selectEf(0x0018)) == 0x6A82);
}

TEST_CASE("VirtualCard::process: PIN counters persist in the state file")
{
    test::TempDir dir;
    const auto stateFile = (dir.path() / "card-state.json").string();
    auto config = test::virtualCardConfig(test::defaultTestCard());
    config.stateFile = stateFile;
    {
        auto card = makeCard(config);
        REQUIRE(sw(*card, kSelectJpki) == 0x9000);
        REQUIRE(sw(*card, selectEf(0x0018)) == 0x9000);
        CHECK(sw(*card, verifyPin("0000")) == 0x63C2);
        CHECK(sw(*card, verifyPin("0000")) == 0x63C1);
    }
    std::ifstream in(stateFile);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find("jpki/0018") != std::string::npos);
    CHECK(text.find("1234") == std::string::npos); // counters only, never a PIN
    // Only the terminal's user may read it, whatever the umask.
    const auto perms = std::filesystem::status(stateFile).permissions();
    CHECK((perms & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    CHECK_FALSE(std::filesystem::exists(stateFile + ".tmp"));

    auto again = makeCard(config); // config still says 3 tries: the file wins
    CHECK(again->authPinTriesLeft() == 1);
    REQUIRE(sw(*again, kSelectJpki) == 0x9000);
    REQUIRE(sw(*again, selectEf(0x0018)) == 0x9000);
    CHECK(sw(*again, kVerifyQuery) == 0x63C1);
    CHECK(sw(*again, verifyPin("1234")) == 0x9000);

    auto third = makeCard(config);
    CHECK(third->authPinTriesLeft() == 3);

    // A file that is not ours is refused, not silently reset.
    test::writeFile(stateFile, std::string("{\"counters\": 3}"));
    auto corrupt = VirtualCard::create(config);
    REQUIRE_FALSE(corrupt);
    CHECK(corrupt.error().code == Errc::StorageCorrupt);
}

TEST_CASE("VirtualCard::copy: a card of its own, from the state it was copied in")
{
    const auto& testCard = test::defaultTestCard();
    test::TempDir dir;
    auto config = test::virtualCardConfig(testCard);
    config.stateFile = (dir.path() / "card-state.json").string();
    auto card = makeCard(config);
    REQUIRE(sw(*card, kSelectJpki) == 0x9000);
    REQUIRE(sw(*card, selectEf(0x0018)) == 0x9000);
    REQUIRE(sw(*card, verifyPin("0000")) == 0x63C2);

    auto copy = card->copy();
    CHECK(copy->authPinTriesLeft() == 2);
    CHECK(copy->accessLog().empty());
    CHECK(copy->commandCount() == 0);
    // The selection came along: the PIN EF is still current.
    CHECK(sw(*copy, kVerifyQuery) == 0x63C2);
    // Counters are its own from now on, both ways.
    CHECK(sw(*copy, verifyPin("0000")) == 0x63C1);
    CHECK(card->authPinTriesLeft() == 2);
    // It writes no state file: the file still says what the original did.
    CHECK(makeCard(config)->authPinTriesLeft() == 2);
    CHECK(sw(*card, verifyPin("1234")) == 0x9000);
    CHECK(copy->authPinTriesLeft() == 1);

    // The shared key signs for the copy, and the signature is the certificate's.
    const Bytes message{'c', 'o', 'p', 'y'};
    CHECK(sw(*copy, verifyPin("1234")) == 0x9000);
    REQUIRE(sw(*copy, selectEf(0x0017)) == 0x9000);
    const Bytes response = send(*copy, signCommand(digestInfoOf(message)));
    REQUIRE(swOf(response) == 0x9000);
    CHECK(test::verifySha256Signature(testCard.certificateDer, message, dataOf(response)));
    copy.reset();
    // The original's key outlives the copy.
    REQUIRE(sw(*card, selectEf(0x0017)) == 0x9000);
    CHECK(swOf(send(*card, signCommand(digestInfoOf(message)))) == 0x9000);
}

TEST_CASE("VirtualCard::accessLog: records SELECT and VERIFY targets, never the PIN")
{
    auto card = makeCard();
    REQUIRE(sw(*card, kSelectJpki) == 0x9000);
    REQUIRE(sw(*card, selectEf(0x0018)) == 0x9000);
    REQUIRE(sw(*card, verifyPin("0000")) == 0x63C2);
    const auto log = card->accessLog();
    REQUIRE(log.size() == 3);
    CHECK(log[0].kind == CardAccess::Kind::SelectAid);
    CHECK(log[0].aid == Bytes(jpki::kJpkiAid.begin(), jpki::kJpkiAid.end()));
    CHECK(log[1].kind == CardAccess::Kind::SelectEf);
    CHECK(log[1].fid == 0x0018);
    CHECK(log[2].kind == CardAccess::Kind::Verify);
    CHECK(log[2].fid == 0x0018);
    CHECK(log[2].withData);
    CHECK(log[2].sw == 0x63C2);
    CHECK(uketsuke::hal::sim::describe(log[2]) ==
          "verify 0018 (pin) in D392F000260100000001 -> 63C2");
    CHECK(card->commandCount() == 3);
    card->clearAccessLog();
    CHECK(card->accessLog().empty());
    CHECK(card->commandCount() == 0);
}

TEST_CASE("VirtualCard::create: configurable ATR and a foreign card")
{
    auto config = test::virtualCardConfig(test::defaultTestCard());
    CHECK(makeCard(config)->atr() ==
          Bytes{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14});
    config.atr = {0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x05, 0xE0, 0xB3, 0x81, 0xA1, 0x00, 0x7F};
    CHECK(makeCard(config)->atr() == config.atr);

    VirtualCardConfig foreign;
    foreign.kind = VirtualCardConfig::Kind::Foreign;
    auto other = makeCard(foreign);
    CHECK(sw(*other, kSelectJpki) == 0x6A82);
    CHECK(sw(*other, {0x00, 0xA4, 0x04, 0x0C, 0x06, 0xD2, 0x76, 0x00, 0x01, 0x24, 0x01}) ==
          0x9000);
}

TEST_CASE("VirtualCard::create: refuses a key that does not match the certificate")
{
    auto config = test::virtualCardConfig(test::defaultTestCard());
    config.authCertificate = test::defaultTestCard().caDer; // the CA's key is another key
    auto card = VirtualCard::create(config);
    REQUIRE_FALSE(card);
    CHECK(card.error().code == Errc::ConfigInvalid);

    auto badPin = test::virtualCardConfig(test::defaultTestCard(), "12a4");
    CHECK_FALSE(VirtualCard::create(badPin));
    auto badTries = test::virtualCardConfig(test::defaultTestCard(), "1234", 4);
    CHECK_FALSE(VirtualCard::create(badTries));
}

TEST_CASE("VirtualCard::process: any bytes get a status word")
{
    auto card = makeCard();
    std::mt19937 random(12345);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 300);
    const std::array<std::uint8_t, 4> classes{0x00, 0x80, 0x0C, 0xFF};
    const std::array<std::uint8_t, 6> instructions{0xA4, 0xB0, 0x20, 0x24, 0x2A, 0xCA};
    for (int i = 0; i < 3000; ++i) {
        Bytes command(static_cast<std::size_t>(length(random)));
        for (auto& b : command) {
            b = static_cast<std::uint8_t>(byte(random));
        }
        if (command.size() >= 2 && i % 2 == 0) {
            command[0] = classes[static_cast<std::size_t>(byte(random)) % classes.size()];
            command[1] = instructions[static_cast<std::size_t>(byte(random)) % instructions.size()];
        }
        if (i % 50 == 0) {
            card->process(kSelectJpki);
        }
        const Bytes response = card->process(command);
        REQUIRE(response.size() >= 2);
    }
}

} // namespace

TEST_CASE("VirtualCard: the access log keeps the latest accesses only, within its limit")
{
    auto card = makeCard();
    const std::size_t commands = VirtualCard::kAccessLogLimit * 3 + 7;
    for (std::size_t i = 0; i < commands; ++i) {
        // A SELECT of the AP, then of an EF that is not there: the last access is told apart.
        REQUIRE(sw(*card, i + 1 == commands ? selectEf(0x0FFF) : kSelectJpki) != 0);
    }
    const auto log = card->accessLog();
    CHECK(log.size() <= VirtualCard::kAccessLogLimit);
    CHECK(log.size() >= VirtualCard::kAccessLogLimit / 2);
    REQUIRE_FALSE(log.empty());
    CHECK(log.back().kind == CardAccess::Kind::SelectEf);
    CHECK(log.back().fid == 0x0FFF);
    CHECK(card->commandCount() == commands); // the count is of every command
}
