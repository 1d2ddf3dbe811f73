#pragma once

// The one SQLite module (docs/architecture.md): an owned connection and owned
// prepared statements, SQLite's result codes mapped to our Errc in one table, the WAL set-up
// every store wants, and schema migrations by `PRAGMA user_version`. The terminal's outbox and
// the desk's store are built on it.
//
// A Database is one connection opened with SQLITE_OPEN_NOMUTEX: it is not thread-safe; the
// store that owns it serialises its calls (a mutex of its own). Every call blocks on disk I/O
// (and up to the busy timeout on another process's lock).

#include "base/result.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

struct sqlite3;
struct sqlite3_stmt;

namespace uketsuke::storage {

// The one table: SQLITE_CORRUPT and SQLITE_NOTADB (also as extended codes) are StorageCorrupt,
// every other failure StorageError.
Errc errcForSqlite(int resultCode);

// An Error for a failed call on `db` (or with no connection): "<what>: <sqlite's message>",
// the SQLite result code as the native code.
Error sqliteError(sqlite3* db, int resultCode, std::string_view what);

namespace detail {
class StatementCache; // database.cpp: prepared statements kept for reuse, by SQL text
}

// One prepared statement, given back to its database for the next prepare() of the same SQL
// (reset, bindings cleared) on destruction; it must not outlive its Database. Bind by 1-based index, step, read columns
// by 0-based index (SQLite's conventions).
class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Text is copied (SQLITE_TRANSIENT); an empty view is "" (never NULL), also one with no
    // data. Binding cannot fail on a prepared statement with that
    // index; a wrong index is a programmer's mistake and shows up as a failed step().
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bindNull(int index);

    // True when a row is ready to read, false when the statement is done.
    // Errors: StorageError, StorageCorrupt.
    Result<bool> step();
    // Steps to the end, ignoring rows. Errors: as step().
    Result<void> run();
    // Steps through every row, calling `row(*this)` for each to read its columns. `row` returns
    // void, or a Result<void> whose error stops the walk and is returned. Errors: as step(), or
    // the one `row` returned.
    template <class F>
    Result<void> forEachRow(F&& row);
    // Rewinds for another run, keeping the bindings.
    void reset();

    std::string text(int column) const; // "" for NULL
    std::int64_t integer(int column) const;
    bool isNull(int column) const;

private:
    friend class Database;
    Statement(sqlite3* db, sqlite3_stmt* statement, std::string what,
              detail::StatementCache* cache, std::string sql);
    // Gives the statement back to its database's cache (or finalises it).
    void release() noexcept;

    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_statement = nullptr;
    std::string m_what; // the first words of the SQL, for messages
    detail::StatementCache* m_cache = nullptr;
    std::string m_sql; // the key in m_cache
};

// Migrations in order: migrations[i] takes the schema from user_version i to i + 1. A script
// runs with its version bump in one transaction, so a failure leaves the previous version.
// Only append to the list: a shipped script never changes.
using Migrations = std::span<const std::string_view>;

struct OpenOptions {
    // Names the database in messages ("outbox", "desk database").
    std::string name = "database";
    // journal_mode=WAL with synchronous=FULL: a commit is on disk when it returns.
    bool wal = true;
    bool foreignKeys = false;
    std::chrono::milliseconds busyTimeout{5000};
    // PRAGMA cache_size in KiB: the page cache grows to this and stays (0: SQLite's default,
    // 2 000 KiB). A database that only grows, read a few rows at a time, needs little of it.
    int cacheKiB = 0;
    // The file and its -wal/-shm are 0600 and the folder 0700, whatever the umask, also when
    // they existed before (base/files.hpp). The folder must exist.
    bool privateFiles = true;
    Migrations migrations;
};

class Database {
public:
    // Opens or creates the file, applies the pragmas and brings the schema up to
    // migrations.size(). Errors: StorageError (no folder, cannot open or set up, a migration
    // failed, the file is from a newer program: user_version above what we know),
    // StorageCorrupt (not an SQLite database, or damaged; the message says so and names the
    // file).
    static Result<Database> open(const std::filesystem::path& file, const OpenOptions& options);

    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // A statement for `sql`: one this database prepared before for the same text and got back,
    // or a new one (SQLite's parsing and planning cost more than running most of our
    // statements). Errors: StorageError (bad SQL is a programmer's mistake, reported like
    // this), StorageCorrupt.
    Result<Statement> prepare(std::string_view sql);
    // Runs SQL without parameters, possibly several statements. Errors: as prepare().
    Result<void> exec(const std::string& sql);

    // Runs `body` between BEGIN IMMEDIATE and COMMIT, and rolls back when it fails. `body`
    // returns a Result<T>; its error is returned as is. Errors: also those of BEGIN/COMMIT.
    template <class F>
    auto transaction(F&& body) -> decltype(body());

    // PRAGMA user_version. Errors: StorageError, StorageCorrupt.
    Result<int> userVersion();
    // Rows changed by the last INSERT, UPDATE or DELETE.
    std::int64_t changes() const;
    const std::filesystem::path& file() const { return m_file; }

    // For what this module does not wrap yet; prefer adding it here.
    sqlite3* handle() const { return m_db; }

private:
    Database(sqlite3* db, std::filesystem::path file);
    Result<void> migrate(Migrations migrations);
    Error failure(int resultCode, std::string_view what) const;

    sqlite3* m_db = nullptr;
    std::filesystem::path m_file;
    std::unique_ptr<detail::StatementCache> m_cache; // finalised before m_db closes
};

template <class F>
Result<void> Statement::forEachRow(F&& row)
{
    for (;;) {
        auto stepped = step();
        if (!stepped) {
            return fail(std::move(stepped).error());
        }
        if (!*stepped) {
            return ok();
        }
        if constexpr (std::is_void_v<decltype(row(*this))>) {
            row(*this);
        } else if (auto read = row(*this); !read) {
            return read;
        }
    }
}

template <class F>
auto Database::transaction(F&& body) -> decltype(body())
{
    using R = decltype(body());
    if (auto begun = exec("BEGIN IMMEDIATE"); !begun) {
        return R(fail(std::move(begun).error()));
    }
    R result = body();
    if (!result) {
        (void)exec("ROLLBACK");
        return result;
    }
    if (auto committed = exec("COMMIT"); !committed) {
        (void)exec("ROLLBACK");
        return R(fail(std::move(committed).error()));
    }
    return result;
}

} // namespace uketsuke::storage
