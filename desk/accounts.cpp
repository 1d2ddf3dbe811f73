#include "desk/accounts.hpp"

#include "base/time.hpp"

#include <array>
#include <functional>

namespace uketsuke::desk {
namespace {

constexpr std::size_t kMaxAccountName = 32;

// The schema by version (storage/database.hpp: only append).
// Version 2: lines from the terminals' staff menus (POST /api/v1/terminals/audit) name their
// terminal and keep the terminal's id for the line, so a line sent twice is stored once.
constexpr std::array<std::string_view, 2> kMigrations = {
    R"sql(
CREATE TABLE accounts (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    generation    INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    last_login_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    action  TEXT NOT NULL,
    result  TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit(at);
)sql",
    R"sql(
ALTER TABLE audit ADD COLUMN terminal TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN entry_id TEXT;
CREATE UNIQUE INDEX audit_terminal_entry ON audit(terminal, entry_id) WHERE entry_id IS NOT NULL;
)sql",
};

constexpr const char* kSelectAccount =
    "SELECT name, role, disabled, generation, created_at, last_login_at, password_hash "
    "FROM accounts";

Account readAccount(const storage::Statement& s)
{
    Account a;
    a.name = s.text(0);
    a.role = roleFromName(s.text(1)).value_or(Role::Staff);
    a.disabled = s.integer(2) != 0;
    a.generation = s.integer(3);
    a.createdAt = s.text(4);
    a.lastLoginAt = s.text(5);
    return a;
}

Error noSuchAccount(std::string_view name)
{
    return Error{Errc::InvalidArgument, 0, "no account named " + std::string(name)};
}

} // namespace

std::string_view roleName(Role role)
{
    return role == Role::Admin ? "admin" : "staff";
}

std::optional<Role> roleFromName(std::string_view name)
{
    if (name == "staff") {
        return Role::Staff;
    }
    if (name == "admin") {
        return Role::Admin;
    }
    return std::nullopt;
}

bool isValidAccountName(std::string_view name)
{
    if (name.empty() || name.size() > kMaxAccountName) {
        return false;
    }
    for (char c : name) {
        const bool allowed =
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!allowed) {
            return false;
        }
    }
    return true;
}

Result<std::unique_ptr<AccountStore>> AccountStore::open(const std::filesystem::path& file)
{
    storage::OpenOptions options;
    options.name = "account database";
    options.migrations = kMigrations;
    auto db = storage::Database::open(file, options);
    if (!db) {
        return fail(std::move(db).error());
    }
    return std::unique_ptr<AccountStore>(new AccountStore(std::move(*db)));
}

AccountStore::AccountStore(storage::Database db) : m_db(std::move(db)) {}

Result<void> AccountStore::add(std::string_view name, std::string_view passwordHash, Role role)
{
    if (!isValidAccountName(name)) {
        return fail(Errc::InvalidArgument,
                    "an account name is 1 to 32 characters of a-z 0-9 . _ -");
    }
    if (passwordHash.empty()) {
        return fail(Errc::InvalidArgument, "no password hash");
    }
    std::lock_guard lock(m_mutex);
    auto existing = readLocked(name);
    if (!existing) {
        return fail(std::move(existing).error());
    }
    if (*existing) {
        return fail(Errc::InvalidArgument, "an account named " + std::string(name) + " exists");
    }
    auto insert =
        m_db.prepare("INSERT INTO accounts (name, password_hash, role) VALUES (?1, ?2, ?3)");
    if (!insert) {
        return fail(std::move(insert).error());
    }
    return insert->bind(1, name).bind(2, passwordHash).bind(3, roleName(role)).run();
}

Result<void> AccountStore::updateLocked(std::string_view name, std::string_view sql,
                                        const std::function<void(storage::Statement&)>& bind)
{
    auto update = m_db.prepare(sql);
    if (!update) {
        return fail(std::move(update).error());
    }
    update->bind(1, name);
    bind(*update);
    auto ran = update->run();
    if (!ran) {
        return ran;
    }
    if (m_db.changes() == 0) {
        return fail(noSuchAccount(name));
    }
    return ok();
}

Result<void> AccountStore::setPasswordHash(std::string_view name, std::string_view passwordHash)
{
    if (passwordHash.empty()) {
        return fail(Errc::InvalidArgument, "no password hash");
    }
    std::lock_guard lock(m_mutex);
    return updateLocked(name,
                        "UPDATE accounts SET password_hash = ?2, generation = generation + 1 "
                        "WHERE name = ?1",
                        [&](storage::Statement& s) { s.bind(2, passwordHash); });
}

Result<void> AccountStore::setDisabled(std::string_view name, bool disabled)
{
    std::lock_guard lock(m_mutex);
    return updateLocked(name,
                        "UPDATE accounts SET disabled = ?2, generation = generation + 1 "
                        "WHERE name = ?1",
                        [&](storage::Statement& s) { s.bind(2, std::int64_t{disabled ? 1 : 0}); });
}

