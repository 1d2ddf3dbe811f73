#include "kiosk/flow/flow.hpp"

#include "tests/kiosk/flow/walk.hpp"
#include "tests/support/commands.hpp"
#include "tests/support/runner_fixtures.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using namespace uketsuke::kiosk::flow;

namespace {

using uketsuke::test::get;
using uketsuke::test::has;


using uketsuke::test::Walk;

Walk atEnterPin(int tries = 3)
{
    Walk w;
    w.on(Touch{Intent::Start}).on(CardInserted{}).on(CardRead{{0x30, 0x82}, tries});
    return w;
}

Walk atSigning()
{
    Walk w = atEnterPin();
    w.on(PinSubmitted{}).on(ChallengeReady{"c1", {1, 2, 3}});
    return w;
}

// The last transition saved an unconfirmed check-in for `problem` (nobody leaves without a
// number): Checking{Saving}, no answer, the method of the route.
void checkSavesUnconfirmed(const Walk& w, model::Problem problem,
                           model::Method method = model::Method::Pin)
{
    CHECK(w.phase() == Phase::Checking);
    CHECK(w.state.checkStep == CheckStep::Saving);
    CHECK(w.state.problem == problem);
    REQUIRE(has<SaveCheckIn>(w.last));
    const auto& save = get<SaveCheckIn>(w.last);
    CHECK(save.outcome == model::Outcome::Unconfirmed);
    CHECK(save.problem == problem);
    CHECK(save.method == method);
    CHECK_FALSE(save.qualification.has_value());
    CHECK(has<DiscardPin>(w.last));
}

// Saved: the result shows the number and the slip prints it with the problem, as for any
// check-in; done ends it and forgets the problem.
void checkResultAndSlip(Walk& w, model::Problem problem)
{
    w.on(CheckInSaved{"A-0042", "key-0042"});
    CHECK(w.phase() == Phase::Result);
    CHECK(w.state.receiptNumber == "A-0042");
    CHECK(resultOutcome(w.state) == model::Outcome::Unconfirmed);
    REQUIRE(has<PrintSlip>(w.last));
    const auto& slip = get<PrintSlip>(w.last);
    CHECK(slip.receiptNumber == "A-0042");
    CHECK(slip.checkInId == "key-0042");
    CHECK(slip.outcome == model::Outcome::Unconfirmed);
    CHECK(slip.problem == problem);
    CHECK(get<StartTimer>(w.last).after == Timeouts{}.result);
    w.on(Printed{}).on(Touch{Intent::Done});
    CHECK((w.phase() == Phase::RemoveCard || w.phase() == Phase::Idle));
    CHECK_FALSE(w.state.problem.has_value());
    CHECK(w.state.receiptNumber.empty());
}

} // namespace

SCENARIO("step: a successful check-in walks idle to result to idle")
{
    Walk w;
    REQUIRE(w.phase() == Phase::Idle);

    w.on(Touch{Intent::Start});
    CHECK(w.phase() == Phase::PlaceCard);
    CHECK(get<StartTimer>(w.last).after == Timeouts{}.placeCard);

    w.on(CardInserted{});
    CHECK(w.phase() == Phase::ReadingCard);
    CHECK(w.state.cardPresent);
    CHECK(has<ReadCard>(w.last));

    w.on(CardRead{{0x30, 0x82, 0x01}, 3});
    CHECK(w.phase() == Phase::EnterPin);
    CHECK(w.state.pinTriesLeft == 3);
    CHECK(has<StartTimer>(w.last));

    w.on(PinSubmitted{});
    CHECK(w.phase() == Phase::Checking);
    CHECK(w.state.checkStep == CheckStep::Challenge);
    CHECK(has<FetchChallenge>(w.last));

    w.on(ChallengeReady{"challenge-1", {9, 8, 7}});
    CHECK(w.state.checkStep == CheckStep::Signature);
    CHECK(get<VerifyPinAndSign>(w.last).toSign == Bytes{9, 8, 7});

    w.on(Signed{{0xAA, 0xBB}});
    CHECK(w.state.checkStep == CheckStep::Eligibility);
    const auto& query = get<QueryEligibility>(w.last);
    CHECK(query.challengeId == "challenge-1");
    CHECK(query.certificate == Bytes{0x30, 0x82, 0x01});
    CHECK(query.signature == Bytes{0xAA, 0xBB});

    w.on(EligibilityAnswered{uketsuke::test::insuredResult()});
    CHECK(w.state.checkStep == CheckStep::Saving);
    CHECK(get<SaveCheckIn>(w.last).outcome == model::Outcome::Valid);

    w.on(CheckInSaved{"0007", "4f2a9c0e"});
    CHECK(w.phase() == Phase::Result);
    CHECK(w.state.receiptNumber == "0007");
    CHECK(get<PrintSlip>(w.last).receiptNumber == "0007");
    // The slip's QR code carries the id the desk stores.
    CHECK(get<PrintSlip>(w.last).checkInId == "4f2a9c0e");
    CHECK(has<ReleaseCard>(w.last));
    CHECK(w.state.printing);

    w.on(Printed{});
    CHECK(w.phase() == Phase::Result);
    CHECK_FALSE(w.state.printFailed);
    CHECK_FALSE(w.state.printing);

    w.on(Touch{Intent::Done});
    CHECK(w.phase() == Phase::RemoveCard);
    CHECK(w.state.receiptNumber.empty());
    CHECK(w.state.checkInId.empty());
    CHECK_FALSE(w.state.qualification.has_value());

    w.on(CardRemoved{});
    CHECK(w.phase() == Phase::Idle);
    CHECK_FALSE(w.state.cardPresent);
}

TEST_CASE("step: a card placed on the idle screen starts reading at once")
{
    Walk w;
    w.on(CardInserted{});
    CHECK(w.phase() == Phase::ReadingCard);
    CHECK(has<ReadCard>(w.last));
}

TEST_CASE("step: the place-card screen times out back to idle")
{
    Walk w;
    w.on(Touch{Intent::Start});
    auto generation = get<StartTimer>(w.last).generation;
    w.on(Timeout{generation});
    CHECK(w.phase() == Phase::Idle);
}

TEST_CASE("step: a stale timeout is rejected")
{
    Walk w;
    w.on(Touch{Intent::Start});
    auto old = w.timer();
    w.on(CardInserted{});
    w.on(Timeout{old});
    CHECK(w.last.rejected);
    CHECK(w.phase() == Phase::ReadingCard);
}

