#pragma once

// `uketsuke-desk user add|passwd|disable|enable|list` (docs/desk-staff.md): the staff accounts
// in DATA/accounts.sqlite3, changed while the desk runs or not (SQLite takes care of both
// processes; a password change or a disable ends that account's sessions at their next
// request). Every change is written to the audit log with the address "cli" and the uid.

#include "desk/options.hpp"

#include <istream>
#include <ostream>

namespace uketsuke::desk {

// The shortest and longest password `user add` and `user passwd` accept (bytes of UTF-8).
constexpr std::size_t kMinPasswordLength = 8;
constexpr std::size_t kMaxPasswordLength = 256;

// Runs `command` on the account store of `options.dataDir` (created 0700 if missing). add and
// passwd read the password from `in`: with `interactive` (a terminal) twice after a prompt on
// `err`, echo off; otherwise one line. Output for people on `out`, errors as one line on `err`.
// Returns 0 when done, 1 when refused (no such account, it exists, storage), 2 for a bad
// password (too short, too long, the two differ, none given).
int runUserCommand(const UserCommand& command, const DeskOptions& options, std::istream& in,
                   bool interactive, std::ostream& out, std::ostream& err);

} // namespace uketsuke::desk
