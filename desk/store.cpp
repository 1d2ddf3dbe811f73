#include "desk/store.hpp"

#include "base/log.hpp"
#include "kiosk/model/json.hpp"
#include "kiosk/model/qualification.hpp"

#include <array>
#include <cctype>
#include <ctime>
#include <optional>
#include <string_view>

namespace uketsuke::desk {
namespace {

const log::Category kLog("desk.store");

// The schema by version (storage/database.hpp: only append).
constexpr std::array<std::string_view, 3> kMigrations = {
    R"sql(
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
)sql",
    // 2: each terminal's latest health report (state, not data: one row per terminal).
    R"sql(
CREATE TABLE IF NOT EXISTS terminals (
    terminal_id TEXT PRIMARY KEY,
    reported_at TEXT NOT NULL,
    body        TEXT NOT NULL,
    received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
)sql",
    // 3: the staff queue (desk/queue.hpp): each check-in's place in the queue (waiting, called,
    // done, no_show) and its row summary as JSON, so the page's list is built without parsing
    // the bodies. Deleted with its check-in.
    R"sql(
CREATE TABLE IF NOT EXISTS checkin_status (
    checkin_id  INTEGER PRIMARY KEY REFERENCES checkins(id) ON DELETE CASCADE,
    status      TEXT NOT NULL DEFAULT 'waiting',
    status_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    summary     TEXT NOT NULL
);
)sql",
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
    // The desk acknowledges a check-in only after it is on disk; the terminal then deletes its
    // copy, so the write must survive a power cut: WAL with synchronous=FULL.
    storage::OpenOptions options;
    options.name = "desk database";
    options.foreignKeys = true;
    options.migrations = kMigrations;
    auto db = storage::Database::open(path, options);
    if (!db) {
        return fail(std::move(db).error());
    }
    return std::unique_ptr<DeskStore>(new DeskStore(std::move(*db)));
}

DeskStore::DeskStore(storage::Database db) : m_db(std::move(db)) {}

DeskStore::~DeskStore() = default;

Result<IngestResult> DeskStore::ingest(const kiosk::model::CheckIn& checkIn)
{
    if (!looksLikeIsoTime(checkIn.checkedAt)) {
        return fail(Errc::InvalidArgument, "checked_at is not an ISO 8601 time");
    }
    std::string insurerNumber;
    PatientName name;
    if (checkIn.qualification) {
        if (const auto* person = kiosk::model::person(*checkIn.qualification)) {
            insurerNumber = person->insurerNumber;
            name = person->name;
        }
    }
    const std::string body = kiosk::model::toJson(checkIn).dump();

    std::lock_guard lock(m_mutex);
    auto insert = m_db.prepare(R"sql(
        INSERT INTO checkins (idempotency_key, terminal_id, receipt_number, checked_at,
                              local_date, local_time, method, outcome, insurer_number, name, body)
        SELECT ?1, ?2, ?3, ?4, date(?4, 'localtime'), strftime('%H:%M', ?4, 'localtime'),
               ?5, ?6, ?7, ?8, ?9
        WHERE date(?4) IS NOT NULL
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id)sql");
    if (!insert) {
        return fail(std::move(insert).error());
    }
    insert->bind(1, checkIn.idempotencyKey)
        .bind(2, checkIn.terminalId)
        .bind(3, checkIn.receiptNumber)
        .bind(4, checkIn.checkedAt)
        .bind(5, checkIn.method.name())
        .bind(6, checkIn.outcome.name())
        .bind(7, insurerNumber)
        .bind(8, name.reveal())
        .bind(9, body);
    auto row = insert->step();
    if (!row) {
        return fail(std::move(row).error());
    }
    if (*row) {
        IngestResult result{insert->integer(0), IngestStatus::Stored};
        if (auto done = insert->run(); !done) {
            return fail(std::move(done).error());
        }
        UKETSUKE_LOG(kLog, Debug) << "stored check-in id=" << result.id;
        return result;
    }
    // No row: either the key is already there, or checked_at did not parse as a time.
    auto existing = m_db.prepare("SELECT id, terminal_id FROM checkins WHERE idempotency_key = ?1");
    if (!existing) {
        return fail(std::move(existing).error());
    }
    existing->bind(1, checkIn.idempotencyKey);
    auto found = existing->step();
    if (!found) {
        return fail(std::move(found).error());
    }
    if (!*found) {
        return fail(Errc::InvalidArgument, "checked_at is not a valid time");
    }
    IngestResult result{existing->integer(0), IngestStatus::Duplicate};
    if (existing->text(1) != checkIn.terminalId) {
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
    auto select = m_db.prepare(R"sql(
        SELECT id, local_date, local_time, received_at, body FROM checkins
        WHERE local_date = ?1
        ORDER BY julianday(checked_at) DESC, id DESC)sql");
    if (!select) {
        return fail(std::move(select).error());
    }
    select->bind(1, localDate);
    std::vector<StoredCheckIn> out;
    auto read = select->forEachRow([&out](const storage::Statement& row) -> Result<void> {
        StoredCheckIn stored;
        stored.id = row.integer(0);
        stored.localDate = row.text(1);
        stored.localTime = row.text(2);
        stored.receivedAt = row.text(3);
        auto json = nlohmann::json::parse(row.text(4), nullptr, false);
        auto checkIn = kiosk::model::checkInFromJson(json);
        if (!checkIn) {
            return fail(Errc::StorageCorrupt,
                        "stored check-in id=" + std::to_string(stored.id) + " does not parse");
        }
        stored.checkIn = std::move(*checkIn);
        out.push_back(std::move(stored));
        return ok();
    });
    if (!read) {
        return fail(std::move(read).error());
    }
    return out;
}

Result<int> DeskStore::purgeOlderThan(int days)
{
    if (days < 1) {
        return fail(Errc::InvalidArgument, "retention must be at least one day");
    }
    std::lock_guard lock(m_mutex);
    auto purge = m_db.prepare(R"sql(
        DELETE FROM checkins
        WHERE received_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || ?1 || ' days'))sql");
    if (!purge) {
        return fail(std::move(purge).error());
    }
    purge->bind(1, static_cast<std::int64_t>(days));
    if (auto done = purge->run(); !done) {
        return fail(std::move(done).error());
    }
    return static_cast<int>(m_db.changes());
}

