#include "storage/database.hpp"

#include "base/files.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>
#include <vector>
#include <sqlite3.h>

#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

namespace {

namespace fs = std::filesystem;
using namespace uketsuke::storage;
using uketsuke::Errc;

using uketsuke::tests::modeOf;
using uketsuke::tests::TempDir;
using uketsuke::tests::Umask;

constexpr std::array<std::string_view, 1> kV1 = {
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
};
constexpr std::array<std::string_view, 2> kV2 = {
    kV1[0],
    "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'desk';",
};

OpenOptions optionsWith(Migrations migrations)
{
    OpenOptions options;
    options.name = "test database";
    options.migrations = migrations;
    return options;
}

Database openOrFail(const fs::path& file, Migrations migrations)
{
    auto db = Database::open(file, optionsWith(migrations));
    INFO((db ? std::string() : db.error().message));
    REQUIRE(db);
    return std::move(*db);
}

TEST_CASE("errcForSqlite: corrupt and not-a-database are StorageCorrupt, the rest StorageError")
{
    CHECK(errcForSqlite(SQLITE_CORRUPT) == Errc::StorageCorrupt);
    CHECK(errcForSqlite(SQLITE_NOTADB) == Errc::StorageCorrupt);
    CHECK(errcForSqlite(SQLITE_CORRUPT_INDEX) == Errc::StorageCorrupt);
    CHECK(errcForSqlite(SQLITE_IOERR_FSYNC) == Errc::StorageError);
    CHECK(errcForSqlite(SQLITE_BUSY) == Errc::StorageError);
    CHECK(errcForSqlite(SQLITE_CONSTRAINT_UNIQUE) == Errc::StorageError);
}

TEST_CASE("Database::open: a new file gets every migration, WAL and synchronous=FULL")
{
    TempDir dir;
    auto db = openOrFail(dir.path() / "new.sqlite3", kV2);
    CHECK(*db.userVersion() == 2);
    auto mode = db.prepare("PRAGMA journal_mode");
    REQUIRE(mode);
    REQUIRE(*mode->step());
    CHECK(mode->text(0) == "wal");
    auto sync = db.prepare("PRAGMA synchronous");
    REQUIRE(sync);
    REQUIRE(*sync->step());
    CHECK(sync->integer(0) == 2); // FULL
}

TEST_CASE("Database::open: cacheKiB bounds the page cache, 0 keeps SQLite's default")
{
    TempDir dir;
    auto cacheOf = [](Database& db) {
        auto size = db.prepare("PRAGMA cache_size");
        REQUIRE(size);
        REQUIRE(*size->step());
        return size->integer(0);
    };
    auto plain = openOrFail(dir.path() / "plain.sqlite3", kV1);
    CHECK(cacheOf(plain) == -2000); // SQLite's default: 2 000 KiB
    OpenOptions options = optionsWith(kV1);
    options.cacheKiB = 256;
    auto small = Database::open(dir.path() / "small.sqlite3", options);
    REQUIRE(small);
    CHECK(cacheOf(*small) == -256);
}

TEST_CASE("Database::open: an older file is migrated and keeps its rows")
{
    TempDir dir;
    const fs::path file = dir.path() / "notes.sqlite3";
    {
        auto db = openOrFail(file, kV1);
        CHECK(*db.userVersion() == 1);
        auto insert = db.prepare("INSERT INTO notes (body) VALUES (?1)");
        REQUIRE(insert);
        insert->bind(1, std::string_view("kept"));
        REQUIRE(insert->run());
    }
    auto db = openOrFail(file, kV2);
    CHECK(*db.userVersion() == 2);
    auto select = db.prepare("SELECT body, author FROM notes");
    REQUIRE(select);
    REQUIRE(*select->step());
    CHECK(select->text(0) == "kept");
    CHECK(select->text(1) == "desk");
    CHECK_FALSE(*select->step());
}

TEST_CASE("Database::open: a failed migration leaves the previous version and says which")
{
    TempDir dir;
    const fs::path file = dir.path() / "notes.sqlite3";
    { auto db = openOrFail(file, kV1); }
    constexpr std::array<std::string_view, 2> broken = {
        kV1[0],
        "ALTER TABLE notes ADD COLUMN x TEXT; CREATE TABLE notes (nope);",
    };
    auto failed = Database::open(file, optionsWith(broken));
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == Errc::StorageError);
    CHECK(failed.error().message.find("schema version 2") != std::string::npos);
    auto db = openOrFail(file, kV1);
    CHECK(*db.userVersion() == 1);
    // The ALTER of the failed script was rolled back with it.
    CHECK_FALSE(db.prepare("SELECT x FROM notes"));
}

TEST_CASE("Database::open: a file from a newer program is refused, not downgraded")
{
    TempDir dir;
    const fs::path file = dir.path() / "notes.sqlite3";
    { auto db = openOrFail(file, kV2); }
    auto older = Database::open(file, optionsWith(kV1));
    REQUIRE_FALSE(older);
    CHECK(older.error().code == Errc::StorageError);
    CHECK(older.error().message.find("newer") != std::string::npos);
}

