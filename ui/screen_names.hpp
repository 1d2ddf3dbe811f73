#pragma once

// The names of the screens (headless scripts' expect-screen, screenshot files): apart from the
// screen models so that the script parser (ui/headless_script.hpp) builds without the UI.

#include "kiosk/staff/staff.hpp"

#include <string>
#include <string_view>

namespace uketsuke::ui {

// The screen name of the not-ready screen (expect-screen, screenshots).
inline constexpr const char* kNotReadyScreen = "not_ready";

// "staff:enter_pin", "staff:locked_out", "staff:menu:<section>".
std::string staffScreenName(const kiosk::staff::State& state);

// The name of the screen a flow state shows is kiosk::flow::screenName() (found by argument-
// dependent lookup: screenName(state)); the staff screens' is staffScreenName().

// True for every name screenName() can give, and kNotReadyScreen: "idle", "error",
// "error:card_unreadable", "idle:printer_unavailable", "idle:out_of_service", "idle:closed",
// "result:print_failed", "result:service_unreachable", "not_ready", and the staff screens'
// names. Headless scripts are checked against it when parsed.
bool isScreenName(std::string_view name);

} // namespace uketsuke::ui