TEST_CASE("step: the PIN screen times out, wipes the PIN and asks for the card back")
{
    Walk w = atEnterPin();
    w.on(Timeout{w.timer()}); // first "need more time?", with the digits kept
    CHECK(w.phase() == Phase::EnterPin);
    CHECK(w.state.stillThere);
    CHECK_FALSE(has<DiscardPin>(w.last));
    w.on(Timeout{w.timer()});
    CHECK(w.phase() == Phase::RemoveCard);
    CHECK(has<DiscardPin>(w.last));
    CHECK(has<ReleaseCard>(w.last));
}

TEST_CASE("step: cancel on the PIN screen wipes the PIN")
{
    Walk w = atEnterPin();
    w.on(Touch{Intent::Cancel});
    CHECK(w.phase() == Phase::RemoveCard);
    CHECK(has<DiscardPin>(w.last));
}

TEST_CASE("step: one try left warns before the keypad")
{
    Walk w;
    w.on(CardInserted{}).on(CardRead{{1}, 1});
    CHECK(w.phase() == Phase::LastTryWarning);
    w.on(Touch{Intent::EnterPin});
    CHECK(w.phase() == Phase::EnterPin);
}

TEST_CASE("step: one try left offers staff help instead, with a number")
{
    Walk w;
    w.on(CardInserted{}).on(CardRead{{1}, 1});
    w.on(Touch{Intent::AskStaff});
    checkSavesUnconfirmed(w, model::Problem::PinForgotten);
    checkResultAndSlip(w, model::Problem::PinForgotten);
    CHECK(w.phase() == Phase::RemoveCard); // the card is still on the reader
}

TEST_CASE("step: a blocked PIN skips the keypad, and the patient may take a number to the desk")
{
    Walk w;
    w.on(CardInserted{}).on(CardRead{{1}, 0});
    CHECK(w.phase() == Phase::Error);
    CHECK(w.state.error == ErrorKind::PinLocked);
    CHECK(has<ReleaseCard>(w.last));
    CHECK(has<DiscardPin>(w.last));
    CHECK(get<StartTimer>(w.last).after == Timeouts{}.message);
    CHECK_FALSE(has<SaveCheckIn>(w.last)); // staff may still confirm visually
    w.on(Touch{Intent::Retry});
    CHECK(w.last.rejected); // no keypad for a locked PIN
    w.on(Touch{Intent::AskStaff});
    checkSavesUnconfirmed(w, model::Problem::PinLocked);
    CHECK_FALSE(has<StartTimer>(w.last)); // saving has no timer: the save answers
    checkResultAndSlip(w, model::Problem::PinLocked);
}

TEST_CASE("step: a blocked PIN's screen left alone still saves a check-in with a number")
{
    Walk w;
    w.on(CardInserted{}).on(CardRead{{1}, 0});
    REQUIRE(w.state.error == ErrorKind::PinLocked);
    w.on(CardRemoved{}); // the card is read: taking it changes nothing
    CHECK(w.state.error == ErrorKind::PinLocked);
    w.on(Timeout{w.timer()});
    checkSavesUnconfirmed(w, model::Problem::PinLocked);
    checkResultAndSlip(w, model::Problem::PinLocked);
    CHECK(w.phase() == Phase::Idle);
}

TEST_CASE("step: a blocked PIN's screen waits while the patient's call for staff lasts")
{
    Walk w;
    w.on(CardInserted{}).on(CardRead{{1}, 0});
    w.on(CallStaff{"c-1764895261-1", "2026-12-05T00:41:01Z"});
    REQUIRE(w.state.call.has_value());
    w.on(Timeout{w.timer()});
    CHECK(w.phase() == Phase::Error);
    CHECK(w.state.error == ErrorKind::PinLocked);
    CHECK_FALSE(has<SaveCheckIn>(w.last));
    CHECK(has<StartTimer>(w.last));
}

TEST_CASE("step: 暗証番号がわからない on the keypad: the keypad again, a number, or the timeout")
{
    Walk w;
    w.on(CardInserted{}).on(CardRead{{1}, 3});
    REQUIRE(w.phase() == Phase::EnterPin);
    w.on(Touch{Intent::AskStaff});
    CHECK(w.phase() == Phase::Error);
    CHECK(w.state.error == ErrorKind::PinForgotten);
    CHECK(has<DiscardPin>(w.last)); // digits typed so far are gone
    CHECK_FALSE(has<SaveCheckIn>(w.last));

    // Remembered after all: the keypad again, no try spent.
    w.on(Touch{Intent::Retry});
    CHECK(w.phase() == Phase::EnterPin);
    CHECK(w.state.pinTriesLeft == 3);

    w.on(Touch{Intent::AskStaff}).on(Touch{Intent::AskStaff});
    checkSavesUnconfirmed(w, model::Problem::PinForgotten);
    checkResultAndSlip(w, model::Problem::PinForgotten);

    Walk away;
    away.on(CardInserted{}).on(CardRead{{1}, 3}).on(Touch{Intent::AskStaff});
    away.on(Timeout{away.timer()});
    checkSavesUnconfirmed(away, model::Problem::PinForgotten);

    // Without the card on the reader there is no keypad to go back to.
    Walk taken;
    taken.on(CardInserted{}).on(CardRead{{1}, 3}).on(Touch{Intent::AskStaff});
    taken.on(CardRemoved{});
    CHECK(taken.state.error == ErrorKind::PinForgotten);
    taken.on(Touch{Intent::Retry});
    CHECK(taken.last.rejected);
}

TEST_CASE("step: a wrong PIN shows the tries left and lets the patient retry")
{
    Walk w = atSigning();
    w.on(PinRejected{2});
    CHECK(w.phase() == Phase::PinWrong);
    CHECK(w.state.pinTriesLeft == 2);
    CHECK(w.state.challengeId.empty());
    w.on(Touch{Intent::Retry});
    CHECK(w.phase() == Phase::EnterPin);
}

TEST_CASE("step: a wrong PIN with one try left goes through the warning")
{
    Walk w = atSigning();
    w.on(PinRejected{1});
    w.on(Touch{Intent::Retry});
    CHECK(w.phase() == Phase::LastTryWarning);
}

TEST_CASE("step: the last wrong PIN locks, and the patient still gets a number")
{
    Walk w = atSigning();
    w.on(PinRejected{0});
    CHECK(w.state.error == ErrorKind::PinLocked);
    CHECK(has<ReleaseCard>(w.last));
    CHECK(w.state.challengeId.empty());
    w.on(Touch{Intent::AskStaff});
    checkSavesUnconfirmed(w, model::Problem::PinLocked);
    // The card left on the reader is asked back after the result.
    checkResultAndSlip(w, model::Problem::PinLocked);
    CHECK(w.phase() == Phase::RemoveCard);
}

