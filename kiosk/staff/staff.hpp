#pragma once

// The staff flow: the maintenance menu's own pure state machine, beside the patient flow
// (kiosk/flow) and with its conventions (docs/staff.md):
//
//   step(const State&, const Event&, const Policy&) -> Transition { next state, commands }
//
// No I/O, no clock reads, no threads. The staff PIN's digits stay in the runner's entry (as the
// card PIN does); the flow only learns whether they matched (PinChecked). Timeouts are events
// with a generation, as in the patient flow.
//
//   ┌────────┐ gesture ┌──────────┐ PIN ok ┌──────┐ 60 s without a touch, or Lock
//   │ Locked │ ──────> │ EnterPin │ ─────> │ Menu │ ──────────────────────────────> Locked
//   └────────┘ <────── └──────────┘        └──────┘
//        ^     cancel,     │ wrong PIN (the 3rd, 4th, ... in a row)
//        │     30 s        v
//        │            ┌───────────┐ its delay is over
//        └─────────── │ LockedOut │ ─────────────────> EnterPin
//                     └───────────┘
//   Cancel on the lock-out screen returns to the patient's screens while the delay runs on; the
//   gesture during the delay shows the lock-out screen again.
//   Wrong PINs in a row: the first kFreeTries are only counted; each one after that locks the
//   entry for a delay that doubles (30 s, 60 s, ... up to 15 min). A right PIN resets the count.
//   The count survives Locked (walking away does not reset it); a restart of the terminal does.
//   Every unlock, wrong PIN, lock-out, lock and action is an Audit command (no PIN, ever).
//   An unlock also answers a patient's call for staff on this terminal (AnswerCall): whoever
//   opens the menu is the staff member the patient called.
//   Visual confirmation (目視): while the patient flow can take it (PatientStatus, from
//   flow::canConfirmVisually), the menu offers it; its page asks whether staff compared the
//   card's photo with the patient:
//     Menu ── Touch{Visual} ──> Menu{Visual} ── Touch{ConfirmVisual} ──> Locked
//                                  │ Cancel, or the patient flow no longer takes it -> Menu{Home}
//   Confirming sends the patient flow the staff id (ConfirmVisually) and locks the menu at
//   once: the screen goes back to the patient, and the next patient checks in with the PIN.
//   Enrolment (administrators, docs/enrolment.md): Home's 端末を登録 opens its page; the
//   keypad's digits go to the selected field (the console keeps them, as it keeps the PIN):
//     Menu ── Touch{Enrol} ──> Menu{Enrol} ── Touch{SubmitEnrol} ──> enrolling
//        ── EnrolFinished ──> Menu{Enrol} (the console shows the outcome; 再起動 applies it)
//   While enrolling the page waits (no field, no submit, no cancel); the request ends within
//   the network budget. Its answer is taken in any phase (the menu may have locked meanwhile).
//   Pairing with the desk (administrators, docs/pairing.md) is the same page with one field,
//   the desk's pairing code: Home's 受付PCと接続 (Touch{Pair}) opens Section::Pair, and
//   SubmitEnrol, EnrolFinished and the commands are the enrolment's. While a request of either
//   page runs, neither page opens again (the answer comes within the network budget).

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace uketsuke::kiosk::staff {

using Duration = std::chrono::milliseconds;

enum class Role { Staff, Admin };

enum class Phase { Locked, EnterPin, LockedOut, Menu };

// The menu's sections (docs/staff.md "Menu").
enum class Section { Home, Devices, Today, Logs, Settings, Visual, Enrol, Pair };

// The pages that send a one-time code: enrolment with the gateway, pairing with the desk.
constexpr bool takesCode(Section section)
{
    return section == Section::Enrol || section == Section::Pair;
}

// The enrolment page's fields: the 機関コード and the activation code (the pairing page has
// only the code: the desk's pairing code).
enum class EnrolField { ClinicCode, ActivationCode };

struct State {
    Phase phase = Phase::Locked;
    Section section = Section::Home;
    Role role = Role::Staff;
    std::string staffId; // who unlocked (Menu only); an id, never a name
    int wrongInARow = 0; // wrong PINs since the last right one
    bool checking = false; // EnterPin: a VerifyStaffPin is running
    bool outOfService = false;
    // Settings: an administrator is editing a draft (EditSettings .. SaveSettings or Cancel).
    bool editingSettings = false;
    // The open section's page of rows when they do not fit on one screen (0: the first). The
    // screen knows how many pages there are: it shows the last one for a page past it, and
    // while the editor runs, the page with the selected setting. Back to 0 with every new page.
    int page = 0;
    // A lock-out's delay is running (LockedOut, or Locked after staff stepped back from the
    // lock-out screen): the gesture shows the lock-out screen again, not the PIN screen.
    bool lockOutRunning = false;
    // The patient flow can take a visual confirmation now (PatientStatus): the menu offers 目視.
    bool visualPossible = false;
    // Enrol: the field the keypad types into, and whether the request is running (Enrol to
    // EnrolFinished; it survives the lock, as the request does).
    EnrolField enrolField = EnrolField::ActivationCode;
    bool enrolling = false;
    std::uint32_t timerGeneration = 0;
};

// What the lock-out and the timers are.
struct Policy {
    int freeTries = 3;                                // wrong PINs before the first lock-out
    Duration firstLockOut{std::chrono::seconds(30)};  // doubled for each further wrong PIN
    Duration maxLockOut{std::chrono::minutes(15)};
    Duration enterPin{std::chrono::seconds(30)};      // the PIN screen gives up
    Duration idleMenu{std::chrono::seconds(60)};      // the menu locks itself
};

// The lock-out after `wrongInARow` wrong PINs: zero while they are free tries.
Duration lockOutAfter(int wrongInARow, const Policy& policy);

// ---- Events -------------------------------------------------------------------------------

// The hidden gesture was completed (kiosk/staff/gesture.hpp).
struct GestureCompleted {};
// OK on a complete staff PIN: the runner checks the digits (VerifyStaffPin).
struct PinSubmitted {};
// The runner's answer: the staff member and role when the PIN matched one.
struct PinChecked {
    bool matched = false;
    std::string staffId;
    Role role = Role::Staff;
};

// What staff touched in the menu.
enum class Intent {
    Cancel,         // leave the PIN screen
    Lock,           // lock the menu now
    Home,           // back to the menu's first page
    Devices,        // open a section
    Today,
    Logs,
    Settings,
    TestCard,       // Devices: read the card on the reader (doctor card's logic)
    TestPrinter,    // Devices: print a test slip
    TestNetwork,    // Devices: a round trip to the gateway and the desk
    SendNow,        // Today: deliver the outbox now
    ToggleOutOfService,
    EditSettings,   // Settings: administrators only; opens the editor
    SettingNext,    // the editor: select the next setting
    SettingDown,    // the editor: the selected setting's previous value
    SettingUp,      // the editor: its next value
    SaveSettings,   // the editor: write the changes and close it (Cancel closes it unsaved)
    PageNext,       // the section's next page of rows (when they do not fit on one)
    PagePrevious,   // its previous page
    Restart,        // restart the terminal service: administrators only
    Visual,         // open the visual confirmation's page (目視), while visualPossible
    ConfirmVisual,  // its 確認しました: staff compared the card's photo with the patient
    Enrol,          // Home: open the enrolment page (administrators)
    EnrolClinicField, // the enrolment page: type into the 機関コード
    EnrolCodeField,   // ... into the activation code (or the pairing page's code)
    SubmitEnrol,    // its 登録する (接続する): send the request (the console checks the fields first)
    Pair,           // Home: open the pairing page (administrators)
};
struct Touch {
    Intent intent;
};
struct Timeout {
    std::uint32_t generation = 0;
};

// Whether the patient flow can take a visual confirmation now (flow::canConfirmVisually): the
// runner tells the staff flow whenever it changes, in every phase.
struct PatientStatus {
    bool visualPossible = false;
};

// The enrolment request ended (the console keeps what it found, for the page and the audit).
struct EnrolFinished {
    bool ok = false;
};

using Event = std::variant<GestureCompleted, PinSubmitted, PinChecked, Touch, Timeout,
                           PatientStatus, EnrolFinished>;

// ---- Commands -----------------------------------------------------------------------------

// Check the digits in the staff PIN entry against the stored hashes. -> PinChecked
struct VerifyStaffPin {};
// Wipe the staff PIN entry.
struct DiscardStaffPin {};
// -> Timeout{generation} after `after`, unless a newer timer replaced it.
struct StartTimer {
    std::uint32_t generation = 0;
    Duration after{};
};
// A line for the audit log the desk can see: what happened and who (an id, no PIN, no name).
struct Audit {
    std::string action; // "unlock", "wrong_pin", "locked_out", "lock", "auto_lock", "test_printer", ...
    std::string staffId;
};
// Menu actions the runner carries out (their results come back as log lines and screens).
struct RunTest {
    Intent test; // TestCard, TestPrinter or TestNetwork
};
struct SendOutboxNow {};
struct SetOutOfService {
    bool on = false;
};
// A new draft of the settings from what the terminal runs with.
struct OpenSettingsEditor {};
enum class SettingChange { SelectNext, Down, Up };
struct EditSetting {
    SettingChange change = SettingChange::SelectNext;
};
// Write the draft's changes to the configuration and apply them (one audit line per change).
struct SaveSettings {};
struct RestartService {};
// Staff are at the terminal: a patient's call for staff (kiosk/flow State::call) has its answer.
struct AnswerCall {};
// Staff confirmed the patient visually: the patient flow goes on without the PIN
// (flow::VisualConfirmed with this id).
struct ConfirmVisually {
    std::string staffId;
};
// A new enrolment entry: the 機関コード from the configuration, the activation code empty
// (the pairing page: the code empty).
struct OpenEnrolment {};
// Send the entry's request on the console's worker: an enrolment with the gateway on
// Section::Enrol, a pairing with the desk on Section::Pair. -> EnrolFinished
struct RunEnrolment {};
// Wipe the enrolment entry (the activation code is a secret until used).
struct DiscardEnrolment {};

using Command = std::variant<VerifyStaffPin, DiscardStaffPin, StartTimer, Audit, RunTest,
                             SendOutboxNow, SetOutOfService, OpenSettingsEditor, EditSetting,
                             SaveSettings, RestartService, AnswerCall, ConfirmVisually,
                             OpenEnrolment, RunEnrolment, DiscardEnrolment>;

struct Transition {
    State state;
    std::vector<Command> commands;
    bool rejected = false; // the event did not fit the state; the state is unchanged
};

// Pure: the same state and event always give the same transition.
Transition step(const State& state, const Event& event, const Policy& policy = {});

const char* phaseName(Phase phase);     // "locked", "enter_pin", "locked_out", "menu"
const char* sectionName(Section section); // "home", "devices", ..., "visual", "enrol", "pair"
const char* roleName(Role role);        // "staff", "admin"

} // namespace uketsuke::kiosk::staff
