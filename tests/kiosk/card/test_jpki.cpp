#include "kiosk/card/jpki.hpp"
#include "tests/support/sign_outcome.hpp"

#include "hal/apdu.hpp"
#include "base/log.hpp"
#include "hal/sim/sim_reader.hpp"
#include "hal/sim/virtual_card.hpp"
#include "kiosk/card/certificate.hpp"
#include "tests/support/test_card.hpp"

#include <catch2/catch.hpp>

#include <random>

namespace {

using uketsuke::Errc;
using uketsuke::Pin;
using uketsuke::Result;
using uketsuke::hal::Bytes;
using uketsuke::hal::sim::CardAccess;
using uketsuke::hal::sim::SimCardReader;
using uketsuke::hal::sim::VirtualCard;
using uketsuke::hal::sim::VirtualCardConfig;
using uketsuke::kiosk::card::JpkiCard;
namespace hal = uketsuke::hal;
namespace jpki = uketsuke::hal::jpki;
namespace test = uketsuke::test;

Pin pinOf(const char* digits)
{
    Pin pin;
    for (const char* c = digits; *c; ++c) {
        pin.push(*c);
    }
    return pin;
}

const Bytes kChallenge{'n', 'o', 'n', 'c', 'e', '|', 't', 'e', 'r', 'm', '-', '1'};

// A card on the simulated reader, connected through a counting channel.
struct Rig {
    explicit Rig(VirtualCardConfig config = test::virtualCardConfig(test::defaultTestCard()))
    {
        auto created = VirtualCard::create(std::move(config));
        REQUIRE(created);
        card = *created;
        reader.insert(card);
        auto connected = reader.connect();
        REQUIRE(connected);
        channel = std::make_unique<test::CountingChannel>(std::move(*connected));
        jpkiCard = std::make_unique<JpkiCard>(*channel);
    }

