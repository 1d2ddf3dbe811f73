#include "kiosk/runner/terminal.hpp"

#include "hal/apdu.hpp"
#include "hal/sim/sim_reader.hpp"
#include "hal/sim/virtual_card.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/runner_fixtures.hpp"
#include "tests/support/test_card.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using flow::Phase;

namespace {

// A terminal on the simulated reader with a virtual card, and fakes for the rest.
struct Rig {
    test::FakeClock clock;
    hal::sim::SimCardReader reader;
    test::FakePrinter printer;
    test::FakeEligibility eligibility;
    test::MemoryOutbox outbox;
    model::StringCatalog table = test::japaneseStrings();
    std::shared_ptr<hal::sim::VirtualCard> card;
    std::unique_ptr<runner::Terminal> terminal;
    int saved = 0;

    // `setup` adjusts the reader and the options before the terminal starts.
    using Setup = std::function<void(hal::sim::SimCardReader&, runner::TerminalOptions&)>;

    explicit Rig(int triesLeft = 3, const Setup& setup = {})
    {
        auto created = hal::sim::VirtualCard::create(
            test::virtualCardConfig(test::defaultTestCard(), "1234", triesLeft));
        REQUIRE(created.has_value());
        card = *created;
        // The gateway's part: the signature must verify against the card's certificate.
        eligibility.answer = [](const eligibility::ConfirmRequest& request,
                                const hal::Bytes& toSign) -> Result<model::QualificationResult> {
            if (!test::verifySha256Signature(request.certificate, toSign, request.signature)) {
                return fail(Errc::CertificateRejected, "bad signature");
            }
            return test::insuredResult();
        };
        runner::TerminalOptions options;
        options.terminalId = "KIOSK-TEST";
        options.onCheckInSaved = [this] { ++saved; };
        if (setup) {
            setup(reader, options);
        }
        terminal = std::make_unique<runner::Terminal>(
            runner::Devices{reader, printer, eligibility, outbox}, table, clock,
            std::move(options));
        terminal->start();
    }
    ~Rig() { terminal->stop(); }

    void typePin(const char* digits)
    {
        for (const char* d = digits; *d; ++d) {
            terminal->pinEntry().press(*d);
        }
        terminal->post(flow::PinSubmitted{});
    }
};

} // namespace

SCENARIO("Terminal: a whole check-in runs on the virtual card")
{
    Rig rig;
    rig.terminal->post(flow::Touch{flow::Intent::Start});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::PlaceCard));

    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    CHECK(rig.terminal->state().pinTriesLeft == 3);
    CHECK(rig.terminal->state().certificate == test::defaultTestCard().certificateDer);

    rig.typePin("1234");
    CHECK(rig.terminal->pinEntry().count() == 4); // typed; the card command takes them
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));
    CHECK(rig.terminal->pinEntry().count() == 0);
    CHECK(rig.terminal->state().receiptNumber == "A-0001");
    CHECK(rig.eligibility.confirms() == 1);
    // The minimum for short APDUs: ceil(certificate / 256) chunks (the first also giving the
    // DER header) and seven commands (select AP, select certificate EF, select PIN EF, tries
    // query, VERIFY, select key EF, sign).
    auto certificateSize = test::defaultTestCard().certificateDer.size();
    CHECK(rig.card->commandCount() == (certificateSize + 255) / 256 + 7);

    auto rows = rig.outbox.rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].terminalId == "KIOSK-TEST");
    CHECK(rows[0].outcome == model::Outcome::Valid);
    CHECK(rows[0].receiptNumber == "A-0001");
    CHECK(rows[0].idempotencyKey.size() == 32);
    REQUIRE(rows[0].qualification.has_value());
    CHECK(rows[0].qualification->body.resultList.at(0).insurerNumber == "06139999");
    CHECK(rig.saved == 1);

    // The slip is printed by the printer worker; the Printed event confirms it.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (rig.printer.slips().empty() && std::chrono::steady_clock::now() < deadline) {
        rig.terminal->waitForEvents(deadline);
        rig.terminal->pump();
    }
    REQUIRE(rig.printer.slips().size() == 1);
    CHECK_FALSE(rig.terminal->state().printFailed);

    rig.terminal->post(flow::Touch{flow::Intent::Done});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::RemoveCard));
    rig.reader.remove();
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Idle));

    // Nothing outside the JPKI AP was selected during the whole check-in.
    const hal::Bytes jpkiAid(hal::jpki::kJpkiAid.begin(), hal::jpki::kJpkiAid.end());
    auto log = rig.card->accessLog();
    REQUIRE_FALSE(log.empty());
    for (const auto& access : log) {
        INFO(hal::sim::describe(access));
        CHECK(access.aid == jpkiAid);
        CHECK(access.fid != 0x0001); // the signing certificate
        CHECK(access.fid != 0x001A); // the signing key
        CHECK(access.fid != 0x001B); // the signing password
    }
}

