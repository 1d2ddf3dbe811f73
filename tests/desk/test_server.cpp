#include "desk/server.hpp"

#include "kiosk/model/health.hpp"
#include "kiosk/model/json.hpp"
#include "kiosk/model/staff_audit.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/running_desk.hpp"
#include "tests/desk/sample_checkin.hpp"

#include "tests/net/tls_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace {

using namespace uketsuke;
using nlohmann::json;

using tests::RunningDesk;

std::string body(const kiosk::model::CheckIn& checkIn)
{
    return kiosk::model::toJson(checkIn).dump();
}

std::string errorCode(const std::optional<tests::HttpAnswer>& res)
{
    auto parsed = json::parse(res->body, nullptr, false);
    REQUIRE(parsed.is_object());
    return parsed.at("error").at("code").get<std::string>();
}

TEST_CASE("DeskServer: a terminal with its client certificate stores a check-in once")
{
    RunningDesk desk;
    auto cli = desk.client();
    const auto checkIn = tests::sampleCheckIn("b7d1c3a0-0001");

    auto first = cli->post("/api/v1/checkins", body(checkIn), "application/json");
    REQUIRE(first);
    CHECK(first->status == 201);
    auto stored = json::parse(first->body);
    CHECK(stored.at("status") == "stored");
    const auto id = stored.at("id").get<std::int64_t>();

    auto again = cli->post("/api/v1/checkins", body(checkIn), "application/json");
    REQUIRE(again);
    CHECK(again->status == 200);
    auto duplicate = json::parse(again->body);
    CHECK(duplicate.at("status") == "duplicate");
    CHECK(duplicate.at("id").get<std::int64_t>() == id);

    CHECK(desk.count() == 1);
}

TEST_CASE("DeskServer: a check-in by insurance card keeps its method")
{
    RunningDesk desk;
    auto checkIn = tests::sampleCheckIn("b7d1c3a0-0002");
    // Typed from a 資格確認書 (docs/protocol/desk.md).
    checkIn.method = kiosk::model::Method::InsuranceCard;
    auto res = desk.client()->post("/api/v1/checkins", body(checkIn), "application/json");
    REQUIRE(res);
    CHECK(res->status == 201);
    auto today = desk.store->listByLocalDate(desk::localDateToday());
    REQUIRE(today);
    REQUIRE(today->size() == 1);
    CHECK((*today)[0].checkIn.method == kiosk::model::Method::InsuranceCard);
}

TEST_CASE("DeskServer: a client without a certificate is refused by the terminal API")
{
    RunningDesk desk;
    auto cli = desk.client("");
    auto res = cli->post("/api/v1/checkins", body(tests::sampleCheckIn("k1")), "application/json");
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(errorCode(res) == "client_certificate_required");
    CHECK(desk.count() == 0);
}

TEST_CASE("DeskServer: a certificate whose CN differs from terminal_id is refused")
{
    RunningDesk desk;
    tests::writeClientCertificate(desk.dir.path(), "other", "KIOSK-0002");
    auto cli = desk.client("other");
    auto res = cli->post("/api/v1/checkins", body(tests::sampleCheckIn("k1")), "application/json");
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(errorCode(res) == "terminal_mismatch");
    CHECK(desk.count() == 0);

    // The same certificate may deliver check-ins of its own terminal.
    auto own =
        cli->post("/api/v1/checkins", body(tests::sampleCheckIn("k2", "0001", "x", "KIOSK-0002")),
                  "application/json");
    REQUIRE(own);
    CHECK(own->status == 201);
    CHECK(desk.count() == 1);
}

TEST_CASE("DeskServer: a certificate from another CA fails the handshake")
{
    RunningDesk desk;
    tests::writeClientCertificate(desk.dir.path(), "rogue", "KIOSK-0001", true);
    auto cli = desk.client("rogue");
    auto res = cli->post("/api/v1/checkins", body(tests::sampleCheckIn("k1")), "application/json");
    CHECK_FALSE(res);
    CHECK(desk.count() == 0);
}

