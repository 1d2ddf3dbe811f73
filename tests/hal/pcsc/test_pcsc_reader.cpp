// PcscReader and JpkiCard against the real pcscd with vpcd and `uketsuke-sim card`, each test
// in its own namespaces with its own pcscd (pcsc_sandbox.hpp).

#include <catch2/catch.hpp>

#include "hal/apdu.hpp"
#include "tests/support/sign_outcome.hpp"
#include "hal/pcsc/pcsc_reader.hpp"
#include "kiosk/card/jpki.hpp"
#include "tests/hal/pcsc/pcsc_sandbox.hpp"
#include "tests/support/test_card.hpp"

#include <future>
#include <thread>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;
using hal::CardPresence;
using hal::pcsc::PcscReader;
using kiosk::card::JpkiCard;
using test::Pcscd;
using test::startSimCard;

constexpr auto kCardWait = 20s; // generous for ASan on 2 busy cores; met in well under 1 s

struct Sandbox {
    test::TempDir dir;
    Pcscd pcscd{dir.path()};
    Sandbox() { pcscd.start(); }
};

Pin pinOf(const char* digits)
{
    Pin pin;
    for (const char* c = digits; *c != '\0'; ++c) {
        pin.push(*c);
    }
    return pin;
}

hal::Bytes personaCertificate(const std::string& persona)
{
    return test::readBinaryFile(test::sharedPki() / "jpki/cards" / (persona + ".der"));
}

hal::ReaderChange waitFor(PcscReader& reader, CardPresence known)
{
    auto change = reader.waitForChange(known, kCardWait);
    INFO((change ? std::string("ok") : change.error().message));
    REQUIRE(change);
    return *change;
}

const hal::Bytes kMessage{'c', 'h', 'a', 'l', 'l', 'e', 'n', 'g', 'e'};

TEST_CASE("PcscReader: reads the certificate and the tries through pcscd and vpcd")
{
    Sandbox box;
    auto card = startSimCard("valid", box.dir.path());
    PcscReader reader;
    auto change = waitFor(reader, CardPresence::Absent);
    CHECK(change.presence == CardPresence::Present);
    CHECK(change.reader == test::kSlot0);
    CHECK(reader.name() == test::kSlot0);

    auto readers = reader.listReaders();
    REQUIRE(readers);
    CHECK(*readers == std::vector<std::string>{test::kSlot0, test::kSlot1});

    auto channel = reader.connect();
    REQUIRE(channel);
    CHECK((*channel)->atr() ==
          hal::Bytes(hal::jpki::kContactAtr.begin(), hal::jpki::kContactAtr.end()));
    CHECK_FALSE((*channel)->capabilities().securePinEntry); // vpcd has no Part 10 features

    JpkiCard jpki(**channel);
    REQUIRE(jpki.selectJpki());
    auto der = jpki.readAuthCertificate();
    REQUIRE(der);
    CHECK(*der == personaCertificate("valid"));
    auto tries = jpki.pinTriesLeft();
    REQUIRE(tries);
    CHECK(*tries == 3);
    CHECK_FALSE(jpki.readerHasPinPad());
    auto viaPad = jpki.verifyOnReaderAndSign(kMessage);
    REQUIRE_FALSE(viaPad);
    CHECK(viaPad.error().code == Errc::NotSupported);
}

TEST_CASE("PcscReader: the connection is exclusive")
{
    Sandbox box;
    auto card = startSimCard("valid", box.dir.path());
    PcscReader first;
    PcscReader second;
    waitFor(first, CardPresence::Absent);
    waitFor(second, CardPresence::Absent);
    auto held = first.connect();
    REQUIRE(held);
    auto refused = second.connect();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::ReaderBusy);
}

TEST_CASE("PcscReader: sign with the right PIN, verified with OpenSSL")
{
    Sandbox box;
    auto card = startSimCard("valid", box.dir.path());
    PcscReader reader;
    waitFor(reader, CardPresence::Absent);
    auto channel = reader.connect();
    REQUIRE(channel);
    JpkiCard jpki(**channel);
    REQUIRE(jpki.selectJpki());
    auto der = jpki.readAuthCertificate();
    REQUIRE(der);
    REQUIRE(jpki.pinTriesLeft());
    auto signature = test::signedBytes(jpki.verifyAndSign(pinOf("1234"), kMessage));
    REQUIRE(signature);
    CHECK(signature->size() == 256);
    CHECK(test::verifySha256Signature(*der, kMessage, *signature));
}