TEST_CASE("Terminal: a wrong PIN shows the tries left and spends one try")
{
    Rig rig;
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    rig.typePin("9999");
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::PinWrong));
    CHECK(rig.terminal->state().pinTriesLeft == 2);
    CHECK(rig.eligibility.confirms() == 0);
    CHECK(rig.outbox.rows().empty());
}

TEST_CASE("Terminal: a card with one try left warns first")
{
    Rig rig(1);
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::LastTryWarning));
}

TEST_CASE("Terminal: the PIN screen times out on the injected clock and wipes the digits")
{
    Rig rig;
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    rig.terminal->pinEntry().press('1');
    rig.terminal->pinEntry().press('2');
    REQUIRE(rig.terminal->nextTimer().has_value());

    rig.clock.advance(flow::Timeouts{}.enterPin - std::chrono::seconds(1));
    rig.terminal->pump();
    CHECK(rig.terminal->state().phase == Phase::EnterPin);

    // First "need more time?", with the digits kept; then, unanswered, the end.
    rig.clock.advance(std::chrono::seconds(2));
    rig.terminal->pump();
    CHECK(rig.terminal->state().phase == Phase::EnterPin);
    CHECK(rig.terminal->state().stillThere);
    CHECK(rig.terminal->pinEntry().count() == 2);
    rig.clock.advance(flow::Timeouts{}.stillThere + std::chrono::seconds(1));
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::RemoveCard));
    CHECK(rig.terminal->pinEntry().count() == 0);
}

TEST_CASE("Terminal: more time on the injected clock gives the PIN screen its whole time again")
{
    Rig rig;
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    rig.terminal->pinEntry().press('1');
    rig.clock.advance(flow::Timeouts{}.enterPin + std::chrono::seconds(1));
    rig.terminal->pump();
    REQUIRE(rig.terminal->state().stillThere);

    rig.terminal->post(flow::Touch{flow::Intent::MoreTime});
    rig.terminal->pump();
    CHECK_FALSE(rig.terminal->state().stillThere);
    // Longer than the prompt waits, shorter than the PIN screen's time: still typing.
    rig.clock.advance(flow::Timeouts{}.stillThere + std::chrono::seconds(5));
    rig.terminal->pump();
    CHECK(rig.terminal->state().phase == Phase::EnterPin);
    CHECK_FALSE(rig.terminal->state().stillThere);
    CHECK(rig.terminal->pinEntry().count() == 1);
}

TEST_CASE("Terminal: the place-card screen times out on the injected clock")
{
    Rig rig;
    rig.terminal->post(flow::Touch{flow::Intent::Start});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::PlaceCard));
    rig.clock.advance(flow::Timeouts{}.placeCard + std::chrono::seconds(1));
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Idle));
}

