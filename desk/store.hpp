#pragma once

// The desk's check-in store: one SQLite file (WAL, synchronous=FULL) holding every check-in the
// terminals delivered, once per idempotency key, until the retention period purges it
// (ARCHITECTURE.md "Storage and delivery", "Data and privacy"). The schema is documented in
// docs/programs/uketsuke-desk.md.

#include "base/result.hpp"
#include "kiosk/model/checkin.hpp"
#include "kiosk/model/health.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace uketsuke::desk {

enum class IngestStatus {
    Stored,    // first time this idempotency key was seen
    Duplicate, // the same key from the same terminal: already stored, nothing changed
    Conflict,  // the key is already stored for another terminal: nothing changed
};

struct IngestResult {
    std::int64_t id = 0; // the row id of the stored check-in (the first one for a duplicate)
    IngestStatus status = IngestStatus::Stored;
};

struct StoredCheckIn {
    std::int64_t id = 0;
    std::string localDate;  // YYYY-MM-DD of checked_at in the desk's time zone
    std::string localTime;  // HH:MM of checked_at in the desk's time zone
    std::string receivedAt; // ISO 8601 UTC, when the desk stored it
    kiosk::model::CheckIn checkIn;
};

// A check-in as the staff queue sees it (table checkin_status, desk/queue.hpp). `summary` is
// the row summary JSON as stored; empty for a check-in that has none yet (stored before the
// queue existed), which then comes with its `body` to build one.
struct QueueEntry {
    std::int64_t id = 0;
    std::string localDate;
    std::string localTime;
    std::string checkedAt;
    std::string status;   // "waiting", "called", "done", "no_show"
    std::string statusAt; // ISO 8601 UTC of the last status change
    std::string summary;
    std::string body; // only when summary is empty, or from queueEntry()
};

// A terminal's latest health report (the `terminals` table: one row per terminal).
struct StoredHealth {
    kiosk::model::TerminalHealth health;
    std::string receivedAt; // ISO 8601 UTC, when the desk last heard from the terminal
    std::string localTime;  // "YYYY-MM-DD HH:MM" of receivedAt in the desk's time zone
};

class DeskStore {
public:
    // Opens or creates the database file (its folder must exist; it is made 0700 and the file
    // 0600, storage/database.hpp). Thread: any. Errors: StorageError (cannot open or set up,
    // no folder), StorageCorrupt (not a database).
    static Result<std::unique_ptr<DeskStore>> open(const std::string& path);
    ~DeskStore();
    DeskStore(const DeskStore&) = delete;
    DeskStore& operator=(const DeskStore&) = delete;

    // Stores the check-in unless its idempotency key is already there; durable when it returns
    // Stored. All functions are internally serialised, so any thread may call them.
    // Errors: InvalidArgument (checked_at is not an ISO 8601 time; nothing stored),
    // StorageError.
    Result<IngestResult> ingest(const kiosk::model::CheckIn& checkIn);

    // The check-ins whose checked_at falls on `localDate` (YYYY-MM-DD, the desk's time zone),
    // newest first. Errors: InvalidArgument (not YYYY-MM-DD), StorageError, StorageCorrupt
    // (a stored body no longer parses).
    Result<std::vector<StoredCheckIn>> listByLocalDate(const std::string& localDate);

    // Deletes check-ins received more than `days` days ago; returns how many. Errors:
    // InvalidArgument (days < 1), StorageError.
    Result<int> purgeOlderThan(int days);

    // How many check-ins are stored. Errors: StorageError.
    Result<std::int64_t> count();

    // Keeps `health` as its terminal's latest report, unless the stored one was reported later
    // on the terminal's clock (a report that arrives late never hides a newer one). Errors:
    // InvalidArgument (reported_at is not an ISO 8601 time), StorageError.
    Result<void> recordHealth(const kiosk::model::TerminalHealth& health);

    // Every terminal's latest report, by terminal id. Errors: StorageError, StorageCorrupt.
    Result<std::vector<StoredHealth>> listTerminals();

    // The staff queue (desk/queue_store.cpp, desk/queue.hpp). Thread: any.
    // The queue rows of `localDate`, oldest first. Errors: InvalidArgument, StorageError.
    Result<std::vector<QueueEntry>> listQueue(const std::string& localDate);
    // One check-in's queue row, with its body; nullopt when there is no such check-in.
    // Errors: StorageError.
    Result<std::optional<QueueEntry>> queueEntry(std::int64_t id);
    // Keeps `summary` (JSON) as the row summary of check-in `id` (status "waiting") unless it
    // has one. Errors: StorageError (also for an id that is not stored).
    Result<void> saveQueueSummary(std::int64_t id, const std::string& summary);
    // Sets the status of check-in `id` (which has a summary); false when there is no such row.
    // Errors: StorageError.
    Result<bool> setQueueStatus(std::int64_t id, const std::string& status);

private:
    explicit DeskStore(storage::Database db);

    std::mutex m_mutex;
    storage::Database m_db; // guarded by m_mutex
};

// Today's date in the desk's local time zone, YYYY-MM-DD.
std::string localDateToday();

// True for "YYYY-MM-DD" with plausible digits.
bool isIsoDate(const std::string& text);

} // namespace uketsuke::desk