TEST_CASE("Database::open: a file that is not a database is StorageCorrupt, named, and clear")
{
    TempDir dir;
    const fs::path file = dir.path() / "outbox.sqlite3";
    REQUIRE(uketsuke::files::writeFile(file, std::string(4096, 'x')));
    auto db = Database::open(file, optionsWith(kV1));
    REQUIRE_FALSE(db);
    CHECK(db.error().code == Errc::StorageCorrupt);
    CHECK((db.error().native & 0xff) == SQLITE_NOTADB);
    INFO(db.error().message);
    CHECK(db.error().message.find(file.string()) != std::string::npos);
    CHECK(db.error().message.find("not an SQLite database or is damaged") != std::string::npos);
    CHECK(db.error().message.find('\n') == std::string::npos);
}

TEST_CASE("Database::open: a missing folder is StorageError and creates nothing")
{
    TempDir dir;
    auto db = Database::open(dir.path() / "missing" / "x.sqlite3", optionsWith(kV1));
    REQUIRE_FALSE(db);
    CHECK(db.error().code == Errc::StorageError);
    CHECK_FALSE(fs::exists(dir.path() / "missing"));
}

TEST_CASE("Database::open: file, -wal and -shm are 0600 and the folder 0700 under umask 022")
{
    TempDir dir;
    const fs::path folder = dir.path() / "data";
    fs::create_directory(folder);
    REQUIRE(::chmod(folder.c_str(), 0755) == 0);
    {
        Umask mask(022);
        auto db = openOrFail(folder / "private.sqlite3", kV1);
        REQUIRE(db.exec("INSERT INTO notes (body) VALUES ('x')"));
        CHECK(modeOf(folder) == 0700);
        CHECK(modeOf(folder / "private.sqlite3") == 0600);
        REQUIRE(fs::exists(folder / "private.sqlite3-wal"));
        CHECK(modeOf(folder / "private.sqlite3-wal") == 0600);
        CHECK(modeOf(folder / "private.sqlite3-shm") == 0600);
    }
}

TEST_CASE("Database::open: an existing world-readable file is made private")
{
    TempDir dir;
    const fs::path file = dir.path() / "old.sqlite3";
    { auto db = openOrFail(file, kV1); }
    REQUIRE(::chmod(file.c_str(), 0644) == 0);
    auto db = openOrFail(file, kV1);
    CHECK(modeOf(file) == 0600);
}

TEST_CASE("Statement: binds, steps and reads text, integers and NULL")
{
    TempDir dir;
    auto db = openOrFail(dir.path() / "s.sqlite3", kV1);
    auto insert = db.prepare("INSERT INTO notes (id, body) VALUES (?1, ?2)");
    REQUIRE(insert);
    insert->bind(1, std::int64_t{7}).bind(2, std::string_view("日本語"));
    REQUIRE(insert->run());
    CHECK(db.changes() == 1);
    auto select = db.prepare("SELECT id, body, NULL FROM notes WHERE id = ?1");
    REQUIRE(select);
    select->bind(1, std::int64_t{7});
    REQUIRE(*select->step());
    CHECK(select->integer(0) == 7);
    CHECK(select->text(1) == "日本語");
    CHECK(select->isNull(2));
    CHECK(select->text(2).empty());
    CHECK_FALSE(*select->step());
}

TEST_CASE("Database::prepare: a statement given back is reused, reset, with its bindings cleared")
{
    TempDir dir;
    auto db = openOrFail(dir.path() / "s.sqlite3", kV1);
    const char* sql = "INSERT INTO notes (id, body) VALUES (?1, ?2)";
    // The statements the connection holds (SQLite lists them, newest first).
    const auto statements = [&db] {
        std::vector<sqlite3_stmt*> out;
        for (auto* s = sqlite3_next_stmt(db.handle(), nullptr); s != nullptr;
             s = sqlite3_next_stmt(db.handle(), s)) {
            out.push_back(s);
        }
        return out;
    };
    sqlite3_stmt* first = nullptr;
    {
        auto insert = db.prepare(sql);
        REQUIRE(insert);
        insert->bind(1, std::int64_t{1}).bind(2, std::string_view("a"));
        REQUIRE(insert->run());
        first = statements().front();
    }
    const auto held = statements().size();
    {
        // The same SQL gets the same statement back, its "a" no longer bound: a body of NULL
        // breaks the table's NOT NULL.
        auto again = db.prepare(sql);
        REQUIRE(again);
        CHECK(statements().size() == held);
        CHECK(statements().front() == first);
        again->bind(1, std::int64_t{2});
        CHECK_FALSE(again->run());
        again->reset();
        again->bind(2, std::string_view("b"));
        REQUIRE(again->run());
        // While it is out, the same SQL prepared again is a second statement.
        auto second = db.prepare(sql);
        REQUIRE(second);
        CHECK(statements().size() == held + 1);
    }
    const char* rowsSql = "SELECT id, body FROM notes ORDER BY id";
    {
        auto rows = db.prepare(rowsSql);
        REQUIRE(rows);
        REQUIRE(*rows->step()); // left after its first row
        CHECK(rows->integer(0) == 1);
    }
    // It comes back reset: from the first row again.
    auto rows = db.prepare(rowsSql);
    REQUIRE(rows);
    REQUIRE(*rows->step());
    CHECK(rows->integer(0) == 1);
    REQUIRE(*rows->step());
    CHECK(rows->integer(0) == 2);
    CHECK(rows->text(1) == "b");
    CHECK_FALSE(*rows->step());
}