    SimCardReader reader;
    std::shared_ptr<VirtualCard> card;
    std::unique_ptr<test::CountingChannel> channel;
    std::unique_ptr<JpkiCard> jpkiCard;
};

// A check-in's card part, as the runner does it.
Result<Bytes> checkIn(JpkiCard& card, const char* pin)
{
    if (auto selected = card.selectJpki(); !selected) {
        return uketsuke::fail(std::move(selected).error());
    }
    auto certificate = card.readAuthCertificate();
    if (!certificate) {
        return uketsuke::fail(std::move(certificate).error());
    }
    auto tries = card.pinTriesLeft();
    if (!tries) {
        return uketsuke::fail(std::move(tries).error());
    }
    auto outcome = card.verifyAndSign(pinOf(pin), kChallenge);
    if (!outcome) {
        return uketsuke::fail(std::move(outcome).error());
    }
    if (auto signature = test::signedBytes(std::move(outcome))) {
        return *signature;
    }
    return uketsuke::fail(Errc::PinIncorrect, "the card refused the PIN");
}

Bytes raw(std::initializer_list<std::uint8_t> bytes)
{
    return Bytes(bytes);
}

TEST_CASE("JpkiCard::readAuthCertificate: reads the certificate through the simulated reader")
{
    Rig rig;
    REQUIRE(rig.jpkiCard->selectJpki());
    auto der = rig.jpkiCard->readAuthCertificate();
    REQUIRE(der);
    CHECK(*der == test::defaultTestCard().certificateDer);
    auto info = uketsuke::kiosk::card::parseCertificate(*der);
    REQUIRE(info);
    CHECK(info->subjectCommonName == "UKTEST0000000000000001");
}

TEST_CASE("JpkiCard::pinTriesLeft: reads the tries left and spends none")
{
    SECTION("full counter")
    {
        Rig rig;
        REQUIRE(rig.jpkiCard->selectJpki());
        CHECK(rig.jpkiCard->pinTriesLeft().value_or(-1) == 3);
        CHECK(rig.jpkiCard->pinTriesLeft().value_or(-1) == 3);
        CHECK(rig.card->authPinTriesLeft() == 3);
    }
    SECTION("one try left")
    {
        Rig rig(test::virtualCardConfig(test::defaultTestCard(), "1234", 1));
        REQUIRE(rig.jpkiCard->selectJpki());
        CHECK(rig.jpkiCard->pinTriesLeft().value_or(-1) == 1);
    }
    SECTION("blocked")
    {
        Rig rig(test::virtualCardConfig(test::defaultTestCard(), "1234", 0));
        REQUIRE(rig.jpkiCard->selectJpki());
        CHECK(rig.jpkiCard->pinTriesLeft().value_or(-1) == 0);
    }
}

TEST_CASE("JpkiCard::verifyAndSign: the signature verifies with OpenSSL")
{
    Rig rig;
    auto signature = checkIn(*rig.jpkiCard, "1234");
    REQUIRE(signature);
    CHECK(signature->size() == 256);
    CHECK(test::verifySha256Signature(test::defaultTestCard().certificateDer, kChallenge,
                                      *signature));
    CHECK(rig.card->authPinTriesLeft() == 3);
}

TEST_CASE("JpkiCard::verifyAndSign: works without a tries query before it")
{
    Rig rig;
    REQUIRE(rig.jpkiCard->selectJpki());
    auto signature = test::signedBytes(rig.jpkiCard->verifyAndSign(pinOf("1234"), kChallenge));
    REQUIRE(signature);
    CHECK(test::verifySha256Signature(test::defaultTestCard().certificateDer, kChallenge,
                                      *signature));
}

TEST_CASE("JpkiCard::verifyAndSign: a wrong PIN is refused with the tries left")
{
    Rig rig;
    REQUIRE(rig.jpkiCard->selectJpki());
    REQUIRE(rig.jpkiCard->pinTriesLeft().value_or(-1) == 3);

    auto first = rig.jpkiCard->verifyAndSign(pinOf("4321"), kChallenge);
    REQUIRE(first);
    CHECK(test::triesLeftAfterRefusal(first) == 2);

    auto second = rig.jpkiCard->verifyAndSign(pinOf("4321"), kChallenge);
    REQUIRE(second);
    CHECK(test::triesLeftAfterRefusal(second) == 1);

    auto third = rig.jpkiCard->verifyAndSign(pinOf("4321"), kChallenge);
    REQUIRE(third);
    CHECK(test::triesLeftAfterRefusal(third) == 0); // now blocked

    auto fourth = rig.jpkiCard->verifyAndSign(pinOf("1234"), kChallenge);
    REQUIRE(fourth);
    CHECK(test::triesLeftAfterRefusal(fourth) == 0); // 69 84: even the right PIN
    CHECK(rig.jpkiCard->pinTriesLeft().value_or(-1) == 0);

    // Each call sent its PIN exactly once: four VERIFYs with data, no automatic retry.
    const auto log = rig.card->accessLog();
    const auto verifies = std::count_if(log.begin(), log.end(), [](const CardAccess& a) {
        return a.kind == CardAccess::Kind::Verify && a.withData;
    });
    CHECK(verifies == 4);
}

TEST_CASE("JpkiCard::verifyAndSign: an incomplete PIN is refused before any APDU")
{
    Rig rig;
    REQUIRE(rig.jpkiCard->selectJpki());
    const std::size_t before = rig.channel->count();
    auto result = rig.jpkiCard->verifyAndSign(pinOf("123"), kChallenge);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::PinFormat);
    CHECK(rig.channel->count() == before);
    CHECK(rig.card->authPinTriesLeft() == 3);
}

TEST_CASE("JpkiCard::readAuthCertificate: a card removed mid-read is CardRemoved")
{
    Rig rig;
    // Commands: 0 SELECT AP, 1 SELECT 000A, 2 first chunk (with the header), 3 second chunk.
    rig.channel->setBeforeTransmit([&](std::size_t index, const hal::CommandApdu&) {
        if (index == 3) {
            rig.reader.remove();
        }
    });
    REQUIRE(rig.jpkiCard->selectJpki());
    auto der = rig.jpkiCard->readAuthCertificate();
    REQUIRE_FALSE(der);
    CHECK(der.error().code == Errc::CardRemoved);
    CHECK(rig.channel->count() == 4);
}

