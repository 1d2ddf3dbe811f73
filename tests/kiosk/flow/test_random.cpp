// The flow under long random event sequences, with a simulated runner: every command the flow
// issues is answered later (in any order, successfully or not, or never when the check-in moved
// on), and the patient and the world do what they can do at any time (touch any button, place
// and pull the card, the reader comes and goes, timers fire, stale ones too). After every step:
// the same state and event give the same transition; a rejected event changes nothing; the
// state keeps its invariants; the answer the flow is waiting for is never rejected. After every
// sequence, a patient who walks away (the card pulled, every answer a failure, the timers
// firing) brings the terminal back to Idle within a bounded number of steps, with nothing of
// the check-in left in the state.

#include "kiosk/flow/flow.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <random>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using namespace uketsuke::kiosk::flow;

namespace {

model::QualificationResult anyResult(std::mt19937& rng)
{
    model::QualificationResult r;
    r.header.segmentOfResult = "1";
    r.body.processingResultStatus = "1";
    // Valid, lost, not found: whatever the source says, the flow must go on.
    const int kind = static_cast<int>(rng() % 3);
    r.body.qualificationValidity = kind == 0 ? "1" : kind == 1 ? "2" : "";
    if (kind != 2) {
        model::ResultOfQualificationConfirmation person;
        person.insurerNumber = "06139999";
        r.body.resultList.push_back(person);
    }
    return r;
}

Error anyError(std::mt19937& rng)
{
    static const Errc codes[] = {Errc::NetworkUnreachable, Errc::Timeout,
                                 Errc::ServerError,        Errc::CertificateRejected,
                                 Errc::ClockSkew,          Errc::CardRemoved,
                                 Errc::ReaderError,        Errc::StorageError,
                                 Errc::PrinterPaperOut,    Errc::BadReply};
    return Error{codes[rng() % std::size(codes)], 0, "random"};
}

// The answers a runner gives to a command; `ok` picks success or failure.
std::vector<Event> answersTo(const Command& command, std::mt19937& rng, bool ok)
{
    return std::visit(
        [&](const auto& c) -> std::vector<Event> {
            using C = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<C, ReadCard>) {
                if (!ok) {
                    return {CardFailed{anyError(rng)}};
                }
                const auto status = static_cast<model::CertificateStatus>(rng() % 5);
                return {CardRead{{0x30, 0x82}, static_cast<int>(rng() % 4), status,
                                 (rng() % 4) == 0}};
            } else if constexpr (std::is_same_v<C, FetchChallenge>) {
                if (!ok) {
                    return {ServiceFailed{anyError(rng)}};
                }
                return {ChallengeReady{"c1", {1, 2, 3}}};
            } else if constexpr (std::is_same_v<C, VerifyPinAndSign> ||
                                 std::is_same_v<C, VerifyOnReaderAndSign>) {
                if (ok) {
                    return {Signed{{9, 9}}};
                }
                switch (rng() % 3) {
                case 0:
                    return {PinRejected{static_cast<int>(rng() % 3)}};
                case 1:
                    return {PinPadEnded{anyError(rng)}};
                default:
                    return {CardFailed{anyError(rng)}};
                }
            } else if constexpr (std::is_same_v<C, QueryEligibility> ||
                                 std::is_same_v<C, LookUpInsurance>) {
                if (!ok) {
                    return {ServiceFailed{anyError(rng)}};
                }
                return {EligibilityAnswered{anyResult(rng)}};
            } else if constexpr (std::is_same_v<C, SaveCheckIn>) {
                if (!ok) {
                    return {SaveFailed{anyError(rng)}};
                }
                return {CheckInSaved{"0001", "key-0001"}};
            } else if constexpr (std::is_same_v<C, PrintSlip>) {
                if (!ok) {
                    return {PrintFailed{anyError(rng)}};
                }
                return {Printed{}};
            } else if constexpr (std::is_same_v<C, StartTimer>) {
                return {Timeout{c.generation}};
            } else {
                // DiscardPin, ReleaseCard, CancelLookup, DiscardInsurance, ReportCall: no answer
                return {};
            }
        },
        command);
}

// What the flow is waiting for in `state`: the event kinds of which one must be accepted.
bool isAwaitedAnswer(const State& s, const Event& e)
{
    switch (s.phase) {
    case Phase::ReadingCard:
        return std::holds_alternative<CardRead>(e) || std::holds_alternative<CardFailed>(e);
    case Phase::Checking:
        switch (s.checkStep) {
        case CheckStep::Challenge:
            return std::holds_alternative<ChallengeReady>(e) ||
                   std::holds_alternative<ServiceFailed>(e);
        case CheckStep::Signature:
            return std::holds_alternative<Signed>(e) || std::holds_alternative<PinRejected>(e) ||
                   std::holds_alternative<CardFailed>(e);
        case CheckStep::Eligibility:
        case CheckStep::Lookup:
            return std::holds_alternative<EligibilityAnswered>(e) ||
                   std::holds_alternative<ServiceFailed>(e);
        case CheckStep::Saving:
            return std::holds_alternative<CheckInSaved>(e) ||
                   std::holds_alternative<SaveFailed>(e);
        case CheckStep::None:
            return false;
        }
        return false;
    default:
        return false;
    }
}