TEST_CASE("step: a wrong PIN's ask-staff checks in as pin_forgotten")
{
    Walk w = atSigning();
    w.on(PinRejected{2}).on(Touch{Intent::AskStaff});
    checkSavesUnconfirmed(w, model::Problem::PinForgotten);
}

TEST_CASE("step: a card removed before signing is an error with a way back")
{
    Walk w = atEnterPin();
    w.on(CardRemoved{});
    CHECK(w.phase() == Phase::Error);
    CHECK(w.state.error == ErrorKind::CardRemoved);
    CHECK(has<DiscardPin>(w.last));
    w.on(CardInserted{});
    CHECK(w.phase() == Phase::ReadingCard);
}

TEST_CASE("step: a card removed after signing does not stop the check-in")
{
    Walk w = atSigning();
    w.on(Signed{{1}});
    w.on(CardRemoved{});
    CHECK(w.phase() == Phase::Checking);
    w.on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(CheckInSaved{"0001", "key-0001"});
    CHECK(w.phase() == Phase::Result);
    w.on(Touch{Intent::Done});
    CHECK(w.phase() == Phase::Idle);
}

TEST_CASE("step: a card that is not a My Number card gets its own error")
{
    Walk w;
    w.on(CardInserted{}).on(CardFailed{Error{Errc::NotMyNumberCard, 0x6A82, ""}});
    CHECK(w.phase() == Phase::Error);
    CHECK(w.state.error == ErrorKind::NotMyNumberCard);
    w.on(Touch{Intent::Retry});
    CHECK(w.last.rejected);
    w.on(Touch{Intent::Done});
    CHECK(w.phase() == Phase::RemoveCard);
}

TEST_CASE("step: an unreadable card can be read again")
{
    Walk w;
    w.on(CardInserted{}).on(CardFailed{Error{Errc::CardMalformedReply, 0, ""}});
    CHECK(w.state.error == ErrorKind::CardUnreadable);
    w.on(Touch{Intent::Retry});
    CHECK(w.phase() == Phase::ReadingCard);
    CHECK(has<ReadCard>(w.last));
}

TEST_CASE("step: an unreachable gateway with a readable card checks in unconfirmed")
{
    for (Errc code : {Errc::NetworkUnreachable, Errc::Timeout, Errc::NetworkError,
                      Errc::ServerError}) {
        INFO(errcName(code));
        Walk challenge = atEnterPin();
        challenge.on(PinSubmitted{}).on(ServiceFailed{Error{code, 7, ""}});
        checkSavesUnconfirmed(challenge, model::Problem::ServiceUnreachable);
        Walk confirm = atSigning();
        confirm.on(Signed{{1}}).on(ServiceFailed{Error{code, 7, ""}});
        checkSavesUnconfirmed(confirm, model::Problem::ServiceUnreachable);
        checkResultAndSlip(confirm, model::Problem::ServiceUnreachable);
    }
}

TEST_CASE("step: a refused or revoked certificate checks in unconfirmed with its problem")
{
    Walk refused = atSigning();
    refused.on(Signed{{1}}).on(ServiceFailed{Error{Errc::CertificateRejected, 403, ""}});
    checkSavesUnconfirmed(refused, model::Problem::ServiceError);
    CHECK(step(refused.state, Touch{Intent::Retry}).rejected);

    Walk revoked = atSigning();
    revoked.on(Signed{{1}}).on(ServiceFailed{Error{Errc::CertificateInvalid, 403, ""}});
    checkSavesUnconfirmed(revoked, model::Problem::CertificateRevoked);
    checkResultAndSlip(revoked, model::Problem::CertificateRevoked);
}

TEST_CASE("step: an unconfirmed check-in whose save failed is saved again with its problem")
{
    Walk w;
    w.on(CardInserted{}).on(CardRead{{1}, 0}).on(Touch{Intent::AskStaff});
    w.on(SaveFailed{Error{Errc::StorageError, 0, ""}});
    CHECK(w.state.error == ErrorKind::StorageFailed);
    w.on(Touch{Intent::Retry});
    REQUIRE(has<SaveCheckIn>(w.last));
    CHECK(get<SaveCheckIn>(w.last).outcome == model::Outcome::Unconfirmed);
    CHECK(get<SaveCheckIn>(w.last).problem == model::Problem::PinLocked);
    // Asking for staff when nothing can be saved is the plain staff screen.
    w.on(SaveFailed{Error{Errc::StorageError, 0, ""}}).on(Touch{Intent::AskStaff});
    CHECK(w.phase() == Phase::AskStaff);
    CHECK_FALSE(has<SaveCheckIn>(w.last));
}

TEST_CASE("step: an error screen's ask-staff issues a number once the card was read or the "
          "form filled")
{
    Walk unreadable;
    unreadable.on(CardInserted{}).on(CardFailed{Error{Errc::CardMalformedReply, 0, ""}});
    unreadable.on(Touch{Intent::AskStaff});
    checkSavesUnconfirmed(unreadable, model::Problem::CardError);

    Walk signing = atSigning();
    signing.on(CardFailed{Error{Errc::CardError, 0x6F00, ""}}).on(Touch{Intent::AskStaff});
    checkSavesUnconfirmed(signing, model::Problem::CardError);

    // Not a My Number card, or the card pulled: nothing to record, staff help as before.
    Walk foreign;
    foreign.on(CardInserted{}).on(CardFailed{Error{Errc::NotMyNumberCard, 0x6A82, ""}});
    foreign.on(Touch{Intent::AskStaff});
    CHECK(foreign.phase() == Phase::AskStaff);
    CHECK_FALSE(has<SaveCheckIn>(foreign.last));
    Walk pulled = atEnterPin();
    pulled.on(CardRemoved{}).on(Touch{Intent::AskStaff});
    CHECK(pulled.phase() == Phase::AskStaff);
    CHECK_FALSE(has<SaveCheckIn>(pulled.last));

    // Cancel and timeouts never save: nobody is there to take the number.
    Walk left;
    left.on(CardInserted{}).on(CardFailed{Error{Errc::CardMalformedReply, 0, ""}});
    left.on(Timeout{left.timer()});
    CHECK(left.phase() == Phase::RemoveCard);
    CHECK_FALSE(has<SaveCheckIn>(left.last));
}