TEST_CASE("JpkiCard: a check-in touches only the JPKI AP and its allowed EFs")
{
    Rig rig;
    REQUIRE(checkIn(*rig.jpkiCard, "1234"));
    const Bytes jpkiAid(jpki::kJpkiAid.begin(), jpki::kJpkiAid.end());
    const Bytes supportAid(jpki::kSupportAid.begin(), jpki::kSupportAid.end());
    const Bytes faceAid(jpki::kFaceAid.begin(), jpki::kFaceAid.end());
    const auto log = rig.card->accessLog();
    REQUIRE_FALSE(log.empty());
    for (const auto& access : log) {
        INFO(uketsuke::hal::sim::describe(access));
        CHECK(access.aid == jpkiAid);
        CHECK(access.aid != supportAid);
        CHECK(access.aid != faceAid);
        CHECK(access.fid != jpki::kEfSignCertificate);
        CHECK(access.fid != jpki::kEfSignKey);
        CHECK(access.fid != jpki::kEfSignPin);
        CHECK(access.kind != CardAccess::Kind::ChangeReference);
        if (access.kind != CardAccess::Kind::SelectAid) {
            const bool allowed = access.fid == jpki::kEfAuthCertificate ||
                                 access.fid == jpki::kEfAuthPin || access.fid == jpki::kEfAuthKey;
            CHECK(allowed);
        }
    }
    const auto selects = std::count_if(log.begin(), log.end(), [](const CardAccess& a) {
        return a.kind == CardAccess::Kind::SelectAid;
    });
    CHECK(selects == 1);
}

TEST_CASE("JpkiCard::selectJpki: a card without the JPKI AP is NotMyNumberCard")
{
    VirtualCardConfig config;
    config.kind = VirtualCardConfig::Kind::Foreign;
    // Even with the My Number ATR: the card is identified by AID, never by ATR.
    Rig rig(config);
    auto selected = rig.jpkiCard->selectJpki();
    REQUIRE_FALSE(selected);
    CHECK(selected.error().code == Errc::NotMyNumberCard);
    CHECK(selected.error().native == 0x6A82);
}

TEST_CASE("JpkiCard: a check-in's card part sends the minimum number of APDUs")
{
    Rig rig;
    REQUIRE(checkIn(*rig.jpkiCard, "1234"));
    const std::size_t certificate = test::defaultTestCard().certificateDer.size();
    const std::size_t reads = (certificate + 255) / 256;
    // ceil(certificate / 256) reads and seven commands: no separate header read.
    CHECK(rig.channel->count() == reads + 7);
    CHECK(rig.card->commandCount() == rig.channel->count());

    // The exact sequence (docs/card.md §1: no separate 4-byte header read).
    const auto& h = rig.channel->headers();
    REQUIRE(h.size() == reads + 7);
    auto is = [](const test::CountingChannel::Header& header, std::uint8_t cla, std::uint8_t ins,
                 std::uint8_t p1, std::uint8_t p2) {
        return header.cla == cla && header.ins == ins && header.p1 == p1 && header.p2 == p2;
    };
    CHECK(is(h[0], 0x00, 0xA4, 0x04, 0x0C)); // SELECT AP
    CHECK(is(h[1], 0x00, 0xA4, 0x02, 0x0C)); // SELECT 000A
    for (std::size_t i = 0; i < reads; ++i) {
        CHECK(is(h[2 + i], 0x00, 0xB0, static_cast<std::uint8_t>(i), 0x00));
    }
    const std::size_t after = 2 + reads;
    CHECK(is(h[after], 0x00, 0xA4, 0x02, 0x0C));     // SELECT 0018
    CHECK(is(h[after + 1], 0x00, 0x20, 0x00, 0x80)); // tries query
    CHECK(h[after + 1].dataSize == 0);
    CHECK(is(h[after + 2], 0x00, 0x20, 0x00, 0x80)); // VERIFY
    CHECK(h[after + 2].dataSize == 4);
    CHECK(is(h[after + 3], 0x00, 0xA4, 0x02, 0x0C)); // SELECT 0017
    CHECK(is(h[after + 4], 0x80, 0x2A, 0x00, 0x80)); // COMPUTE DIGITAL SIGNATURE
    CHECK(h[after + 4].dataSize == 51);
}

