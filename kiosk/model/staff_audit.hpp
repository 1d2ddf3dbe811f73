#pragma once

// The terminal's staff audit log as it sends it to the desk (POST /api/v1/terminals/audit,
// docs/protocol/desk.md "Staff audit"): what staff did at the terminal's maintenance menu — an
// unlock, a wrong staff PIN, a device test, a setting changed, a visual confirmation — when,
// and by which staff id. Unlike health it is data: every line is kept in the outbox until the
// desk has it. It holds ids and action names only: never a PIN, a name or a patient's data.

#include "base/result.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::kiosk::model {

struct StaffAuditRecord {
    std::string id;      // random, made by the terminal: the desk stores each line once
    std::string at;      // ISO 8601 UTC on the terminal's clock
    std::string staffId; // who was signed in; empty when nobody was (a wrong PIN, a lock-out)
    std::string action;  // "unlock", "test_printer", "setting timeouts.result_s=25", ...

    bool operator==(const StaffAuditRecord&) const = default;
};

struct StaffAuditBatch {
    std::string terminalId;
    std::vector<StaffAuditRecord> entries; // oldest first

    bool operator==(const StaffAuditBatch&) const = default;
};

// Lines a batch may hold; the terminal sends more in several batches.
inline constexpr std::size_t kMaxAuditBatch = 100;

// Whether `action` may be an audit action: 1 to 200 printable ASCII characters (no control
// characters, no line breaks), which is also what the desk accepts.
bool isValidAuditAction(std::string_view action);

nlohmann::json toJson(const StaffAuditBatch& batch);
// Errors: BadReply naming the offending key (never a value): not an object, terminal_id
// missing, entries not an array of 1 to kMaxAuditBatch objects, an id that is not 1 to 64 of
// A-Z a-z 0-9 . _ : -, an `at` that is not ISO 8601 UTC, a staff id that is not empty or 1 to 32
// of a-z 0-9 . _ -, an action that fails isValidAuditAction.
Result<StaffAuditBatch> staffAuditBatchFromJson(const nlohmann::json& json);

} // namespace uketsuke::kiosk::model
