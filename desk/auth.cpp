#include "desk/auth.hpp"

#include "base/hex.hpp"
#include "base/log.hpp"
#include "crypto/crypto.hpp"
#include "crypto/password.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace uketsuke::desk {
namespace {

const log::Category kLog("desk.auth");

constexpr std::size_t kTokenBytes = 32; // 256 bits
constexpr std::size_t kMaxTypedName = 64;
constexpr std::size_t kMaxThrottles = 10000;

// A fresh random token as lower-case hex, or "" when the system has no randomness to give
// (then nobody can log in, which is logged).
std::string randomToken()
{
    auto bytes = crypto::randomBytes(kTokenBytes);
    if (!bytes) {
        UKETSUKE_LOG(kLog, Error) << "no random bytes for a session: " << bytes.error().message;
        return {};
    }
    return hex(*bytes, HexCase::Lower);
}

bool constantTimeEquals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// What was typed as a name, as the throttles count it: lower case, at most kMaxTypedName bytes.
std::string typedName(std::string_view name)
{
    std::string out(name.substr(0, kMaxTypedName));
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

bool isSafeMethod(std::string_view method)
{
    return method == "GET" || method == "HEAD";
}

bool startsWithNoCase(std::string_view text, std::string_view prefix)
{
    if (text.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) !=
            std::tolower(static_cast<unsigned char>(prefix[i]))) {
            return false;
        }
    }
    return true;
}

} // namespace

void declareStaffOptions(options::Table& t, StaffSettings& s)
{
    t.duration<std::chrono::minutes>("", "session_idle_min", "MIN", s.sessionIdle, 1, 24 * 60,
                                     "a staff session ends after this many minutes without a "
                                     "request");
    t.duration<std::chrono::hours>("", "session_max_h", "HOURS", s.sessionMax, 1, 7 * 24,
                                   "a staff session ends this many hours after its log-in");
    t.number("", "login_max_failures", "N", s.maxFailures, 1, 100,
             "failed log-ins in a row for one name before it is locked (30 s, doubling to "
             "15 min)");
}

std::optional<std::string_view> cookieValue(std::string_view header, std::string_view name)
{
    while (!header.empty()) {
        const auto semicolon = header.find(';');
        std::string_view pair = header.substr(0, semicolon);
        header = semicolon == std::string_view::npos ? std::string_view()
                                                     : header.substr(semicolon + 1);
        while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) {
            pair.remove_prefix(1);
        }
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            std::string_view value = pair.substr(eq + 1);
            while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
                value.remove_suffix(1);
            }
            return value;
        }
    }
    return std::nullopt;
}

StaffAuth::StaffAuth(AccountStore& accounts, StaffSettings settings)
    : m_accounts(accounts), m_settings(std::move(settings))
{
    const std::string dummy = randomToken() + "-no-account";
    auto hashed = crypto::hashSecret(std::span<const char>(dummy.data(), dummy.size()));
    if (hashed) {
        m_dummyHash = std::move(*hashed);
    }
}

void StaffAuth::forgetOld(time::Clock::time_point now)
{
    const auto forget = [&](Throttles& throttles) {
        std::erase_if(throttles, [&](const auto& entry) {
            return now - entry.second.lastFailure > m_settings.lockMax &&
                   now >= entry.second.lockedUntil;
        });
    };
    forget(m_byName);
    forget(m_byAddress);
    std::erase_if(m_sessions, [&](const auto& entry) {
        return now - entry.second.lastSeen > m_settings.sessionIdle ||
               now - entry.second.started > m_settings.sessionMax;
    });
}

bool StaffAuth::fail(Throttle& throttle, int limit, time::Clock::time_point now) const
{
    ++throttle.failures;
    throttle.lastFailure = now;
    if (throttle.failures < limit) {
        return false;
    }
    // 30 s for the limit-th failure, then doubling: 60 s, 120 s, ... up to lockMax.
    auto lock = m_settings.lockFirst;
    for (int i = limit; i < throttle.failures && lock < m_settings.lockMax; ++i) {
        lock *= 2;
    }
    throttle.lockedUntil = now + std::min(lock, m_settings.lockMax);
    return true;
}

