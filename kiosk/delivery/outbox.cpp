#include "kiosk/delivery/outbox.hpp"

#include "base/log.hpp"
#include "base/time.hpp"
#include "kiosk/model/json.hpp"
#include "storage/database.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <mutex>
#include <string_view>

namespace uketsuke::kiosk::delivery {
namespace {

const log::Category kLog("kiosk.delivery");

// The schema by version (storage/database.hpp: only append). seq keeps the order of put(); the
// key makes put() idempotent. The receipt counter keeps one row per local date; a week of them
// is kept so a clock set back a day cannot reuse numbers.
// outcome_log keeps, for the staff menu's counts of the day, only when each check-in was made
// and its outcome (the key makes a repeated put() count once); put() prunes it after 8 days.
// staff_audit keeps the staff menu's audit lines (ids and action names) until the desk has them.
constexpr std::array<std::string_view, 3> kMigrations = {
    R"sql(
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
)sql",
    R"sql(
CREATE TABLE IF NOT EXISTS outcome_log (
    idempotency_key TEXT NOT NULL UNIQUE,
    checked_at      TEXT NOT NULL,
    outcome         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outcome_log_checked_at ON outcome_log (checked_at);
)sql",
    R"sql(
CREATE TABLE IF NOT EXISTS staff_audit (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    id       TEXT NOT NULL UNIQUE,
    at       TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    action   TEXT NOT NULL
);
)sql",
};

class SqliteOutbox final : public Outbox {
public:
    explicit SqliteOutbox(storage::Database db) : m_db(std::move(db)) {}

    Result<void> put(const model::CheckIn& checkIn) override
    {
        if (checkIn.idempotencyKey.empty()) {
            return fail(Errc::InvalidArgument, "check-in without idempotency key");
        }
        const nlohmann::json body = model::toJson(checkIn);
        const std::string json = body.dump();
        const std::string outcome = body.value("outcome", std::string("error"));
        std::lock_guard lock(m_mutex);
        return m_db.transaction([&]() -> Result<void> {
            auto insert =
                m_db.prepare("INSERT INTO outbox (idempotency_key, checkin) VALUES (?1, ?2) "
                             "ON CONFLICT (idempotency_key) DO NOTHING");
            if (!insert) {
                return fail(std::move(insert).error());
            }
            insert->bind(1, checkIn.idempotencyKey).bind(2, json);
            if (auto done = insert->run(); !done) {
                return done;
            }
            auto log = m_db.prepare(
                "INSERT INTO outcome_log (idempotency_key, checked_at, outcome) "
                "VALUES (?1, ?2, ?3) ON CONFLICT (idempotency_key) DO NOTHING");
            if (!log) {
                return fail(std::move(log).error());
            }
            log->bind(1, checkIn.idempotencyKey).bind(2, checkIn.checkedAt).bind(3, outcome);
            if (auto done = log->run(); !done) {
                return done;
            }
            auto prune = m_db.prepare("DELETE FROM outcome_log WHERE checked_at < "
                                      "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-8 days')");
            if (!prune) {
                return fail(std::move(prune).error());
            }
            return prune->run();
        });
    }

    Result<std::map<std::string, int>> outcomeCounts(const std::string& fromUtc,
                                                     const std::string& toUtc) override
    {
        std::lock_guard lock(m_mutex);
        auto select = m_db.prepare("SELECT outcome, COUNT(*) FROM outcome_log "
                                   "WHERE checked_at >= ?1 AND checked_at < ?2 GROUP BY outcome");
        if (!select) {
            return fail(std::move(select).error());
        }
        select->bind(1, fromUtc).bind(2, toUtc);
        std::map<std::string, int> counts;
        auto read = select->forEachRow([&counts](const storage::Statement& row) -> Result<void> {
            counts[row.text(0)] = static_cast<int>(row.integer(1));
            return ok();
        });
        if (!read) {
            return fail(std::move(read).error());
        }
        return counts;
    }