TEST_CASE("PcscReader: wrong PINs count down, warn at the last try, then block")
{
    Sandbox box;
    const auto state = box.dir.path() / "counters.json";
    auto card = startSimCard("valid", box.dir.path(), 35963, {"--state", state.string()});
    PcscReader reader;
    waitFor(reader, CardPresence::Absent);
    {
        auto channel = reader.connect();
        REQUIRE(channel);
        JpkiCard jpki(**channel);
        REQUIRE(jpki.selectJpki());
        CHECK(jpki.pinTriesLeft().value_or(-1) == 3);

        auto first = jpki.verifyAndSign(pinOf("0000"), kMessage);
        REQUIRE(first);
        CHECK(test::triesLeftAfterRefusal(first) == 2);

        auto second = jpki.verifyAndSign(pinOf("0000"), kMessage);
        REQUIRE(second);
        CHECK(test::triesLeftAfterRefusal(second) == 1);
        // The flow reads this before the keypad and warns before the last attempt.
        CHECK(jpki.pinTriesLeft().value_or(-1) == 1);

        auto third = jpki.verifyAndSign(pinOf("0000"), kMessage);
        REQUIRE(third);
        CHECK(test::triesLeftAfterRefusal(third) == 0);
        CHECK(jpki.pinTriesLeft().value_or(-1) == 0);

        // Blocked: even the right PIN is refused (69 84) and nothing is signed.
        auto right = jpki.verifyAndSign(pinOf("1234"), kMessage);
        REQUIRE(right);
        CHECK(test::triesLeftAfterRefusal(right) == 0);
        CHECK_FALSE(test::signedBytes(std::move(right)));
    }
    // The counters are non-volatile: a new run of the card with the same state file is still
    // blocked.
    card.stop();
    REQUIRE(waitFor(reader, CardPresence::Present).presence == CardPresence::Absent);
    auto again = startSimCard("valid", box.dir.path(), 35963, {"--state", state.string()});
    REQUIRE(waitFor(reader, CardPresence::Absent).presence == CardPresence::Present);
    auto channel = reader.connect();
    REQUIRE(channel);
    JpkiCard jpki(**channel);
    REQUIRE(jpki.selectJpki());
    CHECK(jpki.pinTriesLeft().value_or(-1) == 0);
}

TEST_CASE("PcscReader: the one-try persona warns first, and the right PIN restores the tries")
{
    Sandbox box;
    auto card = startSimCard("one-try", box.dir.path());
    PcscReader reader;
    waitFor(reader, CardPresence::Absent);
    auto channel = reader.connect();
    REQUIRE(channel);
    JpkiCard jpki(**channel);
    REQUIRE(jpki.selectJpki());
    auto der = jpki.readAuthCertificate();
    REQUIRE(der);
    CHECK(jpki.pinTriesLeft().value_or(-1) == 1);
    auto signature = test::signedBytes(jpki.verifyAndSign(pinOf("8642"), kMessage));
    REQUIRE(signature);
    CHECK(test::verifySha256Signature(*der, kMessage, *signature));
    CHECK(jpki.pinTriesLeft().value_or(-1) == 3);
}

TEST_CASE("PcscReader: the blocked persona shows 0 tries before any PIN")
{
    Sandbox box;
    auto card = startSimCard("blocked", box.dir.path());
    PcscReader reader;
    waitFor(reader, CardPresence::Absent);
    auto channel = reader.connect();
    REQUIRE(channel);
    JpkiCard jpki(**channel);
    REQUIRE(jpki.selectJpki());
    CHECK(jpki.pinTriesLeft().value_or(-1) == 0);
}

TEST_CASE("PcscReader: a card that is not a My Number card is refused by AID")
{
    Sandbox box;
    auto card = startSimCard("not-my-number", box.dir.path());
    PcscReader reader;
    waitFor(reader, CardPresence::Absent);
    auto channel = reader.connect();
    REQUIRE(channel);
    JpkiCard jpki(**channel);
    auto selected = jpki.selectJpki();
    REQUIRE_FALSE(selected);
    CHECK(selected.error().code == Errc::NotMyNumberCard);
    CHECK(selected.error().native == 0x6A82);
}

