#include "kiosk/delivery/outbox.hpp"

#include "base/log.hpp"
#include "kiosk/model/json.hpp"

#include <sqlite3.h>

#include <cctype>
#include <cstdio>
#include <mutex>

namespace uketsuke::kiosk::delivery {
namespace {

const log::Category kLog("kiosk.delivery");

// seq keeps the order of put(); the key makes put() idempotent. The receipt counter keeps one
// row per local date; a week of them is kept so a clock set back a day cannot reuse numbers.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    checkin         TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS receipt_counter (
    local_date TEXT PRIMARY KEY,
    last       INTEGER NOT NULL
);
PRAGMA user_version = 1;
)sql";

Errc storageCode(int rc)
{
    return (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) ? Errc::StorageCorrupt
                                                         : Errc::StorageError;
}

Unexpected<Error> sqliteFailure(sqlite3* db, int rc, const char* what)
{
    return fail(storageCode(rc), std::string(what) + ": " + sqlite3_errmsg(db), rc);
}

class Statement {
public:
    Statement(sqlite3* db, const char* sql)
    {
        m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr);
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    int prepareCode() const { return m_rc; }
    void bind(int index, const std::string& text)
    {
        sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()),
                          SQLITE_TRANSIENT);
    }
    void bind(int index, std::int64_t value) { sqlite3_bind_int64(m_stmt, index, value); }
    int step() { return sqlite3_step(m_stmt); }
    std::string text(int column) const
    {
        const auto* p = sqlite3_column_text(m_stmt, column);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
                 : std::string();
    }
    std::int64_t integer(int column) const { return sqlite3_column_int64(m_stmt, column); }

private:
    sqlite3_stmt* m_stmt = nullptr;
    int m_rc = SQLITE_OK;
};

bool isIsoDate(const std::string& text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) {
            return false;
        }
    }
    return true;
}

class SqliteOutbox final : public Outbox {
public:
    explicit SqliteOutbox(sqlite3* db) : m_db(db) {}
    ~SqliteOutbox() override { sqlite3_close(m_db); }
    SqliteOutbox(const SqliteOutbox&) = delete;
    SqliteOutbox& operator=(const SqliteOutbox&) = delete;

    Result<void> setUp()
    {
        // put() returns only once the check-in is on disk: WAL with synchronous=FULL syncs the
        // log on every commit.
        const char* setup[] = {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"};
        for (const char* sql : setup) {
            int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr);
            if (rc != SQLITE_OK) {
                return sqliteFailure(m_db, rc, "cannot set up the outbox");
            }
        }
        int rc = sqlite3_exec(m_db, kSchema, nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) {
            return sqliteFailure(m_db, rc, "cannot create the outbox schema");
        }
        return ok();
    }

    Result<void> put(const model::CheckIn& checkIn) override
    {
        if (checkIn.idempotencyKey.empty()) {
            return fail(Errc::InvalidArgument, "check-in without idempotency key");
        }
        const std::string json = model::toJson(checkIn).dump();
        std::lock_guard lock(m_mutex);
        Statement insert(m_db, "INSERT INTO outbox (idempotency_key, checkin) VALUES (?1, ?2) "
                               "ON CONFLICT (idempotency_key) DO NOTHING");
        if (insert.prepareCode() != SQLITE_OK) {
            return sqliteFailure(m_db, insert.prepareCode(), "cannot prepare put");
        }
        insert.bind(1, checkIn.idempotencyKey);
        insert.bind(2, json);
        int rc = insert.step();
        if (rc != SQLITE_DONE) {
            return sqliteFailure(m_db, rc, "cannot put check-in");
        }
        return ok();
    }