    Result<Backlog> backlog() override
    {
        std::lock_guard lock(m_mutex);
        auto select = m_db.prepare("SELECT COUNT(*), MIN(created_at) FROM outbox");
        if (!select) {
            return fail(std::move(select).error());
        }
        auto row = select->step();
        if (!row) {
            return fail(std::move(row).error());
        }
        Backlog backlog;
        if (*row) {
            backlog.pending = static_cast<int>(select->integer(0));
            if (backlog.pending > 0) {
                backlog.oldestSavedAt = select->text(1);
            }
        }
        return backlog;
    }

    Result<std::vector<model::CheckIn>> pending(int limit) override
    {
        std::lock_guard lock(m_mutex);
        auto select = m_db.prepare("SELECT seq, checkin FROM outbox ORDER BY seq LIMIT ?1");
        if (!select) {
            return fail(std::move(select).error());
        }
        select->bind(1, static_cast<std::int64_t>(limit < 0 ? 0 : limit));
        std::vector<model::CheckIn> out;
        auto read = select->forEachRow([&out](const storage::Statement& row) -> Result<void> {
            auto json = nlohmann::json::parse(row.text(1), nullptr, false);
            auto checkIn = model::checkInFromJson(json);
            if (!checkIn) {
                return fail(Errc::StorageCorrupt,
                            "outbox row seq=" + std::to_string(row.integer(0)) + " does not parse");
            }
            out.push_back(std::move(*checkIn));
            return ok();
        });
        if (!read) {
            return fail(std::move(read).error());
        }
        return out;
    }

    Result<void> markDelivered(const std::string& idempotencyKey) override
    {
        std::lock_guard lock(m_mutex);
        auto remove = m_db.prepare("DELETE FROM outbox WHERE idempotency_key = ?1");
        if (!remove) {
            return fail(std::move(remove).error());
        }
        remove->bind(1, idempotencyKey);
        return remove->run();
    }

    Result<void> putAudit(const model::StaffAuditRecord& record) override
    {
        if (record.id.empty()) {
            return fail(Errc::InvalidArgument, "audit line without id");
        }
        std::lock_guard lock(m_mutex);
        auto insert = m_db.prepare("INSERT INTO staff_audit (id, at, staff_id, action) "
                                   "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING");
        if (!insert) {
            return fail(std::move(insert).error());
        }
        insert->bind(1, record.id).bind(2, record.at).bind(3, record.staffId).bind(4, record.action);
        return insert->run();
    }

    Result<std::vector<model::StaffAuditRecord>> pendingAudit(int limit) override
    {
        std::lock_guard lock(m_mutex);
        auto select = m_db.prepare(
            "SELECT id, at, staff_id, action FROM staff_audit ORDER BY seq LIMIT ?1");
        if (!select) {
            return fail(std::move(select).error());
        }
        select->bind(1, static_cast<std::int64_t>(limit < 0 ? 0 : limit));
        std::vector<model::StaffAuditRecord> out;
        auto read = select->forEachRow([&out](const storage::Statement& row) -> Result<void> {
            out.push_back({row.text(0), row.text(1), row.text(2), row.text(3)});
            return ok();
        });
        if (!read) {
            return fail(std::move(read).error());
        }
        return out;
    }

    Result<void> markAuditDelivered(const std::vector<std::string>& ids) override
    {
        std::lock_guard lock(m_mutex);
        return m_db.transaction([&]() -> Result<void> {
            auto remove = m_db.prepare("DELETE FROM staff_audit WHERE id = ?1");
            if (!remove) {
                return fail(std::move(remove).error());
            }
            for (const auto& id : ids) {
                remove->reset();
                remove->bind(1, id);
                if (auto done = remove->run(); !done) {
                    return done;
                }
            }
            return ok();
        });
    }