TEST_CASE("PcscReader: the contactless ATR takes the SELECT path just the same")
{
    Sandbox box;
    auto card = startSimCard("valid", box.dir.path(), 35963, {"--atr", "contactless"});
    PcscReader reader;
    waitFor(reader, CardPresence::Absent);
    auto channel = reader.connect();
    REQUIRE(channel);
    CHECK((*channel)->atr() == hal::Bytes{0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x05, 0xE0, 0xB3,
                                          0x81, 0xA1, 0x00, 0x7F});
    JpkiCard jpki(**channel);
    REQUIRE(jpki.selectJpki());
    CHECK(jpki.readAuthCertificate());
}

TEST_CASE("PcscReader: a card pulled during the certificate read is CardRemoved")
{
    Sandbox box;
    // SELECT AP, SELECT 000A and the first chunk (with the DER header) are answered; the card
    // is pulled when the second chunk is asked for.
    auto card = startSimCard("valid", box.dir.path(), 35963, {"--remove-after", "3"});
    PcscReader reader;
    waitFor(reader, CardPresence::Absent);
    auto channel = reader.connect();
    REQUIRE(channel);
    JpkiCard jpki(**channel);
    REQUIRE(jpki.selectJpki());
    auto der = jpki.readAuthCertificate();
    REQUIRE_FALSE(der);
    INFO(der.error().message);
    CHECK(der.error().code == Errc::CardRemoved);
    CHECK(card.wait(10s) == 0); // the simulator ends after the removal
    // The presence wait reports the removal too (never a PIN failure).
    CHECK(waitFor(reader, CardPresence::Present).presence == CardPresence::Absent);
    // A further command on the dead channel stays CardRemoved.
    auto after = jpki.pinTriesLeft();
    REQUIRE_FALSE(after);
    CHECK(after.error().code == Errc::CardRemoved);
}

TEST_CASE("PcscReader: the same reader recovers when pcscd restarts between two check-ins")
{
    Sandbox box;
    auto card = startSimCard("valid", box.dir.path());
    PcscReader reader;
    auto checkIn = [&] {
        auto channel = reader.connect();
        REQUIRE(channel);
        JpkiCard jpki(**channel);
        REQUIRE(jpki.selectJpki());
        auto der = jpki.readAuthCertificate();
        REQUIRE(der);
        REQUIRE(jpki.pinTriesLeft());
        auto signature = test::signedBytes(jpki.verifyAndSign(pinOf("1234"), kMessage));
        REQUIRE(signature);
        CHECK(test::verifySha256Signature(*der, kMessage, *signature));
    };
    REQUIRE(waitFor(reader, CardPresence::Absent).presence == CardPresence::Present);
    checkIn();

    box.pcscd.restart(); // the simulator reconnects to the new vpcd by itself

    // The old context is gone: the card seen before is reported absent once, then present
    // again on the new daemon, with no new PcscReader.
    CHECK(waitFor(reader, CardPresence::Present).presence == CardPresence::Absent);
    CHECK(waitFor(reader, CardPresence::Absent).presence == CardPresence::Present);
    checkIn();
}

TEST_CASE("PcscReader: pcscd stopping during a check-in is ReaderServiceDown, then recovers")
{
    Sandbox box;
    auto card = startSimCard("valid", box.dir.path());
    PcscReader reader;
    REQUIRE(waitFor(reader, CardPresence::Absent).presence == CardPresence::Present);
    auto channel = reader.connect();
    REQUIRE(channel);
    JpkiCard jpki(**channel);
    REQUIRE(jpki.selectJpki());
    box.pcscd.stop();
    auto der = jpki.readAuthCertificate();
    REQUIRE_FALSE(der);
    CHECK(der.error().code == Errc::ReaderServiceDown);
    // While pcscd is away: the card is reported gone, and a wait with no card says why.
    CHECK(waitFor(reader, CardPresence::Present).presence == CardPresence::Absent);
    auto down = reader.waitForChange(CardPresence::Absent, 300ms);
    REQUIRE_FALSE(down);
    CHECK(down.error().code == Errc::ReaderServiceDown);
    channel->reset();
    box.pcscd.start();
    CHECK(waitFor(reader, CardPresence::Absent).presence == CardPresence::Present);
}

