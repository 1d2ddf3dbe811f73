// JpkiCard::verifyOnReaderAndSign: the PIN typed on the reader's own keypad (PC/SC secure PIN
// entry). A scripted pinpad channel plays the reader: it receives the PinPadVerify request,
// builds the VERIFY with the digits "typed" on it and sends it to a VirtualCard, so the PIN
// never passes through JpkiCard. (Through pcscd this path cannot run: vpcd has no Part 10
// features, docs/pcsc.md; the PIN_VERIFY_STRUCTURE bytes are tested in tests/hal/pcsc.)

#include "kiosk/card/jpki.hpp"
#include "tests/support/sign_outcome.hpp"

#include "hal/apdu.hpp"
#include "hal/sim/virtual_card.hpp"
#include "tests/support/test_card.hpp"

#include <catch2/catch.hpp>

#include <optional>

namespace {

using uketsuke::Errc;
using uketsuke::Result;
using uketsuke::hal::Bytes;
using uketsuke::hal::sim::CardAccess;
using uketsuke::hal::sim::VirtualCard;
using uketsuke::kiosk::card::JpkiCard;
namespace hal = uketsuke::hal;
namespace test = uketsuke::test;

const Bytes kChallenge{'c', 'h', 'a', 'l', 'l', 'e', 'n', 'g', 'e'};

class PinPadChannel final : public hal::CardChannel {
public:
    explicit PinPadChannel(std::shared_ptr<VirtualCard> card, bool hasPad = true)
        : hal::CardChannel(card->atr()), m_card(std::move(card)), m_hasPad(hasPad)
    {
    }

    // What the patient does on the reader next: digits typed, or a reader answer (64 00
    // timeout, 64 01 cancel).
    std::string typed;
    std::optional<std::uint16_t> readerAnswer;
    std::optional<hal::PinPadVerify> lastRequest;

protected:
    Result<Bytes> doTransmit(std::span<const std::uint8_t> command) override
    {
        return m_card->process(command);
    }
    hal::ChannelCapabilities doCapabilities() const override { return {m_hasPad}; }
    Result<Bytes> doVerifyPinOnReader(const hal::PinPadVerify& request) override
    {
        lastRequest = request;
        if (readerAnswer) {
            return Bytes{static_cast<std::uint8_t>(*readerAnswer >> 8),
                         static_cast<std::uint8_t>(*readerAnswer & 0xFF)};
        }
        if (typed.size() < request.minDigits || typed.size() > request.maxDigits) {
            return Bytes{0x64, 0x03};
        }
        Bytes apdu{request.cla, request.ins, request.p1, request.p2,
                   static_cast<std::uint8_t>(typed.size())};
        apdu.insert(apdu.end(), typed.begin(), typed.end());
        return m_card->process(apdu);
    }

private:
    std::shared_ptr<VirtualCard> m_card;
    bool m_hasPad;
};

struct PadRig {
    PadRig()
    {
        auto created = VirtualCard::create(test::virtualCardConfig(test::defaultTestCard()));
        REQUIRE(created);
        card = *created;
        channel = std::make_unique<PinPadChannel>(card);
        jpki = std::make_unique<JpkiCard>(*channel);
        REQUIRE(jpki->selectJpki());
        auto der = jpki->readAuthCertificate();
        REQUIRE(der);
        certificate = *der;
        REQUIRE(jpki->pinTriesLeft().value_or(-1) == 3);
    }
    std::shared_ptr<VirtualCard> card;
    std::unique_ptr<PinPadChannel> channel;
    std::unique_ptr<JpkiCard> jpki;
    Bytes certificate;
};

TEST_CASE("verifyOnReaderAndSign: the right PIN typed on the reader signs")
{
    PadRig rig;
    CHECK(rig.jpki->readerHasPinPad());
    rig.channel->typed = "1234";
    rig.card->clearAccessLog();
    auto signature =
        test::signedBytes(rig.jpki->verifyOnReaderAndSign(kChallenge, std::chrono::seconds(45)));
    REQUIRE(signature);
    CHECK(test::verifySha256Signature(rig.certificate, kChallenge, *signature));
    // The request the reader got: the JPKI VERIFY 00 20 00 80, exactly 4 digits.
    REQUIRE(rig.channel->lastRequest);
    const auto& request = *rig.channel->lastRequest;
    CHECK(request.cla == 0x00);
    CHECK(request.ins == 0x20);
    CHECK(request.p1 == 0x00);
    CHECK(request.p2 == 0x80);
    CHECK(request.minDigits == 4);
    CHECK(request.maxDigits == 4);
    CHECK(request.timeout == std::chrono::seconds(45));
    // No second SELECT 0018 after the tries query; VERIFY, SELECT 0017, sign.
    const auto log = rig.card->accessLog();
    REQUIRE(log.size() == 3);
    CHECK(log[0].kind == CardAccess::Kind::Verify);
    CHECK(log[0].withData);
    CHECK(log[1].kind == CardAccess::Kind::SelectEf);
    CHECK(log[1].fid == 0x0017);
    CHECK(log[2].kind == CardAccess::Kind::Sign);
}

TEST_CASE("verifyOnReaderAndSign: a wrong PIN typed on the reader counts down")
{
    PadRig rig;
    rig.channel->typed = "9999";
    auto first = rig.jpki->verifyOnReaderAndSign(kChallenge);
    REQUIRE(first);
    CHECK(test::triesLeftAfterRefusal(first) == 2);
    CHECK(rig.card->authPinTriesLeft() == 2);
}

TEST_CASE("verifyOnReaderAndSign: timeout and cancel on the reader spend no try")
{
    PadRig rig;
    rig.channel->readerAnswer = 0x6400;
    auto timedOut = rig.jpki->verifyOnReaderAndSign(kChallenge);
    REQUIRE_FALSE(timedOut);
    CHECK(timedOut.error().code == Errc::Timeout);
    rig.channel->readerAnswer = 0x6401;
    auto cancelled = rig.jpki->verifyOnReaderAndSign(kChallenge);
    REQUIRE_FALSE(cancelled);
    CHECK(cancelled.error().code == Errc::Cancelled);
    rig.channel->readerAnswer.reset();
    rig.channel->typed = "12345";
    auto tooLong = rig.jpki->verifyOnReaderAndSign(kChallenge);
    REQUIRE_FALSE(tooLong);
    CHECK(tooLong.error().code == Errc::PinFormat);
    CHECK(rig.card->authPinTriesLeft() == 3);
    // And the patient can still finish on the reader.
    rig.channel->typed = "1234";
    CHECK(test::signedBytes(rig.jpki->verifyOnReaderAndSign(kChallenge)));
}

TEST_CASE("verifyOnReaderAndSign: without a PIN pad nothing is sent")
{
    auto created = VirtualCard::create(test::virtualCardConfig(test::defaultTestCard()));
    REQUIRE(created);
    PinPadChannel channel(*created, false);
    JpkiCard jpki(channel);
    REQUIRE(jpki.selectJpki());
    (*created)->clearAccessLog();
    CHECK_FALSE(jpki.readerHasPinPad());
    auto signature = jpki.verifyOnReaderAndSign(kChallenge);
    REQUIRE_FALSE(signature);
    CHECK(signature.error().code == Errc::NotSupported);
    CHECK((*created)->accessLog().empty());
    CHECK_FALSE(channel.lastRequest);
}

} // namespace