TEST_CASE("step: problemOf names the problem of every error that records one")
{
    CHECK(problemOf(ErrorKind::CardUnreadable) == model::Problem::CardError);
    CHECK(problemOf(ErrorKind::PinNotEntered) == model::Problem::PinForgotten);
    CHECK(problemOf(ErrorKind::LookupFailed) == model::Problem::ServiceUnreachable);
    CHECK(problemOf(ErrorKind::InsuranceEntryRejected) == model::Problem::ServiceError);
    for (ErrorKind none : {ErrorKind::None, ErrorKind::NotMyNumberCard, ErrorKind::CardRemoved,
                           ErrorKind::StorageFailed, ErrorKind::MyNumberCardUnsupported}) {
        CHECK_FALSE(problemOf(none).has_value());
    }
}

TEST_CASE("step: a failed save keeps the answer and can be saved again")
{
    Walk w = atSigning();
    w.on(Signed{{1}}).on(EligibilityAnswered{uketsuke::test::insuredResult()});
    w.on(SaveFailed{Error{Errc::StorageError, 0, ""}});
    CHECK(w.state.error == ErrorKind::StorageFailed);
    w.on(Touch{Intent::Retry});
    CHECK(w.phase() == Phase::Checking);
    CHECK(has<SaveCheckIn>(w.last));
}

TEST_CASE("step: a print failure is shown on the result screen")
{
    Walk w = atSigning();
    w.on(Signed{{1}}).on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(CheckInSaved{"0002", "key-0002"});
    CHECK_FALSE(w.state.printFailed);
    w.on(PrintFailed{Error{Errc::PrinterPaperOut, 0, ""}});
    CHECK(w.phase() == Phase::Result);
    CHECK(w.state.printFailed);
    CHECK_FALSE(w.state.printing);
    // The number stays: it is what the patient takes to the desk.
    CHECK(w.state.receiptNumber == "0002");
}

SCENARIO("step: a print failure restarts the result timer, so the number stays long enough")
{
    Walk w = atSigning();
    w.on(Signed{{1}}).on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(CheckInSaved{"0002", "key-0002"});
    const auto before = w.timer();
    w.on(PrintFailed{Error{Errc::PrinterCoverOpen, 0, ""}});
    CHECK(w.timer() != before);
    CHECK(get<StartTimer>(w.last).after == Timeouts{}.result);
    CHECK(get<StartTimer>(w.last).generation == w.timer());
    // The timer of before the failure is stale now.
    CHECK(step(w.state, Timeout{before}).rejected);
    w.on(Timeout{w.timer()});
    CHECK(w.phase() == Phase::RemoveCard);
    CHECK_FALSE(w.state.printFailed);
    CHECK_FALSE(w.state.printing);
}

TEST_CASE("step: a slip's answer counts once, and a late answer after the result is rejected")
{
    Walk w = atSigning();
    w.on(Signed{{1}}).on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(CheckInSaved{"0004", "key-0004"});
    w.on(Printed{});
    CHECK(step(w.state, Printed{}).rejected);
    CHECK(step(w.state, PrintFailed{Error{Errc::PrinterOffline, 0, ""}}).rejected);
    w.on(Touch{Intent::Done});
    CHECK(w.phase() == Phase::RemoveCard);
    CHECK(step(w.state, PrintFailed{Error{Errc::PrinterOffline, 0, ""}}).rejected);
}

SCENARIO("step: the printer's status is remembered in every phase and shown on the result")
{
    Walk w;
    w.on(PrinterStatus{false});
    CHECK_FALSE(w.last.rejected);
    CHECK_FALSE(w.state.printerAvailable);
    CHECK(w.phase() == Phase::Idle);
    CHECK(w.last.commands.empty());
    CHECK(std::string(eventName(Event{PrinterStatus{}})) == "printer_status");

    // A check-in goes on without a printer: the number on screen is the patient's record.
    w.on(Touch{Intent::Start}).on(CardInserted{}).on(CardRead{{0x30, 0x82}, 3});
    w.on(PinSubmitted{}).on(ChallengeReady{"c1", {1, 2, 3}});
    w.on(PrinterStatus{false});
    CHECK(w.state.checkStep == CheckStep::Signature);
    w.on(Signed{{1}}).on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(CheckInSaved{"0005", "key-0005"});
    CHECK(w.phase() == Phase::Result);
    CHECK(w.state.printFailed);
    CHECK(w.state.printing);
    CHECK(has<PrintSlip>(w.last)); // still tried: the printer may be back

    // It was back after all: the slip printed, the note goes.
    w.on(PrinterStatus{true});
    CHECK(w.state.printerAvailable);
    w.on(Printed{});
    CHECK_FALSE(w.state.printFailed);
    w.on(Touch{Intent::Done}).on(CardRemoved{});
    CHECK(w.phase() == Phase::Idle);
    CHECK(w.state.printerAvailable); // the printer's state outlives the check-in
}

SCENARIO("step: out of service closes the idle screen, and a check-in under way finishes")
{
    Walk w;
    w.on(OutOfService{true});
    CHECK_FALSE(w.last.rejected);
    CHECK(w.state.outOfService);
    CHECK(std::string(eventName(Event{OutOfService{}})) == "out_of_service");
    // Closed: Start and the form are refused, a card on the reader is not read.
    CHECK(step(w.state, Touch{Intent::Start}).rejected);
    CHECK(step(w.state, Touch{Intent::InsuranceCard}).rejected);
    w.on(CardInserted{});
    CHECK(w.phase() == Phase::Idle);
    CHECK(w.state.cardPresent);
    CHECK(w.last.commands.empty());
    w.on(CardRemoved{});

    // Open again; then closed while a patient is at the PIN: they finish their check-in.
    w.on(OutOfService{false});
    w.on(Touch{Intent::Start}).on(CardInserted{}).on(CardRead{{0x30, 0x82}, 3});
    REQUIRE(w.phase() == Phase::EnterPin);
    w.on(OutOfService{true});
    CHECK(w.phase() == Phase::EnterPin);
    w.on(PinSubmitted{}).on(ChallengeReady{"c1", {1, 2, 3}});
    w.on(Signed{{1}}).on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(CheckInSaved{"0006", "key-0006"});
    CHECK(w.phase() == Phase::Result);
    w.on(Printed{}).on(Touch{Intent::Done}).on(CardRemoved{});
    CHECK(w.phase() == Phase::Idle);
    CHECK(w.state.outOfService);
}