TEST_CASE("Terminal: an unreachable gateway becomes an unconfirmed check-in with a number")
{
    Rig rig;
    rig.eligibility.challengeError = Error{Errc::NetworkUnreachable, 7, "refused"};
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    rig.typePin("1234");
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));
    CHECK(rig.terminal->state().problem == model::Problem::ServiceUnreachable);
    CHECK_FALSE(rig.terminal->state().receiptNumber.empty());
    CHECK(rig.terminal->pinEntry().count() == 0);
    const auto rows = rig.outbox.rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows.front().outcome == model::Outcome::Unconfirmed);
    REQUIRE(rows.front().problem.has_value());
    CHECK(*rows.front().problem == model::Problem::ServiceUnreachable);
    CHECK(rows.front().method == model::Method::Pin);
    CHECK(rows.front().receiptNumber == rig.terminal->state().receiptNumber);
    CHECK_FALSE(rows.front().qualification.has_value());
}

TEST_CASE("Terminal: a card pulled while the PIN is typed is an error, not a PIN failure")
{
    Rig rig;
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    rig.terminal->pinEntry().press('1');
    rig.reader.remove();
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Error));
    CHECK(rig.terminal->state().error == flow::ErrorKind::CardRemoved);
    CHECK(rig.terminal->pinEntry().count() == 0);
}

// ---- Secure PIN entry on the reader's own pad, hardware keypad, reader availability ----------

namespace {

Pin pinOf(const char* digits)
{
    Pin pin;
    for (const char* d = digits; *d; ++d) {
        pin.push(*d);
    }
    return pin;
}

const Rig::Setup kPinPadReader = [](hal::sim::SimCardReader& reader, runner::TerminalOptions&) {
    reader.setPinPad(true);
};

} // namespace

TEST_CASE("Terminal: with a PIN pad reader the PIN is typed on the reader, never on screen")
{
    Rig rig(3, kPinPadReader);
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::PinOnReader));
    CHECK(rig.terminal->state().readerPinPad);
    CHECK(rig.eligibility.challenges() == 1); // the challenge comes before the PIN

    rig.reader.typeOnPad(pinOf("1234"));
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));
    CHECK(rig.eligibility.confirms() == 1); // the signature verified against the certificate
    CHECK(rig.terminal->pinEntry().count() == 0);
    REQUIRE(rig.outbox.rows().size() == 1);
    CHECK(rig.outbox.rows()[0].outcome == model::Outcome::Valid);
    // The same minimum of APDUs as on screen: the reader sends the VERIFY in place of ours.
    auto certificateSize = test::defaultTestCard().certificateDer.size();
    CHECK(rig.card->commandCount() == (certificateSize + 255) / 256 + 7);
}

TEST_CASE("Terminal: a wrong PIN on the reader's pad spends one try")
{
    Rig rig(3, kPinPadReader);
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::PinOnReader));
    rig.reader.typeOnPad(pinOf("9999"));
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::PinWrong));
    CHECK(rig.terminal->state().pinTriesLeft == 2);
    CHECK(rig.eligibility.confirms() == 0);

    rig.terminal->post(flow::Touch{flow::Intent::Retry});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::PinOnReader));
    rig.reader.typeOnPad(pinOf("1234"));
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));
}

TEST_CASE("Terminal: Cancel on the reader's pad spends no try and can be retried")
{
    Rig rig(3, kPinPadReader);
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::PinOnReader));
    rig.reader.cancelOnPad();
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Error));
    CHECK(rig.terminal->state().error == flow::ErrorKind::PinNotEntered);
    CHECK(rig.terminal->state().pinTriesLeft == 3);

    rig.terminal->post(flow::Touch{flow::Intent::Retry});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::PinOnReader));
    rig.reader.typeOnPad(pinOf("1234"));
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));
    CHECK(rig.eligibility.challenges() == 2); // a fresh challenge for the second entry
}

TEST_CASE("Terminal: the reader's pad timing out spends no try")
{
    Rig rig(3, [](hal::sim::SimCardReader& reader, runner::TerminalOptions& options) {
        reader.setPinPad(true);
        options.pinPadTimeout = std::chrono::seconds(0); // the reader gives up at once
    });
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Error));
    CHECK(rig.terminal->state().error == flow::ErrorKind::PinNotEntered);
    CHECK(rig.terminal->state().pinTriesLeft == 3);
}

