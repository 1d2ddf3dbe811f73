// The re-checks' part of DeskStore (desk/store.hpp): the rechecks table of migration 6.
// Kept apart from store.cpp so the re-check's SQL reads on its own.

#include "desk/store.hpp"

namespace uketsuke::desk {

Result<bool> DeskStore::beginRecheck(std::int64_t id, const std::string& staff)
{
    std::lock_guard lock(m_mutex);
    // A check-in that is not stored has no row to refer to: the foreign key refuses it, which
    // SQLite reports as a constraint error; ask first instead.
    auto exists = m_db.prepare("SELECT 1 FROM checkins WHERE id = ?1");
    if (!exists) {
        return fail(std::move(exists).error());
    }
    exists->bind(1, id);
    auto found = exists->step();
    if (!found) {
        return fail(std::move(found).error());
    }
    if (!*found) {
        return false;
    }
    auto upsert = m_db.prepare(R"sql(
        INSERT INTO rechecks (checkin_id, state, staff) VALUES (?1, 'pending', ?2)
        ON CONFLICT (checkin_id) DO UPDATE
        SET state = 'pending', staff = excluded.staff,
            requested_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
            finished_at = '', outcome = '', error = '', result = ''
        WHERE rechecks.state != 'pending')sql");
    if (!upsert) {
        return fail(std::move(upsert).error());
    }
    upsert->bind(1, id).bind(2, staff);
    if (auto done = upsert->run(); !done) {
        return fail(std::move(done).error());
    }
    return m_db.changes() > 0;
}

Result<void> DeskStore::finishRecheck(std::int64_t id, const RecheckRecord& record)
{
    std::lock_guard lock(m_mutex);
    auto update = m_db.prepare(R"sql(
        UPDATE rechecks
        SET state = ?2, outcome = ?3, error = ?4, result = ?5,
            finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
        WHERE checkin_id = ?1 AND state = 'pending')sql");
    if (!update) {
        return fail(std::move(update).error());
    }
    update->bind(1, id)
        .bind(2, record.state)
        .bind(3, record.outcome)
        .bind(4, record.error)
        .bind(5, record.result);
    return update->run();
}

Result<int> DeskStore::abandonRechecks()
{
    std::lock_guard lock(m_mutex);
    auto update = m_db.prepare(R"sql(
        UPDATE rechecks
        SET state = 'failed', error = 'interrupted',
            finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
        WHERE state = 'pending')sql");
    if (!update) {
        return fail(std::move(update).error());
    }
    if (auto done = update->run(); !done) {
        return fail(std::move(done).error());
    }
    return static_cast<int>(m_db.changes());
}

Result<std::optional<RecheckRecord>> DeskStore::recheck(std::int64_t id)
{
    std::lock_guard lock(m_mutex);
    auto select = m_db.prepare(R"sql(
        SELECT state, outcome, error, staff, requested_at, finished_at, result
        FROM rechecks WHERE checkin_id = ?1)sql");
    if (!select) {
        return fail(std::move(select).error());
    }
    select->bind(1, id);
    auto row = select->step();
    if (!row) {
        return fail(std::move(row).error());
    }
    if (!*row) {
        return std::optional<RecheckRecord>();
    }
    RecheckRecord record;
    record.state = select->text(0);
    record.outcome = select->text(1);
    record.error = select->text(2);
    record.staff = select->text(3);
    record.requestedAt = select->text(4);
    record.finishedAt = select->text(5);
    record.result = select->text(6);
    return std::optional<RecheckRecord>(std::move(record));
}

} // namespace uketsuke::desk
