#pragma once

// The kiosk's frame loop: the one place where SDL input, the Terminal (flow + workers) and the
// screens meet. Both boot modes run the same loop: runKiosk() on the terminal, runNotReady() on
// the out-of-service screen. The composition root (kiosk/app/app.cpp) builds the config, the devices and the
// Terminal, then calls runKiosk().

#include "kiosk/app/devices.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/model/strings.hpp"
#include "kiosk/runner/staff_console.hpp"
#include "kiosk/runner/terminal.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace uketsuke::ui {

// The simulated reader's controls (kiosk/app/devices.hpp): the demo strip (config
// ui.demo_controls) and the headless script's insert-card / remove-card / pad-type / pad-cancel.
using DemoControls = kiosk::app::DemoControls;

// The staff menu over either boot mode (docs/staff.md): the hidden gesture on any screen opens
// the console's PIN screen; while the console is active its screens replace the patient's.
// `page` gives a menu section's rows (App::staffPage). Both null/empty: no staff menu.
struct StaffUi {
    kiosk::runner::StaffConsole* console = nullptr;
    std::function<std::vector<kiosk::runner::StaffRow>(kiosk::staff::Section)> page;
};

// Opens the window (full screen, or --windowed; offscreen with the software renderer when
// config.headless), runs the frame loop until the window is closed (SDL_QUIT, also on SIGINT /
// SIGTERM) or the headless script ends, and returns the process exit status:
//   0  closed normally / every expectation of the script held
//   1  a script expectation failed, or SDL could not start (one line on stderr says why)
//   2  bad configuration: the font is missing, the script cannot be read or parsed
// The loop sleeps in SDL_WaitEventTimeout until input, a wake-up from a worker (makeSdlWake) or
// the next flow timer; it draws 2-3 frames after input and otherwise only when the state
// changes (8 frames a second while a spinner shows, only the spinner's square when the renderer
// keeps its frame). On video drivers whose wait does not sleep (dummy, offscreen, kmsdrm) it
// sleeps in poll() on the wake-up eventfd and the input devices instead (Host::waitForWake;
// docs/performance.md). `terminal` must be started.
// Thread: main.
int runKiosk(const kiosk::config::KioskConfig& config, const kiosk::model::StringCatalog& strings,
             kiosk::runner::Terminal& terminal, const DemoControls& demo,
             const StaffUi& staff = {});

// The not-ready boot mode (kiosk/app/app.hpp): shows the calm out-of-service screen, which
// lists the `missing` config keys for staff, until the window is closed (SDL_QUIT, also on
// SIGINT / SIGTERM) or the headless script ends (it may use expect-screen not_ready,
// expect-text, screenshot and timeout). Returns the exit status as runKiosk() does. Thread: main.
int runNotReady(const kiosk::config::KioskConfig& config,
                const kiosk::model::StringTable& strings, const std::vector<std::string>& missing,
                const StaffUi& staff = {});

// Whether an SDL event of `eventType` ends the frame loop. A stop that was asked for (SIGTERM
// from systemd, SIGINT, staff's restart: requestQuit) always does; SDL_QUIT alone (the window
// manager closing the window, Alt+F4 in a desktop session) only when not `kiosk` (full screen,
// not headless): a patient has no way out of the terminal, a windowed development run closes
// with its window.
bool endsFrameLoop(std::uint32_t eventType, bool stopRequested, bool kiosk);

// A function that wakes the frame loop by pushing an SDL user event: pass it as
// TerminalOptions::wake. Thread: any. Before the window opens and after it closed it does
// nothing (the loop pumps the terminal when it starts anyway).
std::function<void()> makeSdlWake();

// Ends runKiosk() / runNotReady() as closing the window does (status 0): the stop signals
// (SIGTERM from systemd, SIGINT) call it from their watcher thread. Thread: any.
void requestQuit();

} // namespace uketsuke::ui
