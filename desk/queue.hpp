#pragma once

// The staff queue (docs/programs/uketsuke-desk.md "The queue"): what the page shows of each
// check-in, as JSON. Pure functions: no I/O, thread: any.
//
// A row's summary (receipt number, names, method, terminal, outcome, problem, whether it needs
// attention) is built once from the check-in's JSON when it arrives and stored next to it
// (DeskStore::saveQueueSummary), so the list of a busy day is assembled from stored text
// without parsing a body. The detail (insurance numbers, 負担割合, dates, consents, what the
// patient typed) is built from the body when staff open it.

#include "desk/store.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace uketsuke::desk {

// Where a check-in is in the queue. Names at the edge: "waiting", "called", "done", "no_show".
enum class QueueStatus { Waiting, Called, Done, NoShow };

std::string_view queueStatusName(QueueStatus status);
std::optional<QueueStatus> queueStatusFromName(std::string_view name);

// The summary of a check-in given as its JSON (the POST body or a stored body):
//   {"receipt_number", "terminal_id", "method", "outcome", "problem" (only when the terminal
//    sent one), "name", "kana" (full-width), "attention"}
// `attention` is false only for outcome "valid" without a problem: every other outcome,
// including a name this desk does not know, needs staff. Names are empty when the result does
// not hold exactly one person.
nlohmann::json queueSummary(const nlohmann::json& checkIn);

// One row of the list and of the events: {"id", "local_date", "local_time", "checked_at",
// "status", "status_at", "duplicate_receipt", "summary": <summary>}. `summary` is spliced in
// as stored (JSON text). `duplicate_receipt`: another check-in of the day had this number
// first (the page marks the row and counts it as needing attention). "recheck": {"state",
// "outcome", "error", "by", "at"} when staff re-checked it (desk/recheck.hpp).
std::string queueRowJson(const QueueEntry& entry, const std::string& summary);

// The detail of a stored check-in body (JSON text): see docs/programs/uketsuke-desk.md.
// nullopt when the body does not parse. `recheck_query` holds what a re-check would ask
// ({"insurer_number", "symbol", "number", "branch", "birthdate"}): the confirmed person's, else
// what the patient typed, else empty strings (staff type it from the 資格確認書).
std::optional<nlohmann::json> queueDetail(const std::string& body);

// A re-check as the detail shows it: {"state", "outcome", "error", "by", "requested_at",
// "finished_at"} and, when it found one person, "person" (as the detail's) and "notice".
nlohmann::json recheckDetail(const RecheckRecord& record);

} // namespace uketsuke::desk
