#pragma once

// The check-in flow: one pure state machine (docs/flow.md).
//
//   step(const State&, const Event&) -> Transition { next state, commands }
//
// No I/O, no clock reads, no threads in here. Events are a closed std::variant; commands say
// what must happen next and are executed by the runner (kiosk/runner) on worker threads, whose
// results come back as events. Timeouts are events too: the flow asks for a timer with a
// generation number, and a Timeout whose generation is not the current one is stale.
//
//                       touch Start                card inserted
//   ┌──────┐  ───────────────────────────> ┌───────────┐ ──────────> ┌─────────────┐
//   │ Idle │  <── timeout ──────────────── │ PlaceCard │             │ ReadingCard │
//   └──────┘  ──── card inserted ───────────────────────────────────> └─────────────┘
//      ^                                                      card read │    │ 0 tries, or
//      │                                     1 try left ┌──────────────┘    │ certificate
//      │                      ┌──────────────────┐ <────┘  2+ ┌─────────┐   │ expired
//      │                      │ LastTryWarning   │ ─ enter ─> │EnterPin │   v
//      │                      └──────────────────┘            └─────────┘  save unconfirmed
//      │                          │ ask staff                  │ PIN submitted     │
//      │                          v                            v                   │
//      │                  save unconfirmed   wrong PIN   ┌──────────┐  challenge → sign
//      │                  (pin_forgotten) <── staff ──── │ PinWrong │ <─ → confirm → save
//      │                          │                      └──────────┘   ┌──────────┐
//      │                          └───────────────────────────────────> │ Checking │
//      │          card removed   ┌────────────┐     saved, print        └──────────┘
//      └──────────────────────── │ RemoveCard │ <── done/timeout ── ┌────────┐ │
//                                └────────────┘                     │ Result │<┘
//                                                                   └────────┘
//   Nobody leaves without a number. A failure the terminal cannot get past saves an
//   unconfirmed check-in (Outcome::Unconfirmed, State::problem) through Checking{Saving} and
//   shows its number on the Result screen, with a slip that says what to do at the desk:
//     PIN locked (0 tries on the card, or the last wrong PIN)      -> pin_locked
//     "ask staff" on LastTryWarning / PinWrong                      -> pin_forgotten
//     certificate past its grace period or not yet valid            -> certificate_expired
//     the source says the certificate is revoked                    -> certificate_revoked
//     the source unreachable (timeout, network, 5xx) on the card path -> service_unreachable
//     any other refusal or failure of the source on the card path  -> service_error
//   An error screen with a retry (card unreadable, no PIN typed on the reader, a failed
//   lookup) saves one with problemOf(kind) when the patient asks for staff instead; errors
//   before a card was read (not a My Number card, card removed) go to AskStaff as before.
//   Cancel and timeouts never save: nobody is there to take the number.
//   With a reader that has its own PIN pad (State::readerPinPad), "2+ tries" goes straight to
//   Checking{Challenge}; the challenge then enters PinOnReader, where the patient types the PIN
//   on the reader and the reader sends the VERIFY itself:
//     Checking{Challenge} ── challenge ──> PinOnReader ── signed ──> Checking{Eligibility}
//                                              │ wrong PIN -> PinWrong / save pin_locked
//                                              │ pad timeout or Cancel -> Error{PinNotEntered}
//                                              └ pad not supported after all -> EnterPin
//   Patients with a 資格確認書 or 資格情報のお知らせ (no My Number card) type what is printed on
//   it, when the eligibility source can look up by insurance card (State::canLookUpInsuranceCard):
//     Idle ── touch InsuranceCard ──> EnterInsurance ── submitted ──> Checking{Lookup}
//       ^                               │ cancel / timeout                  │ answer
//       └──────── (form wiped) ─────────┘                                   v
//                                                  Checking{Saving} ──> Result (as above)
//     Checking{Lookup}: cancel -> Idle (the lookup is cancelled); a failed lookup ->
//     Error{LookupFailed | InsuranceEntryRejected}, whose retry returns to the form with the
//     typed data kept. An answer that finds nobody (not_found) -> Error{InsuranceNotFound}
//     before anything is saved: retry corrects the form (typed data kept), "ask staff" saves
//     the not_found check-in (the desk sees what was typed) and shows its number. A card
//     placed on the reader while the form is up is ignored by the form.
//   A terminal whose source cannot check My Number cards (!State::canUseMyNumberCard) offers
//   only the form; a card placed on it goes to Error{MyNumberCardUnsupported} (ask staff).
//   Consent questions (State::consentTopics, from the clinic's configuration; none by default,
//   as a 施術所 with the 資格確認限定型 has none) come after the PIN is typed and before the
//   terminal asks the source for a challenge, one Phase::Consent screen per question:
//     EnterPin ── PIN ──> Consent ── agree / decline ──> Consent ... ──> Checking{Challenge}
//   so that an open challenge never waits for a patient reading a question. With the reader's
//   own PIN pad the questions come before the PIN (the reader signs right after its VERIFY).
//   The answers (State::consent) go with QueryEligibility and SaveCheckIn, and are kept for a
//   second PIN try. Cancel or a timeout ends the check-in (the PIN is wiped); a card removed
//   is Error{CardRemoved}. During the qualification-only grace of an expired certificate only
//   limit_application is asked: the service shares no medical information then.
//   Where the patient is typing or reading a question (EnterPin, EnterInsurance, Consent), the
//   phase's timeout does not end the check-in at once: it asks "need more time?"
//   (State::stillThere, same phase) and waits Timeouts::stillThere more:
//     EnterPin ── timeout ──> EnterPin{stillThere} ── MoreTime ──> EnterPin (timer anew)
//                                                  ── timeout / Cancel ──> the check-in ends
//   (the same for EnterInsurance and Consent; any edit of the form also answers it).
//   A certificate past its grace period (or not yet valid) is saved unconfirmed before the PIN
//   is asked for, so no try is spent on a card that cannot be checked.
//   Any failure goes to Error{kind}, whose screen offers a way out (retry, ask staff, start
//   over); a card removed before the check-in is saved is Error{CardRemoved}.
//   The printer: PrinterStatus (polled while idle, read before and after each slip) keeps
//   State::printerAvailable, which the idle screen shows. The check-in is saved before anything
//   is printed; Result waits for the slip (State::printing) and never says "take your slip"
//   before Printed:
//     Result{printing} ── Printed ──> Result
//                      ── PrintFailed ──> Result{printFailed} (timer restarted: the number on
//                                         screen is the patient's only record; go to the desk)
//   A check-in saved while the printer is known to be unavailable shows printFailed at once (the
//   slip is still tried: a printer that came back prints it, and Printed clears the note).
//   Call staff (State::call): on every patient screen, idle included, the patient may call for
//   staff (CallStaff, which the runner stamps with a new id and the time: the flow reads no
//   clock). The call remembers the screen it was made on (screenName()) and goes to the desk
//   in the terminal's health report (ReportCall). It is state beside the phase, not a phase:
//   the screen the patient was on stays usable under it, and while it lasts a phase's timeout
//   does not end the check-in (the timer starts again), so staff find the patient where they
//   called from. It ends (ReportCall{nullopt}) on:
//     Touch{CancelCall}                       the patient (or staff) pressed 取り消す
//     entering Idle                           the patient is done (or cancelled the check-in)
//     CallAnswered                            staff opened the staff menu on this terminal
//   A second CallStaff while a call lasts is rejected: the first call (and its id) stays.
//   Visual confirmation (目視, docs/staff.md): where the patient is stuck at the PIN with the
//   certificate read (canConfirmVisually(): EnterPin, LastTryWarning, PinWrong,
//   Error{PinNotEntered}), staff who unlocked the staff menu compare the card's photo with the
//   patient and confirm (VisualConfirmed{staffId}). The PIN is wiped and never asked for again:
//     <PIN screen> ── VisualConfirmed ──> Consent ... ──> Checking{Challenge} ── challenge ──>
//       Checking{Eligibility} (QueryEligibility: method visual, the staff id, no signature)
//   then as any check-in (Route::Visual: SaveCheckIn with Method::Visual and the staff id). The
//   card is not needed after that: taking it away no longer stops the check-in. The call for
//   staff ends (staff are there).
//   The patients who most need it reach it from two screens of their own, where 目視 is the way
//   on (canConfirmVisually() there too) and a number without it is the other:
//     EnterPin ── Touch{AskStaff} (暗証番号がわからない) ──> Error{PinForgotten}
//     <tries left 0, or a VERIFY that locked it> ──> Error{PinLocked}
//   Each screen offers the call for staff (who come and confirm: VisualConfirmed) and 受付で相談
//   (AskStaff: the unconfirmed check-in with problem pin_forgotten / pin_locked, its number and
//   slip); PinForgotten also offers the keypad again. Its timeout saves that unconfirmed
//   check-in too (while a call lasts it waits, as every screen does): a patient who reached the
//   PIN never leaves without a number. Taking the card away there changes nothing (its
//   certificate is read; staff look at the card in the patient's hand).
//   Large text and high contrast (State::display): on every patient screen the patient may
//   switch either on or off (DisplayToggled); like the language, the choice lasts for this
//   patient and entering Idle puts back the clinic's defaults (State::displayDefaults, config
//   ui.large_text and ui.high_contrast), so the next patient never inherits it.

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/time.hpp"
#include "kiosk/model/certificate_status.hpp"
#include "kiosk/model/checkin.hpp"
#include "kiosk/model/health.hpp"
#include "kiosk/model/qualification.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace uketsuke::kiosk::flow {