TEST_CASE("Terminal: pin.reader_pad = false keeps the on-screen keypad on a PIN pad reader")
{
    Rig rig(3, [](hal::sim::SimCardReader& reader, runner::TerminalOptions& options) {
        reader.setPinPad(true);
        options.readerPinPad = false;
    });
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    CHECK_FALSE(rig.terminal->state().readerPinPad);
    rig.typePin("1234");
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));
}

TEST_CASE("Terminal: keys from a hardware keypad type the PIN on the PIN screen only")
{
    using Key = runner::KeypadPress::Key;
    Rig rig;
    // Digits typed before the PIN screen are dropped.
    rig.terminal->postKey({Key::Digit, '5'});
    rig.terminal->pump();
    CHECK(rig.terminal->pinEntry().count() == 0);

    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    for (char d : {'1', '2', '9'}) {
        rig.terminal->postKey({Key::Digit, d});
    }
    rig.terminal->postKey({Key::Backspace, 0});
    rig.terminal->postKey({Key::Enter, 0}); // incomplete: ignored
    rig.terminal->pump();
    CHECK(rig.terminal->pinEntry().count() == 2);
    CHECK(rig.terminal->state().phase == Phase::EnterPin);

    rig.terminal->postKey({Key::Digit, '3'});
    rig.terminal->postKey({Key::Digit, '4'});
    rig.terminal->postKey({Key::Enter, 0});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result)); // 1 2 3 4 was right
    CHECK(rig.terminal->pinEntry().count() == 0);
}

TEST_CASE("Terminal: the keypad's cancel key cancels the PIN screen")
{
    using Key = runner::KeypadPress::Key;
    Rig rig;
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    rig.terminal->postKey({Key::Digit, '1'});
    rig.terminal->postKey({Key::Cancel, 0});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::RemoveCard));
    CHECK(rig.terminal->pinEntry().count() == 0);
}

namespace {

// A reader whose service can be "down" (pcscd stopped, reader unplugged): its waits fail with
// ReaderServiceDown until it is back; otherwise it is the simulated reader.
class OutageReader final : public hal::CardReader {
public:
    hal::sim::SimCardReader inner;
    std::atomic<bool> down{true};

    std::string name() const override { return inner.name(); }

protected:
    Result<hal::ReaderChange> doWaitForChange(hal::CardPresence known,
                                              std::chrono::milliseconds timeout) override
    {
        if (down) {
            return fail(Errc::ReaderServiceDown, "pcscd is not running");
        }
        return inner.waitForChange(known, timeout);
    }
    Result<std::unique_ptr<hal::CardChannel>> doConnect() override { return inner.connect(); }
    void doCancel() override { inner.cancel(); }
};

bool pumpUntilReader(runner::Terminal& terminal, bool available)
{
    return test::pumpUntilState(
        terminal, [available](const flow::State& s) { return s.readerAvailable == available; });
}

} // namespace

TEST_CASE("Terminal: a reader that is away is shown as unavailable until it comes back")
{
    test::FakeClock clock;
    OutageReader reader;
    test::FakePrinter printer;
    test::FakeEligibility eligibility;
    test::MemoryOutbox outbox;
    auto table = test::japaneseStrings();
    runner::Terminal terminal(runner::Devices{reader, printer, eligibility, outbox}, table, clock,
                              runner::TerminalOptions{});
    terminal.start();
    REQUIRE(pumpUntilReader(terminal, false));
    CHECK(terminal.state().phase == Phase::Idle);

    reader.down = false; // pcscd is back: no restart of the terminal needed
    REQUIRE(pumpUntilReader(terminal, true));

    auto created = hal::sim::VirtualCard::create(test::virtualCardConfig(test::defaultTestCard()));
    REQUIRE(created.has_value());
    reader.inner.insert(*created);
    REQUIRE(test::pumpUntil(terminal, Phase::EnterPin)); // and the card path works again
    terminal.stop();
}

