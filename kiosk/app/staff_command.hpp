#pragma once

// `uketsuke-kiosk staff add|passwd|disable ID` and `staff list` (docs/staff.md "Accounts"):
// the staff accounts file of this terminal (kiosk/config/staff_accounts.hpp).

#include "kiosk/config/config.hpp"

#include <istream>
#include <ostream>

namespace uketsuke::kiosk::app {

// Runs the staff command in config.action on the file config.staffAccounts. A new PIN is read
// from `in`: asked twice without echo when `in` is a terminal (`interactive`), else one line.
// `list` prints "id role [disabled]" lines, never a hash. Returns the exit status: 0 done,
// 2 bad input (a PIN that is not 4-8 digits, an unknown or repeated id, a damaged file; one
// line on `err`), 1 the file cannot be written.
int staffCommand(const config::KioskConfig& config, std::istream& in, bool interactive,
                 std::ostream& out, std::ostream& err);

} // namespace uketsuke::kiosk::app
