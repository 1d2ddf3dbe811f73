#pragma once

// The staff log-in page and the log-out form (docs/desk-staff.md): small HTML documents
// (lang="ja", UTF-8, words from the string table's "desk.login.*" keys), without scripts. Pure
// functions: no I/O, so tests render them directly.

#include "desk/auth.hpp"
#include "kiosk/model/strings.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::desk {

// What the log-in page says above its form.
enum class LoginMessage {
    None,
    Refused,   // wrong name or password (also a disabled or unknown account)
    Locked,    // too many failures: wait
    LoggedOut, // after a log-out
    Error,     // the desk cannot check accounts
};

// The form: name (kept as typed, escaped), password, a submit button; POST /login.
std::string renderLoginPage(const kiosk::model::StringTable& strings, LoginMessage message,
                            std::string_view name = {});

// A form that logs `session` out (POST /logout with its CSRF token), for any staff page to
// include; shows the account's name.
std::string logoutForm(const kiosk::model::StringTable& strings, const StaffSession& session);

// GET /logout: the log-out form on a page of its own.
std::string renderLogoutPage(const kiosk::model::StringTable& strings,
                             const StaffSession& session);

// The "desk.login.*" keys these pages use; a test checks that every string table has them.
std::vector<std::string> loginStringKeys();

} // namespace uketsuke::desk