LoginResult StaffAuth::login(std::string_view name, std::span<const char> password,
                             std::string_view address)
{
    const auto now = m_settings.now();
    const std::string typed = typedName(name);
    const std::string peer(address);

    auto lockedFor = std::chrono::seconds(0);
    {
        std::lock_guard lock(m_mutex);
        forgetOld(now);
        if (m_byName.size() > kMaxThrottles) {
            m_byName.clear(); // a flood of made-up names: the address throttle still holds
        }
        for (const Throttles* throttles : {&m_byName, &m_byAddress}) {
            const auto found = throttles->find(throttles == &m_byName ? typed : peer);
            if (found != throttles->end() && found->second.lockedUntil > now) {
                lockedFor = std::max(lockedFor, std::chrono::ceil<std::chrono::seconds>(
                                                    found->second.lockedUntil - now));
            }
        }
    }
    if (lockedFor.count() > 0) {
        audit(typed, address, "login", "locked");
        return {LoginStatus::Locked, std::nullopt, lockedFor};
    }

    auto credentials = isValidAccountName(typed) ? m_accounts.credentials(typed)
                                                 : Result<std::optional<AccountStore::Credentials>>(
                                                       std::optional<AccountStore::Credentials>());
    if (!credentials) {
        UKETSUKE_LOG(kLog, Error) << "cannot read accounts: " << credentials.error().message;
        return {LoginStatus::Error, std::nullopt, {}};
    }
    const auto& found = *credentials;
    // The same work whether or not the account exists.
    const bool passwordOk =
        crypto::verifySecret(found ? std::string_view(found->passwordHash) : m_dummyHash,
                             password) &&
        found.has_value();
    const bool ok = passwordOk && !found->account.disabled;

    if (!ok) {
        const char* why = !found ? "no_account" : (found->account.disabled ? "disabled"
                                                                           : "wrong_password");
        bool locked = false;
        std::chrono::seconds retry{0};
        {
            std::lock_guard lock(m_mutex);
            Throttle& byName = m_byName[typed];
            Throttle& byAddress = m_byAddress[peer];
            locked = fail(byName, m_settings.maxFailures, now);
            locked = fail(byAddress, m_settings.maxAddressFailures, now) || locked;
            if (locked) {
                retry = std::chrono::ceil<std::chrono::seconds>(
                    std::max(byName.lockedUntil, byAddress.lockedUntil) - now);
            }
        }
        audit(typed, address, "login", "refused", why);
        if (locked) {
            audit(typed, address, "lockout", "locked",
                  "for " + std::to_string(retry.count()) + " s");
            UKETSUKE_LOG(kLog, Warn) << "log-in locked for " << retry.count() << " s from "
                                     << address;
            return {LoginStatus::Locked, std::nullopt, retry};
        }
        return {LoginStatus::Refused, std::nullopt, {}};
    }

    StaffSession session;
    session.id = randomToken();
    session.csrfToken = randomToken();
    if (session.id.empty() || session.csrfToken.empty()) {
        return {LoginStatus::Error, std::nullopt, {}};
    }
    session.account = found->account.name;
    session.role = found->account.role;
    session.address = peer;
    session.started = now;
    session.lastSeen = now;
    session.generation = found->account.generation;
    {
        std::lock_guard lock(m_mutex);
        m_byName.erase(typed);
        while (m_sessions.size() >= m_settings.maxSessions) {
            auto oldest = std::min_element(m_sessions.begin(), m_sessions.end(),
                                           [](const auto& a, const auto& b) {
                                               return a.second.lastSeen < b.second.lastSeen;
                                           });
            m_sessions.erase(oldest);
        }
        m_sessions.emplace(session.id, session);
    }
    if (crypto::hashNeedsUpdate(found->passwordHash)) {
        if (auto fresh = crypto::hashSecret(password); fresh) {
            (void)m_accounts.rehash(session.account, *fresh);
        }
    }
    if (auto recorded = m_accounts.recordLogin(session.account, now); !recorded) {
        UKETSUKE_LOG(kLog, Error) << "cannot record a log-in: " << recorded.error().message;
    }
    audit(session.account, address, "login", "ok");
    UKETSUKE_LOG(kLog, Info) << "staff log-in account=" << session.account << " from "
                             << address;
    return {LoginStatus::Ok, std::move(session), {}};
}