TEST_CASE("Terminal: the slip is printed in the language the patient chose")
{
    Rig rig;
    rig.terminal->apply(runner::input::ChooseLanguage{"en"}); // the language button on idle
    rig.terminal->pump();
    REQUIRE(rig.terminal->state().language == "en");
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    rig.typePin("1234");
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (rig.printer.slips().empty() && std::chrono::steady_clock::now() < deadline) {
        rig.terminal->waitForEvents(deadline);
        rig.terminal->pump();
    }
    auto slips = rig.printer.slips();
    REQUIRE(slips.size() == 1);
    auto hasLine = [&](const std::string& text) {
        for (const auto& line : slips[0].lines) {
            if (line.text == text) {
                return true;
            }
        }
        return false;
    };
    CHECK(hasLine("Reception slip"));
    CHECK_FALSE(hasLine("受付票"));
}

TEST_CASE("Terminal: a printer out of paper keeps the check-in and shows the number instead")
{
    Rig rig;
    hal::PrinterStatus paperOut;
    paperOut.paperOut = true;
    paperOut.online = false;
    rig.printer.setStatus(paperOut);
    rig.terminal->post(flow::Touch{flow::Intent::Start});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::PlaceCard));
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    rig.typePin("1234");
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));
    // The printer's answer ends "printing"; the failure stays.
    REQUIRE(test::pumpUntilState(*rig.terminal, [](const flow::State& s) {
        return s.printFailed && !s.printing;
    }));
    const flow::State& s = rig.terminal->state();
    CHECK(s.phase == Phase::Result);
    CHECK(s.receiptNumber == "A-0001");
    CHECK_FALSE(s.printing);
    CHECK_FALSE(s.printerAvailable);
    // The check-in is saved whatever the printer does; nothing was reported printed.
    CHECK(rig.outbox.rows().size() == 1);
    CHECK(rig.printer.slips().empty());
}

TEST_CASE("Terminal: the printer's status is polled while idle and reaches the flow and health")
{
    std::mutex seenMutex;
    std::condition_variable seenChanged;
    std::vector<std::optional<hal::PrinterStatus>> seen;
    Rig rig(3, [&](hal::sim::SimCardReader&, runner::TerminalOptions& options) {
        options.printerPoll = std::chrono::milliseconds(20);
        options.onPrinterStatus = [&](const std::optional<hal::PrinterStatus>& status) {
            {
                std::lock_guard lock(seenMutex);
                seen.push_back(status);
            }
            seenChanged.notify_all();
        };
    });
    // Waits until the health callback has seen a status for which `match` holds.
    auto waitSeen = [&](const std::function<bool(const std::optional<hal::PrinterStatus>&)>& match) {
        std::unique_lock lock(seenMutex);
        return seenChanged.wait_for(lock, std::chrono::seconds(20), [&] {
            return std::any_of(seen.begin(), seen.end(), match);
        });
    };

    hal::PrinterStatus coverOpen;
    coverOpen.coverOpen = true;
    coverOpen.online = false;
    rig.printer.setStatus(coverOpen);
    REQUIRE(test::pumpUntilState(*rig.terminal,
                           [](const flow::State& s) { return !s.printerAvailable; }));
    CHECK(rig.terminal->state().phase == Phase::Idle);
    CHECK(waitSeen([](const auto& s) { return s && s->coverOpen; }));

    rig.printer.setStatus(fail(Errc::PrinterOffline, "no answer"));
    CHECK(waitSeen([](const auto& s) { return !s.has_value(); }));
    CHECK_FALSE(rig.terminal->state().printerAvailable);

    // Paper near end can still print: available again (staff see the warning, not patients).
    hal::PrinterStatus nearEnd;
    nearEnd.paperLow = true;
    rig.printer.setStatus(nearEnd);
    REQUIRE(test::pumpUntilState(*rig.terminal,
                           [](const flow::State& s) { return s.printerAvailable; }));
    CHECK(waitSeen([](const auto& s) { return s && s->paperLow; }));
}