SCENARIO("step: outside the opening hours the idle screen is closed and says when it opens")
{
    Walk w;
    time::LocalTime opens;
    opens.date = std::chrono::year{2026} / 12 / 7;
    opens.time = std::chrono::hh_mm_ss<std::chrono::seconds>(std::chrono::hours(8) +
                                                             std::chrono::minutes(30));
    w.on(OpeningHoursChanged{false, opens});
    CHECK_FALSE(w.last.rejected);
    CHECK(closed(w.state));
    CHECK(w.state.opensAt.has_value());
    CHECK(screenName(w.state) == "idle:closed");
    CHECK(std::string(eventName(Event{OpeningHoursChanged{}})) == "opening_hours_changed");
    CHECK(step(w.state, Touch{Intent::Start}).rejected);
    CHECK(step(w.state, Touch{Intent::InsuranceCard}).rejected);
    w.on(CardInserted{});
    CHECK(w.phase() == Phase::Idle);
    CHECK(w.last.commands.empty());
    w.on(CardRemoved{});

    // Staff closing too: their screen wins; opening hours beginning does not reopen it.
    w.on(OutOfService{true});
    CHECK(screenName(w.state) == "idle:out_of_service");
    w.on(OpeningHoursChanged{true, std::nullopt});
    CHECK_FALSE(w.state.closedHours);
    CHECK_FALSE(w.state.opensAt.has_value());
    CHECK(closed(w.state));
    w.on(OutOfService{false});
    CHECK_FALSE(closed(w.state));
    CHECK(screenName(w.state) == "idle");

    // Closing time while a patient is at the PIN: they finish their check-in.
    w.on(Touch{Intent::Start}).on(CardInserted{}).on(CardRead{{0x30, 0x82}, 3});
    REQUIRE(w.phase() == Phase::EnterPin);
    w.on(OpeningHoursChanged{false, opens});
    CHECK(w.phase() == Phase::EnterPin);
    w.on(PinSubmitted{}).on(ChallengeReady{"c1", {1, 2, 3}});
    w.on(Signed{{1}}).on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(CheckInSaved{"0006", "key-0006"});
    CHECK(w.phase() == Phase::Result);
    w.on(Printed{}).on(Touch{Intent::Done}).on(CardRemoved{});
    CHECK(w.phase() == Phase::Idle);
    CHECK(screenName(w.state) == "idle:closed");
}

TEST_CASE("step: the result screen times out")
{
    Walk w = atSigning();
    w.on(Signed{{1}}).on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(CheckInSaved{"0003", "key-0003"});
    w.on(Timeout{w.timer()});
    CHECK(w.phase() == Phase::RemoveCard);
}

TEST_CASE("step: events that do not fit are rejected and change nothing")
{
    Walk w;
    auto before = w.state.timerGeneration;
    for (const Event& e : {Event{PinSubmitted{}}, Event{Signed{{1}}}, Event{CheckInSaved{"1", "key-1"}},
                           Event{CardRead{{1}, 3}}, Event{Touch{Intent::Retry}}}) {
        auto t = step(w.state, e);
        CHECK(t.rejected);
        CHECK(t.commands.empty());
        CHECK(t.state.phase == Phase::Idle);
        CHECK(t.state.timerGeneration == before);
    }
}

TEST_CASE("step: a late card read after the card was pulled is rejected")
{
    Walk w;
    w.on(CardInserted{}).on(CardRemoved{});
    CHECK(w.phase() == Phase::Error);
    w.on(CardRead{{1}, 3});
    CHECK(w.last.rejected);
}

TEST_CASE("step: a certificate past its grace period checks in unconfirmed before the PIN")
{
    for (auto status : {model::CertificateStatus::Expired, model::CertificateStatus::NotYetValid}) {
        Walk w;
        w.on(CardInserted{}).on(CardRead{{1}, 3, status});
        checkSavesUnconfirmed(w, model::Problem::CertificateExpired);
        CHECK(has<ReleaseCard>(w.last));
        CHECK(step(w.state, Touch{Intent::Retry}).rejected);
        CHECK(step(w.state, PinSubmitted{}).rejected);
        checkResultAndSlip(w, model::Problem::CertificateExpired);
    }
}

TEST_CASE("step: an expiring or in-grace certificate goes on and reaches the slip")
{
    for (auto status :
         {model::CertificateStatus::ExpiringSoon, model::CertificateStatus::ExpiredInGrace}) {
        Walk w;
        w.on(CardInserted{}).on(CardRead{{1}, 3, status});
        CHECK(w.phase() == Phase::EnterPin);
        CHECK(w.state.certificateStatus == status);
        w.on(PinSubmitted{}).on(ChallengeReady{"c", {1}}).on(Signed{{2}});
        w.on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(CheckInSaved{"0004", "key-0004"});
        CHECK(get<PrintSlip>(w.last).certificateStatus == status);
        w.on(Touch{Intent::Done});
        CHECK(w.state.certificateStatus == model::CertificateStatus::Valid);
    }
}

// ---- Secure PIN entry on the reader's own pad ------------------------------------------------

namespace {

Walk atPinOnReader(int tries = 3)
{
    Walk w;
    w.on(Touch{Intent::Start}).on(CardInserted{});
    CardRead read{{0x30, 0x82}, tries};
    read.readerPinPad = true;
    w.on(read);
    if (w.phase() == Phase::Checking) {
        w.on(ChallengeReady{"c1", {1, 2, 3}});
    }
    return w;
}

} // namespace

SCENARIO("step: with a PIN pad reader the PIN is typed on the reader, after the challenge")
{
    Walk w;
    w.on(Touch{Intent::Start}).on(CardInserted{});
    CardRead read{{0x30, 0x82}, 3};
    read.readerPinPad = true;
    w.on(read);
    // No on-screen keypad: the challenge comes first, because the reader signs right after.
    CHECK(w.phase() == Phase::Checking);
    CHECK(w.state.checkStep == CheckStep::Challenge);
    CHECK(has<FetchChallenge>(w.last));

    w.on(ChallengeReady{"c1", {1, 2, 3}});
    CHECK(w.phase() == Phase::PinOnReader);
    REQUIRE(has<VerifyOnReaderAndSign>(w.last));
    CHECK(get<VerifyOnReaderAndSign>(w.last).toSign == Bytes{1, 2, 3});
    CHECK_FALSE(has<VerifyPinAndSign>(w.last));
    CHECK_FALSE(has<StartTimer>(w.last)); // the reader's own timeout ends the entry

    // The screen offers nothing to touch: Cancel is on the reader's pad.
    CHECK(step(w.state, Touch{Intent::Cancel}).rejected);
    CHECK(step(w.state, PinSubmitted{}).rejected);

    w.on(Signed{{9, 9}});
    CHECK(w.phase() == Phase::Checking);
    CHECK(w.state.checkStep == CheckStep::Eligibility);
    REQUIRE(has<QueryEligibility>(w.last));
    CHECK(get<QueryEligibility>(w.last).challengeId == "c1");
}

