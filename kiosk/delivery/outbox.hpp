#pragma once

// The terminal's durable outbox (docs/architecture.md). A check-in is written
// (SQLite WAL, synchronous=FULL) before the patient sees "done"; the delivery worker sends it
// to the desk with retries and backoff, and deletes it once the desk acknowledged it, so the
// terminal keeps personal data only until then.

#include "base/result.hpp"
#include "kiosk/model/checkin.hpp"
#include "kiosk/model/staff_audit.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace uketsuke::kiosk::delivery {

// What is waiting for the desk (the staff menu's "today" page).
struct Backlog {
    int pending = 0;
    // When the oldest waiting check-in was saved, ISO 8601 UTC; nullopt when none waits.
    std::optional<std::string> oldestSavedAt;
};

class Outbox {
public:
    // Opens or creates the database file. Errors: StorageError, StorageCorrupt.
    static Result<std::unique_ptr<Outbox>> open(const std::string& path);
    virtual ~Outbox() = default;

    // Durable when it returns. Thread: any (internally serialised).
    virtual Result<void> put(const model::CheckIn& checkIn) = 0;
    // Oldest first, at most `limit`.
    virtual Result<std::vector<model::CheckIn>> pending(int limit) = 0;
    // The desk acknowledged it: delete the personal data.
    virtual Result<void> markDelivered(const std::string& idempotencyKey) = 0;
    // The staff audit log (docs/staff.md "Audit log"): a line is kept until the desk has it.
    // putAudit is durable when it returns and idempotent by id. Errors: InvalidArgument (no
    // id), StorageError.
    virtual Result<void> putAudit(const model::StaffAuditRecord& record) = 0;
    // Oldest first, at most `limit`.
    virtual Result<std::vector<model::StaffAuditRecord>> pendingAudit(int limit) = 0;
    // The desk stored these lines: delete them.
    virtual Result<void> markAuditDelivered(const std::vector<std::string>& ids) = 0;
    // How many check-ins were saved with `checkedAt` in [fromUtc, toUtc) (ISO 8601 UTC), by
    // outcome wire name ("valid", "unconfirmed", ...), delivered or not. Only the time and the
    // outcome of each check-in are kept for this, for 8 days (no personal data).
    // Errors: StorageError.
    virtual Result<std::map<std::string, int>> outcomeCounts(const std::string& fromUtc,
                                                             const std::string& toUtc) = 0;
    // How many check-ins wait for the desk, and since when. Errors: StorageError.
    virtual Result<Backlog> backlog() = 0;
    // The next receipt sequence of the day ("0001"...), persisted, so a restart never reuses
    // one; it starts again each local day. An outbox that never issued one (a new, replaced or
    // re-imaged terminal, whose predecessor may have numbered this day already) starts its
    // first day at 1 + the ten-second intervals since local midnight instead, `timeOfDay`
    // (docs/receipt-numbers.md). Errors: InvalidArgument (not YYYY-MM-DD), StorageError.
    virtual Result<std::string> nextReceiptNumber(const std::string& localDate,
                                                  std::chrono::seconds timeOfDay) = 0;
};

} // namespace uketsuke::kiosk::delivery