Result<void> DeskStore::recordHealth(const kiosk::model::TerminalHealth& health)
{
    if (!looksLikeIsoTime(health.reportedAt)) {
        return fail(Errc::InvalidArgument, "reported_at is not an ISO 8601 time");
    }
    const std::string body = kiosk::model::toJson(health).dump();
    std::lock_guard lock(m_mutex);
    auto upsert = m_db.prepare(R"sql(
        INSERT INTO terminals (terminal_id, reported_at, body) VALUES (?1, ?2, ?3)
        ON CONFLICT (terminal_id) DO UPDATE
            SET reported_at = excluded.reported_at, body = excluded.body,
                received_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
            WHERE julianday(excluded.reported_at) >= julianday(terminals.reported_at))sql");
    if (!upsert) {
        return fail(std::move(upsert).error());
    }
    upsert->bind(1, health.terminalId).bind(2, health.reportedAt).bind(3, body);
    return upsert->run();
}

Result<std::vector<StoredHealth>> DeskStore::listTerminals()
{
    std::lock_guard lock(m_mutex);
    auto select = m_db.prepare(R"sql(
        SELECT terminal_id, received_at, strftime('%Y-%m-%d %H:%M', received_at, 'localtime'),
               body
        FROM terminals ORDER BY terminal_id)sql");
    if (!select) {
        return fail(std::move(select).error());
    }
    std::vector<StoredHealth> out;
    for (;;) {
        auto row = select->step();
        if (!row) {
            return fail(std::move(row).error());
        }
        if (!*row) {
            return out;
        }
        auto health = kiosk::model::terminalHealthFromJson(
            nlohmann::json::parse(select->text(3), nullptr, false));
        if (!health) {
            return fail(Errc::StorageCorrupt,
                        "stored health of terminal " + select->text(0) + " does not parse");
        }
        out.push_back({std::move(*health), select->text(1), select->text(2)});
    }
}

Result<std::int64_t> DeskStore::count()
{
    std::lock_guard lock(m_mutex);
    auto select = m_db.prepare("SELECT count(*) FROM checkins");
    if (!select) {
        return fail(std::move(select).error());
    }
    auto row = select->step();
    if (!row) {
        return fail(std::move(row).error());
    }
    if (!*row) {
        return fail(Errc::StorageError, "count returned no row");
    }
    return select->integer(0);
}

} // namespace uketsuke::desk
