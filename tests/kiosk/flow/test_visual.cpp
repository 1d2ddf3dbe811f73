// Visual confirmation (目視, kiosk/flow/flow.hpp, docs/staff.md): staff who unlocked the staff
// menu compare the card's photo with the patient; the check-in goes on without the PIN, asks
// the source with method visual and the staff id, and is saved with Method::Visual.

#include "kiosk/flow/flow.hpp"

#include "tests/kiosk/flow/walk.hpp"
#include "tests/support/commands.hpp"
#include "tests/support/runner_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using namespace uketsuke::kiosk::flow;

namespace {

using uketsuke::test::get;
using uketsuke::test::has;
using uketsuke::test::Walk;

const Bytes kCertificate{0x30, 0x82, 0x01};


Walk read(int triesLeft, bool readerPinPad = false)
{
    Walk w;
    w.on(Touch{Intent::Start}).on(CardInserted{});
    w.on(CardRead{kCertificate, triesLeft, model::CertificateStatus::Valid, readerPinPad});
    return w;
}

Walk atPinWrong()
{
    Walk w = read(3);
    w.on(PinSubmitted{}).on(ChallengeReady{"c1", {1, 2}}).on(PinRejected{2});
    REQUIRE(w.phase() == Phase::PinWrong);
    return w;
}

// From VisualConfirmed to the challenge: the PIN is wiped, nothing is signed.
void checkStarted(const Walk& w, const std::string& staffId = "s01")
{
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.phase() == Phase::Checking);
    CHECK(w.state.checkStep == CheckStep::Challenge);
    CHECK(w.state.route == Route::Visual);
    CHECK(w.state.staffId == staffId);
    CHECK(has<DiscardPin>(w.last));
    CHECK(has<FetchChallenge>(w.last));
    CHECK_FALSE(has<VerifyPinAndSign>(w.last));
}

} // namespace

SCENARIO("visual: offered where the patient is stuck at the PIN with the certificate read")
{
    Walk pin = read(3);
    REQUIRE(pin.phase() == Phase::EnterPin);
    CHECK(canConfirmVisually(pin.state));

    Walk last = read(1);
    REQUIRE(last.phase() == Phase::LastTryWarning);
    CHECK(canConfirmVisually(last.state));

    CHECK(canConfirmVisually(atPinWrong().state));

    Walk pad = read(3, true);
    REQUIRE(pad.phase() == Phase::Checking);
    CHECK_FALSE(canConfirmVisually(pad.state)); // the challenge is on its way: not yet
    pad.on(ChallengeReady{"c1", {1}}).on(PinPadEnded{Error{Errc::Timeout, 0, ""}});
    REQUIRE(pad.state.error == ErrorKind::PinNotEntered);
    CHECK(canConfirmVisually(pad.state));
}

SCENARIO("visual: not offered anywhere else")
{
    Walk idle;
    CHECK_FALSE(canConfirmVisually(idle.state));
    idle.on(Touch{Intent::Start});
    CHECK_FALSE(canConfirmVisually(idle.state)); // place card
    idle.on(CardInserted{});
    CHECK_FALSE(canConfirmVisually(idle.state)); // reading

    // A locked PIN's number taken without staff: too late once it is being saved.
    Walk locked = read(0);
    locked.on(Touch{Intent::AskStaff});
    CHECK(locked.state.checkStep == CheckStep::Saving);
    CHECK_FALSE(canConfirmVisually(locked.state));
    locked.on(CheckInSaved{"0001", "k1"});
    CHECK(locked.phase() == Phase::Result);
    CHECK_FALSE(canConfirmVisually(locked.state));

    // An unreadable card has no certificate; the insurance card form is not a card.
    Walk unreadable;
    unreadable.on(Touch{Intent::Start}).on(CardInserted{}).on(
        CardFailed{Error{Errc::ReaderError, 0, ""}});
    REQUIRE(unreadable.phase() == Phase::Error);
    CHECK_FALSE(canConfirmVisually(unreadable.state));

    Walk form;
    form.state.canLookUpInsuranceCard = true;
    form.on(Touch{Intent::InsuranceCard});
    REQUIRE(form.phase() == Phase::EnterInsurance);
    CHECK_FALSE(canConfirmVisually(form.state));

    // Once the PIN was typed and the card signs, it is too late to switch.
    Walk signing = read(3);
    signing.on(PinSubmitted{}).on(ChallengeReady{"c1", {1}});
    REQUIRE(signing.state.checkStep == CheckStep::Signature);
    CHECK_FALSE(canConfirmVisually(signing.state));
}

