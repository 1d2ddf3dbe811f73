#pragma once

// The staff console: runs the staff flow (kiosk/staff/staff.hpp) beside the patient's terminal,
// as runner::Terminal runs the patient flow. It owns the staff PIN entry (the digits never reach
// the flow, a log line or the audit log), the staff flow's timers on the injected clock, and one
// worker that checks PINs against the accounts (argon2id: ~0.1 s per account, never on the main
// thread) and runs the menu's device tests. Everything else the menu's commands do is asked of
// the application through StaffActions. Headless as the Terminal is: the UI draws state() and
// calls apply().
//
// Thread: main, except where a function says otherwise.

#include "base/secret.hpp"
#include "kiosk/config/staff_accounts.hpp"
#include "kiosk/runner/clock.hpp"
#include "kiosk/runner/worker.hpp"
#include "kiosk/staff/staff.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <variant>
#include <string>
#include <utility>
#include <vector>

namespace uketsuke::kiosk::runner {

// One line of a menu page: a label (an i18n key) and a value, which is a key too when
// valueIsKey (a state such as "staff.value.ready"), else data (an id, a number, a version, a log
// line: never personal data). A row without a label is a line of its own (the log page).
struct StaffRow {
    std::string labelKey;
    std::string value;
    bool valueIsKey = false;
    bool attention = false; // drawn as a problem (reader missing, printer out of paper...)
    bool selected = false;  // the settings editor's selected key
    // valueIsKey: the key's {name} placeholders ("staff.value.minutes_ago": {minutes}).
    std::vector<std::pair<std::string, std::string>> args;
};

// A row whose value is an i18n key, and one whose value is data.
inline StaffRow keyRow(std::string label, std::string key, bool attention = false)
{
    StaffRow row;
    row.labelKey = std::move(label);
    row.value = std::move(key);
    row.valueIsKey = true;
    row.attention = attention;
    return row;
}
inline StaffRow dataRow(std::string label, std::string value, bool attention = false)
{
    StaffRow row;
    row.labelKey = std::move(label);
    row.value = std::move(value);
    row.attention = attention;
    return row;
}

// What a device test found, for the menu: an i18n key (staff.test.*), a technical detail
// (an error code; never personal data) and the facts it read, as rows of the devices page
// (the reader's name, the ATR, a latency, a certificate's expiry...).
struct StaffTestResult {
    staff::Intent test = staff::Intent::TestPrinter;
    bool ok = false;
    std::string key;
    std::string detail;
    std::vector<StaffRow> rows;
};

// What an enrolment found (docs/enrolment.md), for the enrolment page: an i18n key
// (staff.enrol.*), the protocol's or the transport's error code when it failed, and when it
// succeeded the terminal id and the certificate's last day ("2027-12-07").
struct StaffEnrolResult {
    bool ok = false;
    std::string key;
    std::string detail;
    std::string terminalId;
    std::string notAfter;
};

// One line of the audit log (time, what, who): ids and action names only.
struct StaffAuditEntry {
    std::chrono::system_clock::time_point at;
    std::string action;
    std::string staffId;
};

// What the menu's commands do outside the staff flow. Each may be empty (the menu then says
// the action is not available). The tests run on the console's worker and may block; the rest
// run on the main thread and must not.
struct StaffActions {
    std::function<StaffTestResult()> testCard;
    std::function<StaffTestResult()> testPrinter;
    std::function<StaffTestResult()> testNetwork;
    std::function<void()> sendOutboxNow;
    std::function<void(bool on)> setOutOfService;
    std::function<void()> restartService;
    // The settings editor (administrators, docs/staff.md "Settings"): a new draft, a change to
    // it, and saving it, which returns one audit action per key written ("setting
    // timeouts.result_s=25"), or one saying why nothing was ("settings_not_saved
    // config_invalid"). Saving writes a small file with an fsync on the main thread.
    std::function<void()> openSettingsEditor;
    std::function<void(staff::SettingChange change)> editSetting;
    std::function<std::vector<std::string>()> saveSettings;
    // The menu was unlocked: a patient's call for staff on this terminal ends (the App posts
    // flow::CallAnswered to the Terminal). Main thread; must not block.
    std::function<void()> answerCall;
    // Staff confirmed the patient visually (目視): the App posts flow::VisualConfirmed with this
    // id to the Terminal. Main thread; must not block.
    std::function<void(const std::string& staffId)> confirmVisually;
    // Enrolment with the gateway (administrators): the 機関コード and the activation code's 12
    // digits. Runs on the console's worker and may block for the network budget. `clinicCode`
    // is what the entry starts with.
    std::function<StaffEnrolResult(const std::string& clinicCode,
                                   const std::string& activationCode)>
        enrol;
    std::string clinicCode;
    // Pairing with the desk (administrators, docs/pairing.md): the pairing code's 12 digits,
    // sent to deskUrl (what the page shows). Runs on the console's worker, as enrol does.
    std::function<StaffEnrolResult(const std::string& pairingCode)> pair;
    std::string deskUrl;
    // Called from any thread after the console posted an event: the UI wakes its loop.
    std::function<void()> wake;
    // Every audit line as it is made, to keep it until the desk has it (the App puts it in the
    // outbox). Main thread; a short write.
    std::function<void(const StaffAuditEntry& entry)> recordAudit;
};

// Input from the staff screens (or a script): a digit of the staff PIN, erase, OK, or a touch.
namespace staff_input {
struct Digit {
    char digit = '0';
};
struct Erase {}; // the last digit
struct Clear {}; // every digit
struct Submit {};
} // namespace staff_input
using StaffInput = std::variant<staff_input::Digit, staff_input::Erase, staff_input::Clear,
                                staff_input::Submit, staff::Intent>;

class StaffConsole {
public:
    // `accounts` are copied (the file is read at start; a change takes a restart).
    StaffConsole(config::StaffAccounts accounts, const Clock& clock, StaffActions actions,
                 staff::Policy policy = {});
    ~StaffConsole();
    StaffConsole(const StaffConsole&) = delete;
    StaffConsole& operator=(const StaffConsole&) = delete;