using Clock = std::chrono::steady_clock;
using Duration = std::chrono::milliseconds;

enum class Phase {
    Idle,
    PlaceCard,
    ReadingCard,
    EnterPin,
    LastTryWarning,
    Checking,
    Result,
    PinWrong,
    AskStaff,
    Error,
    RemoveCard,
    PinOnReader, // the patient types the PIN on the reader's own PIN pad (secure PIN entry)
    EnterInsurance, // the patient types the data printed on a 資格確認書 (runner::InsuranceEntry)
    Consent,        // one consent question (consentQuestion()): agree or decline
};

// Why the flow is in Phase::Error. Each has its own words on screen and its own ways out.
// Failures the terminal cannot get past (PIN locked, certificate expired or revoked, the
// service unreachable or refusing) are not errors: they become unconfirmed check-ins
// (unconfirmedCheckIn in step.cpp). An error whose problemOf() is set issues a number too when
// the patient asks for staff.
enum class ErrorKind {
    None,
    NotMyNumberCard, // the card has no JPKI application
    CardUnreadable,  // a card or reader failure while reading
    CardRemoved,     // the card left the reader before the check-in was saved
    StorageFailed,   // the check-in could not be saved: nothing was confirmed to the patient
    PinNotEntered,  // the reader's PIN pad timed out or Cancel was pressed on it: no try spent
    LookupFailed,           // the lookup by insurance card got no usable answer (retry, staff)
    InsuranceEntryRejected, // the source refused a typed field: correct the entry
    MyNumberCardUnsupported, // a My Number card on a terminal whose source cannot check it
    InsuranceNotFound, // the lookup found nobody: correct the form (kept), or staff (a number)
    PinLocked,    // the card's PIN is locked: staff may confirm visually, or a number (unconfirmed)
    PinForgotten, // the patient does not know the PIN (or has a 顔認証マイナンバーカード): as above
};

