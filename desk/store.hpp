#pragma once

// The desk's check-in store: one SQLite file (WAL, synchronous=FULL) holding every check-in the
// terminals delivered, once per idempotency key, until the retention period purges it. The
// schema, retention and file modes are documented in docs/programs/uketsuke-desk.md ("Data").

#include "base/result.hpp"
#include "base/time.hpp"
#include "kiosk/model/checkin.hpp"
#include "kiosk/model/health.hpp"
#include "storage/database.hpp"

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace uketsuke::desk {

enum class IngestStatus {
    Stored,    // first time this idempotency key was seen
    Duplicate, // the same key and content from the same terminal: already stored, unchanged
    Conflict,  // the key is already stored for another terminal: nothing changed
    Mismatch,  // the key is already stored for this terminal with other content: unchanged
};

struct IngestResult {
    std::int64_t id = 0; // the row id of the stored check-in (the first one for a duplicate)
    IngestStatus status = IngestStatus::Stored;
    // Stored: another check-in of the same local day already has this receipt number.
    bool duplicateReceipt = false;
};

struct StoredCheckIn {
    std::int64_t id = 0;
    std::string localDate;  // YYYY-MM-DD of checked_at in the desk's time zone
    std::string localTime;  // HH:MM of checked_at in the desk's time zone
    std::string receivedAt; // ISO 8601 UTC, when the desk stored it
    // When stored, another check-in of the same local day (another idempotency key) already
    // had this receipt number: both are kept, staff look twice.
    bool duplicateReceipt = false;
    kiosk::model::CheckIn checkIn;
};

// How many check-ins of one local day had one outcome (DeskStore::dailyCounts).
struct DayCount {
    std::string localDate; // YYYY-MM-DD
    std::string outcome;   // wire name
    std::int64_t count = 0;
};

// A check-in as the staff queue sees it (table checkin_status, desk/queue.hpp). `summary` is
// the row summary JSON as stored; empty for a check-in that has none yet (stored before the
// queue existed), which then comes with its `body` to build one.
struct QueueEntry {
    std::int64_t id = 0;
    std::string localDate;
    std::string localTime;
    std::string checkedAt;
    std::int64_t checkedAtMs = 0; // checked_at in ms since 1970 UTC: the list's order
    std::string status;   // "waiting", "called", "done", "no_show"
    std::string statusAt; // ISO 8601 UTC of the last status change
    std::string summary;
    std::string body; // only when summary is empty, or from queueEntry()
    // Another check-in of the same day had this receipt number first (StoredCheckIn).
    bool duplicateReceipt = false;
    // The latest re-check of its eligibility by staff (RecheckRecord); state empty: none.
    std::string recheckState, recheckOutcome, recheckError, recheckBy, recheckAt;
};

// A staff member's re-check of one check-in's eligibility (desk/recheck.hpp): the latest one per
// check-in (table rechecks), deleted with its check-in.
struct RecheckRecord {
    std::string state;   // "pending", "done" or "failed"
    std::string outcome; // done: the outcome's wire name (model::outcomeOf of the answer)
    std::string error;   // failed: the error code's name (never a value of the query)
    std::string staff;   // the account that asked
    std::string requestedAt; // ISO 8601 UTC
    std::string finishedAt;  // ISO 8601 UTC; empty while pending
    std::string result;      // done: the answer as JSON (kiosk/model/json.hpp)
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
    // 0600, storage/database.hpp). `zone` is the clinic's time zone (option `time_zone`): the
    // local dates and times the store writes and lists are in it, never in the process's TZ.
    // Thread: any. Errors: StorageError (cannot open or set up, no folder), StorageCorrupt (not
    // a database).
    static Result<std::unique_ptr<DeskStore>> open(const std::string& path,
                                                   time::Zone zone = time::Zone::tokyo());
    ~DeskStore();
    DeskStore(const DeskStore&) = delete;
    DeskStore& operator=(const DeskStore&) = delete;

    // Stores the check-in unless its idempotency key is already there; durable when it returns
    // Stored. A key already there is compared by content (the canonical JSON of the check-in):
    // Duplicate when equal, Mismatch when not, Conflict when another terminal stored it. A new
    // check-in whose receipt number another key already has on the same local day is stored
    // with duplicateReceipt set. `queueSummary` (desk/queue.hpp, JSON text), when given, is
    // stored with a new check-in as its queue row, in the same transaction.
    //
    // Group commit: check-ins that arrive while a transaction is being written wait and are
    // then written together in the next one (one fsync for all of them); each caller returns
    // once its own check-in is durable, with its own result. All functions are internally
    // serialised, so any thread may call them.
    // Errors: InvalidArgument (checked_at is not an ISO 8601 time; nothing stored),
    // StorageError (nothing of the group was stored).
    Result<IngestResult> ingest(const kiosk::model::CheckIn& checkIn,
                                const std::string& queueSummary = {});

    // The check-ins whose checked_at falls on `localDate` (YYYY-MM-DD, the desk's time zone),
    // newest first. Errors: InvalidArgument (not YYYY-MM-DD), StorageError, StorageCorrupt
    // (a stored body no longer parses).
    Result<std::vector<StoredCheckIn>> listByLocalDate(const std::string& localDate);

    // The check-in with row id `id`; nullopt when there is none (purged). Errors: StorageError,
    // StorageCorrupt.
    Result<std::optional<StoredCheckIn>> get(std::int64_t id);

    // Deletes check-ins received more than `days` days ago; returns how many. Before they go,
    // their count by local day and outcome is added to the table daily_counts, which holds no
    // personal data and is kept. One transaction: both or neither. Errors: InvalidArgument
    // (days < 1), StorageError.
    Result<int> purgeOlderThan(int days);

    // The check-ins by local day and outcome from `fromDate` to `toDate` (YYYY-MM-DD, both
    // included), purged ones included, ordered by day then outcome. Errors: InvalidArgument
    // (not YYYY-MM-DD), StorageError.
    Result<std::vector<DayCount>> dailyCounts(const std::string& fromDate,
                                              const std::string& toDate);

    // How many check-ins are stored by outcome, for one local day (YYYY-MM-DD) or, when
    // `localDate` is empty, in all. Errors: InvalidArgument (not YYYY-MM-DD), StorageError.
    Result<std::vector<std::pair<std::string, std::int64_t>>>
    countByOutcome(const std::string& localDate);

    // How many check-ins are stored. Errors: StorageError.
    Result<std::int64_t> count();

    // Keeps `health` as its terminal's latest report, unless the stored one was reported later
    // on the terminal's clock (a report that arrives late never hides a newer one). Errors:
    // InvalidArgument (reported_at is not an ISO 8601 time), StorageError.
    Result<void> recordHealth(const kiosk::model::TerminalHealth& health);

    // Every terminal's latest report, by terminal id. Errors: StorageError, StorageCorrupt.
    Result<std::vector<StoredHealth>> listTerminals();

    // The time zone of local_date, local_time and "today".
    const time::Zone& zone() const { return m_zone; }

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

    // Re-checks (desk/recheck_store.cpp). Thread: any.
    // Starts a re-check of check-in `id` for `staff`, replacing a finished one; false when one
    // is already pending or there is no such check-in. Errors: StorageError.
    Result<bool> beginRecheck(std::int64_t id, const std::string& staff);
    // Ends the pending re-check of `id` with `record`'s state, outcome, error and result.
    // Errors: StorageError.
    Result<void> finishRecheck(std::int64_t id, const RecheckRecord& record);
    // Marks every pending re-check failed ("interrupted"): at start, none can still be running.
    // Returns how many. Errors: StorageError.
    Result<int> abandonRechecks();
    // The latest re-check of `id`; nullopt when there was none. Errors: StorageError.
    Result<std::optional<RecheckRecord>> recheck(std::int64_t id);

    // The group commit of ingest() so far and now.
    struct IngestCounts {
        std::int64_t commits = 0;  // transactions committed
        std::int64_t checkIns = 0; // new check-ins they stored
        std::size_t writing = 0;   // check-ins in the group being written now
        std::size_t waiting = 0;   // check-ins waiting for the next group
    };
    IngestCounts ingestCounts() const;

private:
    struct PendingIngest; // one caller's check-in, waiting for its group (store.cpp)

    DeskStore(storage::Database db, time::Zone zone);
    // Writes `group` in one transaction and sets each one's result. Thread: the group's
    // leader, holding no lock.
    void commitGroup(const std::vector<PendingIngest*>& group);
    // One check-in of a group, inside its transaction. Errors: InvalidArgument (for this one
    // only), StorageError (the transaction must be rolled back).
    Result<IngestResult> insertOne(const PendingIngest& pending);

    const time::Zone m_zone;
    std::mutex m_mutex;
    storage::Database m_db; // guarded by m_mutex

    // The group commit of ingest().
    mutable std::mutex m_groupMutex;
    std::condition_variable m_groupDone;
    std::vector<PendingIngest*> m_waiting; // guarded by m_groupMutex
    std::size_t m_writing = 0; // check-ins in the group a leader is writing; guarded too
    IngestCounts m_counts;                 // guarded by m_groupMutex
};

// Today's date in `zone` (the desk's `time_zone`), YYYY-MM-DD.
std::string localDateToday(const time::Zone& zone = time::Zone::tokyo());

// True for "YYYY-MM-DD" with plausible digits.
bool isIsoDate(const std::string& text);

} // namespace uketsuke::desk