SCENARIO("step: a wrong PIN on the reader's pad counts down like one typed on screen")
{
    Walk w = atPinOnReader();
    w.on(PinRejected{2});
    CHECK(w.phase() == Phase::PinWrong);
    CHECK(w.state.pinTriesLeft == 2);
    // Trying again fetches a fresh challenge and goes back to the reader.
    w.on(Touch{Intent::Retry});
    CHECK(w.phase() == Phase::Checking);
    CHECK(has<FetchChallenge>(w.last));
    w.on(ChallengeReady{"c2", {4}});
    CHECK(w.phase() == Phase::PinOnReader);
    w.on(PinRejected{1});
    w.on(Touch{Intent::Retry});
    CHECK(w.phase() == Phase::LastTryWarning); // one try left: warn first
    w.on(Touch{Intent::EnterPin});
    CHECK(w.phase() == Phase::Checking);
    w.on(ChallengeReady{"c3", {5}});
    w.on(PinRejected{0});
    CHECK(w.state.error == ErrorKind::PinLocked);
    CHECK(has<ReleaseCard>(w.last));
    w.on(Touch{Intent::AskStaff});
    checkSavesUnconfirmed(w, model::Problem::PinLocked);
}

SCENARIO("step: the reader's pad timing out or cancelled spends no try and offers a retry")
{
    auto reason = GENERATE(Errc::Timeout, Errc::Cancelled, Errc::PinFormat);
    Walk w = atPinOnReader();
    w.on(PinPadEnded{Error{reason, 0, "pad"}});
    CHECK(w.phase() == Phase::Error);
    CHECK(w.state.error == ErrorKind::PinNotEntered);
    CHECK(w.state.pinTriesLeft == 3);
    CHECK(w.state.toSign.empty());
    CHECK(has<StartTimer>(w.last));
    w.on(Touch{Intent::Retry});
    CHECK(w.phase() == Phase::Checking);
    CHECK(has<FetchChallenge>(w.last));

    Walk cancel = atPinOnReader();
    cancel.on(PinPadEnded{Error{reason, 0, "pad"}}).on(Touch{Intent::Cancel});
    CHECK(cancel.phase() == Phase::RemoveCard);
    CHECK(has<ReleaseCard>(cancel.last));

    Walk staff = atPinOnReader();
    staff.on(PinPadEnded{Error{reason, 0, "pad"}}).on(Touch{Intent::AskStaff});
    checkSavesUnconfirmed(staff, model::Problem::PinForgotten);
}

SCENARIO("step: a reader whose pad turns out unusable falls back to the on-screen keypad")
{
    Walk w = atPinOnReader();
    w.on(PinPadEnded{Error{Errc::NotSupported, 0, "no pad"}});
    CHECK(w.phase() == Phase::EnterPin);
    CHECK_FALSE(w.state.readerPinPad);
    CHECK(has<StartTimer>(w.last));
    w.on(PinSubmitted{}).on(ChallengeReady{"c9", {7}});
    CHECK(has<VerifyPinAndSign>(w.last)); // the on-screen path from here on
}

SCENARIO("step: the card pulled while the PIN is typed on the reader")
{
    Walk w = atPinOnReader();
    w.on(CardRemoved{});
    CHECK(w.phase() == Phase::Error);
    CHECK(w.state.error == ErrorKind::CardRemoved);
    CHECK(has<ReleaseCard>(w.last));
    // A late answer from the pad does not fit any more.
    CHECK(step(w.state, PinPadEnded{Error{Errc::Timeout, 0, ""}}).rejected);
    CHECK(step(w.state, Signed{{1}}).rejected);
}

SCENARIO("step: a card failure during the pad entry and stray pad events")
{
    Walk w = atPinOnReader();
    w.on(CardFailed{Error{Errc::ReaderRemoved, 0, "gone"}});
    CHECK(w.phase() == Phase::Error);
    CHECK(w.state.error == ErrorKind::CardUnreadable);

    Walk onScreen = atEnterPin();
    CHECK(step(onScreen.state, PinPadEnded{Error{Errc::Timeout, 0, ""}}).rejected);
}

SCENARIO("step: a check-in that ends forgets the PIN pad choice")
{
    Walk w = atPinOnReader();
    w.on(PinPadEnded{Error{Errc::Cancelled, 0, ""}}).on(Touch{Intent::Cancel});
    CHECK_FALSE(w.state.readerPinPad);
}

// ---- Clock skew and the reader's availability ------------------------------------------------

SCENARIO("step: a clock skew reported by the source checks in unconfirmed as a service error")
{
    Walk w = atSigning();
    w.on(Signed{{1}}).on(ServiceFailed{Error{Errc::ClockSkew, 0, "skew"}});
    // The log names the skew for staff; the patient gets a number all the same.
    checkSavesUnconfirmed(w, model::Problem::ServiceError);
    CHECK(step(w.state, Touch{Intent::Retry}).rejected);
}

SCENARIO("step: the reader going away and coming back is remembered in every phase")
{
    Walk w;
    w.on(ReaderStatus{false});
    CHECK_FALSE(w.last.rejected);
    CHECK_FALSE(w.state.readerAvailable);
    CHECK(w.phase() == Phase::Idle);
    CHECK(w.last.commands.empty());
    w.on(Touch{Intent::Start});
    CHECK(w.phase() == Phase::PlaceCard);
    CHECK_FALSE(w.state.readerAvailable);
    w.on(ReaderStatus{true});
    CHECK(w.state.readerAvailable);
    CHECK(w.phase() == Phase::PlaceCard);
    CHECK(std::string(eventName(Event{ReaderStatus{}})) == "reader_status");
    CHECK(std::string(eventName(Event{PinPadEnded{}})) == "pin_pad_ended");
    CHECK(std::string(phaseName(Phase::PinOnReader)) == "pin_on_reader");
}

// ---- The insurance card path (資格確認書 / 資格情報のお知らせ, issue 4) ----------------------

namespace {

State insuranceTerminal(bool myNumberCard = true)
{
    State s;
    s.canUseMyNumberCard = myNumberCard;
    s.canLookUpInsuranceCard = true;
    return s;
}

Walk atInsuranceForm(bool myNumberCard = true)
{
    Walk w;
    w.state = insuranceTerminal(myNumberCard);
    w.on(Touch{Intent::InsuranceCard});
    return w;
}

Walk atLookup()
{
    Walk w = atInsuranceForm();
    w.on(InsuranceSubmitted{});
    return w;
}

} // namespace

