#include "desk/store.hpp"

#include "base/log.hpp"
#include "kiosk/model/json.hpp"
#include "kiosk/model/qualification.hpp"

#include <array>
#include <cctype>
#include <optional>
#include <utility>
#include <vector>
#include <string_view>

namespace uketsuke::desk {
namespace {

const log::Category kLog("desk.store");

// The schema by version (storage/database.hpp: only append).
constexpr std::array<std::string_view, 6> kMigrations = {
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
    // 3: a receipt number seen twice on one local day (from two idempotency keys) is flagged.
    R"sql(
ALTER TABLE checkins ADD COLUMN duplicate_receipt INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS checkins_receipt ON checkins(local_date, receipt_number);
)sql",
    // 4: what retention leaves of purged check-ins: their count by local day and outcome.
    R"sql(
CREATE TABLE IF NOT EXISTS daily_counts (
    local_date TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY (local_date, outcome)
) WITHOUT ROWID;
)sql",
    // 5: the staff queue (desk/queue.hpp): each check-in's place in the queue (waiting, called,
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
    // 6: staff re-checks of a check-in's eligibility (desk/recheck.hpp): the latest per
    // check-in, deleted with it.
    R"sql(
CREATE TABLE IF NOT EXISTS rechecks (
    checkin_id   INTEGER PRIMARY KEY REFERENCES checkins(id) ON DELETE CASCADE,
    state        TEXT NOT NULL,
    staff        TEXT NOT NULL,
    requested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    finished_at  TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    result       TEXT NOT NULL DEFAULT ''
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

// "HH:MM" of a local time.
std::string hoursMinutes(const time::LocalTime& local)
{
    return local.minutes().substr(11);
}

} // namespace

bool isIsoDate(const std::string& text)
{
    return text.size() == 10 && isDigits(text, 0, 4) && text[4] == '-' && isDigits(text, 5, 2) &&
           text[7] == '-' && isDigits(text, 8, 2);
}

std::string localDateToday(const time::Zone& zone)
{
    return time::isoDate(zone.local(time::Clock::now()).date);
}

Result<std::unique_ptr<DeskStore>> DeskStore::open(const std::string& path, time::Zone zone)
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
    return std::unique_ptr<DeskStore>(new DeskStore(std::move(*db), std::move(zone)));
}

DeskStore::DeskStore(storage::Database db, time::Zone zone)
    : m_zone(std::move(zone)), m_db(std::move(db))
{
}

DeskStore::~DeskStore() = default;

struct DeskStore::PendingIngest {
    const kiosk::model::CheckIn& checkIn;
    const std::string& queueSummary;
    std::string body; // the canonical JSON of the check-in
    std::string insurerNumber;
    PatientName name;
    std::optional<Result<IngestResult>> result; // set by the group's leader
};

Result<IngestResult> DeskStore::ingest(const kiosk::model::CheckIn& checkIn,
                                       const std::string& queueSummary)
{
    if (!looksLikeIsoTime(checkIn.checkedAt)) {
        return fail(Errc::InvalidArgument, "checked_at is not an ISO 8601 time");
    }
    PendingIngest pending{checkIn, queueSummary, kiosk::model::toJson(checkIn).dump(), {}, {}, {}};
    if (checkIn.qualification) {
        if (const auto* person = kiosk::model::person(*checkIn.qualification)) {
            pending.insurerNumber = person->insurerNumber;
            pending.name = person->name;
        }
    }
    // Join the waiting group; whoever finds no group being written leads: it takes every
    // check-in waiting (its own among them), writes them in one transaction, and wakes the
    // others. Those that arrived meanwhile form the next group.
    std::unique_lock lock(m_groupMutex);
    m_waiting.push_back(&pending);
    while (!pending.result) {
        if (m_writing > 0) {
            m_groupDone.wait(lock);
            continue;
        }
        const std::vector<PendingIngest*> group = std::exchange(m_waiting, {});
        m_writing = group.size();
        lock.unlock();
        commitGroup(group);
        lock.lock();
        m_writing = 0;
        m_groupDone.notify_all();
    }
    return std::move(*pending.result);
}