SCENARIO("visual: rejected where it is not offered, or without a staff id")
{
    Walk idle;
    const auto generation = idle.timer();
    idle.on(VisualConfirmed{"s01"});
    CHECK(idle.last.rejected);
    CHECK(idle.last.commands.empty());
    CHECK(idle.timer() == generation);

    Walk pin = read(3);
    pin.on(VisualConfirmed{""});
    CHECK(pin.last.rejected);
    CHECK(pin.phase() == Phase::EnterPin);

    Walk twice = read(3);
    twice.on(VisualConfirmed{"s01"});
    REQUIRE_FALSE(twice.last.rejected);
    twice.on(VisualConfirmed{"s02"});
    CHECK(twice.last.rejected);
    CHECK(twice.state.staffId == "s01");
}

SCENARIO("visual: from the PIN screen to a saved check-in with method visual and the staff id")
{
    Walk w = read(3);
    w.on(VisualConfirmed{"s01"});
    checkStarted(w);

    w.on(ChallengeReady{"c1", {1, 2, 3}});
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.state.checkStep == CheckStep::Eligibility);
    CHECK_FALSE(has<VerifyPinAndSign>(w.last));
    CHECK_FALSE(has<VerifyOnReaderAndSign>(w.last));
    REQUIRE(has<QueryEligibility>(w.last));
    const auto& query = get<QueryEligibility>(w.last);
    CHECK(query.challengeId == "c1");
    CHECK(query.certificate == kCertificate);
    CHECK(query.signature.empty());
    CHECK(query.method == model::Method::Visual);
    CHECK(query.staffId == "s01");
    CHECK(w.state.toSign.empty());

    // A signature arriving from nowhere is not awaited.
    w.on(Signed{{9}});
    CHECK(w.last.rejected);

    w.on(EligibilityAnswered{uketsuke::test::insuredResult()});
    REQUIRE(has<SaveCheckIn>(w.last));
    const auto& save = get<SaveCheckIn>(w.last);
    CHECK(save.method == model::Method::Visual);
    CHECK(save.staffId == "s01");
    CHECK(save.outcome == model::Outcome::Valid);

    w.on(CheckInSaved{"0007", "k7"});
    CHECK(w.phase() == Phase::Result);
    REQUIRE(has<PrintSlip>(w.last));
    CHECK(get<PrintSlip>(w.last).receiptNumber == "0007");

    // The next patient is a PIN check-in again.
    w.on(Touch{Intent::Done});
    CHECK(w.state.route == Route::MyNumberCard);
    CHECK(w.state.staffId.empty());
    w.on(CardRemoved{});
    REQUIRE(w.phase() == Phase::Idle);
    w.on(Touch{Intent::Start}).on(CardInserted{}).on(CardRead{kCertificate, 3});
    w.on(PinSubmitted{}).on(ChallengeReady{"c2", {4}});
    CHECK(has<VerifyPinAndSign>(w.last));
    w.on(Signed{{7}});
    CHECK(get<QueryEligibility>(w.last).method == model::Method::Pin);
    CHECK(get<QueryEligibility>(w.last).staffId.empty());
    w.on(EligibilityAnswered{uketsuke::test::insuredResult()});
    CHECK(get<SaveCheckIn>(w.last).method == model::Method::Pin);
    CHECK(get<SaveCheckIn>(w.last).staffId.empty());
}

SCENARIO("visual: from the last-try warning, the wrong-PIN screen and the reader's pad")
{
    Walk last = read(1);
    last.on(VisualConfirmed{"s01"});
    checkStarted(last);

    Walk wrong = atPinWrong();
    wrong.on(VisualConfirmed{"s01"});
    checkStarted(wrong);
    CHECK(wrong.state.pinTriesLeft == 2); // no try spent

    Walk pad = read(3, true);
    pad.on(ChallengeReady{"c1", {1}}).on(PinPadEnded{Error{Errc::Cancelled, 0, ""}});
    pad.on(VisualConfirmed{"s01"});
    checkStarted(pad);
    CHECK_FALSE(pad.state.readerPinPad);
    pad.on(ChallengeReady{"c2", {2}});
    CHECK_FALSE(has<VerifyOnReaderAndSign>(pad.last));
    CHECK(has<QueryEligibility>(pad.last));
}

