// The staff queue through the real desk server: the page, the list, the status actions with
// their CSRF token, and the event stream a page holds.

#include "desk/server.hpp"

#include "kiosk/model/json.hpp"
#include "tests/desk/running_desk.hpp"
#include "tests/desk/sample_checkin.hpp"
#include "tests/net/tls_client.hpp"
#include "tests/sim/running_oqs_terminal.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <regex>
#include <vector>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;
using nlohmann::json;
using tests::RunningDesk;

// A receptionist logged in through POST /login (the staff routes need a session).
tests::StaffLogin logIn(const RunningDesk& desk)
{
    desk.addUser("reception", "correct-horse-42");
    return desk.loggedIn("reception", "correct-horse-42");
}

// GET `path` with the session of `login`.
std::optional<tests::HttpAnswer> staffGet(const RunningDesk& desk, const tests::StaffLogin& login,
                                          const std::string& path)
{
    return desk.request("GET", path, login.headers());
}

// The CSRF token the page itself carries for its scripts.
std::string pageCsrfToken(const RunningDesk& desk, const tests::StaffLogin& login)
{
    auto page = staffGet(desk, login, "/");
    REQUIRE(page);
    std::smatch match;
    REQUIRE(std::regex_search(page->body, match,
                              std::regex("name=\"csrf-token\" content=\"([0-9a-f]+)\"")));
    return match[1];
}

std::int64_t postCheckIn(const RunningDesk& desk, kiosk::model::CheckIn checkIn,
                         const std::string& problem = {})
{
    json body = kiosk::model::toJson(checkIn);
    if (!problem.empty()) {
        body["problem"] = problem;
    }
    auto res = desk.client()->post("/api/v1/checkins", body.dump());
    REQUIRE(res);
    REQUIRE(res->status == 201);
    return json::parse(res->body)["id"].get<std::int64_t>();
}

// Reads the stream until `needle` arrives or 5 s pass; returns everything read.
std::string readUntil(tests::TlsClient& stream, const std::string& needle, std::string received)
{
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (received.find(needle) == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
        received += stream.readSome(1s);
    }
    return received;
}

TEST_CASE("DeskServer queue: the page loads its script and style from the desk only")
{
    RunningDesk desk;
    const auto login = logIn(desk);
    auto page = staffGet(desk, login, "/");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->header("Content-Type") == "text/html; charset=utf-8");
    const std::string csp = page->header("Content-Security-Policy");
    CHECK(csp.find("script-src 'self'") != std::string::npos);
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(page->body.find("src=\"/desk/queue.js\"") != std::string::npos);
    for (const char* asset : {"/desk/queue.js", "/desk/display.js", "/desk/desk.css"}) {
        auto res = desk.client("")->get(asset);
        REQUIRE(res);
        INFO(asset);
        CHECK(res->status == 200);
        CHECK(res->body.size() > 100);
    }
    CHECK(desk.client("")->get("/desk/desk.css")->header("Content-Type") ==
          "text/css; charset=utf-8");
    auto display = desk.client("")->get("/display");
    REQUIRE(display);
    CHECK(display->status == 200);
    CHECK(display->body.find("src=\"/desk/display.js\"") != std::string::npos);
}

TEST_CASE("DeskServer queue: without a session the page sends to /login and the API says 401")
{
    RunningDesk desk;
    auto page = desk.request("GET", "/");
    REQUIRE(page);
    CHECK(page->status == 303);
    CHECK(page->header("Location") == "/login");
    for (const char* path : {"/api/v1/queue", "/api/v1/queue/detail?id=1", "/api/v1/events",
                             "/api/v1/terminals"}) {
        INFO(path);
        auto res = desk.request("GET", path);
        REQUIRE(res);
        CHECK(res->status == 401);
        CHECK(res->body.find("login_required") != std::string::npos);
    }
    // The waiting-room display carries numbers only and stays open.
    auto display = desk.request("GET", "/api/v1/display");
    REQUIRE(display);
    CHECK(display->status == 200);
}

