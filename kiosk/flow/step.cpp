#include "kiosk/flow/flow.hpp"

#include "base/overloaded.hpp"

#include <algorithm>
#include <type_traits>

namespace uketsuke::kiosk::flow {
namespace {

// Builds one transition. Entering a phase always bumps the timer generation, so a timer of the
// phase we left can never fire into the next one.
class Builder {
public:
    Builder(const State& from, const Timeouts& timeouts) : m_t{from, {}, false}, m_timeouts(timeouts)
    {
    }

    State& state() { return m_t.state; }
    const Timeouts& timeouts() const { return m_timeouts; }

    Builder& enter(Phase phase, std::optional<Duration> timer = std::nullopt)
    {
        if (phase == Phase::Idle) {
            m_t.state.language.clear(); // the next patient starts in the default language
            m_t.state.display = m_t.state.displayDefaults; // ... and with the clinic's display
            endCall(); // the patient is done: nobody waits for staff any more
        }
        m_t.state.phase = phase;
        m_t.state.stillThere = false;
        if (phase != Phase::Error) {
            m_t.state.error = ErrorKind::None;
        }
        if (phase != Phase::Checking) {
            m_t.state.checkStep = CheckStep::None;
        }
        ++m_t.state.timerGeneration;
        if (timer) {
            m_t.commands.push_back(StartTimer{m_t.state.timerGeneration, *timer});
        }
        return *this;
    }

    Builder& fail(ErrorKind kind)
    {
        m_t.state.error = kind;
        enter(Phase::Error, m_timeouts.message);
        return *this;
    }

    Builder& run(Command command)
    {
        m_t.commands.push_back(std::move(command));
        return *this;
    }

    // The patient's call for staff ends (if one lasts), and the desk is told.
    Builder& endCall()
    {
        if (m_t.state.call) {
            m_t.state.call.reset();
            run(ReportCall{std::nullopt});
        }
        return *this;
    }

    // The check-in is over (done, cancelled, timed out): forget its data and let go of the card.
    Builder& finish()
    {
        State& s = m_t.state;
        s.certificate.clear();
        s.challengeId.clear();
        s.toSign.clear();
        s.signature.clear();
        s.qualification.reset();
        s.problem.reset();
        s.consent.clear();
        s.receiptNumber.clear();
        s.checkInId.clear();
        s.printFailed = false;
        s.printing = false;
        s.pinTriesLeft = -1;
        s.certificateStatus = model::CertificateStatus::Valid;
        s.readerPinPad = false;
        s.staffId.clear();
        run(DiscardPin{});
        if (s.route == Route::InsuranceCard) {
            run(DiscardInsurance{});
        }
        s.route = Route::MyNumberCard;
        if (s.cardPresent) {
            run(ReleaseCard{});
            enter(Phase::RemoveCard);
        } else {
            enter(Phase::Idle);
        }
        return *this;
    }

    Transition done() { return std::move(m_t); }

