// The runner on the insurance card path (資格確認書): the form's data goes to
// EligibilitySource::lookup() on the service worker, the check-in is saved as "insurance_card",
// cancel reaches the source, and the form is wiped when the check-in ends.

#include "kiosk/runner/terminal.hpp"

#include "hal/sim/sim_reader.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/runner_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using flow::Phase;
using runner::InsuranceField;

namespace {

// A terminal whose source looks up by insurance card (and checks My Number cards unless told
// otherwise); no card on the reader.
struct Rig {
    test::FakeClock clock;
    hal::sim::SimCardReader reader;
    test::FakePrinter printer;
    test::FakeEligibility eligibility;
    test::MemoryOutbox outbox;
    model::StringCatalog table = test::japaneseStrings();
    std::unique_ptr<runner::Terminal> terminal;

    explicit Rig(bool myNumberCard = true)
    {
        eligibility.caps = eligibility::Capabilities{myNumberCard, true};
        eligibility.lookupAnswer = [](const eligibility::InsuranceCardQuery&) {
            return Result<model::QualificationResult>(test::insuredResult());
        };
        runner::TerminalOptions options;
        options.terminalId = "KIOSK-TEST";
        terminal = std::make_unique<runner::Terminal>(
            runner::Devices{reader, printer, eligibility, outbox}, table, clock,
            std::move(options));
        terminal->start();
    }
    ~Rig() { terminal->stop(); }

    runner::InsuranceEntry& form() { return terminal->insuranceEntry(); }

    void type(InsuranceField field, const char* digits)
    {
        form().select(field);
        for (const char* d = digits; *d; ++d) {
            form().press(*d);
        }
    }

    // The "valid" persona, as the patient types it.
    void openAndFill()
    {
        terminal->post(flow::Touch{flow::Intent::InsuranceCard});
        REQUIRE(test::pumpUntil(*terminal, Phase::EnterInsurance));
        type(InsuranceField::InsurerNumber, "06139999");
        type(InsuranceField::Symbol, "12");
        type(InsuranceField::Number, "345");
        type(InsuranceField::Branch, "01");
        type(InsuranceField::BirthYear, "1980");
        type(InsuranceField::BirthMonth, "1");
        type(InsuranceField::BirthDay, "1");
        REQUIRE(form().valid());
    }
};

} // namespace

TEST_CASE("Terminal: the source's capabilities decide what idle offers")
{
    Rig both;
    CHECK(both.terminal->state().canUseMyNumberCard);
    CHECK(both.terminal->state().canLookUpInsuranceCard);
    Rig formOnly(false);
    CHECK_FALSE(formOnly.terminal->state().canUseMyNumberCard);
    CHECK(formOnly.terminal->state().canLookUpInsuranceCard);
}

SCENARIO("Terminal: a check-in by insurance card looks up what was typed")
{
    Rig rig;
    rig.openAndFill();
    rig.terminal->post(flow::InsuranceSubmitted{});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));

    auto queries = rig.eligibility.queries();
    REQUIRE(queries.size() == 1);
    CHECK(queries[0].insurerNumber == "06139999");
    CHECK(queries[0].insuredCardSymbol == "12");
    CHECK(queries[0].insuredIdentificationNumber == "345");
    CHECK(queries[0].insuredBranchNumber == "01");
    CHECK(queries[0].birthdate == "19800101");
    CHECK(rig.eligibility.confirms() == 0); // no card, no signature

    auto rows = rig.outbox.rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].method == model::Method::InsuranceCard);
    CHECK(rows[0].outcome == model::Outcome::Valid);
    CHECK(rows[0].receiptNumber == "A-0001");

    rig.terminal->post(flow::Touch{flow::Intent::Done});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Idle));
    CHECK(rig.form().empty()); // wiped when the check-in ended
}

TEST_CASE("Terminal: cancel on the form wipes what was typed")
{
    Rig rig;
    rig.openAndFill();
    rig.terminal->post(flow::Touch{flow::Intent::Cancel});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Idle));
    CHECK(rig.form().empty());
    CHECK(rig.eligibility.queries().empty());
}

TEST_CASE("Terminal: the form times out on the injected clock and is wiped")
{
    Rig rig;
    rig.openAndFill();
    rig.clock.advance(flow::Timeouts{}.enterInsurance + std::chrono::seconds(1));
    rig.terminal->pump();
    // First "need more time?", with what was typed kept; unanswered, the form is wiped.
    CHECK(rig.terminal->state().phase == Phase::EnterInsurance);
    CHECK(rig.terminal->state().stillThere);
    CHECK_FALSE(rig.form().empty());
    rig.clock.advance(flow::Timeouts{}.stillThere + std::chrono::seconds(1));
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Idle));
    CHECK(rig.form().empty());
}

