#pragma once

// State -> per-screen models. One model per flow::Phase; each screen in ui/screens/ draws its
// model and reports intents, nothing else (docs/architecture.md). Which buttons a screen offers
// is decided here by asking the flow itself (accepts()), so every button drawn works.

#include "base/personal.hpp"
#include "base/secret.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/model/qualification.hpp"
#include "kiosk/runner/insurance_entry.hpp"
#include "kiosk/runner/staff_console.hpp"
#include "kiosk/staff/staff.hpp"
#include "ui/screen_context.hpp"
#include "ui/screen_names.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace uketsuke::ui {

// A patient's name drawn by the name renderer and uploaded as a texture (ui/name_texture.hpp):
// one line, or a long name wrapped onto more (each line centred in the image).
struct NameImage {
    ImTextureID texture = nullptr; // null: no name to show
    ImVec2 size{0.0f, 0.0f};
    float baseline = 0.0f;      // rows from the top to the last line's baseline
    int lines = 1;
    float lineHeight = 0.0f;    // rows per line (the font's ascender to descender)
    float lastLineWidth = 0.0f; // the honorific (様) goes after the last line
};

struct IdleModel {
    ScreenContext ui;
    bool canSwitchLanguage = false; // more than one table: the picker (ui.languages) is shown
    bool canStart = true;             // the My Number card path (the source can check cards)
    bool canUseInsuranceCard = false; // the 資格確認書 form (the source can look up)
    bool readerAvailable = true;      // false: the card reader is unplugged or pcscd is down
    bool printerAvailable = true;     // false: slips cannot be printed (paper out, offline...)
    bool outOfService = false;        // staff closed check-in: a calm "ask at the desk" screen
    // Outside the opening hours (and not closed by staff): when check-in opens, on the
    // clinic's wall clock; nullopt: not known.
    bool closedHours = false;
    std::optional<uketsuke::time::LocalTime> opensAt = std::nullopt;
};

struct PlaceCardModel {
    ScreenContext ui;
    bool readerAvailable = true; // false: the reader is unplugged or pcscd is down
};

struct ReadingCardModel {
    ScreenContext ui;
};

struct EnterPinModel {
    ScreenContext ui;
    std::size_t digits = 0;      // how many are typed (never which)
    std::size_t length = 4;
    int triesLeft = -1;          // shown when 1 or 2
    bool stillThere = false;     // "need more time?" instead of the keypad (State::stillThere)
};

struct LastTryWarningModel {
    ScreenContext ui;
    bool canCancel = false;
};

struct CheckingModel {
    ScreenContext ui;
    kiosk::flow::CheckStep step = kiosk::flow::CheckStep::None;
    bool cardNeeded = false; // the card is still being used: keep it on the reader
    bool canCancel = false;  // a lookup by insurance card may be given up
};

struct ResultModel {
    ScreenContext ui;
    kiosk::model::Outcome outcome = kiosk::model::Outcome::Error;
    // Why an unconfirmed check-in is unconfirmed: the words say what happens at the desk.
    std::optional<kiosk::model::Problem> problem;
    std::string receiptNumber;
    // The patient's name (personal data: never logged) and its texture, filled by the host.
    PatientName patientName;
    NameImage name;
    bool printFailed = false; // the slip did not print: the number on screen goes to the desk
    bool printing = false;    // the slip is not confirmed yet: do not say "take your slip"
    bool cardPresent = false;
    // Expiring soon or expired within the grace period: the check-in went on; explain renewal.
    kiosk::model::CertificateStatus certificateStatus = kiosk::model::CertificateStatus::Valid;
    // A valid answer's supplementary warning from the service (ProcessingResultCode and its
    // message, docs/screens.md), e.g. the card expires in 3 months. Empty: none.
    std::string serviceNotice;
};

struct PinWrongModel {
    ScreenContext ui;
    int triesLeft = 0;
    bool canCancel = false;
};

struct AskStaffModel {
    ScreenContext ui;
};

struct ErrorModel {
    ScreenContext ui;
    kiosk::flow::ErrorKind kind = kiosk::flow::ErrorKind::None;
    bool canRetry = false;
    bool canCall = true; // flow::canCallStaff: a locked or forgotten PIN's screen offers the call
};

struct RemoveCardModel {
    ScreenContext ui;
};

// The patient types the PIN on the reader's own PIN pad; the screen only explains.
struct PinOnReaderModel {
    ScreenContext ui;
    int triesLeft = -1; // shown when 1 or 2
};

// The insurance card form. The values are the patient's own data, typed and shown to them on
// this screen only (never logged).
struct EnterInsuranceModel {
    ScreenContext ui;
    std::array<std::string, kiosk::runner::kInsuranceFieldCount> values;
    std::array<kiosk::runner::FieldStatus, kiosk::runner::kInsuranceFieldCount> status{};
    // Why each field is not Ok: the words next to it, and what 確認する asks for.
    std::array<kiosk::runner::FieldProblem, kiosk::runner::kInsuranceFieldCount> problems{};
    kiosk::runner::InsuranceField selected = kiosk::runner::InsuranceField::InsurerNumber;
    kiosk::runner::Era era = kiosk::runner::Era::Western;
    bool valid = false; // 確認する is enabled
    bool stillThere = false; // "need more time?" instead of the form (State::stillThere)
};