TEST_CASE("PcscReader: a second reader appearing with a card is found")
{
    Sandbox box;
    PcscReader reader;
    // pcscd lists both vpcd slots; nothing holds a card yet.
    auto none = reader.waitForChange(CardPresence::Absent, 200ms);
    REQUIRE_FALSE(none);
    CHECK(none.error().code == Errc::Timeout);

    // The wait is blocked in SCardGetStatusChange when the card arrives in slot 1.
    std::promise<Result<hal::ReaderChange>> done;
    auto result = done.get_future();
    std::thread waiter(
        [&] { done.set_value(reader.waitForChange(CardPresence::Absent, kCardWait)); });
    auto card = startSimCard("valid", box.dir.path(), 35964);
    auto change = result.get();
    waiter.join();
    REQUIRE(change);
    CHECK(change->presence == CardPresence::Present);
    CHECK(change->reader == test::kSlot1);
    auto channel = reader.connect();
    REQUIRE(channel);
    JpkiCard jpki(**channel);
    CHECK(jpki.selectJpki());
}

TEST_CASE("PcscReader: readers appear when pcscd starts after the reader")
{
    test::TempDir dir;
    Pcscd pcscd(dir.path()); // not started yet
    PcscReader reader;
    auto down = reader.waitForChange(CardPresence::Absent, 300ms);
    REQUIRE_FALSE(down);
    CHECK(down.error().code == Errc::ReaderServiceDown);
    auto listed = reader.listReaders();
    REQUIRE_FALSE(listed);
    CHECK(listed.error().code == Errc::ReaderServiceDown);

    pcscd.start();
    auto card = startSimCard("valid", dir.path());
    auto change = waitFor(reader, CardPresence::Absent);
    CHECK(change.presence == CardPresence::Present);
    CHECK(change.reader == test::kSlot0);
}

TEST_CASE("PcscReader: a configured name picks its reader and ignores the others")
{
    Sandbox box;
    hal::pcsc::PcscReaderOptions options;
    options.readerName = "00 01";
    PcscReader reader(options);
    auto slot0 = startSimCard("valid", box.dir.path(), 35963);
    // A card in slot 0 does not count for a reader configured for slot 1.
    auto ignored = reader.waitForChange(CardPresence::Absent, 1500ms);
    REQUIRE_FALSE(ignored);
    CHECK(ignored.error().code == Errc::Timeout);
    auto slot1 = startSimCard("one-try", box.dir.path(), 35964);
    auto change = waitFor(reader, CardPresence::Absent);
    CHECK(change.reader == test::kSlot1);
    auto channel = reader.connect();
    REQUIRE(channel);
    JpkiCard jpki(**channel);
    REQUIRE(jpki.selectJpki());
    CHECK(jpki.pinTriesLeft().value_or(-1) == 1); // the one-try card, not the one in slot 0

    hal::pcsc::PcscReaderOptions missing;
    missing.readerName = "No Such Reader";
    PcscReader absent(missing);
    auto notFound = absent.waitForChange(CardPresence::Absent, 200ms);
    REQUIRE_FALSE(notFound);
    CHECK(notFound.error().code == Errc::ReaderNotFound);
}

TEST_CASE("PcscReader: cancel wakes a blocked wait, and a cancel with no wait is kept")
{
    Sandbox box;
    PcscReader reader;
    REQUIRE_FALSE(reader.waitForChange(CardPresence::Absent, 100ms)); // context established
    std::promise<Result<hal::ReaderChange>> done;
    auto result = done.get_future();
    std::thread waiter([&] { done.set_value(reader.waitForChange(CardPresence::Absent, 60s)); });
    // cancel() until the waiter answers: the first may land before it blocks (then it is
    // kept as pending and the wait returns at once), so this never depends on timing.
    const auto started = std::chrono::steady_clock::now();
    while (result.wait_for(50ms) != std::future_status::ready) {
        reader.cancel();
    }
    waiter.join();
    auto change = result.get();
    REQUIRE_FALSE(change);
    CHECK(change.error().code == Errc::Cancelled);
    CHECK(std::chrono::steady_clock::now() - started < 30s);

    reader.cancel(); // nobody waits
    auto next = reader.waitForChange(CardPresence::Absent, 30s);
    REQUIRE_FALSE(next);
    CHECK(next.error().code == Errc::Cancelled);
}

} // namespace
