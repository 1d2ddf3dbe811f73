#include "storage/database.hpp"

#include "base/files.hpp"
#include "base/log.hpp"

#include <sqlite3.h>

#include <unordered_map>
#include <utility>

namespace uketsuke::storage {
namespace {

const log::Category kLog("storage");

// "INSERT INTO outbox (idem..." -> "INSERT INTO outbox": enough to tell statements apart in a
// message, without any bound value (those may be personal data).
std::string firstWords(std::string_view sql)
{
    std::string out;
    int words = 0;
    bool inWord = false;
    for (char c : sql) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space) {
            if (inWord && ++words == 3) {
                break;
            }
            inWord = false;
            continue;
        }
        if (!inWord && !out.empty()) {
            out += ' ';
        }
        inWord = true;
        out += c;
    }
    return out;
}

} // namespace

Errc errcForSqlite(int resultCode)
{
    switch (resultCode & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return Errc::StorageCorrupt;
    default:
        return Errc::StorageError;
    }
}

Error sqliteError(sqlite3* db, int resultCode, std::string_view what)
{
    const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(resultCode);
    return Error{errcForSqlite(resultCode), resultCode, std::string(what) + ": " + detail};
}

// ---- Statement cache ----------------------------------------------------------------------

namespace detail {

// Idle prepared statements by SQL text. Used under the caller's serialisation of its Database
// (a Database is not shared between threads without a lock).
class StatementCache {
public:
    // More distinct statements than any of our stores runs; beyond it, statements are finalised.
    static constexpr std::size_t kMaxIdle = 64;

    StatementCache() = default;
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;
    ~StatementCache()
    {
        for (auto& [sql, statement] : m_idle) {
            sqlite3_finalize(statement);
        }
    }

    sqlite3_stmt* take(std::string_view sql)
    {
        auto found = m_idle.find(std::string(sql));
        if (found == m_idle.end()) {
            return nullptr;
        }
        sqlite3_stmt* statement = found->second;
        m_idle.erase(found);
        return statement;
    }

    void put(std::string sql, sqlite3_stmt* statement) noexcept
    {
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
        if (m_idle.size() >= kMaxIdle) {
            sqlite3_finalize(statement);
            return;
        }
        try {
            m_idle.emplace(std::move(sql), statement);
        } catch (...) {
            sqlite3_finalize(statement);
        }
    }

private:
    std::unordered_multimap<std::string, sqlite3_stmt*> m_idle;
};

} // namespace detail

// ---- Statement ----------------------------------------------------------------------------

Statement::Statement(sqlite3* db, sqlite3_stmt* statement, std::string what,
                     detail::StatementCache* cache, std::string sql)
    : m_db(db), m_statement(statement), m_what(std::move(what)), m_cache(cache),
      m_sql(std::move(sql))
{
}

Statement::Statement(Statement&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)),
      m_statement(std::exchange(other.m_statement, nullptr)), m_what(std::move(other.m_what)),
      m_cache(std::exchange(other.m_cache, nullptr)), m_sql(std::move(other.m_sql))
{
}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        release();
        m_db = std::exchange(other.m_db, nullptr);
        m_statement = std::exchange(other.m_statement, nullptr);
        m_what = std::move(other.m_what);
        m_cache = std::exchange(other.m_cache, nullptr);
        m_sql = std::move(other.m_sql);
    }
    return *this;
}

Statement::~Statement()
{
    release();
}

void Statement::release() noexcept
{
    if (m_statement == nullptr) {
        return;
    }
    if (m_cache != nullptr) {
        m_cache->put(std::move(m_sql), m_statement);
    } else {
        sqlite3_finalize(m_statement);
    }
    m_statement = nullptr;
}

Statement& Statement::bind(int index, std::string_view text)
{
    // An empty view may have no data at all (std::string_view()), which SQLite would bind as
    // NULL: text is always text, so an empty one is "".
    sqlite3_bind_text(m_statement, index, text.data() != nullptr ? text.data() : "",
                      static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_statement, index, value);
    return *this;
}

Statement& Statement::bindNull(int index)
{
    sqlite3_bind_null(m_statement, index);
    return *this;
}

Result<bool> Statement::step()
{
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return fail(sqliteError(m_db, rc, m_what));
}

Result<void> Statement::run()
{
    return forEachRow([](const Statement&) {});
}

void Statement::reset()
{
    sqlite3_reset(m_statement);
}

std::string Statement::text(int column) const
{
    const auto* p = sqlite3_column_text(m_statement, column);
    return p != nullptr
               ? std::string(reinterpret_cast<const char*>(p),
                             static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column)))
               : std::string();
}