// What the Checking phase is waiting for.
enum class CheckStep { None, Challenge, Signature, Eligibility, Saving, Lookup };

// How the patient is identified in this check-in (model::CheckIn::method follows it).
enum class Route {
    MyNumberCard,  // card + PIN: Method::Pin
    InsuranceCard, // data typed from a 資格確認書 / 資格情報のお知らせ: Method::InsuranceCard
    Visual,        // the card read without a PIN, staff compared its photo: Method::Visual
};

// How the screens are drawn for the patient in front of the terminal (docs/screens.md "Large
// text and high contrast").
struct Display {
    bool largeText = false;    // every text and the buttons that hold it larger
    bool highContrast = false; // white and yellow on black, thick borders
    bool operator==(const Display&) const = default;
};

// One of the two display switches on the strip.
enum class DisplayOption { LargeText, HighContrast };

struct State {
    Phase phase = Phase::Idle;
    ErrorKind error = ErrorKind::None;
    CheckStep checkStep = CheckStep::None;
    bool cardPresent = false;
    int pinTriesLeft = -1; // from the card; -1 = not read yet
    // Checked before the PIN: expiring within 3 months or expired within the
    // qualification-only grace lets the check-in go on, and the result and slip explain renewal.
    model::CertificateStatus certificateStatus = model::CertificateStatus::Valid;
    // The patient types the PIN on the reader's own pad (CardRead said the reader has one and
    // the configuration allows it). Cleared when the reader turns out not to support it.
    bool readerPinPad = false;
    // The reader (or pcscd) is there. False while it is unplugged or the daemon is down: the
    // idle and place-card screens say so and ask the patient to go to the desk.
    bool readerAvailable = true;
    // What the eligibility source can do (EligibilitySource::capabilities()), set once by the
    // runner. Without myNumberCard the idle screen offers only the insurance-card form.
    bool canUseMyNumberCard = true;
    bool canLookUpInsuranceCard = false;
    // The consent questions this clinic asks after the PIN (config `consent.*`), in order; set
    // once by the runner. Empty: none (the default).
    std::vector<model::ConsentTopic> consentTopics;
    // This check-in's answers so far, in the order asked. Cleared when the check-in ends.
    std::vector<model::ConsentAnswer> consent;
    Route route = Route::MyNumberCard;
    // Route::Visual: the staff id of whoever confirmed (an id, never a name). Cleared when the
    // check-in ends.
    std::string staffId;
    // Why this check-in is unconfirmed (model::Outcome::Unconfirmed): set when the flow saves
    // one, shown on the result screen and printed on the slip. Cleared when the check-in ends.
    std::optional<model::Problem> problem;
    std::uint32_t timerGeneration = 0;
    // The language the patient chose on screen ("en"); empty = the terminal's default. It
    // travels with the print command, and the next patient (back at Idle) starts without it.
    std::string language;
    // Large text and high contrast as the patient set them (DisplayToggled); entering Idle puts
    // back displayDefaults, the clinic's choice (set once by the runner from the configuration).
    Display display{};
    Display displayDefaults{};