    Transition reject()
    {
        m_t.commands.clear();
        m_t.rejected = true;
        return std::move(m_t);
    }

private:
    Transition m_t;
    const Timeouts& m_timeouts;
};

ErrorKind cardErrorKind(const Error& error)
{
    switch (error.code) {
    case Errc::NotMyNumberCard:
        return ErrorKind::NotMyNumberCard;
    case Errc::CardRemoved:
    case Errc::NoCard:
        return ErrorKind::CardRemoved;
    default:
        return ErrorKind::CardUnreadable;
    }
}

// Why the source could not confirm a card: unreachable (the outage rule, docs/flow.md),
// a revoked certificate, or any other refusal (a clock the source finds wrong included: the
// log names it, staff set the clock).
model::Problem serviceProblem(const Error& error)
{
    switch (error.code) {
    case Errc::Timeout:
    case Errc::NetworkUnreachable:
    case Errc::NetworkError:
    case Errc::ServerError:
        return model::Problem::ServiceUnreachable;
    case Errc::CertificateInvalid: // the source says the certificate is revoked
        return model::Problem::CertificateRevoked;
    default:
        return model::Problem::ServiceError;
    }
}

// The failure of a lookup by insurance card (EligibilitySource::lookup's errors).
ErrorKind lookupErrorKind(const Error& error)
{
    return error.code == Errc::InvalidArgument ? ErrorKind::InsuranceEntryRejected
                                               : ErrorKind::LookupFailed;
}

// model::CheckIn::method for the route of this check-in.
model::Method methodOf(const State& s)
{
    switch (s.route) {
    case Route::InsuranceCard:
        return model::Method::InsuranceCard;
    case Route::Visual:
        return model::Method::Visual;
    case Route::MyNumberCard:
        break;
    }
    return model::Method::Pin;
}

// The check-in could not be confirmed: save it anyway (no answer, the problem says why) so the
// patient gets a number and a slip, and the desk a record. Then Result, as for any check-in.
Builder& unconfirmedCheckIn(Builder& b, model::Problem problem)
{
    State& s = b.state();
    s.problem = problem;
    s.qualification.reset();
    s.challengeId.clear();
    s.toSign.clear();
    const model::Method method = methodOf(s);
    b.run(DiscardPin{});
    b.enter(Phase::Checking).state().checkStep = CheckStep::Saving;
    return b.run(
        SaveCheckIn{model::Outcome::Unconfirmed, std::nullopt, method, problem, s.consent,
                    s.staffId});
}

// The next consent question, or the challenge when all are answered: the challenge is fetched
// only once nobody needs to read anything before the card signs.
Builder& askConsentOrFetchChallenge(Builder& b)
{
    if (consentQuestion(b.state())) {
        return b.enter(Phase::Consent, b.timeouts().consent);
    }
    b.state().challengeId.clear();
    b.state().toSign.clear();
    b.enter(Phase::Checking).state().checkStep = CheckStep::Challenge;
    return b.run(FetchChallenge{});
}

// The insurance card form (again, after a failed lookup: the runner kept what was typed).
Builder& enterInsuranceForm(Builder& b)
{
    b.state().route = Route::InsuranceCard;
    return b.enter(Phase::EnterInsurance, b.timeouts().enterInsurance);
}

// Where the patient types the PIN: the on-screen keypad, or (reader with its own pad) the
// reader, which needs the challenge first because it signs right after the VERIFY.
Builder& askForPin(Builder& b)
{
    if (b.state().readerPinPad) {
        return askConsentOrFetchChallenge(b);
    }
    return b.enter(Phase::EnterPin, b.timeouts().enterPin);
}

// The PIN screen to show for a number of tries left (from the card, before any attempt).
Builder& enterPinFor(Builder& b, int triesLeft)
{
    if (triesLeft <= 0) {
        b.run(ReleaseCard{}).run(DiscardPin{});
        return b.fail(ErrorKind::PinLocked); // 目視, or a number without it
    }
    if (triesLeft == 1) {
        return b.enter(Phase::LastTryWarning, b.timeouts().message);
    }
    return askForPin(b);
}

bool checkingNeedsCard(const State& s)
{
    if (s.route == Route::Visual) {
        return false; // the certificate is read and nothing is signed
    }
    return s.phase == Phase::PinOnReader ||
           (s.phase == Phase::Checking &&
            (s.checkStep == CheckStep::Challenge || s.checkStep == CheckStep::Signature));
}

bool signing(const State& s)
{
    return s.phase == Phase::PinOnReader ||
           (s.phase == Phase::Checking && s.checkStep == CheckStep::Signature);
}

// The timer of a phase where the patient types or reads a question; nullopt elsewhere.
std::optional<Duration> typingTimeout(Phase phase, const Timeouts& timeouts)
{
    switch (phase) {
    case Phase::EnterPin:
        return timeouts.enterPin;
    case Phase::EnterInsurance:
        return timeouts.enterInsurance;
    case Phase::Consent:
        return timeouts.consent;
    default:
        return std::nullopt;
    }
}

// The timer the phase on screen runs (for holding it while the patient waits for staff);
// nullopt for phases without one.
std::optional<Duration> phaseTimer(const State& s, const Timeouts& timeouts)
{
    if (s.stillThere) {
        return timeouts.stillThere;
    }
    if (auto typing = typingTimeout(s.phase, timeouts)) {
        return typing;
    }
    switch (s.phase) {
    case Phase::PlaceCard:
        return timeouts.placeCard;
    case Phase::Result:
        return timeouts.result;
    case Phase::LastTryWarning:
    case Phase::PinWrong:
    case Phase::AskStaff:
    case Phase::Error:
        return timeouts.message;
    default:
        return std::nullopt;
    }
}

Transition onTouch(const State& s, Intent intent, Builder& b)
{
    if (intent == Intent::CancelCall) {
        if (!s.call) {
            return b.reject();
        }
        return b.endCall().done();
    }
    if (intent == Intent::MoreTime) {
        auto timer = typingTimeout(s.phase, b.timeouts());
        if (s.stillThere && timer) {
            return b.enter(s.phase, *timer).done(); // the same screen, its whole time again
        }
        return b.reject();
    }
    switch (s.phase) {
    case Phase::Idle:
        if (closed(s)) {
            break;
        }
        if (intent == Intent::Start && s.canUseMyNumberCard) {
            return b.enter(Phase::PlaceCard, b.timeouts().placeCard).done();
        }
        if (intent == Intent::InsuranceCard && s.canLookUpInsuranceCard) {
            return enterInsuranceForm(b).done();
        }
        break;
    case Phase::EnterInsurance:
        if (intent == Intent::Cancel) {
            return b.finish().done();
        }
        break;
    case Phase::PlaceCard:
        if (intent == Intent::Cancel) {
            return b.enter(Phase::Idle).done();
        }
        break;
    case Phase::EnterPin:
        if (intent == Intent::Cancel) {
            return b.finish().done();
        }
        if (intent == Intent::AskStaff) {
            // 暗証番号がわからない (a 顔認証マイナンバーカード has none): staff can confirm by
            // looking at the card, or the patient takes a number to the desk.
            return b.run(DiscardPin{}).fail(ErrorKind::PinForgotten).done();
        }
        break;
    case Phase::Consent:
        if (intent == Intent::Agree || intent == Intent::Decline) {
            if (auto topic = consentQuestion(s)) {
                b.state().consent.push_back({*topic, intent == Intent::Agree});
                return askConsentOrFetchChallenge(b).done();
            }
        }
        if (intent == Intent::Cancel) {
            return b.finish().done();
        }
        break;
    case Phase::LastTryWarning:
    case Phase::PinWrong:
        if (intent == Intent::EnterPin || intent == Intent::Retry) {
            if (s.phase == Phase::PinWrong && s.pinTriesLeft == 1) {
                return b.enter(Phase::LastTryWarning, b.timeouts().message).done();
            }
            return askForPin(b).done();
        }
        if (intent == Intent::AskStaff) {
            // The patient does not know the PIN (or dares not spend the last try): staff
            // confirm at the desk, with the number this check-in gets.
            return unconfirmedCheckIn(b, model::Problem::PinForgotten).done();
        }
        if (intent == Intent::Cancel) {
            return b.finish().done();
        }
        break;
    case Phase::Result:
    case Phase::AskStaff:
        if (intent == Intent::Done || intent == Intent::Cancel) {
            return b.finish().done();
        }
        break;
    case Phase::Error:
        if (intent == Intent::AskStaff) {
            if (s.error == ErrorKind::InsuranceNotFound && s.qualification) {
                // Staff look at what was typed: the not_found check-in, with its number.
                b.enter(Phase::Checking).state().checkStep = CheckStep::Saving;
                return b
                    .run(SaveCheckIn{model::Outcome::NotFound, s.qualification, methodOf(s), {},
                                     s.consent, s.staffId})
                    .done();
            }
            if (auto problem = problemOf(s.error)) {
                return unconfirmedCheckIn(b, *problem).done();
            }
            return b.enter(Phase::AskStaff, b.timeouts().message).done();
        }
        if (intent == Intent::Done || intent == Intent::Cancel) {
            return b.finish().done();
        }
        if (intent == Intent::Retry) {
            switch (s.error) {
            case ErrorKind::PinNotEntered:
            case ErrorKind::PinForgotten:
                if (s.cardPresent && !s.certificate.empty()) {
                    return enterPinFor(b, s.pinTriesLeft).done();
                }
                break;
            case ErrorKind::CardUnreadable:
                if (s.cardPresent) {
                    return b.run(ReadCard{}).enter(Phase::ReadingCard).done();
                }
                break;
            case ErrorKind::CardRemoved:
                return b.finish().enter(Phase::PlaceCard, b.timeouts().placeCard).done();
            case ErrorKind::StorageFailed:
                if (s.qualification || s.problem) {
                    b.enter(Phase::Checking).state().checkStep = CheckStep::Saving;
                    return b
                        .run(SaveCheckIn{resultOutcome(s), s.qualification, methodOf(s),
                                         s.problem, s.consent, s.staffId})
                        .done();
                }
                break;
            case ErrorKind::LookupFailed:
            case ErrorKind::InsuranceEntryRejected:
            case ErrorKind::InsuranceNotFound:
                if (s.route == Route::InsuranceCard) {
                    b.state().qualification.reset();
                    return enterInsuranceForm(b).done();
                }
                break;
            default:
                break;
            }
        }
        break;
    case Phase::Checking:
        // A lookup by insurance card may wait for the 資格確認端末 for many seconds: the patient
        // may give up. (The card path's steps are short and need the card: no cancel there.)
        if (s.checkStep == CheckStep::Lookup && intent == Intent::Cancel) {
            return b.run(CancelLookup{}).finish().done();
        }
        break;
    case Phase::ReadingCard:
    case Phase::RemoveCard:
    case Phase::PinOnReader: // the reader owns the entry: Cancel is on its pad
        break;
    }
    return b.reject();
}

} // namespace

Transition step(const State& s, const Event& event, const Timeouts& timeouts)
{
    Builder b(s, timeouts);
    return std::visit(
        Overloaded{
            [&](const CardInserted&) -> Transition {
                b.state().cardPresent = true;
                if (s.phase == Phase::Idle && closed(s)) {
                    return b.done(); // closed: the card stays unread
                }
                if ((s.phase == Phase::Idle || s.phase == Phase::PlaceCard) &&
                    !s.canUseMyNumberCard) {
                    // Not read at all: this terminal's source cannot check it (no dead end:
                    // the error screen sends the patient to staff or back to the start).
                    return b.fail(ErrorKind::MyNumberCardUnsupported).done();
                }
                if (s.phase == Phase::Idle || s.phase == Phase::PlaceCard ||
                    (s.phase == Phase::Error && s.error == ErrorKind::CardRemoved)) {
                    b.state().pinTriesLeft = -1;
                    b.state().certificate.clear();
                    return b.run(ReadCard{}).enter(Phase::ReadingCard).done();
                }
                return b.done();
            },
            [&](const CardRemoved&) -> Transition {
                b.state().cardPresent = false;
                switch (s.phase) {
                case Phase::ReadingCard:
                case Phase::EnterPin:
                case Phase::Consent:
                case Phase::LastTryWarning:
                case Phase::PinWrong:
                case Phase::PinOnReader:
                    return b.run(DiscardPin{}).run(ReleaseCard{}).fail(ErrorKind::CardRemoved).done();
                case Phase::Checking:
                    if (checkingNeedsCard(s)) {
                        return b.run(DiscardPin{})
                            .run(ReleaseCard{})
                            .fail(ErrorKind::CardRemoved)
                            .done();
                    }
                    // The signature is made: the check-in completes without the card.
                    return b.run(ReleaseCard{}).done();
                case Phase::RemoveCard:
                    return b.enter(Phase::Idle).done();
                default:
                    return b.run(ReleaseCard{}).done();
                }
            },
            [&](const CardRead& e) -> Transition {
                if (s.phase != Phase::ReadingCard) {
                    return b.reject();
                }
                b.state().certificate = e.certificate;
                b.state().pinTriesLeft = e.pinTriesLeft;
                b.state().certificateStatus = e.certificateStatus;
                b.state().readerPinPad = e.readerPinPad;
                if (e.certificateStatus == model::CertificateStatus::Expired ||
                    e.certificateStatus == model::CertificateStatus::NotYetValid) {
                    b.run(ReleaseCard{});
                    return unconfirmedCheckIn(b, model::Problem::CertificateExpired).done();
                }
                return enterPinFor(b, e.pinTriesLeft).done();
            },
            [&](const CardFailed& e) -> Transition {
                if (s.phase != Phase::ReadingCard && !signing(s)) {
                    return b.reject();
                }
                return b.run(DiscardPin{}).run(ReleaseCard{}).fail(cardErrorKind(e.error)).done();
            },
            [&](const PinSubmitted&) -> Transition {
                if (s.phase != Phase::EnterPin) {
                    return b.reject();
                }
                return askConsentOrFetchChallenge(b).done();
            },
            [&](const ChallengeReady& e) -> Transition {
                if (s.phase != Phase::Checking || s.checkStep != CheckStep::Challenge) {
                    return b.reject();
                }
                b.state().challengeId = e.challengeId;
                if (s.route == Route::Visual) {
                    // Staff vouched for the patient: no PIN, no signature.
                    b.state().checkStep = CheckStep::Eligibility;
                    return b
                        .run(QueryEligibility{e.challengeId, s.certificate, {}, s.consent,
                                              model::Method::Visual, s.staffId})
                        .done();
                }
                b.state().toSign = e.toSign;
                if (s.readerPinPad) {
                    // No flow timer: the reader's own timeout ends the entry (PinPadEnded).
                    return b.enter(Phase::PinOnReader).run(VerifyOnReaderAndSign{e.toSign}).done();
                }
                b.state().checkStep = CheckStep::Signature;
                return b.run(VerifyPinAndSign{e.toSign}).done();
            },
            [&](const Signed& e) -> Transition {
                if (!signing(s)) {
                    return b.reject();
                }
                b.state().signature = e.signature;
                b.enter(Phase::Checking).state().checkStep = CheckStep::Eligibility;
                return b
                    .run(QueryEligibility{s.challengeId, s.certificate, e.signature, s.consent,
                                          model::Method::Pin, {}})
                    .done();
            },
            [&](const PinRejected& e) -> Transition {
                if (!signing(s)) {
                    return b.reject();
                }
                b.state().pinTriesLeft = e.pinTriesLeft;
                b.state().challengeId.clear();
                b.state().toSign.clear();
                if (e.pinTriesLeft <= 0) {
                    b.run(ReleaseCard{}).run(DiscardPin{});
                    return b.fail(ErrorKind::PinLocked).done(); // 目視, or a number without it
                }
                return b.enter(Phase::PinWrong, timeouts.message).done();
            },
            [&](const EligibilityAnswered& e) -> Transition {
                if (s.phase != Phase::Checking || (s.checkStep != CheckStep::Eligibility &&
                                                   s.checkStep != CheckStep::Lookup)) {
                    return b.reject();
                }
                b.state().qualification = e.result;
                if (s.checkStep == CheckStep::Lookup &&
                    model::outcomeOf(e.result) == model::Outcome::NotFound) {
                    // Often a typo: the patient may correct the form before anything is saved.
                    return b.fail(ErrorKind::InsuranceNotFound).done();
                }
                b.state().checkStep = CheckStep::Saving;
                return b
                    .run(SaveCheckIn{model::outcomeOf(e.result), e.result, methodOf(s), {},
                                     s.consent, s.staffId})
                    .done();
            },
            [&](const ServiceFailed& e) -> Transition {
                if (s.phase == Phase::Checking && s.checkStep == CheckStep::Lookup) {
                    // The form keeps what was typed, for a retry.
                    return b.fail(lookupErrorKind(e.error)).done();
                }
                bool waiting = s.phase == Phase::Checking && (s.checkStep == CheckStep::Challenge ||
                                                              s.checkStep == CheckStep::Eligibility);
                if (!waiting) {
                    return b.reject();
                }
                // The card was read: the patient checks in unconfirmed and shows at the desk
                // what MHLW accepts instead (資格確認書, 資格情報のお知らせ, マイナポータル, or the
                // 被保険者資格申立書). No retry loop in front of the waiting room.
                return unconfirmedCheckIn(b, serviceProblem(e.error)).done();
            },
            [&](const CheckInSaved& e) -> Transition {
                if (s.phase != Phase::Checking || s.checkStep != CheckStep::Saving) {
                    return b.reject();
                }
                b.state().receiptNumber = e.receiptNumber;
                b.state().checkInId = e.checkInId;
                // The printer is known to be away: the number on screen is what the patient
                // takes to the desk, unless the slip prints after all.
                b.state().printFailed = !s.printerAvailable;
                b.state().printing = true;
                b.run(PrintSlip{e.receiptNumber, resultOutcome(s), s.qualification,
                                s.certificateStatus, s.language, e.checkInId, s.problem});
                if (s.cardPresent) {
                    b.run(ReleaseCard{});
                }
                return b.enter(Phase::Result, timeouts.result).done();
            },
            [&](const SaveFailed&) -> Transition {
                if (s.phase != Phase::Checking || s.checkStep != CheckStep::Saving) {
                    return b.reject();
                }
                return b.fail(ErrorKind::StorageFailed).done();
            },
            [&](const Printed&) -> Transition {
                if (s.phase != Phase::Result || !s.printing) {
                    return b.reject();
                }
                b.state().printFailed = false;
                b.state().printing = false;
                return b.done();
            },
            [&](const PrintFailed&) -> Transition {
                if (s.phase != Phase::Result || !s.printing) {
                    return b.reject();
                }
                b.state().printFailed = true;
                b.state().printing = false;
                // The patient needs time to read the number they must take to the desk.
                return b.enter(Phase::Result, timeouts.result).done();
            },
            [&](const Touch& e) -> Transition { return onTouch(s, e.intent, b); },
            [&](const PinPadEnded& e) -> Transition {
                if (s.phase != Phase::PinOnReader) {
                    return b.reject();
                }
                b.state().challengeId.clear();
                b.state().toSign.clear();
                if (e.error.code == Errc::NotSupported) {
                    b.state().readerPinPad = false;
                    return b.enter(Phase::EnterPin, timeouts.enterPin).done();
                }
                return b.fail(ErrorKind::PinNotEntered).done();
            },
            [&](const ReaderStatus& e) -> Transition {
                b.state().readerAvailable = e.available;
                return b.done();
            },
            [&](const PrinterStatus& e) -> Transition {
                b.state().printerAvailable = e.available;
                return b.done();
            },
            [&](const OutOfService& e) -> Transition {
                b.state().outOfService = e.on;
                return b.done();
            },
            [&](const OpeningHoursChanged& e) -> Transition {
                b.state().closedHours = !e.open;
                b.state().opensAt = e.open ? std::nullopt : e.opensAt;
                return b.done();
            },
            [&](const InsuranceSubmitted&) -> Transition {
                if (s.phase != Phase::EnterInsurance) {
                    return b.reject();
                }
                b.enter(Phase::Checking).state().checkStep = CheckStep::Lookup;
                return b.run(LookUpInsurance{}).done();
            },
            [&](const LanguageChosen& e) -> Transition {
                b.state().language = e.language;
                return b.done();
            },
            [&](const DisplayToggled& e) -> Transition {
                Display& d = b.state().display;
                bool& on = e.option == DisplayOption::LargeText ? d.largeText : d.highContrast;
                on = !on;
                return b.done();
            },
            [&](const CallStaff& e) -> Transition {
                if (s.call) {
                    return b.reject(); // pressed twice: the first call stays
                }
                b.state().call = model::StaffCall{e.id, screenName(s), e.since};
                return b.run(ReportCall{b.state().call}).done();
            },
            [&](const CallAnswered&) -> Transition {
                if (!s.call) {
                    return b.reject();
                }
                return b.endCall().done();
            },
            [&](const VisualConfirmed& e) -> Transition {
                if (!canConfirmVisually(s) || e.staffId.empty()) {
                    return b.reject();
                }
                State& next = b.state();
                next.route = Route::Visual;
                next.staffId = e.staffId;
                next.readerPinPad = false;
                next.challengeId.clear();
                next.toSign.clear();
                b.run(DiscardPin{}).endCall(); // staff are here
                return askConsentOrFetchChallenge(b).done();
            },
            [&](const InsuranceEdited&) -> Transition {
                if (s.phase != Phase::EnterInsurance) {
                    return b.reject();
                }
                return b.enter(Phase::EnterInsurance, timeouts.enterInsurance).done();
            },
            [&](const Timeout& e) -> Transition {
                if (e.generation != s.timerGeneration) {
                    return b.reject();
                }
                if (s.call) {
                    // The patient waits for staff: the screen stays as it is, its timer anew.
                    if (auto timer = phaseTimer(s, timeouts)) {
                        b.enter(s.phase, *timer);
                        b.state().stillThere = s.stillThere;
                        return b.done();
                    }
                }
                if (!s.stillThere && typingTimeout(s.phase, timeouts)) {
                    // Ask first: someone typing slowly is not someone who walked away.
                    b.enter(s.phase, timeouts.stillThere);
                    b.state().stillThere = true;
                    return b.done();
                }
                if (s.phase == Phase::Error &&
                    (s.error == ErrorKind::PinLocked || s.error == ErrorKind::PinForgotten)) {
                    // The patient reached the PIN: nobody leaves without a number.
                    return unconfirmedCheckIn(b, *problemOf(s.error)).done();
                }
                switch (s.phase) {
                case Phase::PlaceCard:
                    return b.enter(Phase::Idle).done();
                case Phase::EnterPin:
                case Phase::LastTryWarning:
                case Phase::PinWrong:
                case Phase::AskStaff:
                case Phase::Error:
                case Phase::Result:
                case Phase::EnterInsurance:
                case Phase::Consent:
                    return b.finish().done();
                default:
                    return b.reject();
                }
            },
        },
        event);
}

model::Outcome resultOutcome(const State& state)
{
    if (state.qualification) {
        return model::outcomeOf(*state.qualification);
    }
    return state.problem ? model::Outcome::Unconfirmed : model::Outcome::Error;
}

std::optional<model::Problem> problemOf(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::CardUnreadable:
        return model::Problem::CardError;
    case ErrorKind::PinNotEntered:
    case ErrorKind::PinForgotten:
        return model::Problem::PinForgotten;
    case ErrorKind::PinLocked:
        return model::Problem::PinLocked;
    case ErrorKind::LookupFailed:
        return model::Problem::ServiceUnreachable;
    case ErrorKind::InsuranceEntryRejected:
        return model::Problem::ServiceError;
    case ErrorKind::None:
    case ErrorKind::NotMyNumberCard:
    case ErrorKind::CardRemoved:
    case ErrorKind::StorageFailed:
    case ErrorKind::MyNumberCardUnsupported:
    case ErrorKind::InsuranceNotFound: // saved as not_found, not unconfirmed
        break;
    }
    return std::nullopt;
}

