#pragma once

// The composition root of uketsuke-kiosk: configuration in, devices and services built from
// it (the device chosen by name, never by #ifdef), the Terminal wired to them. main() only
// calls this and the frame loop.

#include "hal/card.hpp"
#include "hal/printer.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/model/strings.hpp"
#include "kiosk/runner/clock.hpp"
#include "kiosk/runner/terminal.hpp"
#include "ui/shell.hpp"

#include <chrono>
#include <functional>
#include <memory>

namespace uketsuke::ui {

class App {
public:
    // Builds everything; starts nothing. Errors: ConfigMissing / ConfigInvalid (a missing
    // string table, certificate, persona or oqs folder; the message names the key or file),
    // StorageError (the outbox cannot be opened, or the oqs res folder cannot be watched).
    static Result<std::unique_ptr<App>> build(const kiosk::config::KioskConfig& config,
                                              std::function<void()> wake);
    ~App();

    // Starts the terminal's workers and the delivery worker. Thread: main.
    void start();
    // Stops all workers. Thread: main.
    void stop();

    kiosk::runner::Terminal& terminal();
    const kiosk::model::StringCatalog& strings() const;
    DemoControls demoControls();

    // Waits until every saved check-in was delivered to the desk or `bound` passed; returns how
    // many are still waiting (they stay in the outbox and go out on the next start).
    int drainOutbox(std::chrono::milliseconds bound);

private:
    App();
    struct Parts;
    std::unique_ptr<Parts> m_parts;
};

} // namespace uketsuke::ui