    // The card's user-authentication certificate (no personal data in it: CN is opaque).
    Bytes certificate;
    // The current challenge (id and the bytes to sign) and the card's signature.
    std::string challengeId;
    Bytes toSign;
    Bytes signature;

    // The answer and the saved check-in, for the Result screen and the slip.
    std::optional<model::QualificationResult> qualification;
    std::string receiptNumber;
    std::string checkInId; // the saved check-in's idempotency key: the slip's QR code
    bool printFailed = false;
    // PrintSlip was sent and neither Printed nor PrintFailed has come back yet.
    bool printing = false;
    // The printer's last status said it can print. False (offline, paper out, cover open, an
    // error): the idle screen says printing is unavailable. Paper near end stays true: that is
    // a warning for staff (the log and the desk), not for patients.
    bool printerAvailable = true;
    // The phase timed out while the patient was typing (EnterPin, EnterInsurance, Consent):
    // the screen asks "need more time?" over it. Cleared by entering any phase.
    bool stillThere = false;
    // Staff closed check-in from the maintenance menu (docs/staff.md): the idle screen says so,
    // Start and the insurance card are refused and a card placed on the reader is not read. A
    // check-in under way finishes first.
    bool outOfService = false;
    // Outside the clinic's opening hours (config opening_hours, closed_dates): closed as by
    // staff, but the idle screen says when check-in opens (`opensAt`, the clinic's wall clock;
    // nullopt: not within the schedule's reach). Staff's out of service wins on the screen.
    bool closedHours = false;
    std::optional<time::LocalTime> opensAt = std::nullopt;
    // The patient called for staff and waits (see the diagram): its id, the screen it was made
    // on and when. Kept when the check-in ends; cleared on cancel, at Idle and by staff.
    std::optional<model::StaffCall> call;
};

