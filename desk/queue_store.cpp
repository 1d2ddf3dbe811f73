// The staff queue's part of DeskStore (desk/store.hpp): the checkin_status table of migration 3.
// Kept apart from store.cpp so the queue's SQL reads on its own.

#include "desk/store.hpp"

namespace uketsuke::desk {
namespace {

// The columns of a QueueEntry, in this order, for every query below.
constexpr const char* kQueueColumns = R"sql(
    SELECT c.id, c.local_date, c.local_time, c.checked_at,
           coalesce(s.status, 'waiting'), coalesce(s.status_at, c.received_at),
           coalesce(s.summary, ''), CASE WHEN s.summary IS NULL OR ?2 THEN c.body ELSE '' END,
           c.duplicate_receipt, coalesce(r.state, ''), coalesce(r.outcome, ''),
           coalesce(r.error, ''), coalesce(r.staff, ''),
           coalesce(nullif(r.finished_at, ''), r.requested_at, ''),
           CAST(round((julianday(c.checked_at) - 2440587.5) * 86400000) AS INTEGER)
    FROM checkins c LEFT JOIN checkin_status s ON s.checkin_id = c.id
                    LEFT JOIN rechecks r ON r.checkin_id = c.id)sql";

QueueEntry readEntry(const storage::Statement& row)
{
    QueueEntry entry;
    entry.id = row.integer(0);
    entry.localDate = row.text(1);
    entry.localTime = row.text(2);
    entry.checkedAt = row.text(3);
    entry.status = row.text(4);
    entry.statusAt = row.text(5);
    entry.summary = row.text(6);
    entry.body = row.text(7);
    entry.duplicateReceipt = row.integer(8) != 0;
    entry.recheckState = row.text(9);
    entry.recheckOutcome = row.text(10);
    entry.recheckError = row.text(11);
    entry.recheckBy = row.text(12);
    entry.recheckAt = row.text(13);
    entry.checkedAtMs = row.integer(14);
    return entry;
}

} // namespace

Result<std::vector<QueueEntry>> DeskStore::listQueue(const std::string& localDate)
{
    if (!isIsoDate(localDate)) {
        return fail(Errc::InvalidArgument, "date is not YYYY-MM-DD");
    }
    std::lock_guard lock(m_mutex);
    auto select = m_db.prepare(std::string(kQueueColumns) + R"sql(
        WHERE c.local_date = ?1
        ORDER BY julianday(c.checked_at), c.id)sql");
    if (!select) {
        return fail(std::move(select).error());
    }
    select->bind(1, localDate).bind(2, std::int64_t{0});
    std::vector<QueueEntry> out;
    auto read = select->forEachRow([&out](const storage::Statement& row) {
        out.push_back(readEntry(row));
    });
    if (!read) {
        return fail(std::move(read).error());
    }
    return out;
}

Result<std::optional<QueueEntry>> DeskStore::queueEntry(std::int64_t id)
{
    std::lock_guard lock(m_mutex);
    auto select = m_db.prepare(std::string(kQueueColumns) + " WHERE c.id = ?1");
    if (!select) {
        return fail(std::move(select).error());
    }
    select->bind(1, id).bind(2, std::int64_t{1});
    auto row = select->step();
    if (!row) {
        return fail(std::move(row).error());
    }
    if (!*row) {
        return std::optional<QueueEntry>();
    }
    return std::optional<QueueEntry>(readEntry(*select));
}

Result<void> DeskStore::saveQueueSummary(std::int64_t id, const std::string& summary)
{
    std::lock_guard lock(m_mutex);
    auto insert = m_db.prepare(R"sql(
        INSERT INTO checkin_status (checkin_id, summary) VALUES (?1, ?2)
        ON CONFLICT (checkin_id) DO NOTHING)sql");
    if (!insert) {
        return fail(std::move(insert).error());
    }
    insert->bind(1, id).bind(2, summary);
    return insert->run();
}

Result<bool> DeskStore::setQueueStatus(std::int64_t id, const std::string& status)
{
    std::lock_guard lock(m_mutex);
    auto update = m_db.prepare(R"sql(
        UPDATE checkin_status
        SET status = ?2, status_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
        WHERE checkin_id = ?1)sql");
    if (!update) {
        return fail(std::move(update).error());
    }
    update->bind(1, id).bind(2, status);
    if (auto done = update->run(); !done) {
        return fail(std::move(done).error());
    }
    return m_db.changes() > 0;
}

} // namespace uketsuke::desk