std::optional<model::ConsentTopic> consentQuestion(const State& state)
{
    const bool grace = state.certificateStatus == model::CertificateStatus::ExpiredInGrace;
    for (model::ConsentTopic topic : state.consentTopics) {
        if (grace && topic != model::ConsentTopic::LimitApplication) {
            continue; // no medical information is shared during the grace period
        }
        if (!model::consentAnswer(state.consent, topic)) {
            return topic;
        }
    }
    return std::nullopt;
}

std::pair<int, int> consentProgress(const State& state)
{
    const bool grace = state.certificateStatus == model::CertificateStatus::ExpiredInGrace;
    int asked = 0;
    for (model::ConsentTopic topic : state.consentTopics) {
        if (!grace || topic == model::ConsentTopic::LimitApplication) {
            ++asked;
        }
    }
    return {std::min(asked, static_cast<int>(state.consent.size()) + 1), asked};
}

bool closed(const State& state)
{
    return state.outOfService || state.closedHours;
}

bool canCallStaff(const State& state)
{
    return !state.call;
}

bool canConfirmVisually(const State& state)
{
    if (state.route != Route::MyNumberCard || state.certificate.empty()) {
        return false;
    }
    switch (state.phase) {
    case Phase::EnterPin:
    case Phase::LastTryWarning:
    case Phase::PinWrong:
        return true;
    case Phase::Error:
        return state.error == ErrorKind::PinNotEntered || state.error == ErrorKind::PinLocked ||
               state.error == ErrorKind::PinForgotten;
    default:
        return false;
    }
}