TEST_CASE("JpkiCard::readTokenLabel: reads the label of EF 0006")
{
    Rig rig;
    REQUIRE(rig.jpkiCard->selectJpki());
    CHECK(rig.jpkiCard->readTokenLabel().value_or("") == "JPKIAPICCTOKEN2");
}

// Scripted replies: what a broken or hostile card might answer.

std::vector<Result<Bytes>> replies(std::initializer_list<Bytes> list)
{
    std::vector<Result<Bytes>> out;
    for (const auto& bytes : list) {
        out.emplace_back(bytes);
    }
    return out;
}

Bytes chunk(std::size_t size, std::uint8_t fill, std::uint16_t sw)
{
    Bytes out(size, fill);
    out.push_back(static_cast<std::uint8_t>(sw >> 8));
    out.push_back(static_cast<std::uint8_t>(sw & 0xFF));
    return out;
}

// A fake certificate of `total` bytes: a DER SEQUENCE header in minimal form (short form below
// 130 bytes), then contents whose bytes depend on their offset, so a misplaced chunk shows.
Bytes fakeDer(std::size_t total)
{
    Bytes out{0x30};
    if (total - 2 < 0x80) {
        out.push_back(static_cast<std::uint8_t>(total - 2));
    } else if (total - 3 < 0x100) {
        out.push_back(0x81);
        out.push_back(static_cast<std::uint8_t>(total - 3));
    } else {
        out.push_back(0x82);
        out.push_back(static_cast<std::uint8_t>((total - 4) >> 8));
        out.push_back(static_cast<std::uint8_t>((total - 4) & 0xFF));
    }
    while (out.size() < total) {
        out.push_back(static_cast<std::uint8_t>((out.size() * 7 + out.size() / 256) & 0xFF));
    }
    return out;
}

// The answer `bytes[from, from + size)` (clipped to `bytes`) followed by `sw`.
Bytes slice(const Bytes& bytes, std::size_t from, std::size_t size, std::uint16_t sw)
{
    const std::size_t end = std::min(bytes.size(), from + size);
    Bytes out(bytes.begin() + static_cast<std::ptrdiff_t>(std::min(from, end)),
              bytes.begin() + static_cast<std::ptrdiff_t>(end));
    out.push_back(static_cast<std::uint8_t>(sw >> 8));
    out.push_back(static_cast<std::uint8_t>(sw & 0xFF));
    return out;
}

// 00 B0 P1 P2 Le: the READ BINARY readAuthCertificate() must send (Le 00 = 256).
Bytes readCommand(std::size_t offset, std::size_t le)
{
    return {0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8),
            static_cast<std::uint8_t>(offset & 0xFF), static_cast<std::uint8_t>(le & 0xFF)};
}

const Bytes kSelectCertificateEf{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A};

// The replies of a card whose EF 000A holds `ef`, to the reads of `der`'s size.
std::vector<Result<Bytes>> efReplies(const Bytes& ef, std::size_t derSize)
{
    std::vector<Result<Bytes>> out{raw({0x90, 0x00})};
    for (std::size_t offset = 0; offset < derSize; offset += 256) {
        const std::size_t want = offset == 0 ? 256 : std::min<std::size_t>(256, derSize - offset);
        const std::uint16_t sw = offset + want > ef.size() ? 0x6282 : 0x9000;
        out.emplace_back(slice(ef, offset, want, sw));
    }
    return out;
}