std::optional<StaffSession> StaffAuth::staffSession(const net::Request& request)
{
    const std::string* header = request.header("Cookie");
    if (header == nullptr) {
        return std::nullopt;
    }
    const auto id = cookieValue(*header, kCookieName);
    if (!id || id->empty()) {
        return std::nullopt;
    }
    const auto now = m_settings.now();
    StaffSession session;
    {
        std::lock_guard lock(m_mutex);
        const auto found = m_sessions.find(*id);
        if (found == m_sessions.end()) {
            return std::nullopt;
        }
        session = found->second;
        const char* expired = nullptr;
        if (now - session.lastSeen > m_settings.sessionIdle) {
            expired = "idle";
        } else if (now - session.started > m_settings.sessionMax) {
            expired = "max_age";
        }
        if (expired != nullptr) {
            m_sessions.erase(found);
            audit(session.account, request.peerAddress, "session_expired", "ended", expired);
            return std::nullopt;
        }
    }
    // A disable or a new password since the log-in ends the session.
    auto account = m_accounts.find(session.account);
    if (!account || !*account || (*account)->disabled ||
        (*account)->generation != session.generation) {
        std::lock_guard lock(m_mutex);
        m_sessions.erase(session.id);
        if (!account) {
            UKETSUKE_LOG(kLog, Error) << "cannot read accounts: " << account.error().message;
        } else {
            audit(session.account, request.peerAddress, "session_expired", "ended",
                  "account_changed");
        }
        return std::nullopt;
    }
    std::lock_guard lock(m_mutex);
    const auto found = m_sessions.find(session.id);
    if (found == m_sessions.end()) {
        return std::nullopt; // logged out meanwhile
    }
    found->second.lastSeen = now;
    found->second.address = request.peerAddress;
    return found->second;
}

bool StaffAuth::checkCsrf(const net::Request& request, const StaffSession& session) const
{
    if (isSafeMethod(request.method)) {
        return true;
    }
    if (const std::string* token = request.header(kCsrfHeader)) {
        return constantTimeEquals(*token, session.csrfToken);
    }
    const std::string* type = request.header("Content-Type");
    if (type != nullptr && startsWithNoCase(*type, "application/x-www-form-urlencoded")) {
        const auto form = net::parseQuery(request.body);
        const auto field = form.find(std::string(kCsrfField));
        return field != form.end() && constantTimeEquals(field->second, session.csrfToken);
    }
    return false;
}

void StaffAuth::logout(const StaffSession& session)
{
    bool known = false;
    {
        std::lock_guard lock(m_mutex);
        known = m_sessions.erase(session.id) > 0;
    }
    if (known) {
        audit(session, "logout", "");
    }
}

void StaffAuth::audit(const StaffSession& session, std::string_view action,
                      std::string_view detail, std::string_view result)
{
    audit(session.account, session.address, action, result, detail);
}

Result<int> StaffAuth::auditFromTerminal(std::string_view terminal, std::string_view address,
                                         const std::vector<kiosk::model::StaffAuditRecord>& lines)
{
    return m_accounts.auditFromTerminal(terminal, address, lines);
}

Result<std::vector<AuditEntry>> StaffAuth::auditLog(std::size_t limit)
{
    return m_accounts.auditLog(limit);
}

void StaffAuth::audit(std::string_view account, std::string_view address, std::string_view action,
                      std::string_view result, std::string_view detail)
{
    AuditEntry entry{time::isoUtc(m_settings.now()), std::string(account), std::string(address),
                     std::string(action), std::string(result), std::string(detail), ""};
    if (auto written = m_accounts.audit(entry); !written) {
        UKETSUKE_LOG(kLog, Error) << "cannot write the audit log: " << written.error().message;
    }
}

std::string StaffAuth::sessionCookie(const StaffSession& session) const
{
    // No Max-Age: the browser forgets it when it closes; the server ends it anyway.
    return std::string(kCookieName) + "=" + session.id +
           "; Path=/; Secure; HttpOnly; SameSite=Strict";
}

std::string StaffAuth::clearedCookie()
{
    return std::string(kCookieName) + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0";
}

std::size_t StaffAuth::sessionCount() const
{
    std::lock_guard lock(m_mutex);
    return m_sessions.size();
}

} // namespace uketsuke::desk