Result<void> AccountStore::rehash(std::string_view name, std::string_view passwordHash)
{
    if (passwordHash.empty()) {
        return fail(Errc::InvalidArgument, "no password hash");
    }
    std::lock_guard lock(m_mutex);
    return updateLocked(name, "UPDATE accounts SET password_hash = ?2 WHERE name = ?1",
                        [&](storage::Statement& s) { s.bind(2, passwordHash); });
}

Result<void> AccountStore::recordLogin(std::string_view name,
                                       std::chrono::system_clock::time_point at)
{
    std::lock_guard lock(m_mutex);
    const std::string when = time::isoUtc(at);
    return updateLocked(name, "UPDATE accounts SET last_login_at = ?2 WHERE name = ?1",
                        [&](storage::Statement& s) { s.bind(2, when); });
}

Result<std::vector<Account>> AccountStore::list()
{
    std::lock_guard lock(m_mutex);
    auto select = m_db.prepare(std::string(kSelectAccount) + " ORDER BY name");
    if (!select) {
        return fail(std::move(select).error());
    }
    std::vector<Account> out;
    auto walked = select->forEachRow([&out](const storage::Statement& s) {
        out.push_back(readAccount(s));
    });
    if (!walked) {
        return fail(std::move(walked).error());
    }
    return out;
}

Result<std::optional<AccountStore::Credentials>> AccountStore::readLocked(std::string_view name)
{
    auto select = m_db.prepare(std::string(kSelectAccount) + " WHERE name = ?1");
    if (!select) {
        return fail(std::move(select).error());
    }
    select->bind(1, name);
    auto row = select->step();
    if (!row) {
        return fail(std::move(row).error());
    }
    if (!*row) {
        return std::optional<Credentials>();
    }
    return std::optional<Credentials>(Credentials{readAccount(*select), select->text(6)});
}

Result<std::optional<Account>> AccountStore::find(std::string_view name)
{
    std::lock_guard lock(m_mutex);
    auto read = readLocked(name);
    if (!read) {
        return fail(std::move(read).error());
    }
    if (!*read) {
        return std::optional<Account>();
    }
    return std::optional<Account>(std::move((*read)->account));
}

Result<std::optional<AccountStore::Credentials>> AccountStore::credentials(std::string_view name)
{
    std::lock_guard lock(m_mutex);
    return readLocked(name);
}

Result<void> AccountStore::audit(const AuditEntry& e)
{
    std::lock_guard lock(m_mutex);
    auto insert = m_db.prepare("INSERT INTO audit (at, account, address, action, result, detail) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert) {
        return fail(std::move(insert).error());
    }
    return insert->bind(1, e.at)
        .bind(2, e.account)
        .bind(3, e.address)
        .bind(4, e.action)
        .bind(5, e.result)
        .bind(6, e.detail)
        .run();
}

Result<int> AccountStore::auditFromTerminal(std::string_view terminal, std::string_view address,
                                            const std::vector<kiosk::model::StaffAuditRecord>& lines)
{
    std::lock_guard lock(m_mutex);
    int stored = 0;
    auto done = m_db.transaction([&]() -> Result<void> {
        auto insert = m_db.prepare(
            "INSERT OR IGNORE INTO audit (at, account, address, action, result, detail, terminal, "
            "entry_id) VALUES (?1, ?2, ?3, ?4, '', ?5, ?6, ?7)");
        if (!insert) {
            return fail(std::move(insert).error());
        }
        for (const auto& line : lines) {
            // "setting timeouts.result_s=25": the action's first word, the rest its detail.
            const std::string_view action = line.action;
            const auto space = action.find(' ');
            insert->reset();
            insert->bind(1, line.at)
                .bind(2, line.staffId)
                .bind(3, address)
                .bind(4, action.substr(0, space))
                .bind(5, space == std::string_view::npos ? std::string_view() : action.substr(space + 1))
                .bind(6, terminal)
                .bind(7, line.id);
            if (auto run = insert->run(); !run) {
                return run;
            }
            stored += static_cast<int>(m_db.changes());
        }
        return ok();
    });
    if (!done) {
        return fail(std::move(done).error());
    }
    return stored;
}

Result<std::vector<AuditEntry>> AccountStore::auditLog(std::size_t limit)
{
    std::lock_guard lock(m_mutex);
    auto select = m_db.prepare(
        "SELECT at, account, address, action, result, detail, terminal FROM audit "
        "ORDER BY at DESC, id DESC LIMIT ?1");
    if (!select) {
        return fail(std::move(select).error());
    }
    select->bind(1, static_cast<std::int64_t>(limit));
    std::vector<AuditEntry> out;
    auto walked = select->forEachRow([&out](const storage::Statement& s) {
        out.push_back(
            {s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)});
    });
    if (!walked) {
        return fail(std::move(walked).error());
    }
    return out;
}

} // namespace uketsuke::desk