DeskStore::IngestCounts DeskStore::ingestCounts() const
{
    std::lock_guard lock(m_groupMutex);
    IngestCounts counts = m_counts;
    counts.writing = m_writing;
    counts.waiting = m_waiting.size();
    return counts;
}

void DeskStore::commitGroup(const std::vector<PendingIngest*>& group)
{
    std::lock_guard lock(m_mutex);
    std::vector<Result<IngestResult>> results;
    results.reserve(group.size());
    auto written = m_db.transaction([&]() -> Result<void> {
        for (const PendingIngest* pending : group) {
            auto result = insertOne(*pending);
            if (!result && result.error().code != Errc::InvalidArgument) {
                return fail(std::move(result).error());
            }
            results.push_back(std::move(result));
        }
        return ok();
    });
    std::int64_t stored = 0;
    for (std::size_t i = 0; i < group.size(); ++i) {
        if (!written) {
            group[i]->result.emplace(fail(written.error()));
            continue;
        }
        if (results[i] && results[i]->status == IngestStatus::Stored) {
            ++stored;
            UKETSUKE_LOG(kLog, Debug) << "stored check-in id=" << results[i]->id;
        }
        group[i]->result.emplace(std::move(results[i]));
    }
    if (!written) {
        UKETSUKE_LOG(kLog, Error) << "a group of " << group.size()
                                  << " check-ins was not stored: " << written.error().message;
        return;
    }
    std::lock_guard counts(m_groupMutex);
    ++m_counts.commits;
    m_counts.checkIns += stored;
}

Result<IngestResult> DeskStore::insertOne(const PendingIngest& pending)
{
    const kiosk::model::CheckIn& checkIn = pending.checkIn;
    // SQLite reads the instant (it accepts the offsets the terminal may send); the clinic's
    // zone, not the process's TZ, turns it into the local day and time.
    auto instant =
        m_db.prepare("SELECT CAST(strftime('%s', ?1) AS INTEGER) WHERE date(?1) IS NOT NULL");
    if (!instant) {
        return fail(std::move(instant).error());
    }
    instant->bind(1, checkIn.checkedAt);
    auto parsed = instant->step();
    if (!parsed) {
        return fail(std::move(parsed).error());
    }
    if (!*parsed || instant->isNull(0)) {
        return fail(Errc::InvalidArgument, "checked_at is not a valid time");
    }
    // SQLite reads years up to 9999; the clock holds 1678 to 2261 (fuzz_desk_request: 4052).
    const auto at = time::clockTimeOf(instant->integer(0));
    if (!at) {
        return fail(Errc::InvalidArgument, "checked_at is outside the years 1678 to 2261");
    }
    const auto local = m_zone.local(*at);

    auto insert = m_db.prepare(R"sql(
        INSERT INTO checkins (idempotency_key, terminal_id, receipt_number, checked_at,
                              local_date, local_time, method, outcome, insurer_number, name, body,
                              duplicate_receipt)
        VALUES (?1, ?2, ?3, ?4, ?10, ?11, ?5, ?6, ?7, ?8, ?9,
                EXISTS (SELECT 1 FROM checkins WHERE local_date = ?10 AND receipt_number = ?3
                                                 AND idempotency_key <> ?1))
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id, duplicate_receipt)sql");
    if (!insert) {
        return fail(std::move(insert).error());
    }
    insert->bind(1, checkIn.idempotencyKey)
        .bind(2, checkIn.terminalId)
        .bind(3, checkIn.receiptNumber)
        .bind(4, checkIn.checkedAt)
        .bind(5, checkIn.method.name())
        .bind(6, checkIn.outcome.name())
        .bind(7, pending.insurerNumber)
        .bind(8, pending.name.reveal())
        .bind(9, pending.body)
        .bind(10, time::isoDate(local.date))
        .bind(11, hoursMinutes(local));
    auto row = insert->step();
    if (!row) {
        return fail(std::move(row).error());
    }
    if (*row) {
        IngestResult result{insert->integer(0), IngestStatus::Stored, insert->integer(1) != 0};
        if (auto done = insert->run(); !done) {
            return fail(std::move(done).error());
        }
        if (!pending.queueSummary.empty()) {
            auto summary = m_db.prepare(
                "INSERT INTO checkin_status (checkin_id, summary) VALUES (?1, ?2)");
            if (!summary) {
                return fail(std::move(summary).error());
            }
            summary->bind(1, result.id).bind(2, pending.queueSummary);
            if (auto done = summary->run(); !done) {
                return fail(std::move(done).error());
            }
        }
        return result;
    }
    // No row: the key is already there (stored before, or earlier in this group).
    auto existing =
        m_db.prepare("SELECT id, terminal_id, body FROM checkins WHERE idempotency_key = ?1");
    if (!existing) {
        return fail(std::move(existing).error());
    }
    existing->bind(1, checkIn.idempotencyKey);
    auto found = existing->step();
    if (!found) {
        return fail(std::move(found).error());
    }
    if (!*found) {
        return fail(Errc::StorageError, "the check-in was neither stored nor found");
    }
    IngestResult result{existing->integer(0), IngestStatus::Duplicate};
    if (existing->text(1) != checkIn.terminalId) {
        result.status = IngestStatus::Conflict;
    } else if (existing->text(2) != pending.body) {
        // Both bodies are toJson(...).dump() of a parsed check-in: keys sorted, one spelling.
        result.status = IngestStatus::Mismatch;
    }
    return result;
}