SCENARIO("step: a check-in by insurance card walks idle to the form to result to idle")
{
    Walk w = atInsuranceForm();
    CHECK(w.phase() == Phase::EnterInsurance);
    CHECK(w.state.route == Route::InsuranceCard);
    CHECK(get<StartTimer>(w.last).after == Timeouts{}.enterInsurance);

    w.on(InsuranceSubmitted{});
    CHECK(w.phase() == Phase::Checking);
    CHECK(w.state.checkStep == CheckStep::Lookup);
    CHECK(has<LookUpInsurance>(w.last));
    CHECK_FALSE(has<FetchChallenge>(w.last));

    w.on(EligibilityAnswered{uketsuke::test::insuredResult()});
    CHECK(w.state.checkStep == CheckStep::Saving);
    const auto& save = get<SaveCheckIn>(w.last);
    CHECK(save.outcome == model::Outcome::Valid);
    CHECK(save.method == model::Method::InsuranceCard);

    w.on(CheckInSaved{"0008", "key-0008"});
    CHECK(w.phase() == Phase::Result);
    CHECK(get<PrintSlip>(w.last).receiptNumber == "0008");
    CHECK_FALSE(has<ReleaseCard>(w.last)); // no card in this check-in

    w.on(Touch{Intent::Done});
    CHECK(w.phase() == Phase::Idle);
    CHECK(has<DiscardInsurance>(w.last));
    CHECK(w.state.route == Route::MyNumberCard);
    CHECK_FALSE(w.state.qualification.has_value());
}

TEST_CASE("step: the card path still saves method pin")
{
    Walk w = atSigning();
    w.on(Signed{{1}}).on(EligibilityAnswered{uketsuke::test::insuredResult()});
    CHECK(get<SaveCheckIn>(w.last).method == model::Method::Pin);
    w.on(CheckInSaved{"1", "key-1"}).on(Touch{Intent::Done});
    CHECK_FALSE(has<DiscardInsurance>(w.last));
}

TEST_CASE("step: the insurance card button works only when the source can look up")
{
    Walk w;
    REQUIRE_FALSE(w.state.canLookUpInsuranceCard);
    w.on(Touch{Intent::InsuranceCard});
    CHECK(w.last.rejected);
    CHECK(w.phase() == Phase::Idle);

    Walk both = atInsuranceForm();
    CHECK(both.phase() == Phase::EnterInsurance);
}

TEST_CASE("step: cancel on the form wipes it and goes back to idle")
{
    Walk w = atInsuranceForm();
    w.on(Touch{Intent::Cancel});
    CHECK(w.phase() == Phase::Idle);
    CHECK(has<DiscardInsurance>(w.last));
}

TEST_CASE("step: the form times out and is wiped, every edit starts its timer again")
{
    Walk w = atInsuranceForm();
    auto first = w.timer();
    w.on(InsuranceEdited{});
    CHECK(w.phase() == Phase::EnterInsurance);
    CHECK(get<StartTimer>(w.last).after == Timeouts{}.enterInsurance);
    CHECK(w.timer() != first);
    w.on(Timeout{first});
    CHECK(w.last.rejected); // the timer of before the edit is stale
    w.on(Timeout{w.timer()});
    CHECK(w.state.stillThere); // "need more time?" first
    CHECK_FALSE(has<DiscardInsurance>(w.last));
    w.on(Timeout{w.timer()});
    CHECK(w.phase() == Phase::Idle);
    CHECK(has<DiscardInsurance>(w.last));
}

TEST_CASE("step: form events outside the form are rejected")
{
    Walk w;
    w.state = insuranceTerminal();
    for (const Event& e : {Event{InsuranceSubmitted{}}, Event{InsuranceEdited{}}}) {
        auto t = step(w.state, e);
        CHECK(t.rejected);
        CHECK(t.commands.empty());
    }
    Walk lookup = atLookup();
    lookup.on(InsuranceSubmitted{});
    CHECK(lookup.last.rejected); // submitted twice: one lookup only
    lookup.on(InsuranceEdited{});
    CHECK(lookup.last.rejected);
}

TEST_CASE("step: a card placed while the form is up does not leave the form")
{
    Walk w = atInsuranceForm();
    w.on(CardInserted{});
    CHECK(w.phase() == Phase::EnterInsurance);
    CHECK(w.state.cardPresent);
    CHECK_FALSE(has<ReadCard>(w.last));
    w.on(CardRemoved{});
    CHECK(w.phase() == Phase::EnterInsurance);
    CHECK_FALSE(w.state.cardPresent);

    // Left on the reader, the card is asked back when the check-in ends.
    w.on(CardInserted{}).on(InsuranceSubmitted{}).on(EligibilityAnswered{uketsuke::test::insuredResult()});
    w.on(CheckInSaved{"0009", "key-0009"});
    CHECK(w.phase() == Phase::Result);
    w.on(Touch{Intent::Done});
    CHECK(w.phase() == Phase::RemoveCard);
    CHECK(has<ReleaseCard>(w.last));
    CHECK(has<DiscardInsurance>(w.last));
}

TEST_CASE("step: cancel during the lookup cancels it and wipes the form")
{
    Walk w = atLookup();
    w.on(Touch{Intent::Cancel});
    CHECK(w.phase() == Phase::Idle);
    CHECK(has<CancelLookup>(w.last));
    CHECK(has<DiscardInsurance>(w.last));
    // The cancelled lookup's late answer fits nothing any more.
    w.on(EligibilityAnswered{uketsuke::test::insuredResult()});
    CHECK(w.last.rejected);
    w.on(ServiceFailed{Error{Errc::Cancelled, 0, ""}});
    CHECK(w.last.rejected);
}

TEST_CASE("step: cancel is not offered while the card path is checking")
{
    Walk w = atSigning();
    w.on(Touch{Intent::Cancel});
    CHECK(w.last.rejected);
}

TEST_CASE("step: a failed lookup keeps the form for a retry")
{
    for (Errc code : {Errc::Timeout, Errc::StorageError, Errc::BadReply, Errc::NotSupported}) {
        INFO(errcName(code));
        Walk w = atLookup();
        w.on(ServiceFailed{Error{code, 0, ""}});
        CHECK(w.phase() == Phase::Error);
        CHECK(w.state.error == ErrorKind::LookupFailed);
        CHECK_FALSE(has<DiscardInsurance>(w.last));
        w.on(Touch{Intent::Retry});
        CHECK(w.phase() == Phase::EnterInsurance);
        CHECK_FALSE(has<DiscardInsurance>(w.last));
        CHECK(get<StartTimer>(w.last).after == Timeouts{}.enterInsurance);
        w.on(InsuranceSubmitted{});
        CHECK(has<LookUpInsurance>(w.last));
    }
}

