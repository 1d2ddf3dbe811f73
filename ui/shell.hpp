#pragma once

// The kiosk's frame loop: the one place where SDL input, the Terminal (flow + workers) and the
// screens meet. The composition root (ui/app.cpp) builds the config, the devices and the
// Terminal, then calls runKiosk().

#include "kiosk/config/config.hpp"
#include "kiosk/model/strings.hpp"
#include "kiosk/runner/terminal.hpp"

#include <functional>
#include <string>

namespace uketsuke::ui {

// The demo strip's card controls (config ui.demo_controls) and the headless script's
// insert-card / remove-card. Empty functions: the reader is real and scripts cannot use them.
struct DemoControls {
    std::function<void()> insertCard;
    std::function<void()> removeCard;
    // The simulated reader's PIN pad (sim.pin_pad = true): pad-type / pad-cancel in scripts.
    std::function<void(const std::string& digits)> typeOnPad;
    std::function<void()> cancelOnPad;
};

// Opens the window (full screen, or --windowed; offscreen with the software renderer when
// config.headless), runs the frame loop until the window is closed (SDL_QUIT, also on SIGINT /
// SIGTERM) or the headless script ends, and returns the process exit status:
//   0  closed normally / every expectation of the script held
//   1  a script expectation failed, or SDL could not start (one line on stderr says why)
//   2  bad configuration: the font is missing, the script cannot be read or parsed
// The loop sleeps in SDL_WaitEventTimeout until input, a wake-up from a worker (makeSdlWake) or
// the next flow timer; it draws 2-3 frames after input and otherwise only when the state
// changes (8 frames a second while a spinner shows). On video drivers whose wait does not sleep
// (dummy, offscreen, kmsdrm) it throttles itself instead. `terminal` must be started.
// Thread: main.
int runKiosk(const kiosk::config::KioskConfig& config, const kiosk::model::StringCatalog& strings,
             kiosk::runner::Terminal& terminal, const DemoControls& demo);

// A function that wakes the frame loop by pushing an SDL user event: pass it as
// TerminalOptions::wake. Thread: any. Before the window opens and after it closed it does
// nothing (the loop pumps the terminal when it starts anyway).
std::function<void()> makeSdlWake();

} // namespace uketsuke::ui
