#include "desk/store.hpp"

#include "base/log.hpp"
#include "kiosk/model/json.hpp"
#include "kiosk/model/qualification.hpp"

#include <sqlite3.h>

#include <cctype>
#include <ctime>
#include <optional>

namespace uketsuke::desk {
namespace {

const log::Category kLog("desk.store");

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS checkins (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    terminal_id     TEXT NOT NULL,
    receipt_number  TEXT NOT NULL,
    checked_at      TEXT NOT NULL,
    local_date      TEXT NOT NULL,
    local_time      TEXT NOT NULL,
    method          TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    insurer_number  TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    received_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS checkins_local_date ON checkins(local_date);
CREATE INDEX IF NOT EXISTS checkins_received_at ON checkins(received_at);
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

// One prepared statement, finalised on scope exit.
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
    bool isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
    std::int64_t integer(int column) const { return sqlite3_column_int64(m_stmt, column); }

private:
    sqlite3_stmt* m_stmt = nullptr;
    int m_rc = SQLITE_OK;
};

bool isDigits(const std::string& text, std::size_t from, std::size_t count)
{
    for (std::size_t i = from; i < from + count; ++i) {
        if (i >= text.size() || std::isdigit(static_cast<unsigned char>(text[i])) == 0) {
            return false;
        }
    }
    return true;
}

// "YYYY-MM-DDTHH:MM:SS" followed by SQLite's accepted suffixes ("Z", ".123Z", "+09:00").
// SQLite alone would also take "now" or a Julian day number, which a terminal never means.
bool looksLikeIsoTime(const std::string& text)
{
    return text.size() >= 19 && isDigits(text, 0, 4) && text[4] == '-' && isDigits(text, 5, 2) &&
           text[7] == '-' && isDigits(text, 8, 2) && text[10] == 'T' && isDigits(text, 11, 2) &&
           text[13] == ':' && isDigits(text, 14, 2) && text[16] == ':' && isDigits(text, 17, 2);
}

} // namespace

bool isIsoDate(const std::string& text)
{
    return text.size() == 10 && isDigits(text, 0, 4) && text[4] == '-' && isDigits(text, 5, 2) &&
           text[7] == '-' && isDigits(text, 8, 2);
}

std::string localDateToday()
{
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buffer[16];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &local);
    return buffer;
}

Result<std::unique_ptr<DeskStore>> DeskStore::open(const std::string& path)
{
    sqlite3* db = nullptr;
    int rc =
        sqlite3_open_v2(path.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string message =
            "cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return fail(storageCode(rc), message, rc);
    }
    std::unique_ptr<DeskStore> store(new DeskStore(db));
    sqlite3_busy_timeout(db, 5000);
    // The desk acknowledges a check-in only after it is on disk; the terminal then deletes its
    // copy, so the write must survive a power cut: WAL with synchronous=FULL.
    const char* setup[] = {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                           "PRAGMA foreign_keys=ON"};
    for (const char* sql : setup) {
        rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) {
            return sqliteFailure(db, rc, "cannot set up the database");
        }
    }
    rc = sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        return sqliteFailure(db, rc, "cannot create the schema");
    }
    return store;
}

DeskStore::DeskStore(sqlite3* db) : m_db(db) {}

DeskStore::~DeskStore()
{
    sqlite3_close(m_db);
}

