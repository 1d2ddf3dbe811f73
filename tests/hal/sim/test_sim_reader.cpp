#include "hal/sim/sim_reader.hpp"

#include "hal/apdu.hpp"
#include "tests/support/test_card.hpp"

#include <catch2/catch.hpp>

#include <future>

namespace {

using namespace std::chrono_literals;
using uketsuke::Errc;
using uketsuke::hal::CardPresence;
using uketsuke::hal::sim::SimCardReader;
using uketsuke::hal::sim::VirtualCard;
namespace hal = uketsuke::hal;
namespace test = uketsuke::test;

// Long enough never to be reached in a passing test: a bound, not a sleep.
constexpr auto kBound = 10s;

std::shared_ptr<VirtualCard> makeCard()
{
    auto card = VirtualCard::create(test::virtualCardConfig(test::defaultTestCard()));
    REQUIRE(card);
    return *card;
}

TEST_CASE("SimCardReader::waitForChange: returns when a card is inserted from another thread")
{
    SimCardReader reader;
    auto card = makeCard();
    auto waiter = std::async(std::launch::async,
                             [&] { return reader.waitForChange(CardPresence::Absent, kBound); });
    const auto start = std::chrono::steady_clock::now();
    reader.insert(card);
    auto change = waiter.get();
    REQUIRE(change);
    CHECK(change->presence == CardPresence::Present);
    CHECK(change->reader == reader.name());
    CHECK(std::chrono::steady_clock::now() - start < kBound);
    CHECK(reader.present());
}

TEST_CASE("SimCardReader::waitForChange: returns when the card is removed from another thread")
{
    SimCardReader reader;
    reader.insert(makeCard());
    auto waiter = std::async(std::launch::async,
                             [&] { return reader.waitForChange(CardPresence::Present, kBound); });
    reader.remove();
    auto change = waiter.get();
    REQUIRE(change);
    CHECK(change->presence == CardPresence::Absent);
    CHECK_FALSE(reader.present());
}

TEST_CASE("SimCardReader::waitForChange: returns at once when the presence already differs")
{
    SimCardReader reader;
    reader.insert(makeCard());
    auto change = reader.waitForChange(CardPresence::Absent, kBound);
    REQUIRE(change);
    CHECK(change->presence == CardPresence::Present);
}

TEST_CASE("SimCardReader::waitForChange: Timeout when nothing happens")
{
    SimCardReader reader;
    const auto start = std::chrono::steady_clock::now();
    auto change = reader.waitForChange(CardPresence::Absent, 20ms);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(change);
    CHECK(change.error().code == Errc::Timeout);
    CHECK(elapsed >= 20ms);
    CHECK(elapsed < kBound);
}

TEST_CASE("SimCardReader::waitForChange: Cancelled after cancel() from another thread")
{
    SimCardReader reader;
    auto waiter = std::async(std::launch::async,
                             [&] { return reader.waitForChange(CardPresence::Absent, kBound); });
    const auto start = std::chrono::steady_clock::now();
    reader.cancel();
    auto change = waiter.get();
    REQUIRE_FALSE(change);
    CHECK(change.error().code == Errc::Cancelled);
    CHECK(std::chrono::steady_clock::now() - start < kBound);

    // The cancel was consumed: the next wait times out normally.
    auto next = reader.waitForChange(CardPresence::Absent, 1ms);
    REQUIRE_FALSE(next);
    CHECK(next.error().code == Errc::Timeout);
}

TEST_CASE("SimCardReader::connect: NoCard without a card")
{
    SimCardReader reader;
    auto channel = reader.connect();
    REQUIRE_FALSE(channel);
    CHECK(channel.error().code == Errc::NoCard);
}

TEST_CASE("SimCardReader::connect: the channel talks to the card until it is removed")
{
    SimCardReader reader;
    auto card = makeCard();
    reader.insert(card);
    auto channel = reader.connect();
    REQUIRE(channel);
    CHECK((*channel)->atr() == card->atr());

    auto selected = (*channel)->transmit(hal::selectAid(hal::jpki::kJpkiAid));
    REQUIRE(selected);
    CHECK(selected->sw == 0x9000);

    reader.remove();
    auto afterRemoval = (*channel)->transmit(hal::selectAid(hal::jpki::kJpkiAid));
    REQUIRE_FALSE(afterRemoval);
    CHECK(afterRemoval.error().code == Errc::CardRemoved);

    // Putting the same card back is a new insertion: the old channel stays dead.
    reader.insert(card);
    auto stillDead = (*channel)->transmit(hal::selectAid(hal::jpki::kJpkiAid));
    REQUIRE_FALSE(stillDead);
    CHECK(stillDead.error().code == Errc::CardRemoved);
    auto fresh = reader.connect();
    REQUIRE(fresh);
    auto again = (*fresh)->transmit(hal::selectAid(hal::jpki::kJpkiAid));
    REQUIRE(again);
    CHECK(again->sw == 0x9000);
}

TEST_CASE("SimCardReader::connect: connecting resets the card's verified state")
{
    SimCardReader reader;
    auto card = makeCard();
    reader.insert(card);
    auto first = reader.connect();
    REQUIRE(first);
    auto& channel = **first;
    REQUIRE(channel.transmit(hal::selectAid(hal::jpki::kJpkiAid))->sw == 0x9000);
    REQUIRE(channel.transmit(hal::selectEf(0x0018))->sw == 0x9000);
    uketsuke::Pin pin;
    for (char c : {'1', '2', '3', '4'}) {
        pin.push(c);
    }
    REQUIRE(channel.transmit(hal::verify(pin))->sw == 0x9000);

    auto second = reader.connect();
    REQUIRE(second);
    REQUIRE((*second)->transmit(hal::selectAid(hal::jpki::kJpkiAid))->sw == 0x9000);
    REQUIRE((*second)->transmit(hal::selectEf(0x0017))->sw == 0x9000);
    const hal::Bytes input(51, 0x01);
    CHECK((*second)->transmit(hal::computeSignature(input))->sw == 0x6982);
}

TEST_CASE("SimCardReader::connect: a channel outliving its reader answers ReaderRemoved")
{
    std::unique_ptr<hal::CardChannel> channel;
    {
        SimCardReader reader;
        reader.insert(makeCard());
        auto connected = reader.connect();
        REQUIRE(connected);
        channel = std::move(*connected);
    }
    auto reply = channel->transmit(hal::selectAid(hal::jpki::kJpkiAid));
    REQUIRE_FALSE(reply);
    CHECK(reply.error().code == Errc::ReaderRemoved);
}

uketsuke::Pin pinOf(const char* digits)
{
    uketsuke::Pin pin;
    for (const char* c = digits; *c; ++c) {
        pin.push(*c);
    }
    return pin;
}

TEST_CASE("SimCardReader: without a PIN pad the channel has no secure PIN entry")
{
    SimCardReader reader;
    reader.insert(makeCard());
    auto channel = reader.connect();
    REQUIRE(channel);
    CHECK_FALSE((*channel)->capabilities().securePinEntry);
    auto sw = (*channel)->verifyPinOnReader(hal::PinPadVerify{});
    REQUIRE_FALSE(sw);
    CHECK(sw.error().code == Errc::NotSupported);
}

TEST_CASE("SimCardReader: the simulated PIN pad sends the VERIFY the card checks")
{
    SimCardReader reader;
    reader.setPinPad(true);
    reader.insert(makeCard());
    auto connected = reader.connect();
    REQUIRE(connected);
    auto& channel = **connected;
    CHECK(channel.capabilities().securePinEntry);
    REQUIRE(channel.transmit(hal::selectAid(hal::jpki::kJpkiAid))->sw == 0x9000);
    REQUIRE(channel.transmit(hal::selectEf(0x0018))->sw == 0x9000);

    // Typed while the entry waits (from another thread, as the patient does).
    auto entry = std::async(std::launch::async,
                            [&] { return channel.verifyPinOnReader(hal::PinPadVerify{}); });
    reader.typeOnPad(pinOf("9999"));
    auto wrong = entry.get();
    REQUIRE(wrong);
    CHECK(*wrong == 0x63C2); // the card counted the wrong PIN

    // Typed before the entry starts: kept for it.
    reader.typeOnPad(pinOf("1234"));
    auto right = channel.verifyPinOnReader(hal::PinPadVerify{});
    REQUIRE(right);
    CHECK(*right == 0x9000);
    REQUIRE(channel.transmit(hal::selectEf(0x0017))->sw == 0x9000);
    CHECK(channel.transmit(hal::computeSignature(hal::Bytes(51, 0x01)))->sw == 0x9000);
}

TEST_CASE("SimCardReader: the simulated PIN pad times out, cancels and checks the length")
{
    SimCardReader reader;
    reader.setPinPad(true);
    reader.insert(makeCard());
    auto connected = reader.connect();
    REQUIRE(connected);
    auto& channel = **connected;

    hal::PinPadVerify quick;
    quick.timeout = std::chrono::seconds(0); // the reader gives up at once: nothing typed
    auto timedOut = channel.verifyPinOnReader(quick);
    REQUIRE_FALSE(timedOut);
    CHECK(timedOut.error().code == Errc::Timeout);

    reader.cancelOnPad();
    auto cancelled = channel.verifyPinOnReader(hal::PinPadVerify{});
    REQUIRE_FALSE(cancelled);
    CHECK(cancelled.error().code == Errc::Cancelled);

    reader.typeOnPad(pinOf("12"));
    auto tooShort = channel.verifyPinOnReader(hal::PinPadVerify{});
    REQUIRE_FALSE(tooShort);
    CHECK(tooShort.error().code == Errc::PinFormat);
}

TEST_CASE("SimCardReader: removing the card ends a PIN pad entry")
{
    SimCardReader reader;
    reader.setPinPad(true);
    reader.insert(makeCard());
    auto connected = reader.connect();
    REQUIRE(connected);
    auto entry = std::async(std::launch::async, [&] {
        return (*connected)->verifyPinOnReader(hal::PinPadVerify{});
    });
    reader.remove();
    auto ended = entry.get();
    REQUIRE_FALSE(ended);
    CHECK(ended.error().code == Errc::CardRemoved);
}

} // namespace