TEST_CASE("derTotalLength: short and long forms, more bytes needed, and refusals")
{
    using uketsuke::kiosk::card::derTotalLength;
    auto total = [](Bytes bytes) { return derTotalLength(bytes); };
    CHECK(total({}).value() == std::nullopt);
    CHECK(total({0x30}).value() == std::nullopt);
    CHECK(total({0x30, 0x82, 0x04}).value() == std::nullopt);
    CHECK(total({0x30, 0x05}).value() == std::optional<std::size_t>(7));
    CHECK(total({0x30, 0x7F}).value() == std::optional<std::size_t>(129));
    CHECK(total({0x30, 0x81, 0x80}).value() == std::optional<std::size_t>(131));
    CHECK(total({0x30, 0x82, 0x04, 0x48, 0xAA}).value() == std::optional<std::size_t>(1100));
    CHECK(total({0x30, 0x82, 0x1F, 0xFC}).value() == std::optional<std::size_t>(8192));
    for (const Bytes& bad : {Bytes{0x31, 0x05}, Bytes{0x00}, Bytes{0x30, 0x80},
                             Bytes{0x30, 0x81, 0x7F}, Bytes{0x30, 0x82, 0x00, 0xFF},
                             Bytes{0x30, 0x82, 0x1F, 0xFD}, Bytes{0x30, 0x82, 0xFF, 0xFF},
                             Bytes{0x30, 0x83, 0x01, 0x00, 0x00},
                             Bytes{0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF}, Bytes{0x30, 0x85},
                             Bytes{0x30, 0xFF}}) {
        INFO(bad.size() << " bytes, second " << (bad.size() > 1 ? int(bad[1]) : -1));
        auto result = total(bad);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == Errc::CertificateInvalid);
    }
}

TEST_CASE("JpkiCard::readAuthCertificate: the exact READ BINARY sequence")
{
    SECTION("1100 bytes in a padded EF: five reads, the first one also giving the header")
    {
        const Bytes der = fakeDer(1100);
        Bytes ef = der;
        ef.resize(1536, 0x00);
        test::ScriptedChannel channel(efReplies(ef, der.size()));
        JpkiCard card(channel);
        auto read = card.readAuthCertificate();
        REQUIRE(read);
        CHECK(*read == der);
        const std::vector<Bytes> expected{kSelectCertificateEf, readCommand(0, 256),
                                          readCommand(256, 256),  readCommand(512, 256),
                                          readCommand(768, 256),  readCommand(1024, 76)};
        CHECK(channel.commands() == expected);
        CHECK(expected[1] == Bytes{0x00, 0xB0, 0x00, 0x00, 0x00});
        CHECK(expected[5] == Bytes{0x00, 0xB0, 0x04, 0x00, 0x4C});
    }
    SECTION("1100 bytes, the last chunk answered 62 82 at the end of the EF")
    {
        const Bytes der = fakeDer(1100);
        auto script = efReplies(der, der.size());
        script.back() = slice(der, 1024, 76, 0x6282);
        test::ScriptedChannel channel(std::move(script));
        JpkiCard card(channel);
        auto read = card.readAuthCertificate();
        REQUIRE(read);
        CHECK(*read == der);
        CHECK(channel.sent() == 6);
    }
    SECTION("200 bytes (long form 81) in a padded EF: one read, the padding dropped")
    {
        const Bytes der = fakeDer(200);
        REQUIRE(der[1] == 0x81);
        Bytes ef = der;
        ef.resize(512, 0xFF);
        test::ScriptedChannel channel(efReplies(ef, der.size()));
        JpkiCard card(channel);
        auto read = card.readAuthCertificate();
        REQUIRE(read);
        CHECK(*read == der);
        CHECK(channel.commands() == std::vector<Bytes>{kSelectCertificateEf, readCommand(0, 256)});
    }
    SECTION("100 bytes (short form) in an EF of exactly that size: 62 82 on the only read")
    {
        const Bytes der = fakeDer(100);
        REQUIRE(der[1] == 98);
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), slice(der, 0, 256, 0x6282)}));
        JpkiCard card(channel);
        auto read = card.readAuthCertificate();
        REQUIRE(read);
        CHECK(*read == der);
        CHECK(channel.commands() == std::vector<Bytes>{kSelectCertificateEf, readCommand(0, 256)});
    }
    SECTION("a chunk shorter than asked with 90 00: the next read starts where it ended")
    {
        const Bytes der = fakeDer(300);
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), slice(der, 0, 256, 0x9000),
                                               slice(der, 256, 20, 0x9000),
                                               slice(der, 276, 24, 0x9000)}));
        JpkiCard card(channel);
        auto read = card.readAuthCertificate();
        REQUIRE(read);
        CHECK(*read == der);
        CHECK(channel.commands() ==
              std::vector<Bytes>{kSelectCertificateEf, readCommand(0, 256), readCommand(256, 44),
                                 readCommand(276, 24)});
    }
    SECTION("a first answer ending inside the header: the header is completed by the next read")
    {
        const Bytes der = fakeDer(300);
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), slice(der, 0, 2, 0x9000),
                                               slice(der, 2, 256, 0x9000),
                                               slice(der, 258, 42, 0x9000)}));
        JpkiCard card(channel);
        auto read = card.readAuthCertificate();
        REQUIRE(read);
        CHECK(*read == der);
        CHECK(channel.commands() ==
              std::vector<Bytes>{kSelectCertificateEf, readCommand(0, 256), readCommand(2, 256),
                                 readCommand(258, 42)});
    }
}