void checkInvariants(const State& s)
{
    INFO("phase " << phaseName(s.phase));
    CHECK(s.pinTriesLeft >= -1);
    CHECK(s.pinTriesLeft <= 3);
    CHECK((s.phase == Phase::Error) == (s.error != ErrorKind::None));
    CHECK((s.phase == Phase::Checking) == (s.checkStep != CheckStep::None));
    if (s.phase == Phase::Idle) {
        CHECK(s.certificate.empty());
        CHECK(s.signature.empty());
        CHECK(s.challengeId.empty());
        CHECK_FALSE(s.qualification.has_value());
        CHECK(s.receiptNumber.empty());
        CHECK(s.checkInId.empty());
        CHECK(s.consent.empty());
        CHECK(s.staffId.empty());
        CHECK(s.route == Route::MyNumberCard);
    }
    CHECK((s.route == Route::Visual) == !s.staffId.empty());
    if (s.call) {
        CHECK_FALSE(s.call->id.empty());
        CHECK_FALSE(s.call->screen.empty());
    }
    CHECK(s.consent.size() <= s.consentTopics.size());
    if (s.stillThere) {
        CHECK((s.phase == Phase::EnterPin || s.phase == Phase::EnterInsurance ||
               s.phase == Phase::Consent));
    }
}

struct Runner {
    std::mt19937 rng;
    State state;
    std::deque<Command> pending; // issued, not answered yet
    Timeouts timeouts;
    int steps = 0;

    explicit Runner(std::uint32_t seed) : rng(seed)
    {
        state.canLookUpInsuranceCard = (seed % 2) == 0;
        if ((seed % 3) == 0) { // a clinic that asks consent questions
            state.consentTopics = {model::ConsentTopic::DiagnosisPharmacists,
                                   model::ConsentTopic::LimitApplication};
        }
    }

    // Applies `event` with the checks every step must pass; returns whether it was accepted.
    bool apply(const Event& event)
    {
        ++steps;
        const Transition t = step(state, event, timeouts);
        const Transition again = step(state, event, timeouts);
        INFO("event " << eventName(event) << " in " << phaseName(state.phase));
        CHECK(again.rejected == t.rejected);
        CHECK(again.state.phase == t.state.phase);
        CHECK(again.commands.size() == t.commands.size());
        if (isAwaitedAnswer(state, event)) {
            CHECK_FALSE(t.rejected);
        }
        if (t.rejected) {
            CHECK(t.commands.empty());
            return false;
        }
        state = t.state;
        for (const auto& c : t.commands) {
            pending.push_back(c);
        }
        checkInvariants(state);
        return true;
    }

    // One random thing the world does.
    void randomEvent()
    {
        const int choice = static_cast<int>(rng() % 10);
        if (choice < 4 && !pending.empty()) {
            // Answer a pending command, usually the oldest (the workers are queues).
            const std::size_t at = (rng() % 4) == 0 ? rng() % pending.size() : 0;
            Command command = pending[at];
            pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(at));
            for (const auto& e : answersTo(command, rng, (rng() % 3) != 0)) {
                apply(e);
            }
            return;
        }
        switch (choice) {
        case 4:
            apply(state.cardPresent ? Event{CardRemoved{}} : Event{CardInserted{}});
            return;
        case 5:
            apply(Touch{static_cast<Intent>(rng() % 11)}); // every Intent
            return;
        case 6:
            apply(Timeout{state.timerGeneration - static_cast<std::uint32_t>(rng() % 2)});
            return;
        case 7:
            apply((rng() % 2) == 0 ? Event{PinSubmitted{}} : Event{InsuranceSubmitted{}});
            return;
        case 8:
            if ((rng() % 3) == 0) {
                apply(ReaderStatus{(rng() % 4) != 0});
            } else if ((rng() % 2) == 0) {
                apply(PrinterStatus{(rng() % 4) != 0});
            } else if ((rng() % 2) == 0) {
                apply(OutOfService{(rng() % 4) == 0});
            } else {
                apply(OpeningHoursChanged{(rng() % 4) != 0, std::nullopt});
            }
            return;
        default:
            switch (rng() % 5) {
            case 0:
                apply(LanguageChosen{"en"});
                return;
            case 4: {
                // Staff confirm visually (目視) from the staff menu, offered only where it fits.
                const bool offered = canConfirmVisually(state);
                CHECK(apply(VisualConfirmed{"s01"}) == offered);
                return;
            }
            case 1:
                apply(InsuranceEdited{});
                return;
            case 2:
                apply(CallStaff{"c-" + std::to_string(steps), "2026-12-05T01:00:00Z"});
                return;
            default:
                apply(CallAnswered{});
                return;
            }
        }
    }

    // The patient walks away: the card is pulled, every answer still due is a failure, and
    // the current timer fires, until Idle. A call for staff holds the screen until staff come,
    // so staff answer it first (the staff menu opens). Returns the steps it took (-1: not
    // within `bound`).
    int walkAway(int bound)
    {
        for (int i = 0; i < bound; ++i) {
            if (state.phase == Phase::Idle && !state.cardPresent) {
                return i;
            }
            if (state.call) {
                apply(CallAnswered{});
                continue;
            }
            if (state.cardPresent) {
                apply(CardRemoved{});
                continue;
            }
            if (!pending.empty()) {
                Command command = pending.front();
                pending.pop_front();
                for (const auto& e : answersTo(command, rng, false)) {
                    apply(e);
                }
                continue;
            }
            apply(Timeout{state.timerGeneration});
        }
        return -1;
    }
};

} // namespace

TEST_CASE("Flow, randomised: long random sequences keep the invariants and always get back to Idle")
{
    int longest = 0;
    for (std::uint32_t seed = 1; seed <= 1500; ++seed) {
        Runner runner(seed);
        const int length = 20 + static_cast<int>(seed % 80);
        for (int i = 0; i < length; ++i) {
            runner.randomEvent();
        }
        INFO("seed " << seed);
        const int took = runner.walkAway(200);
        REQUIRE(took >= 0);
        longest = std::max(longest, took);
        CHECK(runner.state.phase == Phase::Idle);
        checkInvariants(runner.state);
    }
    // Nothing ran away: walking away is a handful of steps, whatever happened before.
    CHECK(longest < 200);
}
