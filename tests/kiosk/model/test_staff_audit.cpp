#include "kiosk/model/staff_audit.hpp"

#include <catch2/catch.hpp>

namespace {

using namespace uketsuke;
using kiosk::model::StaffAuditBatch;
using kiosk::model::StaffAuditRecord;
using kiosk::model::staffAuditBatchFromJson;
using nlohmann::json;

StaffAuditBatch sample()
{
    return {"KIOSK-0001",
            {{"0f3a9c", "2026-12-06T01:02:03Z", "s01", "unlock"},
             {"0f3a9d", "2026-12-06T01:02:09Z", "", "wrong_pin"},
             {"0f3a9e", "2026-12-06T01:03:00Z", "s01", "setting timeouts.result_s=25"}}};
}

// The message of the error staffAuditBatchFromJson gives for `body`.
std::string refusal(const json& body)
{
    auto parsed = staffAuditBatchFromJson(body);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == Errc::BadReply);
    return parsed.error().message;
}

} // namespace

TEST_CASE("staffAuditBatchFromJson: reads back what toJson wrote, with the documented keys")
{
    const json body = toJson(sample());
    CHECK(body["terminal_id"] == "KIOSK-0001");
    CHECK(body["entries"][1] ==
          json{{"id", "0f3a9d"}, {"at", "2026-12-06T01:02:09Z"}, {"staff_id", ""}, {"action", "wrong_pin"}});
    auto parsed = staffAuditBatchFromJson(body);
    REQUIRE(parsed);
    CHECK(*parsed == sample());
}

TEST_CASE("staffAuditBatchFromJson: each rule refuses with the key named, never the value")
{
    json body = toJson(sample());
    CHECK(refusal(json::array()).find("not an object") != std::string::npos);

    json noTerminal = body;
    noTerminal.erase("terminal_id");
    CHECK(refusal(noTerminal).find("audit.terminal_id") != std::string::npos);

    json empty = body;
    empty["entries"] = json::array();
    CHECK(refusal(empty).find("audit.entries") != std::string::npos);

    json tooMany = body;
    tooMany["entries"] = json::array();
    for (std::size_t i = 0; i <= kiosk::model::kMaxAuditBatch; ++i) {
        tooMany["entries"].push_back(body["entries"][0]);
    }
    CHECK(refusal(tooMany).find("audit.entries") != std::string::npos);

    auto withEntry = [&](const char* key, json value) {
        json changed = body;
        changed["entries"][0][key] = std::move(value);
        return changed;
    };
    CHECK(refusal(withEntry("id", "")).find("entries[].id") != std::string::npos);
    CHECK(refusal(withEntry("id", "a b")).find("entries[].id") != std::string::npos);
    CHECK(refusal(withEntry("id", std::string(65, 'a'))).find("entries[].id") != std::string::npos);
    CHECK(refusal(withEntry("at", "yesterday")).find("entries[].at") != std::string::npos);
    CHECK(refusal(withEntry("at", "9999-01-01T00:00:00Z")).find("entries[].at") !=
          std::string::npos);
    CHECK(refusal(withEntry("staff_id", "Tanaka Hanako")).find("entries[].staff_id") !=
          std::string::npos);
    CHECK(refusal(withEntry("staff_id", 7)).find("entries[].staff_id") != std::string::npos);
    CHECK(refusal(withEntry("action", "")).find("entries[].action") != std::string::npos);
    CHECK(refusal(withEntry("action", "unlock\nforged line")).find("entries[].action") !=
          std::string::npos);
    CHECK(refusal(withEntry("action", "設定")).find("entries[].action") != std::string::npos);
    const std::string message = refusal(withEntry("staff_id", "Tanaka Hanako"));
    CHECK(message.find("Tanaka") == std::string::npos);
}

TEST_CASE("isValidAuditAction: printable ASCII, 1 to 200 characters")
{
    using kiosk::model::isValidAuditAction;
    CHECK(isValidAuditAction("unlock"));
    CHECK(isValidAuditAction("settings_not_saved config_invalid"));
    CHECK(isValidAuditAction(std::string(200, 'a')));
    CHECK_FALSE(isValidAuditAction(std::string(201, 'a')));
    CHECK_FALSE(isValidAuditAction(""));
    CHECK_FALSE(isValidAuditAction("tab\there"));
    CHECK_FALSE(isValidAuditAction("\x7f"));
}