TEST_CASE("step: a field the source refuses is its own error, corrected on the form")
{
    Walk w = atLookup();
    w.on(ServiceFailed{Error{Errc::InvalidArgument, 0, "insurer number"}});
    CHECK(w.state.error == ErrorKind::InsuranceEntryRejected);
    w.on(Touch{Intent::Retry});
    CHECK(w.phase() == Phase::EnterInsurance);
}

TEST_CASE("step: a failed lookup offers staff (with a number) and a fresh start, which wipe "
          "the form")
{
    Walk w = atLookup();
    w.on(ServiceFailed{Error{Errc::Timeout, 0, ""}});
    w.on(Touch{Intent::AskStaff});
    checkSavesUnconfirmed(w, model::Problem::ServiceUnreachable, model::Method::InsuranceCard);
    CHECK_FALSE(has<DiscardInsurance>(w.last)); // wiped when the check-in ends
    checkResultAndSlip(w, model::Problem::ServiceUnreachable);
    CHECK(w.phase() == Phase::Idle);
    CHECK(has<DiscardInsurance>(w.last));

    Walk rejected = atLookup();
    rejected.on(ServiceFailed{Error{Errc::InvalidArgument, 0, ""}}).on(Touch{Intent::AskStaff});
    checkSavesUnconfirmed(rejected, model::Problem::ServiceError, model::Method::InsuranceCard);

    Walk again = atLookup();
    again.on(ServiceFailed{Error{Errc::Timeout, 0, ""}}).on(Touch{Intent::Done});
    CHECK(again.phase() == Phase::Idle);
    CHECK(has<DiscardInsurance>(again.last));

    Walk timedOut = atLookup();
    timedOut.on(ServiceFailed{Error{Errc::Timeout, 0, ""}}).on(Timeout{timedOut.timer()});
    CHECK(timedOut.phase() == Phase::Idle);
    CHECK(has<DiscardInsurance>(timedOut.last));
}

TEST_CASE("step: a failed save of a lookup is saved again as insurance_card")
{
    Walk w = atLookup();
    w.on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(SaveFailed{Error{Errc::StorageError, 0, ""}});
    CHECK(w.state.error == ErrorKind::StorageFailed);
    w.on(Touch{Intent::Retry});
    CHECK(get<SaveCheckIn>(w.last).method == model::Method::InsuranceCard);
}

TEST_CASE("step: a lookup answer is not taken on the card path, nor a card answer on the form")
{
    Walk w = atInsuranceForm();
    w.on(EligibilityAnswered{uketsuke::test::insuredResult()});
    CHECK(w.last.rejected);
    Walk card = atEnterPin();
    card.on(PinSubmitted{}); // Checking{Challenge}
    card.on(EligibilityAnswered{uketsuke::test::insuredResult()});
    CHECK(card.last.rejected);
}

TEST_CASE("step: without My Number card support idle offers only the form")
{
    Walk w;
    w.state = insuranceTerminal(false);
    w.on(Touch{Intent::Start});
    CHECK(w.last.rejected);
    w.on(Touch{Intent::InsuranceCard});
    CHECK(w.phase() == Phase::EnterInsurance);
}

TEST_CASE("step: a My Number card on a terminal that cannot check it asks for staff")
{
    Walk w;
    w.state = insuranceTerminal(false);
    w.on(CardInserted{});
    CHECK(w.phase() == Phase::Error);
    CHECK(w.state.error == ErrorKind::MyNumberCardUnsupported);
    CHECK_FALSE(has<ReadCard>(w.last));
    w.on(Touch{Intent::Retry});
    CHECK(w.last.rejected);
    w.on(Touch{Intent::AskStaff});
    CHECK(w.phase() == Phase::AskStaff);
    w.on(Touch{Intent::Done});
    CHECK(w.phase() == Phase::RemoveCard);
    w.on(CardRemoved{});
    CHECK(w.phase() == Phase::Idle);

    Walk startOver;
    startOver.state = insuranceTerminal(false);
    startOver.on(CardInserted{}).on(Touch{Intent::Done});
    CHECK(startOver.phase() == Phase::RemoveCard);
    CHECK(has<ReleaseCard>(startOver.last));
}

TEST_CASE("step: the new names are in the tables")
{
    CHECK(std::string(phaseName(Phase::EnterInsurance)) == "enter_insurance");
    CHECK(std::string(errorKindName(ErrorKind::LookupFailed)) == "lookup_failed");
    CHECK(std::string(errorKindName(ErrorKind::InsuranceEntryRejected)) ==
          "insurance_entry_rejected");
    CHECK(std::string(errorKindName(ErrorKind::MyNumberCardUnsupported)) ==
          "my_number_card_unsupported");
    CHECK(std::string(eventName(InsuranceSubmitted{})) == "insurance_submitted");
    CHECK(std::string(eventName(InsuranceEdited{})) == "insurance_edited");
}

SCENARIO("step: the language the patient chooses travels with the slip, and the next patient "
         "starts in the default")
{
    Walk w;
    w.on(LanguageChosen{"en"});
    CHECK_FALSE(w.last.rejected);
    CHECK(w.phase() == Phase::Idle);
    CHECK(w.state.language == "en");
    CHECK(w.last.commands.empty());

    w.on(Touch{Intent::Start}).on(CardInserted{}).on(CardRead{{0x30, 0x82}, 3});
    w.on(LanguageChosen{"vi"}); // changed again on the PIN screen: accepted, nothing else moves
    CHECK(w.phase() == Phase::EnterPin);
    CHECK(w.state.language == "vi");
    w.on(PinSubmitted{}).on(ChallengeReady{"c1", {1}}).on(Signed{{2}});
    w.on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(CheckInSaved{"0009", "key-0009"});
    CHECK(get<PrintSlip>(w.last).language == "vi");

    w.on(Touch{Intent::Done});
    CHECK(w.phase() == Phase::RemoveCard);
    CHECK(w.state.language == "vi"); // still this patient's screen
    w.on(CardRemoved{});
    CHECK(w.phase() == Phase::Idle);
    CHECK(w.state.language.empty());
}

SCENARIO("step: a patient who chose a language and walked away leaves none for the next")
{
    Walk w;
    w.on(LanguageChosen{"en"}).on(Touch{Intent::Start});
    REQUIRE(w.phase() == Phase::PlaceCard);
    w.on(Timeout{w.timer()});
    CHECK(w.phase() == Phase::Idle);
    CHECK(w.state.language.empty());
}