TEST_CASE("DeskServer queue: a stored check-in is listed and pushed to an open event stream")
{
    RunningDesk desk;
    const auto login = logIn(desk);
    std::string error;
    auto stream = tests::TlsClient::connect("127.0.0.1", desk.port, desk.clientTls(""), &error);
    REQUIRE(stream);
    REQUIRE(stream->write("GET /api/v1/events HTTP/1.1\r\nHost: x\r\n" + login.headers() + "\r\n"));
    std::string received = readUntil(*stream, "event: hello\n", {});
    REQUIRE(received.find("text/event-stream") != std::string::npos);

    const auto id = postCheckIn(desk, tests::sampleCheckIn("k1", "0042"), "pin_locked");
    received = readUntil(*stream, "event: row\n", received);
    CHECK(received.find("\"receipt_number\":\"0042\"") != std::string::npos);
    CHECK(received.find("\"problem\":\"pin_locked\"") != std::string::npos);

    auto list = staffGet(desk, login, "/api/v1/queue");
    REQUIRE(list);
    REQUIRE(list->status == 200);
    const json rows = json::parse(list->body)["rows"];
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["id"] == id);
    CHECK(rows[0]["status"] == "waiting");
    CHECK(rows[0]["summary"]["attention"] == true);
    CHECK(rows[0]["summary"]["name"] == "試験 花子");

    auto detail = staffGet(desk, login, "/api/v1/queue/detail?id=" + std::to_string(id));
    REQUIRE(detail);
    REQUIRE(detail->status == 200);
    CHECK(json::parse(detail->body)["person"]["insurer_number"] == "06130012");
    CHECK(json::parse(detail->body)["problem"] == "pin_locked");
    CHECK(staffGet(desk, login, "/api/v1/queue/detail?id=999")->status == 404);
    CHECK(staffGet(desk, login, "/api/v1/queue/detail?id=x")->status == 400);
}

TEST_CASE("DeskServer queue: the list is in the order of the check-ins' times and follows the day")
{
    // The desk's day is pinned and moved by the test.
    auto day = std::make_shared<std::atomic<int>>(1);
    RunningDesk desk([day](desk::ServerSettings& settings) {
        settings.today = [day] { return "2026-03-0" + std::to_string(day->load()); };
    });
    const auto login = logIn(desk);
    auto at = [](const std::string& key, const std::string& number, const std::string& time) {
        auto checkIn = tests::sampleCheckIn(key, number);
        checkIn.checkedAt = time;
        return checkIn;
    };
    // Posted out of order, and one with an offset whose text sorts last but whose instant is
    // first; one of the next day (a terminal's outbox delivering late, or early).
    const auto c = postCheckIn(desk, at("c", "0003", "2026-03-01T01:00:00Z"));
    const auto next = postCheckIn(desk, at("d", "0001", "2026-03-02T00:10:00Z"));
    const auto a = postCheckIn(desk, at("a", "0001", "2026-03-01T09:30:00+09:00"));
    const auto b = postCheckIn(desk, at("b", "0002", "2026-03-01T00:45:00Z"));
    auto ids = [&] {
        auto list = staffGet(desk, login, "/api/v1/queue");
        REQUIRE(list);
        REQUIRE(list->status == 200);
        std::vector<std::int64_t> out;
        const json answer = json::parse(list->body);
        for (const auto& row : answer["rows"]) {
            out.push_back(row["id"].get<std::int64_t>());
        }
        return out;
    };
    CHECK(ids() == std::vector<std::int64_t>{a, b, c});
    // A status change keeps the row in its place, and the list shows the new status.
    std::string error;
    auto staff = tests::TlsClient::connect("127.0.0.1", desk.port, desk.clientTls(""), &error);
    REQUIRE(staff);
    auto res = staff->request("POST", "/api/v1/queue/status",
                              json{{"id", b}, {"status", "called"}}.dump(), login.headers(true));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(ids() == std::vector<std::int64_t>{a, b, c});
    auto list = json::parse(staffGet(desk, login, "/api/v1/queue")->body);
    CHECK(list["date"] == "2026-03-01");
    CHECK(list["rows"][1]["status"] == "called");
    CHECK(list["rows"][0]["status"] == "waiting");
    // The next day: its rows, read from the store; the day before is gone from the list.
    day->store(2);
    CHECK(ids() == std::vector<std::int64_t>{next});
    day->store(1);
    CHECK(ids() == std::vector<std::int64_t>{a, b, c});
    CHECK(json::parse(staffGet(desk, login, "/api/v1/queue")->body)["rows"][1]["status"] ==
          "called");
}