// ---- Events -------------------------------------------------------------------------------

struct CardInserted {};
struct CardRemoved {};
struct CardRead {
    Bytes certificate;
    int pinTriesLeft = 0;
    model::CertificateStatus certificateStatus = model::CertificateStatus::Valid;
    bool readerPinPad = false; // use the reader's own PIN pad for this check-in
};
struct CardFailed {
    Error error;
};
// The patient pressed OK on a complete PIN. The digits stay in the PIN entry (kiosk/runner),
// never in the flow: the runner hands them to the card command.
struct PinSubmitted {};
struct ChallengeReady {
    std::string challengeId;
    Bytes toSign;
};
struct Signed {
    Bytes signature;
};
struct PinRejected {
    int pinTriesLeft = 0; // 0 = now blocked
};
struct EligibilityAnswered {
    model::QualificationResult result;
};
struct ServiceFailed {
    Error error;
};
struct CheckInSaved {
    std::string receiptNumber;
    std::string checkInId; // model::CheckIn::idempotencyKey, the id the desk stores
};
struct SaveFailed {
    Error error;
};
struct Printed {};
struct PrintFailed {
    Error error;
};

// What the patient touched on a screen.
// Agree and Decline answer a consent question (Phase::Consent); MoreTime answers "need more
// time?" (State::stillThere).
enum class Intent {
    Start,
    Cancel,
    Retry,
    AskStaff,
    EnterPin,
    Done,
    InsuranceCard,
    Agree,
    Decline,
    MoreTime,
    CancelCall, // 取り消す on the call's confirmation: the patient no longer waits for staff
};
struct Touch {
    Intent intent;
};
struct Timeout {
    std::uint32_t generation = 0;
};
// The reader's PIN pad ended without a VERIFY: Timeout (nothing typed in time), Cancelled
// (Cancel pressed on the pad), PinFormat (too few digits) — no try spent — or NotSupported
// (the reader has no usable pad after all: fall back to the on-screen keypad).
struct PinPadEnded {
    Error error;
};
// The reader (or pcscd) went away or came back.
struct ReaderStatus {
    bool available = true;
};
// The printer's status as read by the printer worker: polled while idle, and before and after
// each slip. `available`: it can print now.
struct PrinterStatus {
    bool available = true;
};
// Staff switched check-in off or on again (the maintenance menu).
struct OutOfService {
    bool on = false;
};
// The opening hours began or ended (the runner, at each boundary of the schedule); closed
// carries when it opens again.
struct OpeningHoursChanged {
    bool open = true;
    std::optional<time::LocalTime> opensAt = std::nullopt;
};
// The patient pressed 確認する on a complete, well-formed insurance card form. The typed data
// stays in the runner's InsuranceEntry, never in the flow: the runner builds the query.
struct InsuranceSubmitted {};
// The patient typed or changed something on the form: the form's timer starts again.
struct InsuranceEdited {};
// The patient chose a language on screen ("ja", "en", ...; empty = the default). Accepted on
// every screen; the check-in goes on in the new language.
struct LanguageChosen {
    std::string language;
};
// The patient switched large text or high contrast on or off (the strip's switches). Accepted
// on every screen; the check-in goes on, drawn the new way.
struct DisplayToggled {
    DisplayOption option = DisplayOption::LargeText;
};
// The patient pressed スタッフを呼ぶ. The runner gives the call its id (new for each call) and
// the time it was pressed (ISO 8601 UTC); the flow adds the screen.
struct CallStaff {
    std::string id;
    std::string since;
};
// Staff opened the staff menu on this terminal: whoever called them has them now.
struct CallAnswered {};
// Staff compared the card's photo with the patient and confirmed (目視) from the staff menu;
// accepted where canConfirmVisually(). The check-in goes on without the PIN.
struct VisualConfirmed {
    std::string staffId;
};