TEST_CASE("JpkiCard::readAuthCertificate: an EF that ends early")
{
    const Bytes der = fakeDer(1100);
    SECTION("62 82 on the third read, before the DER ends: CardEndOfFile, no more reads")
    {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), slice(der, 0, 256, 0x9000),
                                               slice(der, 256, 256, 0x9000),
                                               slice(der, 512, 100, 0x6282)}));
        JpkiCard card(channel);
        auto read = card.readAuthCertificate();
        REQUIRE_FALSE(read);
        CHECK(read.error().code == Errc::CardEndOfFile);
        CHECK(read.error().message.find("612 of 1100") != std::string::npos);
        CHECK(channel.sent() == 4);
    }
    SECTION("6B 00 on the fourth read: CardEndOfFile")
    {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), slice(der, 0, 256, 0x9000),
                                               slice(der, 256, 256, 0x9000),
                                               slice(der, 512, 256, 0x9000), raw({0x6B, 0x00})}));
        JpkiCard card(channel);
        auto read = card.readAuthCertificate();
        REQUIRE_FALSE(read);
        CHECK(read.error().code == Errc::CardEndOfFile);
        CHECK(channel.sent() == 5);
    }
    SECTION("62 82 on the first read, the EF shorter than its header says")
    {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), slice(der, 0, 100, 0x6282)}));
        JpkiCard card(channel);
        auto read = card.readAuthCertificate();
        REQUIRE_FALSE(read);
        CHECK(read.error().code == Errc::CardEndOfFile);
    }
    SECTION("6B 00 on the first read: an empty EF")
    {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), raw({0x6B, 0x00})}));
        JpkiCard card(channel);
        auto read = card.readAuthCertificate();
        REQUIRE_FALSE(read);
        CHECK(read.error().code == Errc::CardEndOfFile);
    }
    SECTION("the EF ends inside the header")
    {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), slice(der, 0, 3, 0x6282)}));
        JpkiCard card(channel);
        auto read = card.readAuthCertificate();
        REQUIRE_FALSE(read);
        CHECK(read.error().code == Errc::CardEndOfFile);
        CHECK(channel.sent() == 2);
    }
    SECTION("90 00 with a short remainder, then 6B 00")
    {
        const Bytes small = fakeDer(300);
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), slice(small, 0, 256, 0x9000),
                                               slice(small, 256, 20, 0x9000), raw({0x6B, 0x00})}));
        JpkiCard card(channel);
        auto read = card.readAuthCertificate();
        REQUIRE_FALSE(read);
        CHECK(read.error().code == Errc::CardEndOfFile);
    }
}