TEST_CASE("DeskServer: a key reused by another terminal is a conflict")
{
    RunningDesk desk;
    tests::writeClientCertificate(desk.dir.path(), "other", "KIOSK-0002");
    auto first = desk.client()->post("/api/v1/checkins", body(tests::sampleCheckIn("shared")),
                                     "application/json");
    REQUIRE(first);
    REQUIRE(first->status == 201);
    auto clash = desk.client("other")->post(
        "/api/v1/checkins", body(tests::sampleCheckIn("shared", "0001", "x", "KIOSK-0002")),
        "application/json");
    REQUIRE(clash);
    CHECK(clash->status == 409);
    CHECK(errorCode(clash) == "idempotency_conflict");
    CHECK(desk.count() == 1);
}

TEST_CASE("DeskServer: a replay with the same key and other content is a 409, never dropped")
{
    RunningDesk desk;
    auto cli = desk.client();
    auto checkIn = tests::sampleCheckIn("replayed", "0001");
    auto first = cli->post("/api/v1/checkins", body(checkIn), "application/json");
    REQUIRE(first);
    REQUIRE(first->status == 201);

    // The same bytes again: a retry, answered as a duplicate.
    auto replay = cli->post("/api/v1/checkins", body(checkIn), "application/json");
    REQUIRE(replay);
    CHECK(replay->status == 200);
    // The same content spelled another way (keys in another order, spaces) is the same.
    auto respelled = cli->post("/api/v1/checkins", kiosk::model::toJson(checkIn).dump(2),
                               "application/json");
    REQUIRE(respelled);
    CHECK(respelled->status == 200);

    checkIn.receiptNumber = "0002";
    auto changed = cli->post("/api/v1/checkins", body(checkIn), "application/json");
    REQUIRE(changed);
    CHECK(changed->status == 409);
    CHECK(errorCode(changed) == "idempotency_mismatch");
    CHECK(desk.count() == 1);
    auto rows = desk.store->listByLocalDate(desk::localDateToday());
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    CHECK((*rows)[0].checkIn.receiptNumber == "0001");
}

