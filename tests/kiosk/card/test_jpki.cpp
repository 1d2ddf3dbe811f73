#include "kiosk/card/jpki.hpp"

#include "hal/apdu.hpp"
#include "hal/log.hpp"
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
    return card.verifyAndSign(pinOf(pin), kChallenge);
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
    auto signature = rig.jpkiCard->verifyAndSign(pinOf("1234"), kChallenge);
    REQUIRE(signature);
    CHECK(test::verifySha256Signature(test::defaultTestCard().certificateDer, kChallenge,
                                      *signature));
}

TEST_CASE("JpkiCard::verifyAndSign: a wrong PIN is PinIncorrect with the tries left")
{
    Rig rig;
    REQUIRE(rig.jpkiCard->selectJpki());
    REQUIRE(rig.jpkiCard->pinTriesLeft().value_or(-1) == 3);

    auto first = rig.jpkiCard->verifyAndSign(pinOf("4321"), kChallenge);
    REQUIRE_FALSE(first);
    CHECK(first.error().code == Errc::PinIncorrect);
    CHECK(first.error().native == 2);

    auto second = rig.jpkiCard->verifyAndSign(pinOf("4321"), kChallenge);
    REQUIRE_FALSE(second);
    CHECK(second.error().code == Errc::PinIncorrect);
    CHECK(second.error().native == 1);

    auto third = rig.jpkiCard->verifyAndSign(pinOf("4321"), kChallenge);
    REQUIRE_FALSE(third);
    CHECK(third.error().code == Errc::PinBlocked);

    auto fourth = rig.jpkiCard->verifyAndSign(pinOf("1234"), kChallenge);
    REQUIRE_FALSE(fourth);
    CHECK(fourth.error().code == Errc::PinBlocked);
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
    // Commands: 0 SELECT AP, 1 SELECT 000A, 2 header, 3 first chunk, 4 second chunk.
    rig.channel->setBeforeTransmit([&](std::size_t index, const hal::CommandApdu&) {
        if (index == 4) {
            rig.reader.remove();
        }
    });
    REQUIRE(rig.jpkiCard->selectJpki());
    auto der = rig.jpkiCard->readAuthCertificate();
    REQUIRE_FALSE(der);
    CHECK(der.error().code == Errc::CardRemoved);
    CHECK(rig.channel->count() == 5);
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
    CHECK(rig.channel->count() == reads + 1 + 7);
    CHECK(rig.card->commandCount() == rig.channel->count());

    // The exact sequence (mynumber-card.md 2.7).
    const auto& h = rig.channel->headers();
    REQUIRE(h.size() == reads + 8);
    auto is = [](const test::CountingChannel::Header& header, std::uint8_t cla, std::uint8_t ins,
                 std::uint8_t p1, std::uint8_t p2) {
        return header.cla == cla && header.ins == ins && header.p1 == p1 && header.p2 == p2;
    };
    CHECK(is(h[0], 0x00, 0xA4, 0x04, 0x0C)); // SELECT AP
    CHECK(is(h[1], 0x00, 0xA4, 0x02, 0x0C)); // SELECT 000A
    CHECK(is(h[2], 0x00, 0xB0, 0x00, 0x00)); // header
    for (std::size_t i = 0; i < reads; ++i) {
        CHECK(is(h[3 + i], 0x00, 0xB0, static_cast<std::uint8_t>(i), 0x00));
    }
    const std::size_t after = 3 + reads;
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

TEST_CASE("JpkiCard::readAuthCertificate: tolerates 62 82 and 6B 00 at the end of the EF")
{
    // A 300-byte "certificate": 30 82 01 28 + 296 bytes.
    Bytes first = chunk(256, 0x11, 0x9000);
    first[0] = 0x30;
    first[1] = 0x82;
    first[2] = 0x01;
    first[3] = 0x28;
    const Bytes header = raw({0x30, 0x82, 0x01, 0x28, 0x90, 0x00});

    SECTION("62 82 with the remainder")
    {
        test::ScriptedChannel channel(
            replies({raw({0x90, 0x00}), header, first, chunk(44, 0x22, 0x6282)}));
        JpkiCard card(channel);
        auto der = card.readAuthCertificate();
        REQUIRE(der);
        CHECK(der->size() == 300);
        CHECK(der->back() == 0x22);
    }
    SECTION("90 00 with a short remainder, then 6B 00")
    {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), header, first,
                                               chunk(20, 0x22, 0x9000), chunk(0, 0, 0x6B00)}));
        JpkiCard card(channel);
        auto der = card.readAuthCertificate();
        REQUIRE_FALSE(der);
        CHECK(der.error().code == Errc::CardEndOfFile);
    }
    SECTION("62 82 before the DER ends")
    {
        test::ScriptedChannel channel(
            replies({raw({0x90, 0x00}), header, chunk(100, 0x11, 0x6282)}));
        JpkiCard card(channel);
        auto der = card.readAuthCertificate();
        REQUIRE_FALSE(der);
        CHECK(der.error().code == Errc::CardEndOfFile);
    }
}

TEST_CASE("JpkiCard::readAuthCertificate: refuses bad headers and bad replies")
{
    SECTION("not 30 82")
    {
        test::ScriptedChannel channel(
            replies({raw({0x90, 0x00}), raw({0x30, 0x81, 0x80, 0x00, 0x90, 0x00})}));
        JpkiCard card(channel);
        CHECK(card.readAuthCertificate().error().code == Errc::CertificateInvalid);
    }
    SECTION("length above the bound")
    {
        test::ScriptedChannel channel(
            replies({raw({0x90, 0x00}), raw({0x30, 0x82, 0xFF, 0xFF, 0x90, 0x00})}));
        JpkiCard card(channel);
        CHECK(card.readAuthCertificate().error().code == Errc::CertificateInvalid);
        CHECK(channel.sent() == 2);
    }
    SECTION("header read returns the wrong number of bytes")
    {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}), raw({0x30, 0x82, 0x90, 0x00})}));
        JpkiCard card(channel);
        CHECK(card.readAuthCertificate().error().code == Errc::CardMalformedReply);
    }
    SECTION("a reply of one byte")
    {
        test::ScriptedChannel channel(replies({raw({0x90})}));
        JpkiCard card(channel);
        CHECK(card.readAuthCertificate().error().code == Errc::CardMalformedReply);
    }
    SECTION("more data than asked")
    {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}),
                                               raw({0x30, 0x82, 0x00, 0x10, 0x90, 0x00}),
                                               chunk(40, 0x00, 0x9000)}));
        JpkiCard card(channel);
        CHECK(card.readAuthCertificate().error().code == Errc::CardMalformedReply);
    }
    SECTION("no data with 90 00")
    {
        test::ScriptedChannel channel(replies({raw({0x90, 0x00}),
                                               raw({0x30, 0x82, 0x00, 0x10, 0x90, 0x00}),
                                               raw({0x90, 0x00})}));
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