    // The hidden gesture was completed (the UI's GestureRecognizer said so).
    void gestureCompleted();
    // A digit, erase, OK or menu touch from the staff screens.
    void apply(const StaffInput& input);
    // Fires due timers and runs what the worker posted through the staff flow. Returns how many
    // events changed the state.
    int pump();
    std::optional<std::chrono::steady_clock::time_point> nextTimer() const;

    // Whether the staff screens are up (any phase but Locked).
    bool active() const { return m_state.phase != staff::Phase::Locked; }
    const staff::State& state() const { return m_state; }
    std::size_t pinDigits() const { return m_pin.size(); }
    // When the lock-out ends (LockedOut only).
    std::optional<std::chrono::steady_clock::time_point> lockedOutUntil() const;
    // The last result of each device test run since the menu opened, in the order they ended.
    const std::vector<StaffTestResult>& testResults() const { return m_results; }
    // Tests started and not yet answered.
    bool testing() const { return m_testsRunning > 0; }
    // The newest kAuditKept lines of this run's audit log, oldest first (every line is also
    // written to the log, category staff.audit, and sent to the desk): a terminal that runs for
    // months does not keep them all.
    static constexpr std::size_t kAuditKept = 256;
    const std::deque<StaffAuditEntry>& audit() const { return m_audit; }
    bool hasAccounts() const { return !m_accounts.accounts().empty(); }

    // The enrolment (or pairing) page's entry: the digits typed into each field, and what the
    // last request found (none before the first, or after the page was left). The pairing page
    // has the code only (a pairing code has as many digits as an activation code).
    static constexpr std::size_t kClinicCodeDigits = 10;
    static constexpr std::size_t kActivationCodeDigits = 12;
    const std::string& enrolClinicCode() const { return m_enrolClinic; }
    const std::string& enrolActivationCode() const { return m_enrolCode; }
    bool enrolEntryComplete() const
    {
        return (m_state.section == staff::Section::Pair ||
                m_enrolClinic.size() == kClinicCodeDigits) &&
               m_enrolCode.size() == kActivationCodeDigits;
    }
    const std::string& deskUrl() const { return m_actions.deskUrl; }
    const std::optional<StaffEnrolResult>& enrolResult() const { return m_enrolResult; }

    // Whether the patient flow can take a visual confirmation now (flow::canConfirmVisually),
    // told after every change of the patient's screen; the menu offers 目視 only then.
    void patientStatus(bool visualPossible);

    // Before the first event: the terminal starts out of service (config out_of_service), so
    // the menu's toggle offers to reopen check-in. Nothing is run or audited.
    void startOutOfService(bool on);

    // Stops the worker (also done by the destructor).
    void stop();

private:
    struct TestDone {
        StaffTestResult result;
    };
    struct EnrolDone {
        StaffEnrolResult result;
        std::string staffId; // who sent it (the menu may have locked since)
        bool pairing = false; // the pairing page's request (with the desk)
    };
    using Posted = std::variant<staff::PinChecked, TestDone, EnrolDone>;
    // The digit pressed on the enrolment page goes to its selected field; Erase and Clear too.
    bool typingEnrolment() const;
    std::string& enrolFieldText();
    void wipeEnrolment();

    void run(const staff::Event& event);
    void execute(const staff::Command& command);
    void post(Posted posted); // any thread
    // One audit line: the log, recordAudit and audit().
    void record(const std::string& action, const std::string& staffId);

    config::StaffAccounts m_accounts;
    const Clock& m_clock;
    StaffActions m_actions;
    staff::Policy m_policy;
    staff::State m_state;
    StaffPin m_pin;
    struct PendingTimer {
        std::uint32_t generation = 0;
        std::chrono::steady_clock::time_point at;
    };
    std::optional<PendingTimer> m_timer; // the staff flow's one running timer
    std::optional<std::chrono::steady_clock::time_point> m_lockedOutUntil;
    std::vector<StaffTestResult> m_results;
    int m_testsRunning = 0;
    std::deque<StaffAuditEntry> m_audit;
    std::string m_enrolClinic;
    std::string m_enrolCode; // wiped when the page is left and once it was used
    std::optional<StaffEnrolResult> m_enrolResult;

    std::mutex m_postedMutex;
    std::deque<Posted> m_posted;
    Worker m_worker;
};

} // namespace uketsuke::kiosk::runner