TEST_CASE("DeskServer queue: a status change needs the CSRF token, is stored and broadcast")
{
    RunningDesk desk;
    const auto login = logIn(desk);
    const auto id = postCheckIn(desk, tests::sampleCheckIn("k1", "0042"));
    const std::string body = json{{"id", id}, {"status", "called"}}.dump();

    auto anonymous = desk.request("POST", "/api/v1/queue/status", {}, body);
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);
    CHECK(anonymous->body.find("login_required") != std::string::npos);
    auto refused = desk.request("POST", "/api/v1/queue/status", login.headers(), body);
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK(refused->body.find("csrf_failed") != std::string::npos);

    std::string error;
    auto stream = tests::TlsClient::connect("127.0.0.1", desk.port, desk.clientTls(""), &error);
    REQUIRE(stream);
    REQUIRE(stream->write("GET /api/v1/display/events HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string received = readUntil(*stream, "event: hello\n", {});

    auto client = tests::TlsClient::connect("127.0.0.1", desk.port, desk.clientTls(""), &error);
    REQUIRE(client);
    REQUIRE(pageCsrfToken(desk, login) == login.csrfToken);
    const std::string token = login.headers(true);
    auto bad = client->request("POST", "/api/v1/queue/status",
                               json{{"id", id}, {"status", "gone"}}.dump(), token);
    REQUIRE(bad);
    CHECK(bad->status == 400);
    auto res = client->request("POST", "/api/v1/queue/status", body, token);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(json::parse(res->body)["status"] == "called");

    received = readUntil(*stream, "event: called\n", received);
    CHECK(received.find("{\"called\":[\"0042\"]}") != std::string::npos);
    CHECK(received.find("花子") == std::string::npos);
    auto called = desk.client("")->get("/api/v1/display");
    REQUIRE(called);
    CHECK(json::parse(called->body)["called"] == json::array({"0042"}));

    auto done = client->request("POST", "/api/v1/queue/status",
                                json{{"id", id}, {"status", "done"}}.dump(), token);
    REQUIRE(done);
    CHECK(done->status == 200);
    auto list = json::parse(staffGet(desk, login, "/api/v1/queue")->body);
    CHECK(list["rows"][0]["status"] == "done");
    CHECK(json::parse(desk.client("")->get("/api/v1/display")->body)["called"].empty());
    auto missing = client->request("POST", "/api/v1/queue/status",
                                   json{{"id", 999}, {"status", "done"}}.dump(), token);
    REQUIRE(missing);
    CHECK(missing->status == 404);

    // Each change is in the audit log, under the account that made it, without the name.
    auto audit = desk.accounts->auditLog(100);
    REQUIRE(audit);
    int changes = 0;
    for (const auto& entry : *audit) {
        if (entry.action == "checkin_status") {
            ++changes;
            CHECK(entry.account == "reception");
            CHECK(entry.detail.find("花子") == std::string::npos);
        }
    }
    CHECK(changes == 2);
}

TEST_CASE("DeskServer queue: a health report is pushed to the page as the terminal list")
{
    RunningDesk desk;
    const auto login = logIn(desk);
    std::string error;
    auto stream = tests::TlsClient::connect("127.0.0.1", desk.port, desk.clientTls(""), &error);
    REQUIRE(stream);
    REQUIRE(stream->write("GET /api/v1/events HTTP/1.1\r\nHost: x\r\n" + login.headers() + "\r\n"));
    std::string received = readUntil(*stream, "event: hello\n", {});
    auto res = desk.client()->post("/api/v1/terminals/health",
                                   kiosk::model::toJson(tests::sampleHealth()).dump());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    received = readUntil(*stream, "event: terminals\n", received);
    CHECK(received.find("desk.terminals.printer.paper_out") != std::string::npos);
    auto list = staffGet(desk, login, "/api/v1/terminals");
    REQUIRE(list);
    const json terminals = json::parse(list->body)["terminals"];
    REQUIRE(terminals.size() == 1);
    CHECK(terminals[0]["terminal_id"] == "KIOSK-0001");
    CHECK(terminals[0]["outbox_depth"] == 2);
    CHECK(terminals[0]["printer_ok"] == false);
    CHECK_FALSE(terminals[0].contains("call"));
}

TEST_CASE("DeskServer queue: the card on a terminal's reader is stored and served, a left one flagged")
{
    RunningDesk desk([](desk::ServerSettings& settings) { settings.cardLeftSeconds = 120; });
    const auto login = logIn(desk);
    const std::time_t now = std::time(nullptr);
    // The terminal's clock is an hour behind the desk's; `at` seconds after its first report.
    auto health = tests::sampleHealth("KIOSK-0001", tests::isoUtc(now - 3600));
    health.printer = {};
    health.outboxDepth = 0;
    auto report = [&](int at, std::optional<kiosk::model::CardHealth> card) {
        health.reportedAt = tests::isoUtc(now - 3600 + at);
        health.card = std::move(card);
        auto res = desk.client()->post("/api/v1/terminals/health",
                                       kiosk::model::toJson(health).dump());
        REQUIRE(res);
        CHECK(res->status == 200);
        auto list = staffGet(desk, login, "/api/v1/terminals");
        REQUIRE(list);
        REQUIRE(list->status == 200);
        const json terminals = json::parse(list->body)["terminals"];
        REQUIRE(terminals.size() == 1);
        return terminals[0];
    };
    using kiosk::model::CardHealth;
    using kiosk::model::CardState;

    // An older terminal does not say: unknown, nothing to flag.
    json terminal = report(0, std::nullopt);
    CHECK_FALSE(terminal.contains("card"));
    CHECK_FALSE(terminal.contains("card_idle_s"));
    CHECK(terminal["card_left"] == false);
    CHECK(terminal["attention"] == false);

    // A card in use by a check-in.
    terminal = report(1, CardHealth{CardState::Present, ""});
    CHECK(terminal["card"] == "present");
    CHECK_FALSE(terminal.contains("card_idle_s"));
    CHECK(terminal["card_left"] == false);
    CHECK(terminal["attention"] == false);

    // Lying there with no check-in using it for 5 minutes at the report: the desk counts those
    // 5 minutes (and the seconds since it received the report), never the hour between clocks.
    terminal = report(2, CardHealth{CardState::Present, tests::isoUtc(now - 3600 + 2 - 300)});
    CHECK(terminal["card"] == "present");
    REQUIRE(terminal.contains("card_idle_s"));
    CHECK(terminal["card_idle_s"].get<int>() >= 300);
    CHECK(terminal["card_idle_s"].get<int>() < 400);
    CHECK(terminal["card_left"] == true); // over card_left_s = 120
    CHECK(terminal["attention"] == true);
    // Only a minute: not yet left by this desk's card_left_s.
    terminal = report(3, CardHealth{CardState::Present, tests::isoUtc(now - 3600 + 3 - 60)});
    CHECK(terminal["card_idle_s"].get<int>() >= 60);
    CHECK(terminal["card_left"] == false);
    CHECK(terminal["attention"] == false);

    // The page gets the threshold to move the minutes on with its clock.
    auto page = staffGet(desk, login, "/");
    REQUIRE(page);
    CHECK(page->body.find("\"card_left_s\":120") != std::string::npos);

    // Taken, then a card that does not read: it needs a look at once.
    terminal = report(4, CardHealth{CardState::Absent, ""});
    CHECK(terminal["card"] == "absent");
    CHECK_FALSE(terminal.contains("card_idle_s"));
    CHECK(terminal["attention"] == false);
    terminal = report(5, CardHealth{CardState::Unreadable, ""});
    CHECK(terminal["card"] == "unreadable");
    CHECK(terminal["attention"] == true);
    terminal = report(6, CardHealth{CardState::NotMyNumberCard, ""});
    CHECK(terminal["card"] == "not_my_number_card");
    CHECK(terminal["attention"] == true);

    // A card that is not a string is refused, and the last state stays.
    json wrong = kiosk::model::toJson(health);
    wrong["reported_at"] = tests::isoUtc(now - 3600 + 7);
    wrong["card"] = true;
    auto refused = desk.client()->post("/api/v1/terminals/health", wrong.dump());
    REQUIRE(refused);
    CHECK(refused->status == 400);
    CHECK(refused->body.find("health.card") != std::string::npos);
    auto list = staffGet(desk, login, "/api/v1/terminals");
    REQUIRE(list);
    CHECK(json::parse(list->body)["terminals"][0]["card"] == "not_my_number_card");
}

TEST_CASE("DeskServer queue: a patient's call for staff is listed until acknowledged, audited")
{
    RunningDesk desk;
    const auto login = logIn(desk);
    auto health = tests::sampleHealth();
    health.version = "1.2.3";
    health.call = kiosk::model::StaffCall{"call-1", "enter_pin", "2026-12-05T00:40:00Z"};
    auto reported = desk.client()->post("/api/v1/terminals/health",
                                        kiosk::model::toJson(health).dump());
    REQUIRE(reported);
    REQUIRE(reported->status == 200);
    auto list = staffGet(desk, login, "/api/v1/terminals");
    REQUIRE(list);
    json terminal = json::parse(list->body)["terminals"][0];
    CHECK(terminal["version"] == "1.2.3");
    CHECK(terminal["call"]["id"] == "call-1");
    CHECK(terminal["call"]["screen"] == "enter_pin");
    CHECK(terminal["call_acknowledged"] == false);

    const std::string body = json{{"terminal_id", "KIOSK-0001"}, {"call_id", "call-1"}}.dump();
    auto noToken = desk.request("POST", "/api/v1/calls/ack", login.headers(), body);
    REQUIRE(noToken);
    CHECK(noToken->status == 403);
    auto other = desk.request("POST", "/api/v1/calls/ack", login.headers(true),
                              json{{"terminal_id", "KIOSK-0001"}, {"call_id", "old"}}.dump());
    REQUIRE(other);
    CHECK(other->status == 404);
    auto acked = desk.request("POST", "/api/v1/calls/ack", login.headers(true), body);
    REQUIRE(acked);
    REQUIRE(acked->status == 200);
    CHECK(json::parse(acked->body)["terminals"][0]["call_acknowledged"] == true);
    auto audit = desk.accounts->auditLog(100);
    REQUIRE(audit);
    bool audited = false;
    for (const auto& entry : *audit) {
        audited = audited || (entry.action == "call_ack" && entry.account == "reception" &&
                              entry.detail == "terminal=KIOSK-0001 call=call-1");
    }
    CHECK(audited);

    // A new call from the same terminal is open again; a report without a call ends it.
    health.call->id = "call-2";
    REQUIRE(desk.client()->post("/api/v1/terminals/health",
                                kiosk::model::toJson(health).dump())->status == 200);
    terminal = json::parse(staffGet(desk, login, "/api/v1/terminals")->body)["terminals"][0];
    CHECK(terminal["call_acknowledged"] == false);
    health.call.reset();
    REQUIRE(desk.client()->post("/api/v1/terminals/health",
                                kiosk::model::toJson(health).dump())->status == 200);
    terminal = json::parse(staffGet(desk, login, "/api/v1/terminals")->body)["terminals"][0];
    CHECK_FALSE(terminal.contains("call"));
}

} // namespace

