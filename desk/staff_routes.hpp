#pragma once

// The staff log-in routes and the gate every staff route passes (docs/desk-staff.md):
//  - GET /login: the form (a session already: 303 to /);
//  - POST /login (name, password; application/x-www-form-urlencoded): 303 to / with the
//    session cookie, or the form again: 401 refused, 429 locked (Retry-After), 500;
//  - GET /logout: a page with the log-out button; POST /logout (CSRF token): ends the session,
//    clears the cookie, 303 to /login;
//  - GET /api/v1/session: {"account", "role", "csrf_token", "idle_timeout_s"} for scripts of
//    a logged-in page.
// None of them needs a client certificate; the terminal API keeps needing one.

#include "desk/auth.hpp"
#include "kiosk/model/strings.hpp"
#include "net/server.hpp"

#include <variant>

namespace uketsuke::desk {

// Adds the routes above. `auth` and `strings` must outlive the router.
void addStaffRoutes(net::Router& router, StaffAuth& auth,
                    const kiosk::model::StringTable& strings);

// The gate of a staff route: the request's session, or the answer to give instead:
//  - no session (none, ended, unknown): under /api/ 401 {"error":{"code":"login_required"}},
//    elsewhere 303 to /login;
//  - a state-changing request (not GET/HEAD) without the session's CSRF token: 403, under
//    /api/ {"error":{"code":"csrf_failed"}}, elsewhere a sentence.
// Use it as the first line of every staff handler:
//     auto admitted = admitStaff(auth, strings, req);
//     if (auto* refusal = std::get_if<net::Response>(&admitted)) { return *refusal; }
//     const StaffSession& session = std::get<StaffSession>(admitted);
std::variant<StaffSession, net::Response> admitStaff(StaffAuth& auth,
                                                     const kiosk::model::StringTable& strings,
                                                     const net::Request& request);

} // namespace uketsuke::desk