// One consent question after the PIN (flow::consentQuestion): agree or decline, both offered
// alike, nothing chosen beforehand.
struct ConsentModel {
    ScreenContext ui;
    kiosk::model::ConsentTopic topic = kiosk::model::ConsentTopic::DiagnosisPharmacists;
    int number = 1; // this question's number
    int count = 1;  // how many this check-in asks
    bool stillThere = false; // "need more time?" instead of the question (State::stillThere)
};

// The terminal cannot serve patients yet (boot mode not-ready, kiosk/app/app.hpp): a calm
// out-of-service screen that tells staff what is missing. Not a flow phase: the terminal's
// workers never start in this mode.
struct NotReadyModel {
    ScreenContext ui;
    std::vector<std::string> missingKeys; // config keys: "desk.cert", "gateway.key", ...
};

// ---- The staff screens (docs/staff.md): drawn instead of the patient's while unlocked ----

// The staff PIN: a keypad and dots, as the card's PIN screen, for staff.
struct StaffPinModel {
    ScreenContext ui;
    std::size_t digits = 0;
    bool checking = false;     // the PIN is being checked (about 0.1 s per account)
    bool noAccounts = false;   // nobody can unlock yet: say how to add an account
    int wrongInARow = 0;       // wrong PINs so far: say the last one was wrong
};

// Too many wrong staff PINs: wait, or step back to the patient's screens.
struct StaffLockedOutModel {
    ScreenContext ui;
    int secondsLeft = 0;
};

struct StaffMenuModel {
    ScreenContext ui;
    kiosk::staff::Section section = kiosk::staff::Section::Home;
    kiosk::staff::Role role = kiosk::staff::Role::Staff;
    std::string staffId;
    bool outOfService = false;
    bool testing = false;        // a device test runs
    bool editingSettings = false; // the settings editor is open (administrators)
    bool visualPossible = false;  // the patient flow takes a visual confirmation (目視) now
    bool enrolling = false;       // an enrolment or pairing runs: neither page opens
    int page = 0;                 // which page of the rows (staff::State::page)
    std::vector<kiosk::runner::StaffRow> rows; // the section's rows
};

// Enrolment with the gateway (administrators, docs/enrolment.md): the two codes typed so far,
// which one the keypad types into, and what the last request found. The same page pairs the
// terminal with the desk (docs/pairing.md) with one code: the desk's pairing code.
struct StaffEnrolModel {
    ScreenContext ui;
    std::string clinicCode;     // 0-10 digits
    std::string activationCode; // 0-12 digits (the pairing page: the pairing code)
    bool pairing = false;       // the pairing page (with the desk): the code only
    std::string deskUrl;        // where the pairing page's request goes
    kiosk::staff::EnrolField field = kiosk::staff::EnrolField::ActivationCode;
    bool enrolling = false;
    bool complete = false; // both codes have all their digits
    bool admin = false;    // may restart the terminal (to take the new certificate)
    std::optional<kiosk::runner::StaffEnrolResult> result;
};

using ScreenModel =
    std::variant<IdleModel, PlaceCardModel, ReadingCardModel, EnterPinModel, LastTryWarningModel,
                 CheckingModel, ResultModel, PinWrongModel, AskStaffModel,
                 ErrorModel, RemoveCardModel, PinOnReaderModel, EnterInsuranceModel,
                 ConsentModel, NotReadyModel, StaffPinModel, StaffLockedOutModel,
                 StaffMenuModel, StaffEnrolModel>;

// Whether the flow would take a touch of `intent` in `state` (runs the pure step()).
bool accepts(const kiosk::flow::State& state, kiosk::flow::Intent intent);

// The screen for `state`. `pinDigits` is PinEntry::count(); `insurance` the form's entry (the
// form is drawn empty without one). Pure.
ScreenModel buildScreenModel(const kiosk::flow::State& state, const ScreenContext& ui,
                             std::size_t pinDigits, bool canSwitchLanguage,
                             const kiosk::runner::InsuranceEntry* insurance = nullptr);

// The strip along the bottom of every patient screen, idle included (not the staff screens):
// スタッフを呼ぶ, or while a call lasts its confirmation with 取り消す; in demo mode (config
// ui.demo_controls) also the virtual card's controls.
struct StripModel {
    ScreenContext ui; // its area is the strip (Host::stripContext)
    bool canCall = true;  // flow::canCallStaff: スタッフを呼ぶ is shown
    bool calling = false; // a call lasts: the confirmation and 取り消す
    bool demo = false;    // the demo card controls
    bool cardPresent = false;
    // The display switches (large text, high contrast), each shown on or off.
    kiosk::flow::Display display{};
};
// The strip under the patient's screen for `state` (`ui` is the strip's area); `demo` adds the
// demo card controls. Pure.
StripModel buildStripModel(const kiosk::flow::State& state, const ScreenContext& ui, bool demo);

// Whether the screen animates (a spinner) and so needs redrawing at a low rate.
bool isAnimated(kiosk::flow::Phase phase);

// The context every model carries.
const ScreenContext& contextOf(const ScreenModel& model);
ScreenContext& contextOf(ScreenModel& model);

} // namespace uketsuke::ui