    Result<std::string> nextReceiptNumber(const std::string& localDate,
                                          std::chrono::seconds timeOfDay) override
    {
        if (!time::parseIsoDate(localDate)) {
            return fail(Errc::InvalidArgument, "local date is not YYYY-MM-DD");
        }
        std::lock_guard lock(m_mutex);
        return m_db.transaction([&] { return nextReceiptLocked(localDate, timeOfDay); });
    }

private:
    // The first number of a day: 1, or on the first day of an outbox that never issued one,
    // 1 + the ten-second intervals since midnight (at most 8640): above every number its
    // predecessor can have given out by then at fewer than 360 check-ins an hour.
    Result<std::int64_t> firstOfDay(std::chrono::seconds timeOfDay)
    {
        auto any = m_db.prepare("SELECT EXISTS (SELECT 1 FROM receipt_counter)");
        if (!any) {
            return fail(std::move(any).error());
        }
        auto row = any->step();
        if (!row) {
            return fail(std::move(row).error());
        }
        if (*row && any->integer(0) != 0) {
            return std::int64_t{1};
        }
        const std::int64_t seconds = std::clamp<std::int64_t>(timeOfDay.count(), 0, 86399);
        UKETSUKE_LOG(kLog, Info) << "receipt numbers: a new outbox starts the day at "
                                 << 1 + seconds / 10;
        return 1 + seconds / 10;
    }

    // How many days' receipt counters are kept (one small row a day).
    static constexpr std::int64_t kKeptDays = 400;

    Result<std::string> nextReceiptLocked(const std::string& localDate,
                                          std::chrono::seconds timeOfDay)
    {
        auto first = firstOfDay(timeOfDay);
        if (!first) {
            return fail(std::move(first).error());
        }
        auto bump = m_db.prepare("INSERT INTO receipt_counter (local_date, last) VALUES (?1, ?2) "
                                 "ON CONFLICT (local_date) DO UPDATE SET last = last + 1 "
                                 "RETURNING last");
        if (!bump) {
            return fail(std::move(bump).error());
        }
        bump->bind(1, localDate).bind(2, *first);
        auto row = bump->step();
        if (!row) {
            return fail(std::move(row).error());
        }
        if (!*row) {
            return fail(Errc::StorageError, "receipt counter returned no row");
        }
        const std::int64_t last = bump->integer(0);
        if (auto done = bump->run(); !done) {
            return fail(std::move(done).error());
        }
        // Only the oldest days go, beyond the kKeptDays most recent: a count, not a distance
        // from this date, so that a wall clock that jumps weeks ahead and back (found by the
        // fault harness's clock jumps) cannot drop today's counter and give its numbers again.
        auto prune = m_db.prepare(
            "DELETE FROM receipt_counter WHERE local_date NOT IN "
            "(SELECT local_date FROM receipt_counter ORDER BY local_date DESC LIMIT ?1)");
        if (!prune) {
            return fail(std::move(prune).error());
        }
        prune->bind(1, kKeptDays);
        if (auto pruned = prune->run(); !pruned) {
            return fail(std::move(pruned).error());
        }
        char buffer[24];
        std::snprintf(buffer, sizeof buffer, "%04lld", static_cast<long long>(last));
        return std::string(buffer);
    }

    std::mutex m_mutex;
    storage::Database m_db; // guarded by m_mutex
};

} // namespace

Result<std::unique_ptr<Outbox>> Outbox::open(const std::string& path)
{
    // put() returns only once the check-in is on disk: WAL with synchronous=FULL syncs the log
    // on every commit. The file holds personal data until delivered: 0600 in a 0700 folder.
    storage::OpenOptions options;
    options.name = "outbox";
    options.migrations = kMigrations;
    // The outcome log keeps every check-in of 8 days (a few MB): a full default page cache would
    // be 2 MB of the terminal's memory for a file read only for the day's counts and receipts.
    options.cacheKiB = 256;
    auto db = storage::Database::open(path, options);
    if (!db) {
        UKETSUKE_LOG(kLog, Error) << "outbox: " << db.error().message;
        return fail(std::move(db).error());
    }
    return std::unique_ptr<Outbox>(std::make_unique<SqliteOutbox>(std::move(*db)));
}

} // namespace uketsuke::kiosk::delivery