TEST_CASE("JpkiCard::readAuthCertificate: an EF exactly the certificate's size on the virtual "
          "card")
{
    VirtualCardConfig config = test::virtualCardConfig(test::defaultTestCard());
    config.certificateEfSize = 1; // smaller than the DER: the EF holds the DER unpadded
    Rig rig(std::move(config));
    REQUIRE(rig.jpkiCard->selectJpki());
    auto der = rig.jpkiCard->readAuthCertificate();
    REQUIRE(der);
    CHECK(*der == test::defaultTestCard().certificateDer);
    const std::size_t reads = (der->size() + 255) / 256;
    CHECK(rig.channel->count() == 2 + reads);
}

TEST_CASE("JpkiCard::readAuthCertificate: refuses bad headers and bad replies")
{
    // The first read's answer: `header`, then filler up to 256 bytes, then 90 00.
    auto firstChunk = [](Bytes header) {
        header.resize(256, 0x11);
        header.push_back(0x90);
        header.push_back(0x00);
        return header;
    };
    SECTION("not a SEQUENCE")
    {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), firstChunk({0x31, 0x82})}));
        JpkiCard card(channel);
        CHECK(card.readAuthCertificate().error().code == Errc::CertificateInvalid);
        CHECK(channel.sent() == 2);
    }
    SECTION("indefinite or non-minimal length")
    {
        for (const Bytes& header : {Bytes{0x30, 0x80}, Bytes{0x30, 0x81, 0x10},
                                    Bytes{0x30, 0x82, 0x00, 0xC8}}) {
            test::ScriptedChannel channel(replies({raw({0x90, 0x00}), firstChunk(header)}));
            JpkiCard card(channel);
            CHECK(card.readAuthCertificate().error().code == Errc::CertificateInvalid);
            CHECK(channel.sent() == 2);
        }
    }
    SECTION("length above the bound: refused after the first read")
    {
        for (const Bytes& header : {Bytes{0x30, 0x82, 0xFF, 0xFF}, Bytes{0x30, 0x82, 0x1F, 0xFD},
                                    Bytes{0x30, 0x83, 0x01, 0x00, 0x00},
                                    Bytes{0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF},
                                    Bytes{0x30, 0x88}}) {
            test::ScriptedChannel channel(replies({raw({0x90, 0x00}), firstChunk(header)}));
            JpkiCard card(channel);
            auto read = card.readAuthCertificate();
            REQUIRE_FALSE(read);
            CHECK(read.error().code == Errc::CertificateInvalid);
            CHECK(read.error().message.find("above the bound") != std::string::npos);
            CHECK(channel.sent() == 2);
        }
    }
    SECTION("a reply of one byte")
    {
        test::ScriptedChannel channel(replies({raw({0x90})}));
        JpkiCard card(channel);
        CHECK(card.readAuthCertificate().error().code == Errc::CardMalformedReply);
    }
    SECTION("more data than asked on the first read")
    {
        Bytes tooLong = firstChunk({0x30, 0x82, 0x01, 0x28});
        tooLong.insert(tooLong.begin() + 4, 0x11);
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), tooLong}));
        JpkiCard card(channel);
        CHECK(card.readAuthCertificate().error().code == Errc::CardMalformedReply);
    }
    SECTION("more data than asked on the last read")
    {
        const Bytes der = fakeDer(300);
        test::ScriptedChannel channel(replies(
            {raw({0x90, 0x00}), slice(der, 0, 256, 0x9000), chunk(45, 0x00, 0x9000)}));
        JpkiCard card(channel);
        CHECK(card.readAuthCertificate().error().code == Errc::CardMalformedReply);
    }
    SECTION("no data with 90 00")
    {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), raw({0x90, 0x00})}));
        JpkiCard card(channel);
        CHECK(card.readAuthCertificate().error().code == Errc::CardMalformedReply);
    }
    SECTION("no EF 000A")
    {
        test::ScriptedChannel channel(replies({raw({0x6A, 0x82})}));
        JpkiCard card(channel);
        auto der = card.readAuthCertificate();
        CHECK(der.error().code == Errc::CardFileNotFound);
        CHECK(der.error().native == 0x6A82);
    }
}

