#include "kiosk/model/staff_audit.hpp"

#include "base/time.hpp"

#include <algorithm>

namespace uketsuke::kiosk::model {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxId = 64;
constexpr std::size_t kMaxStaffId = 32;
constexpr std::size_t kMaxAction = 200;

bool isIdChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == ':' || c == '-';
}

bool isStaffIdChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool validId(std::string_view id)
{
    return !id.empty() && id.size() <= kMaxId && std::all_of(id.begin(), id.end(), isIdChar);
}

bool validStaffId(std::string_view id)
{
    return id.size() <= kMaxStaffId && std::all_of(id.begin(), id.end(), isStaffIdChar);
}

} // namespace

bool isValidAuditAction(std::string_view action)
{
    return !action.empty() && action.size() <= kMaxAction &&
           std::all_of(action.begin(), action.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

json toJson(const StaffAuditBatch& batch)
{
    json entries = json::array();
    for (const auto& e : batch.entries) {
        entries.push_back({{"id", e.id}, {"at", e.at}, {"staff_id", e.staffId}, {"action", e.action}});
    }
    return {{"terminal_id", batch.terminalId}, {"entries", std::move(entries)}};
}

Result<StaffAuditBatch> staffAuditBatchFromJson(const json& in)
{
    if (!in.is_object()) {
        return fail(Errc::BadReply, "audit is not an object");
    }
    StaffAuditBatch out;
    auto terminal = in.find("terminal_id");
    if (terminal == in.end() || !terminal->is_string() ||
        terminal->get_ref<const std::string&>().empty()) {
        return fail(Errc::BadReply, "audit.terminal_id missing or not a string");
    }
    out.terminalId = terminal->get<std::string>();
    auto entries = in.find("entries");
    if (entries == in.end() || !entries->is_array() || entries->empty() ||
        entries->size() > kMaxAuditBatch) {
        return fail(Errc::BadReply, "audit.entries missing or not an array of 1 to " +
                                        std::to_string(kMaxAuditBatch) + " entries");
    }
    for (const auto& entry : *entries) {
        if (!entry.is_object()) {
            return fail(Errc::BadReply, "audit.entries[] not an object");
        }
        StaffAuditRecord record;
        for (const auto& [key, member] : {std::pair{"id", &StaffAuditRecord::id},
                                          std::pair{"at", &StaffAuditRecord::at},
                                          std::pair{"staff_id", &StaffAuditRecord::staffId},
                                          std::pair{"action", &StaffAuditRecord::action}}) {
            auto it = entry.find(key);
            if (it == entry.end() || !it->is_string()) {
                return fail(Errc::BadReply,
                            std::string("audit.entries[].") + key + " missing or not a string");
            }
            record.*member = it->get<std::string>();
        }
        if (!validId(record.id)) {
            return fail(Errc::BadReply, "audit.entries[].id is not 1 to 64 of A-Z a-z 0-9 . _ : -");
        }
        if (!time::parseIsoUtc(record.at)) {
            return fail(Errc::BadReply, "audit.entries[].at is not an ISO 8601 UTC time");
        }
        if (!validStaffId(record.staffId)) {
            return fail(Errc::BadReply,
                        "audit.entries[].staff_id is not empty or 1 to 32 of a-z 0-9 . _ -");
        }
        if (!isValidAuditAction(record.action)) {
            return fail(Errc::BadReply,
                        "audit.entries[].action is not 1 to 200 printable ASCII characters");
        }
        out.entries.push_back(std::move(record));
    }
    return out;
}

} // namespace uketsuke::kiosk::model