namespace {

// One row of SELECT id, local_date, local_time, received_at, body, duplicate_receipt.
Result<StoredCheckIn> storedFromRow(const storage::Statement& row)
{
    StoredCheckIn stored;
    stored.id = row.integer(0);
    stored.localDate = row.text(1);
    stored.localTime = row.text(2);
    stored.receivedAt = row.text(3);
    stored.duplicateReceipt = row.integer(5) != 0;
    auto json = nlohmann::json::parse(row.text(4), nullptr, false);
    auto checkIn = kiosk::model::checkInFromJson(json);
    if (!checkIn) {
        return fail(Errc::StorageCorrupt,
                    "stored check-in id=" + std::to_string(stored.id) + " does not parse");
    }
    stored.checkIn = std::move(*checkIn);
    return stored;
}

} // namespace

Result<std::optional<StoredCheckIn>> DeskStore::get(std::int64_t id)
{
    std::lock_guard lock(m_mutex);
    auto select = m_db.prepare(R"sql(
        SELECT id, local_date, local_time, received_at, body, duplicate_receipt FROM checkins
        WHERE id = ?1)sql");
    if (!select) {
        return fail(std::move(select).error());
    }
    select->bind(1, id);
    auto row = select->step();
    if (!row) {
        return fail(std::move(row).error());
    }
    if (!*row) {
        return std::optional<StoredCheckIn>();
    }
    auto stored = storedFromRow(*select);
    if (!stored) {
        return fail(std::move(stored).error());
    }
    return std::optional<StoredCheckIn>(std::move(*stored));
}