namespace {

// What the terminal told its health report about the card, in order (main thread only: the
// terminal calls onCardStatus from start() and pump()).
struct CardReports {
    std::vector<std::optional<model::CardHealth>> seen;

    void install(runner::TerminalOptions& options)
    {
        options.onCardStatus = [this](const std::optional<model::CardHealth>& card) {
            seen.push_back(card);
        };
    }
    const std::optional<model::CardHealth>& last() const { return seen.back(); }
    bool lastIs(model::CardState state) const
    {
        return !seen.empty() && seen.back() && seen.back()->state == state;
    }
};

// The simulated reader whose connect() fails as a card that does not answer would, while
// `mute` is set.
class MuteCardReader final : public hal::CardReader {
public:
    hal::sim::SimCardReader inner;
    std::atomic<bool> mute{true};

    std::string name() const override { return inner.name(); }

protected:
    Result<hal::ReaderChange> doWaitForChange(hal::CardPresence known,
                                              std::chrono::milliseconds timeout) override
    {
        return inner.waitForChange(known, timeout);
    }
    Result<std::unique_ptr<hal::CardChannel>> doConnect() override
    {
        if (mute) {
            return fail(Errc::ReaderError, "the card does not answer");
        }
        return inner.connect();
    }
    void doCancel() override { inner.cancel(); }
};

} // namespace

TEST_CASE("Terminal: the card placed, taken and left idle on the reader reaches the health report")
{
    CardReports reports;
    Rig rig(3, [&](hal::sim::SimCardReader&, runner::TerminalOptions& options) {
        reports.install(options);
    });
    // Told at start, before any event: no card.
    REQUIRE(reports.seen.size() == 1);
    REQUIRE(reports.lastIs(model::CardState::Absent));
    CHECK(reports.last()->idleSince.empty());

    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    CHECK(reports.lastIs(model::CardState::Present));
    CHECK(reports.last()->idleSince.empty()); // a check-in is using it

    // The patient cancels and walks away: the terminal asks for the card back, and the report
    // says since when it lies there.
    rig.clock.advance(std::chrono::seconds(7));
    const std::string leftAt = time::isoUtc(rig.clock.wallNow());
    rig.terminal->post(flow::Touch{flow::Intent::Cancel});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::RemoveCard));
    REQUIRE(reports.lastIs(model::CardState::Present));
    CHECK(reports.last()->idleSince == leftAt);
    const auto told = reports.seen.size();

    // Time passing is no change: the desk counts from the time it was told.
    rig.clock.advance(std::chrono::minutes(5));
    rig.terminal->post(flow::LanguageChosen{"en"});
    rig.terminal->pump();
    CHECK(reports.seen.size() == told);

    rig.reader.remove();
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Idle));
    REQUIRE(reports.lastIs(model::CardState::Absent));
    CHECK(reports.last()->idleSince.empty());
    // Only changes were told: never the same state twice in a row.
    for (std::size_t i = 1; i < reports.seen.size(); ++i) {
        CHECK(reports.seen[i] != reports.seen[i - 1]);
    }
}

TEST_CASE("Terminal: a card that is not a My Number card is reported so until it is taken")
{
    CardReports reports;
    Rig rig(3, [&](hal::sim::SimCardReader&, runner::TerminalOptions& options) {
        reports.install(options);
    });
    hal::sim::VirtualCardConfig config;
    config.kind = hal::sim::VirtualCardConfig::Kind::Foreign;
    auto foreign = hal::sim::VirtualCard::create(config);
    REQUIRE(foreign.has_value());
    rig.reader.insert(*foreign);
    REQUIRE(test::pumpUntilState(*rig.terminal, [](const flow::State& s) {
        return s.phase == Phase::Error && s.error == flow::ErrorKind::NotMyNumberCard;
    }));
    CHECK(reports.lastIs(model::CardState::NotMyNumberCard));

    // Done: the same card, not read again, lies there while the terminal asks for it back.
    rig.terminal->post(flow::Touch{flow::Intent::Done});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::RemoveCard));
    REQUIRE(reports.lastIs(model::CardState::NotMyNumberCard));
    CHECK_FALSE(reports.last()->idleSince.empty());

    rig.reader.remove();
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Idle));
    CHECK(reports.lastIs(model::CardState::Absent));
}

