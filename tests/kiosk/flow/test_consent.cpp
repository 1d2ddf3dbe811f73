// The consent questions after the PIN (kiosk/flow/flow.hpp, docs/flow.md "Consent").

#include "kiosk/flow/flow.hpp"

#include "tests/kiosk/flow/walk.hpp"
#include "tests/support/commands.hpp"
#include "tests/support/runner_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using namespace uketsuke::kiosk::flow;

namespace {

using model::ConsentTopic;
using uketsuke::test::get;
using uketsuke::test::has;

using uketsuke::test::Walk;

// A clinic that asks about 診療・薬剤情報 and 手術情報, at the PIN screen.
Walk atEnterPin(std::vector<ConsentTopic> topics = {ConsentTopic::DiagnosisPharmacists,
                                                    ConsentTopic::Operation},
                model::CertificateStatus status = model::CertificateStatus::Valid,
                bool readerPinPad = false)
{
    Walk w;
    w.state.consentTopics = std::move(topics);
    w.on(Touch{Intent::Start})
        .on(CardInserted{})
        .on(CardRead{{0x30, 0x82}, 3, status, readerPinPad});
    return w;
}


} // namespace

SCENARIO("step: consent questions come one per screen after the PIN, before the challenge, and "
         "their answers go to the source and the desk")
{
    Walk w = atEnterPin();
    w.on(PinSubmitted{});
    CHECK(w.phase() == Phase::Consent);
    CHECK(consentQuestion(w.state) == ConsentTopic::DiagnosisPharmacists);
    CHECK(consentProgress(w.state) == std::pair{1, 2});
    CHECK_FALSE(has<FetchChallenge>(w.last)); // no challenge waits for the patient
    CHECK(get<StartTimer>(w.last).after == Timeouts{}.consent);

    w.on(Touch{Intent::Agree});
    CHECK(w.phase() == Phase::Consent);
    CHECK(consentQuestion(w.state) == ConsentTopic::Operation);
    CHECK(consentProgress(w.state) == std::pair{2, 2});
    CHECK(has<StartTimer>(w.last)); // each question has its own time

    w.on(Touch{Intent::Decline});
    CHECK(w.phase() == Phase::Checking);
    CHECK(w.state.checkStep == CheckStep::Challenge);
    CHECK(has<FetchChallenge>(w.last));
    CHECK_FALSE(consentQuestion(w.state).has_value());

    const std::vector<model::ConsentAnswer> expected = {
        {ConsentTopic::DiagnosisPharmacists, true}, {ConsentTopic::Operation, false}};
    w.on(ChallengeReady{"c1", {1, 2}}).on(Signed{{0xAA}});
    REQUIRE(has<QueryEligibility>(w.last));
    CHECK(get<QueryEligibility>(w.last).consent == expected);

    w.on(EligibilityAnswered{uketsuke::test::insuredResult()});
    REQUIRE(has<SaveCheckIn>(w.last));
    CHECK(get<SaveCheckIn>(w.last).consent == expected);

    w.on(CheckInSaved{"A-0001", "k1"}).on(Touch{Intent::Done});
    CHECK(w.state.consent.empty()); // the next patient is asked again
}

TEST_CASE("step: a clinic without consent questions goes from the PIN straight to the challenge")
{
    Walk w = atEnterPin({});
    w.on(PinSubmitted{});
    CHECK(w.phase() == Phase::Checking);
    CHECK(has<FetchChallenge>(w.last));
    w.on(ChallengeReady{"c1", {1}}).on(Signed{{0xAA}});
    CHECK(get<QueryEligibility>(w.last).consent.empty());
}

TEST_CASE("step: agree and decline are taken only on a consent screen")
{
    Walk w = atEnterPin();
    w.on(Touch{Intent::Agree});
    CHECK(w.last.rejected);
    CHECK(w.phase() == Phase::EnterPin);
    w.on(PinSubmitted{}).on(Touch{Intent::Decline}).on(Touch{Intent::Decline});
    CHECK(w.phase() == Phase::Checking);
    w.on(Touch{Intent::Agree});
    CHECK(w.last.rejected);
}