std::string screenName(const State& state)
{
    std::string name = phaseName(state.phase);
    if (state.stillThere) {
        name += ":still_there";
    } else if (state.phase == Phase::Error) {
        name += ":";
        name += errorKindName(state.error);
    } else if (state.phase == Phase::Idle && state.outOfService) {
        name += ":out_of_service";
    } else if (state.phase == Phase::Idle && state.closedHours) {
        name += ":closed";
    } else if (state.phase == Phase::Idle && !state.printerAvailable) {
        name += ":printer_unavailable";
    } else if (state.phase == Phase::Result && state.printFailed) {
        name += ":print_failed";
    } else if (state.phase == Phase::Result && state.problem) {
        name += ":";
        name += model::wireName(*state.problem);
    } else if (state.phase == Phase::Consent) {
        if (auto topic = consentQuestion(state)) {
            name += ":";
            name += model::wireName(*topic);
        }
    }
    return name;
}

std::optional<model::CardState> cardState(const State& state,
                                          std::optional<model::CardState> before)
{
    using model::CardState;
    if (!state.readerAvailable) {
        return std::nullopt;
    }
    if (!state.cardPresent) {
        return CardState::Absent;
    }
    if (state.phase == Phase::Error && state.error == ErrorKind::NotMyNumberCard) {
        return CardState::NotMyNumberCard;
    }
    if (state.phase == Phase::Error && state.error == ErrorKind::CardUnreadable) {
        return CardState::Unreadable;
    }
    if (state.phase != Phase::ReadingCard &&
        (before == CardState::Unreadable || before == CardState::NotMyNumberCard)) {
        return before; // the same card, not read again since it failed
    }
    return CardState::Present;
}