TEST_CASE("DeskServer: oversized fields and control characters are a 400 naming the field")
{
    RunningDesk desk;
    auto cli = desk.client();
    auto longName = kiosk::model::toJson(tests::sampleCheckIn("k1"));
    longName["qualification"]["MessageBody"]["ResultList"][0]["Name"] = std::string(101, 'x');
    auto bell = tests::sampleCheckIn("k2", "00\x07");
    auto c1 = tests::sampleCheckIn("k3", "0003", "試験\xc2\x85花子");
    auto longTerminal = tests::sampleCheckIn("k4");
    longTerminal.terminalId = std::string(65, 'K');

    const std::pair<std::string, std::string> cases[] = {
        {longName.dump(), "qualification.MessageBody.ResultList[0].Name: longer than 100"},
        {body(bell), "receipt_number: holds a control character"},
        {body(c1), "qualification.MessageBody.ResultList[0].Name: holds a control character"},
        {body(longTerminal), "terminal_id: longer than 64"},
    };
    for (const auto& [text, message] : cases) {
        INFO(message);
        auto res = cli->post("/api/v1/checkins", text, "application/json");
        REQUIRE(res);
        CHECK(res->status == 400);
        CHECK(errorCode(res) == "bad_request");
        CHECK(json::parse(res->body).at("error").at("message").get<std::string>().rfind(message,
                                                                                         0) == 0);
    }
    auto health = tests::sampleHealth();
    health.terminalId = "KIOSK-0001\x1b";
    auto res = cli->post("/api/v1/terminals/health", kiosk::model::toJson(health).dump(),
                         "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(desk.count() == 0);
}

TEST_CASE("DeskServer: a receipt number stored twice on one day is flagged in the list")
{
    RunningDesk desk;
    auto cli = desk.client();
    auto first = tests::sampleCheckIn("r-1", "0042");
    auto second = tests::sampleCheckIn("r-2", "0042");
    REQUIRE(cli->post("/api/v1/checkins", body(first), "application/json")->status == 201);
    REQUIRE(cli->post("/api/v1/checkins", body(second), "application/json")->status == 201);
    CHECK(desk.count() == 2);

    desk.addUser("reception", "correct-horse-42");
    const auto login = desk.loggedIn("reception", "correct-horse-42");
    auto listed = desk.request("GET", "/api/v1/checkins", login.headers());
    REQUIRE(listed);
    REQUIRE(listed->status == 200);
    auto list = json::parse(listed->body).at("checkins");
    REQUIRE(list.size() == 2);
    int flagged = 0;
    for (const auto& row : list) {
        if (row.at("duplicate_receipt").get<bool>()) {
            ++flagged;
            CHECK(row.at("checkin").at("idempotency_key") == "r-2");
        }
    }
    CHECK(flagged == 1);
}

TEST_CASE("DeskServer: a malformed check-in is a 400 and stores nothing")
{
    RunningDesk desk;
    auto cli = desk.client();
    auto withoutKey = kiosk::model::toJson(tests::sampleCheckIn("k1"));
    withoutKey.erase("idempotency_key");
    auto badKey = tests::sampleCheckIn("has spaces/and slashes");
    auto badTime = tests::sampleCheckIn("k2");
    badTime.checkedAt = "soon";
    auto badQualification = kiosk::model::toJson(tests::sampleCheckIn("k3"));
    badQualification["qualification"]["MessageBody"]["ResultList"] = "not a list";

    const std::string bodies[] = {"{not json",  "[]",          withoutKey.dump(),
                                  body(badKey), body(badTime), badQualification.dump()};
    for (const auto& text : bodies) {
        INFO(text);
        auto res = cli->post("/api/v1/checkins", text, "application/json");
        REQUIRE(res);
        CHECK(res->status == 400);
        CHECK(errorCode(res) == "bad_request");
        CHECK(json::parse(res->body).at("error").at("message").get<std::string>() != "");
    }
    CHECK(desk.count() == 0);
}

TEST_CASE("DeskServer: a body over the size limit is refused with 413")
{
    RunningDesk desk;
    auto checkIn = kiosk::model::toJson(tests::sampleCheckIn("k1"));
    checkIn["padding"] = std::string(300 * 1024, 'x');
    auto res = desk.client()->post("/api/v1/checkins", checkIn.dump(), "application/json");
    REQUIRE(res);
    CHECK(res->status == 413);
    CHECK(errorCode(res) == "payload_too_large");
    CHECK(desk.count() == 0);
}

TEST_CASE("DeskServer: the page without scripts (/simple) lists today's check-ins to a member of "
          "staff who logged in")
{
    RunningDesk desk;
    desk.addUser("sato", "correct-horse-42");
    const auto staff = desk.loggedIn("sato", "correct-horse-42");
    auto empty = desk.request("GET", "/simple", staff.headers());
    REQUIRE(empty);
    CHECK(empty->status == 200);
    CHECK(empty->header("Content-Type") == "text/html; charset=utf-8");
    CHECK(empty->body.find("本日の受付はまだありません") != std::string::npos);

    auto posted = desk.client()->post("/api/v1/checkins",
                                      body(tests::sampleCheckIn("k1", "0042", "<b>試験</b> 花子")),
                                      "application/json");
    REQUIRE(posted);
    REQUIRE(posted->status == 201);

    auto page = desk.request("GET", "/simple", staff.headers());
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->body.find("lang=\"ja\"") != std::string::npos);
    CHECK(page->body.find(">0042<") != std::string::npos);
    CHECK(page->body.find("&lt;b&gt;試験&lt;/b&gt; 花子") != std::string::npos);
    CHECK(page->body.find("<b>試験") == std::string::npos);
    CHECK(page->header("Cache-Control") == "no-store");
    CHECK(page->hasHeader("Content-Security-Policy"));
}