TEST_CASE("Terminal: a card that does not answer is unreadable until a read succeeds")
{
    test::FakeClock clock;
    MuteCardReader reader;
    test::FakePrinter printer;
    test::FakeEligibility eligibility;
    test::MemoryOutbox outbox;
    auto table = test::japaneseStrings();
    CardReports reports;
    runner::TerminalOptions options;
    reports.install(options);
    runner::Terminal terminal(runner::Devices{reader, printer, eligibility, outbox}, table, clock,
                              std::move(options));
    terminal.start();
    auto created = hal::sim::VirtualCard::create(test::virtualCardConfig(test::defaultTestCard()));
    REQUIRE(created.has_value());
    reader.inner.insert(*created);
    auto unreadable = [](const flow::State& s) {
        return s.phase == Phase::Error && s.error == flow::ErrorKind::CardUnreadable;
    };
    REQUIRE(test::pumpUntilState(terminal, unreadable));
    CHECK(reports.lastIs(model::CardState::Unreadable));

    // Retry reads it again: "present" while it is read, then the answer of that read.
    terminal.post(flow::Touch{flow::Intent::Retry});
    REQUIRE(test::pumpUntil(terminal, Phase::ReadingCard));
    CHECK(reports.lastIs(model::CardState::Present));
    REQUIRE(test::pumpUntilState(terminal, unreadable));
    CHECK(reports.lastIs(model::CardState::Unreadable));

    reader.mute = false; // placed better: it answers now
    terminal.post(flow::Touch{flow::Intent::Retry});
    REQUIRE(test::pumpUntil(terminal, Phase::EnterPin));
    CHECK(reports.lastIs(model::CardState::Present));
    terminal.stop();
}

TEST_CASE("Terminal: with the reader away the card is unknown to the health report")
{
    test::FakeClock clock;
    OutageReader reader;
    test::FakePrinter printer;
    test::FakeEligibility eligibility;
    test::MemoryOutbox outbox;
    auto table = test::japaneseStrings();
    CardReports reports;
    runner::TerminalOptions options;
    reports.install(options);
    runner::Terminal terminal(runner::Devices{reader, printer, eligibility, outbox}, table, clock,
                              std::move(options));
    terminal.start();
    REQUIRE(pumpUntilReader(terminal, false));
    REQUIRE_FALSE(reports.seen.empty());
    CHECK_FALSE(reports.last().has_value());

    reader.down = false;
    REQUIRE(pumpUntilReader(terminal, true));
    CHECK(reports.lastIs(model::CardState::Absent));
    terminal.stop();
}

