#pragma once

// The terminal application without a UI: configuration in, devices and services built from it
// through the device registry (kiosk/app/devices.hpp), the Terminal wired to them. The windowed
// terminal, headless runs and every `doctor` command build it the same way; ui/main.cpp is a
// thin shell around it and the frame loop.

#include "base/result.hpp"
#include "kiosk/app/devices.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/model/strings.hpp"
#include "kiosk/runner/terminal.hpp"

#include <chrono>
#include <functional>
#include <memory>

namespace uketsuke::kiosk::app {

class App {
public:
    // Builds everything; starts nothing. `wake` is called from any thread after a worker posted
    // an event (TerminalOptions::wake). Errors: ConfigMissing / ConfigInvalid (a missing
    // string table, certificate, persona or oqs folder, an unknown device kind; the message
    // names the key or file), StorageError (the outbox cannot be opened, or the oqs res folder
    // cannot be watched).
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

    runner::Terminal& terminal();
    const model::StringTable& strings() const;
    const DemoControls& demoControls() const;
    const std::string& terminalId() const;

    // Waits until every saved check-in was delivered to the desk or `bound` passed; returns how
    // many are still waiting (they stay in the outbox and go out on the next start).
    int drainOutbox(std::chrono::milliseconds bound);

private:
    App();
    struct Parts;
    std::unique_ptr<Parts> m_parts;
};

} // namespace uketsuke::kiosk::app