SCENARIO("visual: a locked PIN and a forgotten one (顔認証マイナンバーカード) are confirmed by staff")
{
    // Locked before any try: the card is released, its certificate kept for staff.
    Walk locked = read(0);
    REQUIRE(locked.state.error == ErrorKind::PinLocked);
    CHECK(canConfirmVisually(locked.state));
    locked.on(CardRemoved{}); // the patient holds the card up for staff to see
    locked.on(VisualConfirmed{"s01"});
    checkStarted(locked);
    locked.on(ChallengeReady{"c1", {1}});
    REQUIRE(has<QueryEligibility>(locked.last));
    CHECK(get<QueryEligibility>(locked.last).method == model::Method::Visual);
    CHECK(get<QueryEligibility>(locked.last).certificate == kCertificate);
    locked.on(EligibilityAnswered{uketsuke::test::insuredResult()});
    REQUIRE(has<SaveCheckIn>(locked.last));
    CHECK(get<SaveCheckIn>(locked.last).outcome == model::Outcome::Valid);
    CHECK_FALSE(get<SaveCheckIn>(locked.last).problem.has_value());

    // Locked by the last wrong PIN.
    Walk wrong = read(1);
    wrong.on(Touch{Intent::EnterPin}).on(PinSubmitted{}).on(ChallengeReady{"c1", {1}});
    wrong.on(PinRejected{0});
    REQUIRE(wrong.state.error == ErrorKind::PinLocked);
    wrong.on(VisualConfirmed{"s02"});
    checkStarted(wrong, "s02");

    // 暗証番号がわからない on the keypad.
    Walk forgot = read(3);
    forgot.on(Touch{Intent::AskStaff});
    REQUIRE(forgot.state.error == ErrorKind::PinForgotten);
    CHECK(canConfirmVisually(forgot.state));
    forgot.on(VisualConfirmed{"s01"});
    checkStarted(forgot);
}

SCENARIO("visual: the consent questions come first, as in a PIN check-in")
{
    Walk w;
    w.state.consentTopics = {model::ConsentTopic::LimitApplication};
    w.on(Touch{Intent::Start}).on(CardInserted{}).on(CardRead{kCertificate, 3});
    w.on(VisualConfirmed{"s01"});
    REQUIRE(w.phase() == Phase::Consent);
    CHECK_FALSE(has<FetchChallenge>(w.last));
    w.on(Touch{Intent::Agree});
    REQUIRE(has<FetchChallenge>(w.last));
    w.on(ChallengeReady{"c1", {1}});
    const auto& query = get<QueryEligibility>(w.last);
    CHECK(query.method == model::Method::Visual);
    REQUIRE(query.consent.size() == 1);
    CHECK(query.consent[0].agreed);
}

SCENARIO("visual: the call for staff ends, staff are there")
{
    Walk w = read(3);
    w.on(CallStaff{"c-1", "2026-12-05T00:41:00Z"});
    REQUIRE(w.state.call);
    w.on(VisualConfirmed{"s01"});
    CHECK_FALSE(w.state.call);
    REQUIRE(has<ReportCall>(w.last));
    CHECK_FALSE(get<ReportCall>(w.last).call);
}

SCENARIO("visual: the card may leave once staff confirmed, and the check-in completes")
{
    Walk w = read(3);
    w.on(VisualConfirmed{"s01"});
    w.on(CardRemoved{});
    REQUIRE_FALSE(w.last.rejected);
    CHECK(w.phase() == Phase::Checking);
    CHECK(w.state.checkStep == CheckStep::Challenge);
    w.on(ChallengeReady{"c1", {1}});
    CHECK(has<QueryEligibility>(w.last));
    w.on(EligibilityAnswered{uketsuke::test::insuredResult()}).on(CheckInSaved{"0007", "k7"});
    CHECK(w.phase() == Phase::Result);
    w.on(Touch{Intent::Done});
    CHECK(w.phase() == Phase::Idle);
}

SCENARIO("visual: a source that fails saves an unconfirmed check-in, still method visual")
{
    Walk w = read(3);
    w.on(VisualConfirmed{"s01"});
    w.on(ServiceFailed{Error{Errc::NetworkUnreachable, 0, ""}});
    REQUIRE(has<SaveCheckIn>(w.last));
    const auto& save = get<SaveCheckIn>(w.last);
    CHECK(save.outcome == model::Outcome::Unconfirmed);
    CHECK(save.problem == model::Problem::ServiceUnreachable);
    CHECK(save.method == model::Method::Visual);
    CHECK(save.staffId == "s01");

    Walk refused = read(3);
    refused.on(VisualConfirmed{"s01"}).on(ChallengeReady{"c1", {1}});
    refused.on(ServiceFailed{Error{Errc::CertificateRejected, 0, ""}});
    CHECK(get<SaveCheckIn>(refused.last).problem == model::Problem::ServiceError);
    CHECK(get<SaveCheckIn>(refused.last).method == model::Method::Visual);
}

SCENARIO("visual: its event has a name for the log")
{
    CHECK(std::string(eventName(VisualConfirmed{"s01"})) == "visual_confirmed");
}
