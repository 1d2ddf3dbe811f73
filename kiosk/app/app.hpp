#pragma once

// The terminal application without a UI: configuration in, devices and services built from it
// through the device registry (kiosk/app/devices.hpp), the Terminal wired to them. The windowed
// terminal, headless runs and every `doctor` command build it the same way; ui/main.cpp is a
// thin shell around it and the frame loop.

#include "base/log.hpp"
#include "base/result.hpp"
#include "base/service.hpp"
#include "kiosk/app/devices.hpp"
#include "kiosk/app/startup_checks.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/model/strings.hpp"
#include "kiosk/runner/staff_console.hpp"
#include "kiosk/runner/terminal.hpp"

#include <chrono>
#include <functional>
#include <memory>

namespace uketsuke::kiosk::app {

// How the terminal boots (docs/programs/uketsuke-kiosk.md "Boot modes").
enum class BootMode {
    Run,      // every check passed: patients check in
    NotReady, // something a staff member can fix is missing (a client certificate or key):
              // a calm out-of-service screen says what, instead of exiting
    Enrol,    // reserved: enrolment (a later issue)
    Staff,    // reserved: the staff menu (a later issue)
};

const char* bootModeName(BootMode mode); // "run", "not-ready", "enrol", "staff"

class App {
public:
    // Runs the start-up checks, then builds everything; starts nothing. With a client
    // certificate or key missing it builds only the string table and boots NotReady. `wake` is
    // called from any thread after a worker posted an event (TerminalOptions::wake).
    // Errors: ConfigInvalid (a start-up check failed: "desk.key: the key does not match ...",
    // an unknown device kind), ConfigMissing / ConfigInvalid (a missing string table, persona
    // or oqs folder; the message names the key or file), StorageError (the outbox cannot be
    // opened, or the oqs res folder cannot be watched).
    static Result<std::unique_ptr<App>> build(const config::KioskConfig& config,
                                              std::function<void()> wake,
                                              const DeviceRegistry& devices = builtinDevices());
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // Starts the terminal's workers, the delivery worker and the keypad. Thread: main.
    void start();
    // Stops them all. Thread: main. Idempotent.
    void stop();

    BootMode mode() const;
    // NotReady: what is missing (the Missing start-up checks). Empty in Run.
    const std::vector<StartupCheck>& notReady() const;

    // Run mode only.
    runner::Terminal& terminal();
    // Every language the terminal speaks (the configured one first).
    const model::StringCatalog& strings() const;
    const DemoControls& demoControls() const;
    const std::string& terminalId() const;
    // The workers' heartbeats (card, service, printer, delivery) for the service watchdog.
    const service::Heartbeats& heartbeats() const;
    // The last kRecentLogLines log lines of this process (every category, as UKETSUKE_LOG lets
    // them through), kept from build() until the App is destroyed, for the staff log view. Both
    // boot modes. Thread: any (snapshot() is thread-safe).
    static constexpr std::size_t kRecentLogLines = 500;
    const log::RingBufferSink& recentLog() const;

    // The staff console (docs/staff.md), in both boot modes. Its accounts are read from
    // config.staffAccounts at build(); a damaged file is logged and leaves nobody able to
    // unlock (patients are served either way). Thread: main.
    runner::StaffConsole& staff();
    // The page of a menu section: rows of what the terminal knows now (devices, today's
    // delivery, the recent log, the settings). Thread: main.
    std::vector<runner::StaffRow> staffPage(staff::Section section);
    // What "restart" in the menu does (the shell ends the frame loop; systemd starts the
    // service again). Set before the frame loop runs.
    void onRestartRequested(std::function<void()> restart);
    bool restartRequested() const;

    // Waits until every saved check-in and staff audit line was delivered to the desk or
    // `bound` passed; returns how many are still waiting (they stay in the outbox and go out on
    // the next start).
    int drainOutbox(std::chrono::milliseconds bound);

private:
    App();
    // The "today" page: counts by outcome, the outbox and its oldest check-in.
    void todayRows(std::vector<runner::StaffRow>& rows);
    // The "settings" page: the keys staff may change on site (an administrator's draft while
    // the editor is open), the last save's error, the gateway.
    void settingsRows(std::vector<runner::StaffRow>& rows);
    struct Parts;
    std::unique_ptr<Parts> m_parts;
};

} // namespace uketsuke::kiosk::app