TEST_CASE("Statement::forEachRow: visits every row in order, and stops at the first error")
{
    TempDir dir;
    auto db = openOrFail(dir.path() / "s.sqlite3", kV1);
    REQUIRE(db.exec("INSERT INTO notes (id, body) VALUES (1, 'a'), (2, 'b'), (3, 'c')"));
    auto select = db.prepare("SELECT id, body FROM notes ORDER BY id");
    REQUIRE(select);

    std::string seen;
    REQUIRE(select->forEachRow([&seen](const Statement& row) {
        seen += std::to_string(row.integer(0)) + row.text(1);
    }));
    CHECK(seen == "1a2b3c");

    select->reset();
    int visited = 0;
    auto stopped = select->forEachRow([&visited](const Statement& row) -> uketsuke::Result<void> {
        ++visited;
        if (row.integer(0) == 2) {
            return uketsuke::fail(Errc::StorageCorrupt, "row 2 does not parse");
        }
        return uketsuke::ok();
    });
    REQUIRE_FALSE(stopped);
    CHECK(stopped.error().code == Errc::StorageCorrupt);
    CHECK(visited == 2);

    auto empty = db.prepare("SELECT id FROM notes WHERE id > 9");
    REQUIRE(empty);
    visited = 0;
    REQUIRE(empty->forEachRow([&visited](const Statement&) { ++visited; }));
    CHECK(visited == 0);
}

TEST_CASE("Statement: a constraint failure is StorageError with SQLite's code and message")
{
    TempDir dir;
    auto db = openOrFail(dir.path() / "s.sqlite3", kV1);
    auto insert = db.prepare("INSERT INTO notes (id, body) VALUES (1, 'a')");
    REQUIRE(insert);
    REQUIRE(insert->run());
    insert->reset();
    auto again = insert->run();
    REQUIRE_FALSE(again);
    CHECK(again.error().code == Errc::StorageError);
    CHECK(again.error().native == SQLITE_CONSTRAINT_PRIMARYKEY);
    CHECK(again.error().message.find("UNIQUE") != std::string::npos);
}

TEST_CASE("Database::prepare: bad SQL is StorageError naming the statement")
{
    TempDir dir;
    auto db = openOrFail(dir.path() / "s.sqlite3", kV1);
    auto bad = db.prepare("SELECT nothing FROM nowhere");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::StorageError);
    CHECK(bad.error().message.find("SELECT nothing FROM") != std::string::npos);
}

TEST_CASE("Database::transaction: commits on success, rolls back on failure")
{
    TempDir dir;
    auto db = openOrFail(dir.path() / "t.sqlite3", kV1);
    auto committed = db.transaction([&]() -> uketsuke::Result<int> {
        if (auto done = db.exec("INSERT INTO notes (body) VALUES ('one')"); !done) {
            return uketsuke::fail(std::move(done).error());
        }
        return 1;
    });
    REQUIRE(committed);
    CHECK(*committed == 1);
    auto rolledBack = db.transaction([&]() -> uketsuke::Result<void> {
        REQUIRE(db.exec("INSERT INTO notes (body) VALUES ('two')"));
        return uketsuke::fail(Errc::InvalidArgument, "changed my mind");
    });
    REQUIRE_FALSE(rolledBack);
    CHECK(rolledBack.error().code == Errc::InvalidArgument);
    auto count = db.prepare("SELECT count(*) FROM notes");
    REQUIRE(count);
    REQUIRE(*count->step());
    CHECK(count->integer(0) == 1);
}

} // namespace

TEST_CASE("Statement::bind: an empty text is \"\", never NULL, also a view with no data")
{
    TempDir dir;
    auto db = openOrFail(dir.path() / "empty.sqlite3", kV1);
    auto insert = db.prepare("INSERT INTO notes (body) VALUES (?1)");
    REQUIRE(insert);
    // body is NOT NULL: a view without data bound as NULL would fail the insert.
    REQUIRE(insert->bind(1, std::string_view()).run());
    insert->reset();
    REQUIRE(insert->bind(1, std::string_view("")).run());
    auto select = db.prepare("SELECT count(*) FROM notes WHERE body = '' AND body IS NOT NULL");
    REQUIRE(select);
    REQUIRE(*select->step());
    CHECK(select->integer(0) == 2);
}