using Event = std::variant<CardInserted, CardRemoved, CardRead, CardFailed, PinSubmitted,
                           ChallengeReady, Signed, PinRejected, EligibilityAnswered, ServiceFailed,
                           CheckInSaved, SaveFailed, Printed, PrintFailed, Touch, Timeout,
                           PinPadEnded, ReaderStatus, InsuranceSubmitted, InsuranceEdited,
                           LanguageChosen, PrinterStatus, OutOfService, CallStaff,
                           CallAnswered, VisualConfirmed, DisplayToggled,
                           OpeningHoursChanged>;

// ---- Commands -----------------------------------------------------------------------------

// Connect, SELECT the JPKI AP, read the certificate and the PIN tries left. -> CardRead | CardFailed
struct ReadCard {};
// Ask the eligibility source for a fresh challenge. -> ChallengeReady | ServiceFailed
struct FetchChallenge {};
// VERIFY the PIN from the PIN entry, then sign `toSign`. -> Signed | PinRejected | CardFailed
struct VerifyPinAndSign {
    Bytes toSign;
};
// Let the patient type the PIN on the reader's pad; the reader sends the VERIFY itself, then
// sign `toSign`. -> Signed | PinRejected | PinPadEnded | CardFailed
struct VerifyOnReaderAndSign {
    Bytes toSign;
};
// Wipe whatever digits the PIN entry holds (cancel, timeout, card removed).
struct DiscardPin {};
// Send certificate + signature (Method::Pin), or the certificate and the staff id of whoever
// confirmed visually (Method::Visual, no signature). -> EligibilityAnswered | ServiceFailed
struct QueryEligibility {
    std::string challengeId;
    Bytes certificate;
    Bytes signature;
    std::vector<model::ConsentAnswer> consent; // State::consent: the gateway's consent flags
    model::Method method = model::Method::Pin; // Pin or Visual
    std::string staffId;                        // Visual: State::staffId
};
// Write the check-in to the durable outbox (and wake delivery). -> CheckInSaved | SaveFailed
struct SaveCheckIn {
    // model::outcomeOf(qualification), or Unconfirmed (no qualification) with a problem
    model::Outcome outcome = model::Outcome::Error;
    std::optional<model::QualificationResult> qualification;
    model::Method method = model::Method::Pin; // Pin, Visual or InsuranceCard, after the route
    std::optional<model::Problem> problem;    // State::problem
    std::vector<model::ConsentAnswer> consent; // State::consent: the desk sees the answers
    std::string staffId;                       // Route::Visual: who confirmed; else empty
};
// -> Printed | PrintFailed
struct PrintSlip {
    std::string receiptNumber;
    model::Outcome outcome = model::Outcome::Error;
    std::optional<model::QualificationResult> qualification;
    model::CertificateStatus certificateStatus = model::CertificateStatus::Valid;
    std::string language; // State::language: the slip speaks the patient's language
    std::string checkInId; // CheckInSaved::checkInId: the QR code the desk scans
    std::optional<model::Problem> problem; // State::problem: the slip says what to do instead
};
// Disconnect from the card (the check-in no longer needs it).
struct ReleaseCard {};
// -> Timeout{generation} after `after`, unless a newer timer replaced it.
struct StartTimer {
    std::uint32_t generation = 0;
    Duration after{};
};
// Look the patient up by the data in the runner's InsuranceEntry (EligibilitySource::lookup on
// the service worker). -> EligibilityAnswered | ServiceFailed
struct LookUpInsurance {};
// Make a running lookup end now (EligibilitySource::cancel()); its answer is dropped.
struct CancelLookup {};
// Wipe the insurance card form (the check-in ended: done, cancel, timeout).
struct DiscardInsurance {};
// The patient's call for staff began (the call) or ended (nullopt): the next health report to
// the desk carries it (HealthReporter::setCall, which sends on change).
struct ReportCall {
    std::optional<model::StaffCall> call;
};