TEST_CASE("Terminal: cancel during a lookup cancels the source and drops its answer")
{
    Rig rig;
    rig.eligibility.holdLookups = true;
    rig.openAndFill();
    rig.terminal->post(flow::InsuranceSubmitted{});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Checking));
    CHECK(rig.terminal->state().checkStep == flow::CheckStep::Lookup);
    REQUIRE(rig.eligibility.waitForLookupsStarted(1)); // the source is waiting for its answer

    rig.terminal->post(flow::Touch{flow::Intent::Cancel});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Idle));
    CHECK(rig.eligibility.cancels() >= 1);
    CHECK(rig.form().empty());
    // The lookup ends (Cancelled) and nothing of it reaches the flow.
    REQUIRE(rig.eligibility.waitForLookupsEnded(1));
    rig.terminal->pump();
    rig.terminal->waitForEvents(std::chrono::steady_clock::now());
    rig.terminal->pump();
    CHECK(rig.terminal->state().phase == Phase::Idle);
    CHECK(rig.terminal->state().error == flow::ErrorKind::None);
    CHECK(rig.outbox.rows().empty());
}

TEST_CASE("Terminal: a failed lookup keeps the typed data for the retry")
{
    Rig rig;
    rig.eligibility.lookupAnswer = [](const eligibility::InsuranceCardQuery&) {
        return Result<model::QualificationResult>(fail(Errc::Timeout, "no answer"));
    };
    rig.openAndFill();
    rig.terminal->post(flow::InsuranceSubmitted{});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Error));
    CHECK(rig.terminal->state().error == flow::ErrorKind::LookupFailed);
    CHECK(rig.form().value(InsuranceField::InsurerNumber) == "06139999");

    rig.eligibility.lookupAnswer = [](const eligibility::InsuranceCardQuery&) {
        return Result<model::QualificationResult>(test::insuredResult());
    };
    rig.terminal->post(flow::Touch{flow::Intent::Retry});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterInsurance));
    CHECK(rig.form().valid());
    rig.terminal->post(flow::InsuranceSubmitted{});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));
    CHECK(rig.eligibility.queries().size() == 2);
}

TEST_CASE("Terminal: a form that is not valid is refused by field name, not looked up")
{
    Rig rig;
    rig.terminal->post(flow::Touch{flow::Intent::InsuranceCard});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterInsurance));
    rig.type(InsuranceField::InsurerNumber, "0613");
    rig.terminal->post(flow::InsuranceSubmitted{}); // the UI would not, but the runner checks
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Error));
    CHECK(rig.terminal->state().error == flow::ErrorKind::InsuranceEntryRejected);
    CHECK(rig.eligibility.queries().empty());
}

TEST_CASE("Terminal: a birth date after today is refused before the lookup")
{
    Rig rig;
    rig.openAndFill();
    // The fake clock says 2026-11-26 (JST): 2027 is not a birth year yet.
    rig.form().select(InsuranceField::BirthYear);
    rig.form().clearField();
    rig.type(InsuranceField::BirthYear, "2027");
    CHECK_FALSE(rig.form().valid());
}

TEST_CASE("Terminal: a hardware keypad types into the form and Enter submits it")
{
    Rig rig;
    rig.terminal->post(flow::Touch{flow::Intent::InsuranceCard});
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::EnterInsurance));
    using Key = runner::KeypadPress::Key;
    auto press = [&](Key key, char digit = 0) { rig.terminal->postKey({key, digit}); };
    for (char d : std::string("061399990")) {
        press(Key::Digit, d); // the 9th digit goes to 記号 (the insurer number is full)
    }
    press(Key::Backspace);
    press(Key::Enter); // not valid yet: the next field
    rig.terminal->pump();
    CHECK(rig.form().value(InsuranceField::InsurerNumber) == "06139999");
    CHECK(rig.form().value(InsuranceField::Symbol).empty());
    CHECK(rig.form().selected() == InsuranceField::Number);
    CHECK(rig.terminal->pinEntry().count() == 0);

    rig.type(InsuranceField::Number, "345");
    rig.type(InsuranceField::BirthYear, "1980");
    rig.type(InsuranceField::BirthMonth, "1");
    rig.type(InsuranceField::BirthDay, "1");
    press(Key::Enter);
    REQUIRE(test::pumpUntil(*rig.terminal, Phase::Result));
    CHECK(rig.eligibility.queries().size() == 1);
}
