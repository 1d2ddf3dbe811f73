#include "kiosk/flow/flow.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using namespace uketsuke::kiosk::flow;

namespace {

template <class C>
bool has(const Transition& t)
{
    return std::any_of(t.commands.begin(), t.commands.end(),
                       [](const Command& c) { return std::holds_alternative<C>(c); });
}

template <class C>
const C& get(const Transition& t)
{
    for (const auto& c : t.commands) {
        if (std::holds_alternative<C>(c)) {
            return std::get<C>(c);
        }
    }
    FAIL("command not issued");
    throw 0;
}

model::QualificationResult validResult()
{
    model::QualificationResult r;
    r.header.segmentOfResult = "1";
    r.body.processingResultStatus = "1";
    r.body.qualificationValidity = "1";
    model::ResultOfQualificationConfirmation person;
    person.insurerNumber = "06139999";
    r.body.resultList.push_back(person);
    return r;
}

// Drives step() and keeps the latest transition, as the runner does.
struct Walk {
    State state;
    Transition last;

    Walk& on(const Event& e)
    {
        last = step(state, e);
        if (!last.rejected) {
            state = last.state;
        }
        return *this;
    }
    Phase phase() const { return state.phase; }
    std::uint32_t timer() const { return state.timerGeneration; }
};

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
    CHECK(get<VerifyPinAndSign>(w.last).toSign == hal::Bytes{9, 8, 7});

    w.on(Signed{{0xAA, 0xBB}});
    CHECK(w.state.checkStep == CheckStep::Eligibility);
    const auto& query = get<QueryEligibility>(w.last);
    CHECK(query.challengeId == "challenge-1");
    CHECK(query.certificate == hal::Bytes{0x30, 0x82, 0x01});
    CHECK(query.signature == hal::Bytes{0xAA, 0xBB});

    w.on(EligibilityAnswered{validResult()});
    CHECK(w.state.checkStep == CheckStep::Saving);
    CHECK(get<SaveCheckIn>(w.last).outcome == "valid");

    w.on(CheckInSaved{"0007"});
    CHECK(w.phase() == Phase::Result);
    CHECK(w.state.receiptNumber == "0007");
    CHECK(get<PrintSlip>(w.last).receiptNumber == "0007");
    CHECK(has<ReleaseCard>(w.last));

    w.on(Printed{});
    CHECK(w.phase() == Phase::Result);
    CHECK_FALSE(w.state.printFailed);

    w.on(Touch{Intent::Done});
    CHECK(w.phase() == Phase::RemoveCard);
    CHECK(w.state.receiptNumber.empty());
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

TEST_CASE("step: one try left offers staff help instead")
{
    Walk w;
    w.on(CardInserted{}).on(CardRead{{1}, 1});
    w.on(Touch{Intent::AskStaff});
    CHECK(w.phase() == Phase::AskStaff);
    w.on(Touch{Intent::Done});
    CHECK(w.phase() == Phase::RemoveCard);
}

TEST_CASE("step: a blocked PIN skips the keypad")
{
    Walk w;
    w.on(CardInserted{}).on(CardRead{{1}, 0});
    CHECK(w.phase() == Phase::PinLocked);
    CHECK(has<ReleaseCard>(w.last));
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

TEST_CASE("step: the last wrong PIN locks")
{
    Walk w = atSigning();
    w.on(PinRejected{0});
    CHECK(w.phase() == Phase::PinLocked);
    w.on(Touch{Intent::AskStaff});
    CHECK(w.phase() == Phase::AskStaff);
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
    w.on(EligibilityAnswered{validResult()}).on(CheckInSaved{"0001"});
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

TEST_CASE("step: an unreachable gateway is a network error; retry asks for the PIN again")
{
    Walk w = atEnterPin();
    w.on(PinSubmitted{}).on(ServiceFailed{Error{Errc::NetworkUnreachable, 7, ""}});
    CHECK(w.phase() == Phase::Error);
    CHECK(w.state.error == ErrorKind::NetworkDown);
    CHECK(has<DiscardPin>(w.last));
    w.on(Touch{Intent::Retry});
    CHECK(w.phase() == Phase::EnterPin);
}

TEST_CASE("step: a refused certificate is not retried")
{
    Walk w = atSigning();
    w.on(Signed{{1}}).on(ServiceFailed{Error{Errc::CertificateRejected, 403, ""}});
    CHECK(w.state.error == ErrorKind::ServiceRefused);
    w.on(Touch{Intent::Retry});
    CHECK(w.last.rejected);
}

TEST_CASE("step: a failed save keeps the answer and can be saved again")
{
    Walk w = atSigning();
    w.on(Signed{{1}}).on(EligibilityAnswered{validResult()});
    w.on(SaveFailed{Error{Errc::StorageError, 0, ""}});
    CHECK(w.state.error == ErrorKind::StorageFailed);
    w.on(Touch{Intent::Retry});
    CHECK(w.phase() == Phase::Checking);
    CHECK(has<SaveCheckIn>(w.last));
}

TEST_CASE("step: a print failure is shown on the result screen")
{
    Walk w = atSigning();
    w.on(Signed{{1}}).on(EligibilityAnswered{validResult()}).on(CheckInSaved{"0002"});
    w.on(PrintFailed{Error{Errc::PrinterPaperOut, 0, ""}});
    CHECK(w.phase() == Phase::Result);
    CHECK(w.state.printFailed);
}

TEST_CASE("step: the result screen times out")
{
    Walk w = atSigning();
    w.on(Signed{{1}}).on(EligibilityAnswered{validResult()}).on(CheckInSaved{"0003"});
    w.on(Timeout{w.timer()});
    CHECK(w.phase() == Phase::RemoveCard);
}

TEST_CASE("step: events that do not fit are rejected and change nothing")
{
    Walk w;
    auto before = w.state.timerGeneration;
    for (const Event& e : {Event{PinSubmitted{}}, Event{Signed{{1}}}, Event{CheckInSaved{"1"}},
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

TEST_CASE("step: a certificate past its grace period goes to the desk before the PIN")
{
    for (auto status : {card::CertificateStatus::Expired, card::CertificateStatus::NotYetValid}) {
        Walk w;
        w.on(CardInserted{}).on(CardRead{{1}, 3, status});
        CHECK(w.phase() == Phase::Error);
        CHECK(w.state.error == ErrorKind::CertificateExpired);
        CHECK(has<ReleaseCard>(w.last));
        w.on(Touch{Intent::Retry});
        CHECK(w.last.rejected);
        w.on(Touch{Intent::AskStaff});
        CHECK(w.phase() == Phase::AskStaff);
    }
}

TEST_CASE("step: an expiring or in-grace certificate goes on and reaches the slip")
{
    for (auto status :
         {card::CertificateStatus::ExpiringSoon, card::CertificateStatus::ExpiredInGrace}) {
        Walk w;
        w.on(CardInserted{}).on(CardRead{{1}, 3, status});
        CHECK(w.phase() == Phase::EnterPin);
        CHECK(w.state.certificateStatus == status);
        w.on(PinSubmitted{}).on(ChallengeReady{"c", {1}}).on(Signed{{2}});
        w.on(EligibilityAnswered{validResult()}).on(CheckInSaved{"0004"});
        CHECK(get<PrintSlip>(w.last).certificateStatus == status);
        w.on(Touch{Intent::Done});
        CHECK(w.state.certificateStatus == card::CertificateStatus::Valid);
    }
}