using Command = std::variant<ReadCard, FetchChallenge, VerifyPinAndSign, DiscardPin,
                             QueryEligibility, SaveCheckIn, PrintSlip, ReleaseCard, StartTimer,
                             VerifyOnReaderAndSign, LookUpInsurance, CancelLookup,
                             DiscardInsurance, ReportCall>;

struct Timeouts {
    Duration placeCard{std::chrono::seconds(60)};
    Duration enterPin{std::chrono::seconds(90)};
    // The insurance card form; it starts again with every key (InsuranceEdited).
    Duration enterInsurance{std::chrono::seconds(120)};
    Duration result{std::chrono::seconds(20)};
    Duration consent{std::chrono::seconds(60)}; // each consent question
    // "Need more time?" after one of the three above ran out: how long it waits for an answer.
    Duration stillThere{std::chrono::seconds(20)};
    Duration message{std::chrono::seconds(60)}; // error, PIN and staff screens
};

struct Transition {
    State state;
    std::vector<Command> commands;
    bool rejected = false; // the event did not fit the state; the state is unchanged
};

// Pure: the same state and event always give the same transition.
Transition step(const State& state, const Event& event, const Timeouts& timeouts = {});

// The outcome of the check-in the result screen shows: outcomeOf(qualification), Unconfirmed
// with a problem, else Error.
model::Outcome resultOutcome(const State& state);

// The problem an error screen's "ask staff" records in an unconfirmed check-in; nullopt for
// errors before the patient reached the PIN or the form, or where nothing can be saved.
std::optional<model::Problem> problemOf(ErrorKind kind);

// The consent question to ask next in this check-in (the first configured topic not answered
// yet that applies); nullopt when there is none left.
std::optional<model::ConsentTopic> consentQuestion(const State& state);
// Where the question on screen stands: {1-based number, how many this check-in asks}.
std::pair<int, int> consentProgress(const State& state);

// Whether check-in is closed: by staff (outOfService) or outside the opening hours
// (closedHours). Start and the insurance card are refused and a card placed is not read; a
// check-in under way finishes first.
bool closed(const State& state);

// Whether スタッフを呼ぶ is offered: on every patient screen while no call lasts.
bool canCallStaff(const State& state);

// Whether staff may confirm the patient visually now (VisualConfirmed): a My Number card
// check-in whose certificate was read, stuck at the PIN: EnterPin, LastTryWarning, PinWrong or
// Error{PinNotEntered}. The staff menu offers 目視 only then.
bool canConfirmVisually(const State& state);

// The card on the reader as the terminal's health report tells the desk (model::CardState):
// nullopt while the reader is unavailable (the terminal cannot tell), Absent without a card. A
// card whose read failed (Error{NotMyNumberCard} or Error{CardUnreadable}) stays so after the
// error screen (`before`: the last answer) until it is read again or taken away; any other
// card is Present.
std::optional<model::CardState> cardState(const State& state,
                                          std::optional<model::CardState> before);

// A card lies on the reader with no check-in using it: the check-in ended and the terminal asks
// for it back (RemoveCard), or check-in is closed and the card lies unread on the idle screen.
// The desk warns staff when that lasts (a patient forgot their card).
bool cardIdle(const State& state);

// A name for the screen `state` shows: the phase name, plus ":<error kind>" on the error screen
// ("error:card_unreadable"), "idle:printer_unavailable" / "idle:out_of_service" /
// "idle:closed" (outside the opening hours),
// "result:print_failed", "result:<problem>" for an unconfirmed check-in ("result:pin_locked"),
// "consent:<topic>" for a consent question, and "<phase>:still_there" while a typing screen
// asks "need more time?". Headless scripts, screenshots and the desk's call banner use it.
std::string screenName(const State& state);

const char* phaseName(Phase phase);
const char* errorKindName(ErrorKind kind);
const char* eventName(const Event& event);

} // namespace uketsuke::kiosk::flow