    Result<std::vector<model::CheckIn>> pending(int limit) override
    {
        std::lock_guard lock(m_mutex);
        Statement select(m_db, "SELECT seq, checkin FROM outbox ORDER BY seq LIMIT ?1");
        if (select.prepareCode() != SQLITE_OK) {
            return sqliteFailure(m_db, select.prepareCode(), "cannot prepare pending");
        }
        select.bind(1, static_cast<std::int64_t>(limit < 0 ? 0 : limit));
        std::vector<model::CheckIn> out;
        int rc = SQLITE_OK;
        while ((rc = select.step()) == SQLITE_ROW) {
            auto json = nlohmann::json::parse(select.text(1), nullptr, false);
            auto checkIn = model::checkInFromJson(json);
            if (!checkIn) {
                return fail(Errc::StorageCorrupt,
                            "outbox row seq=" + std::to_string(select.integer(0)) +
                                " does not parse");
            }
            out.push_back(std::move(*checkIn));
        }
        if (rc != SQLITE_DONE) {
            return sqliteFailure(m_db, rc, "cannot read the outbox");
        }
        return out;
    }

    Result<void> markDelivered(const std::string& idempotencyKey) override
    {
        std::lock_guard lock(m_mutex);
        Statement remove(m_db, "DELETE FROM outbox WHERE idempotency_key = ?1");
        if (remove.prepareCode() != SQLITE_OK) {
            return sqliteFailure(m_db, remove.prepareCode(), "cannot prepare delete");
        }
        remove.bind(1, idempotencyKey);
        int rc = remove.step();
        if (rc != SQLITE_DONE) {
            return sqliteFailure(m_db, rc, "cannot delete delivered check-in");
        }
        return ok();
    }

    Result<std::string> nextReceiptNumber(const std::string& localDate) override
    {
        if (!isIsoDate(localDate)) {
            return fail(Errc::InvalidArgument, "local date is not YYYY-MM-DD");
        }
        std::lock_guard lock(m_mutex);
        int rc = sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) {
            return sqliteFailure(m_db, rc, "cannot begin");
        }
        auto number = nextReceiptLocked(localDate);
        rc = sqlite3_exec(m_db, number ? "COMMIT" : "ROLLBACK", nullptr, nullptr, nullptr);
        if (number && rc != SQLITE_OK) {
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
            return sqliteFailure(m_db, rc, "cannot commit the receipt number");
        }
        return number;
    }

private:
    Result<std::string> nextReceiptLocked(const std::string& localDate)
    {
        Statement bump(m_db, "INSERT INTO receipt_counter (local_date, last) VALUES (?1, 1) "
                             "ON CONFLICT (local_date) DO UPDATE SET last = last + 1 "
                             "RETURNING last");
        if (bump.prepareCode() != SQLITE_OK) {
            return sqliteFailure(m_db, bump.prepareCode(), "cannot prepare receipt number");
        }
        bump.bind(1, localDate);
        int rc = bump.step();
        if (rc != SQLITE_ROW) {
            return sqliteFailure(m_db, rc, "cannot count receipt numbers");
        }
        const std::int64_t last = bump.integer(0);
        rc = bump.step();
        if (rc != SQLITE_DONE) {
            return sqliteFailure(m_db, rc, "cannot count receipt numbers");
        }
        Statement prune(m_db, "DELETE FROM receipt_counter WHERE local_date < date(?1, '-7 days')");
        if (prune.prepareCode() != SQLITE_OK) {
            return sqliteFailure(m_db, prune.prepareCode(), "cannot prepare prune");
        }
        prune.bind(1, localDate);
        rc = prune.step();
        if (rc != SQLITE_DONE) {
            return sqliteFailure(m_db, rc, "cannot prune receipt counters");
        }
        char buffer[24];
        std::snprintf(buffer, sizeof buffer, "%04lld", static_cast<long long>(last));
        return std::string(buffer);
    }

    std::mutex m_mutex;
    sqlite3* m_db = nullptr;
};

} // namespace

Result<std::unique_ptr<Outbox>> Outbox::open(const std::string& path)
{
    sqlite3* db = nullptr;
    int rc =
        sqlite3_open_v2(path.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string message =
            "cannot open outbox " + path + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return fail(storageCode(rc), message, rc);
    }
    sqlite3_busy_timeout(db, 5000);
    auto outbox = std::make_unique<SqliteOutbox>(db);
    if (auto setUp = outbox->setUp(); !setUp) {
        UKETSUKE_LOG(kLog, Error) << "outbox: " << setUp.error().message;
        return fail(std::move(setUp).error());
    }
    return std::unique_ptr<Outbox>(std::move(outbox));
}

} // namespace uketsuke::kiosk::delivery