bool cardIdle(const State& state)
{
    return state.readerAvailable && state.cardPresent &&
           (state.phase == Phase::RemoveCard || state.phase == Phase::Idle);
}

const char* phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Idle:
        return "idle";
    case Phase::PlaceCard:
        return "place_card";
    case Phase::ReadingCard:
        return "reading_card";
    case Phase::EnterPin:
        return "enter_pin";
    case Phase::LastTryWarning:
        return "last_try_warning";
    case Phase::Checking:
        return "checking";
    case Phase::Result:
        return "result";
    case Phase::PinWrong:
        return "pin_wrong";
    case Phase::AskStaff:
        return "ask_staff";
    case Phase::Error:
        return "error";
    case Phase::RemoveCard:
        return "remove_card";
    case Phase::PinOnReader:
        return "pin_on_reader";
    case Phase::EnterInsurance:
        return "enter_insurance";
    case Phase::Consent:
        return "consent";
    }
    return "unknown";
}

const char* errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None:
        return "none";
    case ErrorKind::NotMyNumberCard:
        return "not_my_number_card";
    case ErrorKind::CardUnreadable:
        return "card_unreadable";
    case ErrorKind::CardRemoved:
        return "card_removed";
    case ErrorKind::StorageFailed:
        return "storage_failed";
    case ErrorKind::PinNotEntered:
        return "pin_not_entered";
    case ErrorKind::LookupFailed:
        return "lookup_failed";
    case ErrorKind::InsuranceEntryRejected:
        return "insurance_entry_rejected";
    case ErrorKind::MyNumberCardUnsupported:
        return "my_number_card_unsupported";
    case ErrorKind::InsuranceNotFound:
        return "insurance_not_found";
    case ErrorKind::PinLocked:
        return "pin_locked";
    case ErrorKind::PinForgotten:
        return "pin_forgotten";
    }
    return "unknown";
}

const char* eventName(const Event& event)
{
    static constexpr const char* kNames[] = {
        "card_inserted", "card_removed",       "card_read",      "card_failed",
        "pin_submitted", "challenge_ready",    "signed",         "pin_rejected",
        "eligibility_answered", "service_failed", "check_in_saved", "save_failed",
        "printed",       "print_failed",       "touch",          "timeout",
        "pin_pad_ended", "reader_status", "insurance_submitted", "insurance_edited",
        "language_chosen", "printer_status", "out_of_service", "call_staff", "call_answered",
        "visual_confirmed", "display_toggled", "opening_hours_changed"};
    static_assert(std::size(kNames) == std::variant_size_v<Event>);
    return kNames[event.index()];
}

} // namespace uketsuke::kiosk::flow
