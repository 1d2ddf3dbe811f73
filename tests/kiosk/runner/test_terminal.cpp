#include "kiosk/runner/terminal.hpp"

#include "hal/apdu.hpp"
#include "hal/sim/sim_reader.hpp"
#include "hal/sim/virtual_card.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/test_card.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using flow::Phase;

namespace {

model::QualificationResult validResult()
{
    model::QualificationResult r;
    r.header.segmentOfResult = "1";
    r.body.processingResultStatus = "1";
    r.body.qualificationValidity = "1";
    r.body.resultList.emplace_back();
    r.body.resultList.back().insurerNumber = "06139999";
    r.body.resultList.back().name = "受付 太郎";
    return r;
}

model::StringTable strings()
{
    auto table = model::StringTable::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
    REQUIRE(table.has_value());
    return std::move(*table);
}

// A terminal on the simulated reader with a virtual card, and fakes for the rest.
struct Rig {
    test::FakeClock clock;
    hal::sim::SimCardReader reader;
    test::FakePrinter printer;
    test::FakeEligibility eligibility;
    test::MemoryOutbox outbox;
    model::StringTable table = strings();
    std::shared_ptr<hal::sim::VirtualCard> card;
    std::unique_ptr<runner::Terminal> terminal;
    int saved = 0;

    explicit Rig(int triesLeft = 3)
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
            return validResult();
        };
        runner::TerminalOptions options;
        options.terminalId = "KIOSK-TEST";
        options.onCheckInSaved = [this] { ++saved; };
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
    CHECK(rig.terminal->state().receiptNumber == "0001");
    CHECK(rig.eligibility.confirms() == 1);
    // The minimum for short APDUs: the header read, ceil(certificate / 256) chunks, and seven
    // commands (select AP, select certificate EF, select PIN EF, tries query, VERIFY, select
    // key EF, sign).
    auto certificateSize = test::defaultTestCard().certificateDer.size();
    CHECK(rig.card->commandCount() == 1 + (certificateSize + 255) / 256 + 7);

    auto rows = rig.outbox.rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].terminalId == "KIOSK-TEST");
    CHECK(rows[0].outcome == "valid");
    CHECK(rows[0].receiptNumber == "0001");
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

    rig.clock.advance(std::chrono::seconds(2));
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::RemoveCard));
    CHECK(rig.terminal->pinEntry().count() == 0);
}

TEST_CASE("Terminal: the place-card screen times out on the injected clock")
{
    Rig rig;
    rig.terminal->post(flow::Touch{flow::Intent::Start});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::PlaceCard));
    rig.clock.advance(flow::Timeouts{}.placeCard + std::chrono::seconds(1));
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Idle));
}

TEST_CASE("Terminal: an unreachable gateway becomes the network error screen")
{
    Rig rig;
    rig.eligibility.challengeError = Error{Errc::NetworkUnreachable, 7, "refused"};
    rig.reader.insert(rig.card);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterPin));
    rig.typePin("1234");
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Error));
    CHECK(rig.terminal->state().error == flow::ErrorKind::NetworkDown);
    CHECK(rig.terminal->pinEntry().count() == 0);
    CHECK(rig.outbox.rows().empty());
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