TEST_CASE("step: cancel or a timeout on a consent screen ends the check-in and wipes the PIN")
{
    SECTION("cancel")
    {
        Walk w = atEnterPin();
        w.on(PinSubmitted{}).on(Touch{Intent::Agree}).on(Touch{Intent::Cancel});
        CHECK(w.phase() == Phase::RemoveCard);
        CHECK(has<DiscardPin>(w.last));
        CHECK(w.state.consent.empty());
    }
    SECTION("timeout")
    {
        Walk w = atEnterPin();
        w.on(PinSubmitted{});
        w.on(Timeout{w.state.timerGeneration}); // "need more time?" first
        CHECK(w.phase() == Phase::Consent);
        CHECK(w.state.stillThere);
        w.on(Timeout{w.state.timerGeneration});
        CHECK(w.phase() == Phase::RemoveCard);
        CHECK(has<DiscardPin>(w.last));
        CHECK(has<ReleaseCard>(w.last));
    }
    SECTION("a timer of the first question cannot end the second")
    {
        Walk w = atEnterPin();
        w.on(PinSubmitted{});
        auto first = w.state.timerGeneration;
        w.on(Touch{Intent::Agree}).on(Timeout{first});
        CHECK(w.last.rejected);
        CHECK(w.phase() == Phase::Consent);
    }
}

TEST_CASE("step: a card removed during a consent question is an error with a way out")
{
    Walk w = atEnterPin();
    w.on(PinSubmitted{}).on(CardRemoved{});
    CHECK(w.phase() == Phase::Error);
    CHECK(w.state.error == ErrorKind::CardRemoved);
    CHECK(has<DiscardPin>(w.last));
}

TEST_CASE("step: after a wrong PIN the answers are kept and not asked again")
{
    Walk w = atEnterPin();
    w.on(PinSubmitted{}).on(Touch{Intent::Agree}).on(Touch{Intent::Agree});
    w.on(ChallengeReady{"c1", {1}}).on(PinRejected{2});
    REQUIRE(w.phase() == Phase::PinWrong);
    w.on(Touch{Intent::Retry}).on(PinSubmitted{});
    CHECK(w.phase() == Phase::Checking);
    CHECK(has<FetchChallenge>(w.last));
    w.on(ChallengeReady{"c2", {1}}).on(Signed{{0xAA}});
    CHECK(get<QueryEligibility>(w.last).consent.size() == 2);
}

TEST_CASE("step: with the reader's own PIN pad the questions come before the challenge")
{
    Walk w = atEnterPin({ConsentTopic::LimitApplication}, model::CertificateStatus::Valid, true);
    CHECK(w.phase() == Phase::Consent);
    CHECK_FALSE(has<FetchChallenge>(w.last));
    w.on(Touch{Intent::Agree});
    CHECK(w.phase() == Phase::Checking);
    CHECK(has<FetchChallenge>(w.last));
    w.on(ChallengeReady{"c1", {1}});
    CHECK(w.phase() == Phase::PinOnReader);
    w.on(Signed{{0xAA}});
    CHECK(get<QueryEligibility>(w.last).consent ==
          std::vector<model::ConsentAnswer>{{ConsentTopic::LimitApplication, true}});
}

TEST_CASE("step: during the certificate's grace period only the cost-limit question is asked")
{
    Walk w = atEnterPin({ConsentTopic::DiagnosisPharmacists, ConsentTopic::LimitApplication},
                        model::CertificateStatus::ExpiredInGrace);
    w.on(PinSubmitted{});
    CHECK(consentQuestion(w.state) == ConsentTopic::LimitApplication);
    CHECK(consentProgress(w.state) == std::pair{1, 1});
    w.on(Touch{Intent::Decline});
    CHECK(w.phase() == Phase::Checking);
}

TEST_CASE("step: an unconfirmed check-in after the questions carries the answers to the desk")
{
    Walk w = atEnterPin({ConsentTopic::Operation});
    w.on(PinSubmitted{}).on(Touch{Intent::Agree});
    w.on(ChallengeReady{"c1", {1}}).on(Signed{{0xAA}});
    w.on(ServiceFailed{Error{Errc::NetworkUnreachable, 0, "down"}});
    REQUIRE(has<SaveCheckIn>(w.last));
    const auto& save = get<SaveCheckIn>(w.last);
    CHECK(save.outcome == model::Outcome::Unconfirmed);
    CHECK(save.consent == std::vector<model::ConsentAnswer>{{ConsentTopic::Operation, true}});
}

TEST_CASE("step: the consent phase has a name")
{
    CHECK(std::string(phaseName(Phase::Consent)) == "consent");
}
