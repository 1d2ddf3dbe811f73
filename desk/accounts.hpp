#pragma once

// The desk's staff accounts and their audit log (docs/desk-staff.md), in a SQLite file of their
// own next to the check-ins (DATA/accounts.sqlite3, 0600 in the 0700 data folder): an account
// has a name, an argon2id hash of its password (crypto/password.hpp, never the password), a
// role, and may be disabled. Every change carries a generation number, so a session started
// before a password change or a disable ends at its next request (desk/auth.hpp).
//
// The audit log keeps who did what from where and how it went: log-ins, refusals, lock-outs,
// log-outs, changes made with `uketsuke-desk user`, and whatever a staff route records through
// StaffAuth::audit(). It never holds a password, a hash or a session id.
//
// All functions are internally serialised: any thread may call them. Each blocks on disk I/O.

#include "base/result.hpp"
#include "kiosk/model/staff_audit.hpp"
#include "storage/database.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::desk {

enum class Role { Staff, Admin };

// "staff", "admin".
std::string_view roleName(Role role);
std::optional<Role> roleFromName(std::string_view name);

// 1 to 32 characters of a-z 0-9 . _ - (lower case, so "Sato" and "sato" cannot both exist).
bool isValidAccountName(std::string_view name);

struct Account {
    std::string name;
    Role role = Role::Staff;
    bool disabled = false;
    // Bumped by every password change, disable and enable.
    std::int64_t generation = 0;
    std::string createdAt;   // ISO 8601 UTC
    std::string lastLoginAt; // ISO 8601 UTC, "" before the first log-in
};

// One line of the audit log. `account` may name an account that does not exist (a refused
// log-in); `address` is the peer address, or "cli" for `uketsuke-desk user`.
struct AuditEntry {
    std::string at; // ISO 8601 UTC
    std::string account;
    std::string address;
    std::string action; // login, logout, login_locked, session_expired, user_add, ...
    std::string result; // ok, refused, locked, ...; empty for a terminal's line
    std::string detail;
    // The terminal whose staff menu made the line (its certificate's CN; `account` is then the
    // staff id at the terminal, empty when nobody was signed in); empty for the desk's own.
    std::string terminal;
};

class AccountStore {
public:
    // Opens or creates the file (its folder must exist; the file is made 0600).
    // Errors: StorageError, StorageCorrupt (storage/database.hpp).
    static Result<std::unique_ptr<AccountStore>> open(const std::filesystem::path& file);

    // Errors of the functions below: StorageError, and InvalidArgument as each says.

    // A new account. InvalidArgument: a bad name, an empty hash, or the name exists.
    Result<void> add(std::string_view name, std::string_view passwordHash, Role role);
    // InvalidArgument: no such account.
    Result<void> setPasswordHash(std::string_view name, std::string_view passwordHash);
    // InvalidArgument: no such account.
    Result<void> setDisabled(std::string_view name, bool disabled);
    // Keeps a fresher hash after a log-in (crypto::hashNeedsUpdate) without ending sessions.
    Result<void> rehash(std::string_view name, std::string_view passwordHash);
    Result<void> recordLogin(std::string_view name, std::chrono::system_clock::time_point at);

    // Every account by name.
    Result<std::vector<Account>> list();
    // nullopt when there is no such account.
    Result<std::optional<Account>> find(std::string_view name);
    // The account with its hash, for a log-in only; nullopt when there is none.
    struct Credentials {
        Account account;
        std::string passwordHash;
    };
    Result<std::optional<Credentials>> credentials(std::string_view name);

    Result<void> audit(const AuditEntry& entry);
    // Staff audit lines a terminal sent (POST /api/v1/terminals/audit), from `address`: each
    // stored once by its id (a line sent again changes nothing). Returns how many were new.
    Result<int> auditFromTerminal(std::string_view terminal, std::string_view address,
                                  const std::vector<kiosk::model::StaffAuditRecord>& lines);
    // The newest `limit` entries by time (a terminal's line by its terminal's clock), newest
    // first.
    Result<std::vector<AuditEntry>> auditLog(std::size_t limit = 100);

    const std::filesystem::path& file() const { return m_db.file(); }

private:
    explicit AccountStore(storage::Database db);
    Result<std::optional<Credentials>> readLocked(std::string_view name);
    // Runs an UPDATE whose ?1 is the account name and whose other parameters `bind` sets.
    // InvalidArgument when no account has that name.
    Result<void> updateLocked(std::string_view name, std::string_view sql,
                              const std::function<void(storage::Statement&)>& bind);

    std::mutex m_mutex;
    storage::Database m_db;
};

} // namespace uketsuke::desk