TEST_CASE("JpkiCard::pinTriesLeft: maps blocked answers to 0 and errors through the table")
{
    auto triesFor = [](Bytes answer) {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), std::move(answer)}));
        JpkiCard card(channel);
        return card.pinTriesLeft();
    };
    CHECK(triesFor(raw({0x63, 0xC2})).value_or(-1) == 2);
    CHECK(triesFor(raw({0x63, 0xCF})).value_or(-1) == 3); // clamped to the maximum
    CHECK(triesFor(raw({0x69, 0x84})).value_or(-1) == 0);
    CHECK(triesFor(raw({0x69, 0x83})).value_or(-1) == 0);
    CHECK(triesFor(raw({0x90, 0x00})).value_or(-1) == 3);
    auto odd = triesFor(raw({0x6A, 0x86}));
    REQUIRE_FALSE(odd);
    CHECK(odd.error().code == Errc::CardBadParameters);
}

TEST_CASE("JpkiCard::verifyAndSign: a refused or malformed signature is an error")
{
    SECTION("69 82 on the signature")
    {
        test::ScriptedChannel channel(replies(
            {raw({0x90, 0x00}), raw({0x90, 0x00}), raw({0x90, 0x00}), raw({0x69, 0x82})}));
        JpkiCard card(channel);
        auto result = card.verifyAndSign(pinOf("1234"), kChallenge);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == Errc::CardSecurityStatus);
    }
    SECTION("an empty signature")
    {
        test::ScriptedChannel channel(replies(
            {raw({0x90, 0x00}), raw({0x90, 0x00}), raw({0x90, 0x00}), raw({0x90, 0x00})}));
        JpkiCard card(channel);
        CHECK(card.verifyAndSign(pinOf("1234"), kChallenge).error().code ==
              Errc::CardMalformedReply);
    }
    SECTION("the card is pulled during VERIFY")
    {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00})}));
        JpkiCard card(channel);
        auto result = card.verifyAndSign(pinOf("1234"), kChallenge);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == Errc::CardRemoved);
        CHECK(channel.sent() == 2); // SELECT 0018, VERIFY: no retry
    }
}

TEST_CASE("JpkiCard: random replies never cause undefined behaviour")
{
    uketsuke::log::configure("kiosk.card:warn"); // thousands of expected failures
    std::mt19937 random(2024);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 300);
    const std::array<std::uint16_t, 8> statusWords{0x9000, 0x6282, 0x6B00, 0x63C1,
                                                   0x63C0, 0x6984, 0x6A82, 0x6982};
    for (int round = 0; round < 300; ++round) {
        std::vector<Result<Bytes>> script;
        for (int i = 0; i < 20; ++i) {
            Bytes reply(static_cast<std::size_t>(length(random)));
            for (auto& b : reply) {
                b = static_cast<std::uint8_t>(byte(random));
            }
            if (i % 3 != 0 && reply.size() >= 2) {
                const auto sw = statusWords[static_cast<std::size_t>(byte(random)) %
                                            statusWords.size()];
                reply[reply.size() - 2] = static_cast<std::uint8_t>(sw >> 8);
                reply[reply.size() - 1] = static_cast<std::uint8_t>(sw & 0xFF);
            }
            if (i == 2 && reply.size() >= 6) {
                reply = {0x30, 0x82, static_cast<std::uint8_t>(byte(random) & 0x07),
                         static_cast<std::uint8_t>(byte(random)), 0x90, 0x00};
            }
            script.emplace_back(std::move(reply));
        }
        test::ScriptedChannel channel(std::move(script));
        JpkiCard card(channel);
        (void)card.selectJpki();
        (void)card.readAuthCertificate();
        (void)card.pinTriesLeft();
        (void)card.verifyAndSign(pinOf("1234"), kChallenge);
        (void)card.readTokenLabel();
        CHECK(channel.sent() <= 20 + 5);
    }
}

} // namespace