TEST_CASE("Terminal: visual confirmation asks the source with method visual and the staff id, "
          "spends no try and saves method visual")
{
    std::vector<bool> offered;
    Rig rig(3, [&offered](hal::sim::SimCardReader&, runner::TerminalOptions& options) {
        options.onVisualPossible = [&offered](bool possible) { offered.push_back(possible); };
    });
    std::optional<eligibility::ConfirmRequest> asked;
    rig.eligibility.answer = [&asked](const eligibility::ConfirmRequest& request,
                                      const hal::Bytes&) -> Result<model::QualificationResult> {
        asked = request;
        return test::insuredResult();
    };
    CHECK(offered == std::vector<bool>{false}); // told at start

    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    CHECK(offered == std::vector<bool>{false, true});
    // The patient typed two digits, then gave up: staff compare the card's photo.
    rig.terminal->pinEntry().press('9');
    rig.terminal->pinEntry().press('9');
    rig.terminal->post(flow::VisualConfirmed{"s01"});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));
    CHECK(rig.terminal->pinEntry().count() == 0); // wiped, never sent to the card
    CHECK(offered == std::vector<bool>{false, true, false});

    REQUIRE(asked.has_value());
    CHECK(asked->method == "visual");
    CHECK(asked->staffId == "s01");
    CHECK(asked->signature.empty());
    CHECK(asked->certificate == test::defaultTestCard().certificateDer);
    CHECK(rig.eligibility.confirms() == 1);

    auto rows = rig.outbox.rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].method == model::Method::Visual);
    CHECK(rows[0].staffId == "s01");
    CHECK(rows[0].outcome == model::Outcome::Valid);

    // No VERIFY reached the card: its tries are as they were.
    CHECK(rig.card->authPinTriesLeft() == 3);

    // The next patient checks in with the PIN, without a staff id.
    rig.terminal->post(flow::Touch{flow::Intent::Done});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::RemoveCard));
    rig.reader.remove();
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Idle));
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    rig.typePin("1234");
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));
    CHECK(asked->method == "pin");
    CHECK(asked->staffId.empty());
    rows = rig.outbox.rows();
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].method == model::Method::Pin);
    CHECK(rows[1].staffId.empty());
}

TEST_CASE("Terminal: the opening hours close and open check-in on the injected clock")
{
    // The fake clock starts on Thursday 2026-11-26 at 10:00 in Tokyo.
    Rig rig(3, [](hal::sim::SimCardReader&, runner::TerminalOptions& options) {
        auto hours = kiosk::config::parseOpeningHours("thu 09:00-10:30; fri 09:00-12:00", "");
        REQUIRE(hours);
        options.openingHours = *hours;
    });
    rig.terminal->pump();
    CHECK_FALSE(rig.terminal->state().closedHours);
    // It wakes at closing time, not before.
    REQUIRE(rig.terminal->nextTimer().has_value());
    CHECK(*rig.terminal->nextTimer() - rig.clock.now() == std::chrono::minutes(30));

    rig.clock.advance(std::chrono::minutes(29));
    rig.terminal->pump();
    CHECK_FALSE(rig.terminal->state().closedHours);
    rig.clock.advance(std::chrono::minutes(1));
    rig.terminal->pump();
    const auto& closed = rig.terminal->state();
    CHECK(closed.closedHours);
    CHECK(flow::screenName(closed) == "idle:closed");
    REQUIRE(closed.opensAt.has_value());
    CHECK(closed.opensAt->date == std::chrono::year{2026} / 11 / 27);
    CHECK(closed.opensAt->time.hours() == std::chrono::hours(9));
    CHECK(closed.opensAt->weekday == std::chrono::Friday);
    // A card placed now is not read.
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntilState(*rig.terminal,
                                 [](const flow::State& s) { return s.cardPresent; }));
    CHECK(rig.terminal->state().phase == Phase::Idle);
    rig.reader.remove();
    REQUIRE(test::pumpUntilState(*rig.terminal,
                                 [](const flow::State& s) { return !s.cardPresent; }));

    // Nothing to do for 22 h 30: the terminal looks again at least every hour (the wall clock
    // may be set meanwhile), and opens at 09:00.
    CHECK(*rig.terminal->nextTimer() - rig.clock.now() == std::chrono::hours(1));
    for (int h = 0; h < 22; ++h) {
        rig.clock.advance(std::chrono::hours(1));
        rig.terminal->pump();
        CHECK(rig.terminal->state().closedHours);
    }
    rig.clock.advance(std::chrono::minutes(30));
    rig.terminal->pump();
    CHECK_FALSE(rig.terminal->state().closedHours);
    CHECK_FALSE(rig.terminal->state().opensAt.has_value());
}