std::int64_t Statement::integer(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

// ---- Database -----------------------------------------------------------------------------

Database::Database(sqlite3* db, std::filesystem::path file)
    : m_db(db), m_file(std::move(file)), m_cache(std::make_unique<detail::StatementCache>())
{
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_file(std::move(other.m_file)),
      m_cache(std::move(other.m_cache))
{
}

Database& Database::operator=(Database&& other) noexcept
{
    if (this != &other) {
        m_cache.reset();
        sqlite3_close(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_file = std::move(other.m_file);
        m_cache = std::move(other.m_cache);
    }
    return *this;
}

Database::~Database()
{
    m_cache.reset();
    sqlite3_close(m_db);
}

Error Database::failure(int resultCode, std::string_view what) const
{
    Error error = sqliteError(m_db, resultCode, what);
    if (error.code == Errc::StorageCorrupt) {
        // What a person reading the log needs: which file, and that it is the file's fault.
        error.message = m_file.string() + " is not an SQLite database or is damaged (" +
                        error.message + "); move it aside to start with an empty one";
    }
    return error;
}

Result<Database> Database::open(const std::filesystem::path& file, const OpenOptions& options)
{
    if (options.privateFiles) {
        const auto folder = file.has_parent_path() ? file.parent_path() : ".";
        std::error_code error;
        if (!std::filesystem::is_directory(folder, error)) {
            return fail(Errc::StorageError, "cannot open " + options.name + " " + file.string() +
                                                ": folder " + folder.string() +
                                                " does not exist");
        }
        // SQLite creates -wal and -shm with the database file's mode, so a private file is
        // enough for them; they are tightened below too in case they are left from before.
        if (auto made = files::ensurePrivateDir(folder); !made) {
            return fail(std::move(made).error());
        }
        if (auto made = files::ensurePrivateFile(file); !made) {
            return fail(std::move(made).error());
        }
    }
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(file.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    Database db(raw, file); // closes `raw` on every path, also when opening failed
    if (rc != SQLITE_OK) {
        return fail(db.failure(rc, "cannot open " + options.name + " " + file.string()));
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, static_cast<int>(options.busyTimeout.count()));

    std::string pragmas;
    if (options.wal) {
        pragmas += "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
    }
    if (options.foreignKeys) {
        pragmas += "PRAGMA foreign_keys=ON;";
    }
    if (options.cacheKiB > 0) {
        pragmas += "PRAGMA cache_size=-" + std::to_string(options.cacheKiB) + ";";
    }
    if (!pragmas.empty()) {
        if (auto set = db.exec(pragmas); !set) {
            Error error = std::move(set).error();
            error.message = "cannot set up " + options.name + ": " + error.message;
            return fail(std::move(error));
        }
    }
    if (auto migrated = db.migrate(options.migrations); !migrated) {
        Error error = std::move(migrated).error();
        error.message = options.name + ": " + error.message;
        UKETSUKE_LOG(kLog, Error) << error.message;
        return fail(std::move(error));
    }
    if (options.privateFiles) {
        for (const char* suffix : {"-wal", "-shm", "-journal"}) {
            if (auto made = files::makePrivateIfExists(file.string() + suffix); !made) {
                return fail(std::move(made).error());
            }
        }
    }
    return db;
}

Result<Statement> Database::prepare(std::string_view sql)
{
    if (sqlite3_stmt* kept = m_cache->take(sql)) {
        return Statement(m_db, kept, firstWords(sql), m_cache.get(), std::string(sql));
    }
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()),
                                      &statement, nullptr);
    std::string what = firstWords(sql);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(statement);
        return fail(failure(rc, "cannot prepare " + what));
    }
    return Statement(m_db, statement, std::move(what), m_cache.get(), std::string(sql));
}

Result<void> Database::exec(const std::string& sql)
{
    const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        return fail(failure(rc, firstWords(sql)));
    }
    return ok();
}

Result<int> Database::userVersion()
{
    auto statement = prepare("PRAGMA user_version");
    if (!statement) {
        return fail(std::move(statement).error());
    }
    auto row = statement->step();
    if (!row) {
        return fail(std::move(row).error());
    }
    return *row ? static_cast<int>(statement->integer(0)) : 0;
}

std::int64_t Database::changes() const
{
    return sqlite3_changes64(m_db);
}

Result<void> Database::migrate(Migrations migrations)
{
    auto current = userVersion();
    if (!current) {
        return fail(std::move(current).error());
    }
    const int known = static_cast<int>(migrations.size());
    if (*current > known) {
        return fail(Errc::StorageError,
                    m_file.string() + " has schema version " + std::to_string(*current) +
                        ", newer than this program's " + std::to_string(known) +
                        " (written by a newer release?)");
    }
    for (int version = *current; version < known; ++version) {
        auto step = transaction([&]() -> Result<void> {
            if (auto applied = exec(std::string(migrations[static_cast<std::size_t>(version)]));
                !applied) {
                return applied;
            }
            return exec("PRAGMA user_version = " + std::to_string(version + 1));
        });
        if (!step) {
            Error error = std::move(step).error();
            error.message = "migration to schema version " + std::to_string(version + 1) +
                            " failed: " + error.message;
            return fail(std::move(error));
        }
    }
    if (*current > 0 && *current < known) {
        // A new file is not news; an upgraded one is.
        UKETSUKE_LOG(kLog, Info) << m_file.filename().string() << ": schema version "
                                 << *current << " upgraded to " << known;
    }
    return ok();
}

} // namespace uketsuke::storage