Result<IngestResult> DeskStore::ingest(const kiosk::model::CheckIn& checkIn)
{
    if (!looksLikeIsoTime(checkIn.checkedAt)) {
        return fail(Errc::InvalidArgument, "checked_at is not an ISO 8601 time");
    }
    std::string insurerNumber;
    std::string name;
    if (checkIn.qualification) {
        if (const auto* person = kiosk::model::person(*checkIn.qualification)) {
            insurerNumber = person->insurerNumber;
            name = person->name;
        }
    }
    const std::string body = kiosk::model::toJson(checkIn).dump();

    std::lock_guard lock(m_mutex);
    Statement insert(m_db, R"sql(
        INSERT INTO checkins (idempotency_key, terminal_id, receipt_number, checked_at,
                              local_date, local_time, method, outcome, insurer_number, name, body)
        SELECT ?1, ?2, ?3, ?4, date(?4, 'localtime'), strftime('%H:%M', ?4, 'localtime'),
               ?5, ?6, ?7, ?8, ?9
        WHERE date(?4) IS NOT NULL
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id)sql");
    if (insert.prepareCode() != SQLITE_OK) {
        return sqliteFailure(m_db, insert.prepareCode(), "cannot prepare insert");
    }
    insert.bind(1, checkIn.idempotencyKey);
    insert.bind(2, checkIn.terminalId);
    insert.bind(3, checkIn.receiptNumber);
    insert.bind(4, checkIn.checkedAt);
    insert.bind(5, checkIn.method);
    insert.bind(6, checkIn.outcome);
    insert.bind(7, insurerNumber);
    insert.bind(8, name);
    insert.bind(9, body);
    int rc = insert.step();
    if (rc == SQLITE_ROW) {
        IngestResult result{insert.integer(0), IngestStatus::Stored};
        rc = insert.step();
        if (rc != SQLITE_DONE) {
            return sqliteFailure(m_db, rc, "cannot store check-in");
        }
        UKETSUKE_LOG(kLog, Debug) << "stored check-in id=" << result.id;
        return result;
    }
    if (rc != SQLITE_DONE) {
        return sqliteFailure(m_db, rc, "cannot store check-in");
    }
    // No row: either the key is already there, or checked_at did not parse as a time.
    Statement existing(m_db, "SELECT id, terminal_id FROM checkins WHERE idempotency_key = ?1");
    if (existing.prepareCode() != SQLITE_OK) {
        return sqliteFailure(m_db, existing.prepareCode(), "cannot prepare lookup");
    }
    existing.bind(1, checkIn.idempotencyKey);
    rc = existing.step();
    if (rc == SQLITE_DONE) {
        return fail(Errc::InvalidArgument, "checked_at is not a valid time");
    }
    if (rc != SQLITE_ROW) {
        return sqliteFailure(m_db, rc, "cannot look up check-in");
    }
    IngestResult result{existing.integer(0), IngestStatus::Duplicate};
    if (existing.text(1) != checkIn.terminalId) {
        result.status = IngestStatus::Conflict;
    }
    return result;
}

Result<std::vector<StoredCheckIn>> DeskStore::listByLocalDate(const std::string& localDate)
{
    if (!isIsoDate(localDate)) {
        return fail(Errc::InvalidArgument, "date is not YYYY-MM-DD");
    }
    std::lock_guard lock(m_mutex);
    Statement select(m_db, R"sql(
        SELECT id, local_date, local_time, received_at, body FROM checkins
        WHERE local_date = ?1
        ORDER BY julianday(checked_at) DESC, id DESC)sql");
    if (select.prepareCode() != SQLITE_OK) {
        return sqliteFailure(m_db, select.prepareCode(), "cannot prepare list");
    }
    select.bind(1, localDate);
    std::vector<StoredCheckIn> out;
    int rc = SQLITE_OK;
    while ((rc = select.step()) == SQLITE_ROW) {
        StoredCheckIn row;
        row.id = select.integer(0);
        row.localDate = select.text(1);
        row.localTime = select.text(2);
        row.receivedAt = select.text(3);
        auto json = nlohmann::json::parse(select.text(4), nullptr, false);
        auto checkIn = kiosk::model::checkInFromJson(json);
        if (!checkIn) {
            return fail(Errc::StorageCorrupt,
                        "stored check-in id=" + std::to_string(row.id) + " does not parse");
        }
        row.checkIn = std::move(*checkIn);
        out.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
        return sqliteFailure(m_db, rc, "cannot list check-ins");
    }
    return out;
}

Result<int> DeskStore::purgeOlderThan(int days)
{
    if (days < 1) {
        return fail(Errc::InvalidArgument, "retention must be at least one day");
    }
    std::lock_guard lock(m_mutex);
    Statement purge(m_db, R"sql(
        DELETE FROM checkins
        WHERE received_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || ?1 || ' days'))sql");
    if (purge.prepareCode() != SQLITE_OK) {
        return sqliteFailure(m_db, purge.prepareCode(), "cannot prepare purge");
    }
    purge.bind(1, static_cast<std::int64_t>(days));
    int rc = purge.step();
    if (rc != SQLITE_DONE) {
        return sqliteFailure(m_db, rc, "cannot purge");
    }
    return sqlite3_changes(m_db);
}

Result<std::int64_t> DeskStore::count()
{
    std::lock_guard lock(m_mutex);
    Statement select(m_db, "SELECT count(*) FROM checkins");
    if (select.prepareCode() != SQLITE_OK) {
        return sqliteFailure(m_db, select.prepareCode(), "cannot prepare count");
    }
    int rc = select.step();
    if (rc != SQLITE_ROW) {
        return sqliteFailure(m_db, rc, "cannot count");
    }
    return select.integer(0);
}

} // namespace uketsuke::desk
