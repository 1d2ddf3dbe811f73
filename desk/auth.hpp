#pragma once

// Staff log-in at the desk (docs/desk-staff.md): who may see the page and the check-in list,
// and from which reception PC. Pure logic over the account store, with an injected clock: no
// HTTP here, the routes are in desk/staff_routes.hpp.
//
//  - A log-in checks the name and password (argon2id, crypto/password.hpp) and starts a
//    session: a random 256-bit id (the cookie) and a random 256-bit CSRF token, both kept only
//    in this process's memory, so a restart logs everyone out.
//  - A session ends after `sessionIdle` without a request, `sessionMax` after its log-in, at
//    log-out, and at its next request once its account was disabled or got a new password.
//  - Lock-out: after `maxFailures` failed log-ins in a row for one name, that name is locked
//    for `lockFirst`, doubling with each further failure up to `lockMax`; the same for one peer
//    address after `maxAddressFailures`. Names that do not exist are counted and locked the
//    same way, and every refusal reads the same, so answers never tell whether an account
//    exists. A locked attempt does not look at the password. A successful log-in clears its
//    name's count (not its address's). Counts are forgotten `lockMax` after the last failure.
//  - Every log-in, refusal, lock-out, log-out and expired session is written to the audit log
//    (desk/accounts.hpp); routes add their own lines with audit().
//
// Thread: every member may be called from any thread (the server's handler pool).

#include "base/options.hpp"
#include "base/time.hpp"
#include "desk/accounts.hpp"
#include "net/server.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace uketsuke::desk {

struct StaffSettings {
    std::chrono::minutes sessionIdle{30}; // session_idle_min
    std::chrono::hours sessionMax{12};    // session_max_h
    int maxFailures = 5;                  // login_max_failures: per name, before a lock
    int maxAddressFailures = 20;          // per peer address, before a lock
    std::chrono::seconds lockFirst{30};
    std::chrono::seconds lockMax{15 * 60};
    std::size_t maxSessions = 1000; // the oldest idle session goes first beyond this
    // The clock for timeouts, locks and the audit log's times; tests pass a fake one.
    std::function<time::Clock::time_point()> now = [] { return time::Clock::now(); };
};

// The config-file keys of StaffSettings (session_idle_min, session_max_h, login_max_failures),
// for the desk's option table (desk/options.cpp).
void declareStaffOptions(options::Table& table, StaffSettings& settings);

// A logged-in member of staff, as a route sees it (a copy: changing it changes nothing).
struct StaffSession {
    std::string id; // the cookie's value: never log it
    std::string account;
    Role role = Role::Staff;
    std::string csrfToken; // 64 hex digits; the page puts it in its forms and scripts
    std::string address;   // the peer address of the session's latest request
    time::Clock::time_point started;
    time::Clock::time_point lastSeen;
    std::int64_t generation = 0; // the account's (desk/accounts.hpp) at the log-in
};

enum class LoginStatus {
    Ok,      // `session` is set
    Refused, // wrong name or password, or a disabled account: the same answer for each
    Locked,  // too many failures for this name or address: try again after `retryAfter`
    Error,   // the account store failed (logged)
};

struct LoginResult {
    LoginStatus status = LoginStatus::Refused;
    std::optional<StaffSession> session;
    std::chrono::seconds retryAfter{0};
};

class StaffAuth {
public:
    // The session cookie's name. The __Host- prefix makes browsers insist on Secure, Path=/
    // and no Domain.
    static constexpr std::string_view kCookieName = "__Host-uketsuke-desk";
    // The form field and the header that carry the CSRF token.
    static constexpr std::string_view kCsrfField = "csrf_token";
    static constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

    // `accounts` must outlive this. Blocks ~0.1 s (hashes a dummy password, so that a name
    // that does not exist costs a log-in as much time as one that does).
    StaffAuth(AccountStore& accounts, StaffSettings settings);

    // Checks `name` and `password` from the peer `address`. Blocks ~0.1 s (argon2id) unless
    // locked. Never logs the password.
    LoginResult login(std::string_view name, std::span<const char> password,
                      std::string_view address);

    // THE SEAM FOR STAFF ROUTES (1/2): the session of the request's cookie, or nullopt when
    // there is none or it has ended (idle, too old, logged out, account disabled or its
    // password changed). Counts as activity: the idle timeout starts again. Every staff route
    // calls this first, through admitStaff() (desk/staff_routes.hpp) or directly.
    std::optional<StaffSession> staffSession(const net::Request& request);

    // THE SEAM FOR STAFF ROUTES (2/2): true when a state-changing request (any method but GET
    // and HEAD) carries the session's CSRF token, in the X-CSRF-Token header or, for an
    // application/x-www-form-urlencoded body, in the csrf_token field. Constant-time compare.
    bool checkCsrf(const net::Request& request, const StaffSession& session) const;

    // Ends the session (audited as logout). Unknown sessions are ignored.
    void logout(const StaffSession& session);

    // One line in the audit log for what a staff route did: e.g. audit(s, "checkin_called",
    // "id=42"). `detail` must not hold patient names, passwords or session ids.
    void audit(const StaffSession& session, std::string_view action, std::string_view detail,
               std::string_view result = "ok");
    // The same without a session (a refused log-in, the user command).
    void audit(std::string_view account, std::string_view address, std::string_view action,
               std::string_view result, std::string_view detail = {});

    // Staff audit lines from a terminal's maintenance menu (AccountStore::auditFromTerminal),
    // and the newest lines of the whole log for the audit page (AccountStore::auditLog).
    Result<int> auditFromTerminal(std::string_view terminal, std::string_view address,
                                  const std::vector<kiosk::model::StaffAuditRecord>& lines);
    Result<std::vector<AuditEntry>> auditLog(std::size_t limit);

    // The Set-Cookie value that hands the session to the browser, and the one that removes it.
    std::string sessionCookie(const StaffSession& session) const;
    static std::string clearedCookie();

    std::size_t sessionCount() const;
    const StaffSettings& settings() const { return m_settings; }

private:
    struct Throttle {
        int failures = 0;
        time::Clock::time_point lastFailure;
        time::Clock::time_point lockedUntil;
    };
    using Throttles = std::map<std::string, Throttle, std::less<>>;

    // Both under m_mutex.
    void forgetOld(time::Clock::time_point now);
    bool fail(Throttle& throttle, int limit, time::Clock::time_point now) const;

    AccountStore& m_accounts;
    StaffSettings m_settings;
    std::string m_dummyHash;
    mutable std::mutex m_mutex;
    std::map<std::string, StaffSession, std::less<>> m_sessions; // by id
    Throttles m_byName;
    Throttles m_byAddress;
};

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or nullopt.
std::optional<std::string_view> cookieValue(std::string_view cookieHeader, std::string_view name);

} // namespace uketsuke::desk