TEST_CASE("DeskServer queue: a re-check needs the token, asks the 資格確認端末, and is pushed")
{
    sim::testing::OqsFolders folders;
    sim::testing::RunningOqsTerminal oqs(folders);
    RunningDesk desk([&folders](desk::ServerSettings& settings) {
        settings.recheck.reqDir = folders.req.string();
        settings.recheck.resDir = folders.res.string();
        settings.recheck.clinicCode = "1312345678";
    });
    const auto login = logIn(desk);
    CHECK(pageCsrfToken(desk, login).size() == 64);
    auto page = staffGet(desk, login, "/");
    REQUIRE(page);
    CHECK(page->body.find("\"recheck\":true") != std::string::npos);

    // The terminal could not reach the eligibility service: no answer, no numbers.
    auto unanswered = tests::sampleCheckIn("k1", "0042");
    unanswered.outcome = kiosk::model::Outcome::Unconfirmed;
    unanswered.qualification.reset();
    const auto id = postCheckIn(desk, unanswered, "service_unreachable");
    const json query{{"id", id},        {"insurer_number", "06139999"}, {"symbol", "12"},
                     {"number", "345"}, {"branch", "01"},               {"birthdate", "19800101"}};

    auto refused = desk.request("POST", "/api/v1/queue/recheck", login.headers(), query.dump());
    REQUIRE(refused);
    CHECK(refused->status == 403);
    json typo = query;
    typo["birthdate"] = "1980/01/01";
    auto invalid =
        desk.request("POST", "/api/v1/queue/recheck", login.headers(true), typo.dump());
    REQUIRE(invalid);
    CHECK(invalid->status == 400);
    CHECK(json::parse(invalid->body)["error"]["field"] == "birthdate");
    json nobody = query;
    nobody["id"] = 999;
    auto missing =
        desk.request("POST", "/api/v1/queue/recheck", login.headers(true), nobody.dump());
    REQUIRE(missing);
    CHECK(missing->status == 404);

    std::string error;
    auto stream = tests::TlsClient::connect("127.0.0.1", desk.port, desk.clientTls(""), &error);
    REQUIRE(stream);
    REQUIRE(stream->write("GET /api/v1/events HTTP/1.1\r\nHost: x\r\n" + login.headers() + "\r\n"));
    std::string received = readUntil(*stream, "event: hello\n", {});

    auto accepted =
        desk.request("POST", "/api/v1/queue/recheck", login.headers(true), query.dump());
    REQUIRE(accepted);
    CHECK(accepted->status == 202);
    CHECK(json::parse(accepted->body)["recheck"]["by"] == "reception");
    received = readUntil(*stream, "\"outcome\":\"valid\"", received);
    CHECK(received.find("\"state\":\"done\"") != std::string::npos);

    auto detail = json::parse(
        staffGet(desk, login, "/api/v1/queue/detail?id=" + std::to_string(id))->body);
    CHECK(detail["recheck"]["state"] == "done");
    CHECK(detail["recheck"]["person"]["insurer_number"] == "06139999");
    CHECK(detail["outcome"] == "unconfirmed"); // what the terminal sent stays as it was
    auto rows = json::parse(staffGet(desk, login, "/api/v1/queue")->body)["rows"];
    CHECK(rows[0]["recheck"]["outcome"] == "valid");

    // Audited by id and account, never with the numbers.
    auto audit = desk.accounts->auditLog(100);
    REQUIRE(audit);
    int rechecks = 0;
    for (const auto& entry : *audit) {
        if (entry.action == "recheck") {
            ++rechecks;
            CHECK(entry.detail == "id=" + std::to_string(id));
        }
    }
    CHECK(rechecks == 1);
}

TEST_CASE("DeskServer queue: without the 資格確認端末's folders a re-check is off")
{
    RunningDesk desk;
    const auto login = logIn(desk);
    CHECK(staffGet(desk, login, "/")->body.find("\"recheck\":false") != std::string::npos);
    const auto id = postCheckIn(desk, tests::sampleCheckIn("k1", "0042"));
    const json query{{"id", id},        {"insurer_number", "06139999"}, {"symbol", "12"},
                     {"number", "345"}, {"branch", "01"},               {"birthdate", "19800101"}};
    auto off = desk.request("POST", "/api/v1/queue/recheck", login.headers(true), query.dump());
    REQUIRE(off);
    CHECK(off->status == 404);
    CHECK(off->body.find("recheck_off") != std::string::npos);
}