Result<std::vector<StoredCheckIn>> DeskStore::listByLocalDate(const std::string& localDate)
{
    if (!isIsoDate(localDate)) {
        return fail(Errc::InvalidArgument, "date is not YYYY-MM-DD");
    }
    std::lock_guard lock(m_mutex);
    auto select = m_db.prepare(R"sql(
        SELECT id, local_date, local_time, received_at, body, duplicate_receipt FROM checkins
        WHERE local_date = ?1
        ORDER BY julianday(checked_at) DESC, id DESC)sql");
    if (!select) {
        return fail(std::move(select).error());
    }
    select->bind(1, localDate);
    std::vector<StoredCheckIn> out;
    auto read = select->forEachRow([&out](const storage::Statement& row) -> Result<void> {
        auto stored = storedFromRow(row);
        if (!stored) {
            return fail(std::move(stored).error());
        }
        out.push_back(std::move(*stored));
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
    // One cut-off for both statements (received_at is ISO 8601 UTC, so text order is time).
    const std::string cutoff = time::isoUtc(time::Clock::now() - std::chrono::days(days));
    std::lock_guard lock(m_mutex);
    return m_db.transaction([&]() -> Result<int> {
        auto keep = m_db.prepare(R"sql(
            INSERT INTO daily_counts (local_date, outcome, count)
            SELECT local_date, outcome, count(*) FROM checkins WHERE received_at < ?1
            GROUP BY local_date, outcome
            ON CONFLICT (local_date, outcome) DO UPDATE SET count = count + excluded.count)sql");
        if (!keep) {
            return fail(std::move(keep).error());
        }
        keep->bind(1, cutoff);
        if (auto done = keep->run(); !done) {
            return fail(std::move(done).error());
        }
        auto purge = m_db.prepare("DELETE FROM checkins WHERE received_at < ?1");
        if (!purge) {
            return fail(std::move(purge).error());
        }
        purge->bind(1, cutoff);
        if (auto done = purge->run(); !done) {
            return fail(std::move(done).error());
        }
        return static_cast<int>(m_db.changes());
    });
}

Result<std::vector<DayCount>> DeskStore::dailyCounts(const std::string& fromDate,
                                                     const std::string& toDate)
{
    if (!isIsoDate(fromDate) || !isIsoDate(toDate)) {
        return fail(Errc::InvalidArgument, "date is not YYYY-MM-DD");
    }
    std::lock_guard lock(m_mutex);
    auto select = m_db.prepare(R"sql(
        SELECT local_date, outcome, sum(n) FROM (
            SELECT local_date, outcome, count AS n FROM daily_counts
            WHERE local_date BETWEEN ?1 AND ?2
            UNION ALL
            SELECT local_date, outcome, count(*) FROM checkins
            WHERE local_date BETWEEN ?1 AND ?2 GROUP BY local_date, outcome)
        GROUP BY local_date, outcome ORDER BY local_date, outcome)sql");
    if (!select) {
        return fail(std::move(select).error());
    }
    select->bind(1, fromDate).bind(2, toDate);
    std::vector<DayCount> out;
    auto read = select->forEachRow([&out](const storage::Statement& row) -> Result<void> {
        out.push_back({row.text(0), row.text(1), row.integer(2)});
        return ok();
    });
    if (!read) {
        return fail(std::move(read).error());
    }
    return out;
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
        SELECT terminal_id, received_at, body FROM terminals ORDER BY terminal_id)sql");
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
            nlohmann::json::parse(select->text(2), nullptr, false));
        const auto receivedAt = time::parseIsoUtc(select->text(1));
        if (!health || !receivedAt) {
            return fail(Errc::StorageCorrupt,
                        "stored health of terminal " + select->text(0) + " does not parse");
        }
        out.push_back(
            {std::move(*health), select->text(1), m_zone.local(*receivedAt).minutes()});
    }
}

Result<std::vector<std::pair<std::string, std::int64_t>>>
DeskStore::countByOutcome(const std::string& localDate)
{
    if (!localDate.empty() && !isIsoDate(localDate)) {
        return fail(Errc::InvalidArgument, "date is not YYYY-MM-DD");
    }
    std::lock_guard lock(m_mutex);
    auto select = m_db.prepare(R"sql(
        SELECT outcome, count(*) FROM checkins WHERE ?1 = '' OR local_date = ?1
        GROUP BY outcome ORDER BY outcome)sql");
    if (!select) {
        return fail(std::move(select).error());
    }
    select->bind(1, localDate);
    std::vector<std::pair<std::string, std::int64_t>> out;
    auto read = select->forEachRow([&out](const storage::Statement& row) -> Result<void> {
        out.emplace_back(row.text(0), row.integer(1));
        return ok();
    });
    if (!read) {
        return fail(std::move(read).error());
    }
    return out;
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