TEST_CASE("DeskServer: a terminal's health report is kept and shown on the page")
{
    RunningDesk desk;
    auto cli = desk.client();
    auto health = tests::sampleHealth("KIOSK-0001");
    auto res = cli->post("/api/v1/terminals/health", kiosk::model::toJson(health).dump(),
                         "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(json::parse(res->body).at("status") == "recorded");
    auto terminals = desk.store->listTerminals();
    REQUIRE(terminals);
    REQUIRE(terminals->size() == 1);
    CHECK((*terminals)[0].health.printer.paperOut);

    desk.addUser("sato", "correct-horse-42");
    auto page = desk.request("GET", "/simple", desk.loggedIn("sato", "correct-horse-42").headers());
    REQUIRE(page);
    CHECK(page->body.find("端末の状態") != std::string::npos);
    CHECK(page->body.find("用紙切れ") != std::string::npos);
}

TEST_CASE("DeskServer: a health report needs the terminal's own certificate and a valid body")
{
    RunningDesk desk;
    const std::string report = kiosk::model::toJson(tests::sampleHealth("KIOSK-0001")).dump();
    auto anonymous = desk.client("")->post("/api/v1/terminals/health", report, "application/json");
    REQUIRE(anonymous);
    CHECK(anonymous->status == 403);
    CHECK(errorCode(anonymous) == "client_certificate_required");

    tests::writeClientCertificate(desk.dir.path(), "other", "KIOSK-0002");
    auto other = desk.client("other")->post("/api/v1/terminals/health", report,
                                            "application/json");
    REQUIRE(other);
    CHECK(other->status == 403);
    CHECK(errorCode(other) == "terminal_mismatch");

    auto broken = desk.client()->post("/api/v1/terminals/health", R"({"terminal_id":"KIOSK-0001"})",
                                      "application/json");
    REQUIRE(broken);
    CHECK(broken->status == 400);
    CHECK(errorCode(broken) == "bad_request");
    CHECK(desk.store->listTerminals()->empty());
}

TEST_CASE("DeskServer: the check-in list answers JSON by date to a member of staff")
{
    RunningDesk desk;
    desk.addUser("sato", "correct-horse-42");
    const auto staff = desk.loggedIn("sato", "correct-horse-42");
    REQUIRE(desk.client()->post("/api/v1/checkins", body(tests::sampleCheckIn("k1", "0001")),
                                "application/json"));
    REQUIRE(desk.client()->post("/api/v1/checkins", body(tests::sampleCheckIn("k2", "0002")),
                                "application/json"));
    const std::string today = desk::localDateToday();

    auto res = desk.request("GET", "/api/v1/checkins?date=" + today, staff.headers());
    REQUIRE(res);
    CHECK(res->status == 200);
    auto list = json::parse(res->body);
    CHECK(list.at("date") == today);
    REQUIRE(list.at("checkins").size() == 2);
    const auto& first = list.at("checkins").at(0);
    CHECK(first.at("checkin").at("idempotency_key") == "k2"); // same second: larger id first
    CHECK(first.at("checkin")
              .at("qualification")
              .at("MessageBody")
              .at("ResultList")
              .at(0)
              .at("InsurerNumber") == "06130012");

    auto other = desk.request("GET", "/api/v1/checkins?date=1999-01-01", staff.headers());
    REQUIRE(other);
    CHECK(json::parse(other->body).at("checkins").empty());

    auto bad = desk.request("GET", "/api/v1/checkins?date=today", staff.headers());
    REQUIRE(bad);
    CHECK(bad->status == 400);
}

TEST_CASE("DeskServer: an unknown API path is a JSON 404")
{
    RunningDesk desk;
    auto res = desk.client()->get("/api/v1/nothing-here");
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(errorCode(res) == "not_found");
}

TEST_CASE("DeskServer::create: a missing TLS file is ConfigMissing naming it")
{
    tests::TempDir dir;
    auto store = desk::DeskStore::open((dir.path() / "desk.sqlite3").string());
    REQUIRE(store);
    auto strings =
        kiosk::model::StringTable::load(std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", "ja");
    REQUIRE(strings);
    auto accounts = desk::AccountStore::open(dir.path() / "accounts.sqlite3");
    REQUIRE(accounts);
    desk::StaffAuth auth(**accounts, {});
    auto server = desk::DeskServer::create(desk::settingsForPki(dir.path().string()), **store,
                                           auth, std::move(*strings));
    REQUIRE_FALSE(server);
    CHECK(server.error().code == Errc::ConfigMissing);
    CHECK(server.error().message.find("desk.pem") != std::string::npos);
}

TEST_CASE("DeskServer::create: a key that does not match the certificate is ConfigInvalid")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    auto settings = desk::settingsForPki(dir.path().string());
    settings.keyFile = (dir.path() / "tls" / "terminal.key").string();
    auto store = desk::DeskStore::open((dir.path() / "desk.sqlite3").string());
    REQUIRE(store);
    auto strings =
        kiosk::model::StringTable::load(std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", "ja");
    REQUIRE(strings);
    auto accounts = desk::AccountStore::open(dir.path() / "accounts.sqlite3");
    REQUIRE(accounts);
    desk::StaffAuth auth(**accounts, {});
    auto server = desk::DeskServer::create(settings, **store, auth, std::move(*strings));
    REQUIRE_FALSE(server);
    CHECK(server.error().code == Errc::ConfigInvalid);
}

TEST_CASE("isLoopbackAddress: only loopback peers pass")
{
    CHECK(desk::isLoopbackAddress("127.0.0.1"));
    CHECK(desk::isLoopbackAddress("127.1.2.3"));
    CHECK(desk::isLoopbackAddress("::1"));
    CHECK(desk::isLoopbackAddress("::ffff:127.0.0.1"));
    CHECK_FALSE(desk::isLoopbackAddress("192.168.1.20"));
    CHECK_FALSE(desk::isLoopbackAddress("10.0.0.127"));
    CHECK_FALSE(desk::isLoopbackAddress("::"));
    CHECK_FALSE(desk::isLoopbackAddress("::2"));
    CHECK_FALSE(desk::isLoopbackAddress("::ffff:192.168.1.20"));
    CHECK_FALSE(desk::isLoopbackAddress("fe80::1"));
    CHECK_FALSE(desk::isLoopbackAddress("localhost"));
    CHECK_FALSE(desk::isLoopbackAddress(""));
}

TEST_CASE("isValidIdempotencyKey: accepts UUIDs and refuses odd characters and lengths")
{
    CHECK(desk::isValidIdempotencyKey("3f2b8c1e-9d4a-4e7b-8a61-0c5d2e9f7a13"));
    CHECK(desk::isValidIdempotencyKey("KIOSK-0001:2026-11-26:0001"));
    CHECK_FALSE(desk::isValidIdempotencyKey(""));
    CHECK_FALSE(desk::isValidIdempotencyKey("with space"));
    CHECK_FALSE(desk::isValidIdempotencyKey("<script>"));
    CHECK_FALSE(desk::isValidIdempotencyKey(std::string(129, 'a')));
    CHECK(desk::isValidIdempotencyKey(std::string(128, 'a')));
}

} // namespace

namespace {

std::string auditBody(const std::string& terminal, const std::vector<std::string>& ids,
                      const std::string& action = "unlock")
{
    kiosk::model::StaffAuditBatch batch{terminal, {}};
    for (const auto& id : ids) {
        batch.entries.push_back({id, "2026-12-06T01:02:03Z", "s01", action});
    }
    return kiosk::model::toJson(batch).dump();
}

} // namespace

TEST_CASE("DeskServer: a terminal's staff audit lines are stored once, from its own certificate")
{
    RunningDesk desk;
    auto res = desk.client()->post("/api/v1/terminals/audit",
                                   auditBody("KIOSK-0001", {"a1", "a2"}), "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(json::parse(res->body) == json{{"status", "recorded"}, {"stored", 2}});
    // Sent again (the terminal did not hear the answer): nothing new.
    auto again = desk.client()->post("/api/v1/terminals/audit",
                                     auditBody("KIOSK-0001", {"a2", "a3"}), "application/json");
    REQUIRE(again);
    CHECK(again->status == 200);
    CHECK(json::parse(again->body).at("stored") == 1);

    auto anonymous = desk.client("")->post("/api/v1/terminals/audit",
                                           auditBody("KIOSK-0001", {"b1"}), "application/json");
    REQUIRE(anonymous);
    CHECK(anonymous->status == 403);
    CHECK(errorCode(anonymous) == "client_certificate_required");
    tests::writeClientCertificate(desk.dir.path(), "other", "KIOSK-0002");
    auto other = desk.client("other")->post("/api/v1/terminals/audit",
                                            auditBody("KIOSK-0001", {"b2"}), "application/json");
    REQUIRE(other);
    CHECK(other->status == 403);
    CHECK(errorCode(other) == "terminal_mismatch");
    for (const std::string& bad : {std::string("not json"), auditBody("KIOSK-0001", {}),
                                  auditBody("KIOSK-0001", {"b3"}, "unlock\nforged")}) {
        auto refused = desk.client()->post("/api/v1/terminals/audit", bad, "application/json");
        REQUIRE(refused);
        CHECK(refused->status == 400);
        CHECK(errorCode(refused) == "bad_request");
    }

    auto log = desk.accounts->auditLog(100);
    REQUIRE(log);
    REQUIRE(log->size() == 3);
    for (const auto& line : *log) {
        CHECK(line.terminal == "KIOSK-0001");
        CHECK(line.account == "s01");
        CHECK(line.action == "unlock");
        CHECK(line.address == "127.0.0.1");
    }
}

TEST_CASE("DeskServer: the audit log is shown to administrators only, terminals' lines and the "
          "desk's together")
{
    RunningDesk desk;
    auto posted = desk.client()->post(
        "/api/v1/terminals/audit",
        auditBody("KIOSK-0001", {"a1"}, "setting timeouts.result_s=25"), "application/json");
    REQUIRE(posted);
    REQUIRE(posted->status == 200);
    desk.addUser("sato", "correct-horse-42");
    desk.addUser("boss", "battery-staple-77", desk::Role::Admin);

    const auto staff = desk.loggedIn("sato", "correct-horse-42");
    auto refusedPage = desk.request("GET", "/audit", staff.headers());
    REQUIRE(refusedPage);
    CHECK(refusedPage->status == 403);
    CHECK(refusedPage->body.find("管理者") != std::string::npos);
    auto refusedApi = desk.request("GET", "/api/v1/audit", staff.headers());
    REQUIRE(refusedApi);
    CHECK(refusedApi->status == 403);
    CHECK(errorCode(refusedApi) == "admin_only");
    auto queue = desk.request("GET", "/", staff.headers());
    REQUIRE(queue);
    CHECK(queue->body.find("href=\"/audit\"") == std::string::npos);

    const auto admin = desk.loggedIn("boss", "battery-staple-77");
    auto adminQueue = desk.request("GET", "/", admin.headers());
    REQUIRE(adminQueue);
    CHECK(adminQueue->body.find("href=\"/audit\"") != std::string::npos);
    auto page = desk.request("GET", "/audit", admin.headers());
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->header("Content-Type") == "text/html; charset=utf-8");
    CHECK(page->hasHeader("Content-Security-Policy"));
    CHECK(page->body.find("端末 KIOSK-0001") != std::string::npos);
    CHECK(page->body.find("timeouts.result_s=25") != std::string::npos);
    CHECK(page->body.find("2026-12-06 10:02:03") != std::string::npos); // JST
    CHECK(page->body.find(">login<") != std::string::npos);            // the desk's own lines

    auto api = desk.request("GET", "/api/v1/audit?limit=1000", admin.headers());
    REQUIRE(api);
    CHECK(api->status == 200);
    auto entries = json::parse(api->body).at("entries");
    auto terminalLine = std::find_if(entries.begin(), entries.end(), [](const json& e) {
        return e.at("terminal") == "KIOSK-0001";
    });
    REQUIRE(terminalLine != entries.end());
    CHECK(terminalLine->at("action") == "setting");
    CHECK(terminalLine->at("detail") == "timeouts.result_s=25");
    CHECK(terminalLine->at("account") == "s01");
    for (const char* bad : {"0", "1001", "x", "-1"}) {
        auto refused = desk.request("GET", std::string("/api/v1/audit?limit=") + bad, admin.headers());
        REQUIRE(refused);
        CHECK(refused->status == 400);
    }
}
