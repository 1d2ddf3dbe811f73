// Staff log-in over real HTTPS on loopback (desk/staff_routes.hpp): reception PCs without a
// client certificate log in, get a session cookie and reach the page and the list; the
// terminal API still wants its certificate.

#include "desk/staff_routes.hpp"

#include "desk/login_page.hpp"
#include "kiosk/model/json.hpp"
#include "tests/desk/running_desk.hpp"
#include "tests/desk/sample_checkin.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;
using nlohmann::json;
using tests::RunningDesk;

const std::string kPassword = "correct-horse-42";

std::string errorCode(const std::optional<tests::HttpAnswer>& res)
{
    auto parsed = json::parse(res->body, nullptr, false);
    REQUIRE(parsed.is_object());
    return parsed.at("error").at("code").get<std::string>();
}

TEST_CASE("POST /login: the right password sets a Secure, HttpOnly, SameSite=Strict cookie")
{
    RunningDesk desk;
    desk.addUser("sato", kPassword);
    auto res = desk.postLogin("sato", kPassword);
    REQUIRE(res);
    CHECK(res->status == 303);
    CHECK(res->header("Location") == "/");
    const std::string cookie = res->header("Set-Cookie");
    CHECK(cookie.rfind("__Host-uketsuke-desk=", 0) == 0);
    CHECK(cookie.find("; HttpOnly") != std::string::npos);
    CHECK(cookie.find("; Secure") != std::string::npos);
    CHECK(cookie.find("; SameSite=Strict") != std::string::npos);
    CHECK(cookie.find("; Path=/") != std::string::npos);
    const std::string id = cookie.substr(21, cookie.find(';') - 21);
    CHECK(id.size() == 64);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("POST /login: a wrong password or an unknown name shows the same refusal")
{
    RunningDesk desk;
    desk.addUser("sato", kPassword);
    auto wrong = desk.postLogin("sato", "not-the-password");
    auto unknown = desk.postLogin("tanaka", kPassword);
    for (const auto* res : {&wrong, &unknown}) {
        REQUIRE(*res);
        CHECK((*res)->status == 401);
        CHECK_FALSE((*res)->hasHeader("Set-Cookie"));
        CHECK((*res)->body.find("ユーザー名またはパスワードが違います") != std::string::npos);
    }
    // Only the typed name differs between the two pages.
    CHECK(wrong->body.size() - std::string("sato").size() ==
          unknown->body.size() - std::string("tanaka").size());
}

TEST_CASE("POST /login: a disabled account is refused")
{
    RunningDesk desk;
    desk.addUser("sato", kPassword);
    REQUIRE(desk.accounts->setDisabled("sato", true));
    auto res = desk.postLogin("sato", kPassword);
    REQUIRE(res);
    CHECK(res->status == 401);
    CHECK_FALSE(res->hasHeader("Set-Cookie"));
}

TEST_CASE("POST /login: five failures lock the account, with a delay that grows")
{
    RunningDesk desk;
    desk.addUser("sato", kPassword);
    for (int i = 0; i < 4; ++i) {
        auto res = desk.postLogin("sato", "wrong-password");
        REQUIRE(res);
        CHECK(res->status == 401);
    }
    auto locked = desk.postLogin("sato", "wrong-password");
    REQUIRE(locked);
    CHECK(locked->status == 429);
    CHECK(locked->header("Retry-After") == "30");
    CHECK(locked->body.find("しばらくログインできません") != std::string::npos);
    auto right = desk.postLogin("sato", kPassword);
    REQUIRE(right);
    CHECK(right->status == 429);

    desk.advance(30s);
    auto again = desk.postLogin("sato", "wrong-password");
    REQUIRE(again);
    CHECK(again->status == 429);
    CHECK(again->header("Retry-After") == "60");
    desk.advance(60s);
    CHECK(desk.postLogin("sato", kPassword)->status == 303);
}

TEST_CASE("GET /: without a session the page sends the browser to /login, the API says 401")
{
    RunningDesk desk;
    auto page = desk.request("GET", "/");
    REQUIRE(page);
    CHECK(page->status == 303);
    CHECK(page->header("Location") == "/login");
    auto forged = desk.request("GET", "/", "Cookie: __Host-uketsuke-desk=" + std::string(64, 'a') +
                                               "\r\n");
    REQUIRE(forged);
    CHECK(forged->status == 303);
    auto list = desk.request("GET", "/api/v1/checkins");
    REQUIRE(list);
    CHECK(list->status == 401);
    CHECK(errorCode(list) == "login_required");
    // A terminal's certificate is no staff log-in either.
    auto terminal = desk.request("GET", "/api/v1/checkins", {}, {}, "application/json", "terminal");
    REQUIRE(terminal);
    CHECK(terminal->status == 401);

    auto login = desk.request("GET", "/login");
    REQUIRE(login);
    CHECK(login->status == 200);
    CHECK(login->header("Content-Type") == "text/html; charset=utf-8");
    CHECK(login->body.find("lang=\"ja\"") != std::string::npos);
    CHECK(login->body.find("type=\"password\"") != std::string::npos);
    CHECK(login->header("Content-Security-Policy").find("form-action 'self'") !=
          std::string::npos);
}

TEST_CASE("GET /: a session ends after the idle timeout")
{
    RunningDesk desk;
    desk.addUser("sato", kPassword);
    const auto staff = desk.loggedIn("sato", kPassword);
    desk.advance(29min);
    CHECK(desk.request("GET", "/", staff.headers())->status == 200);
    desk.advance(31min);
    auto page = desk.request("GET", "/", staff.headers());
    REQUIRE(page);
    CHECK(page->status == 303);
    CHECK(page->header("Location") == "/login");
}

TEST_CASE("POST /logout: refused without the CSRF token, ends the session with it")
{
    RunningDesk desk;
    desk.addUser("sato", kPassword);
    const auto staff = desk.loggedIn("sato", kPassword);

    auto bare = desk.request("POST", "/logout", staff.headers(), "", "text/plain");
    REQUIRE(bare);
    CHECK(bare->status == 403);
    CHECK(desk.request("GET", "/", staff.headers())->status == 200);

    auto form = desk.request("POST", "/logout", staff.headers(), "csrf_token=" + staff.csrfToken,
                             "application/x-www-form-urlencoded");
    REQUIRE(form);
    CHECK(form->status == 303);
    CHECK(form->header("Location") == "/login");
    CHECK(form->header("Set-Cookie").find("Max-Age=0") != std::string::npos);
    CHECK(desk.request("GET", "/", staff.headers())->status == 303);
}

TEST_CASE("admitStaff: an API state change without X-CSRF-Token is 403 csrf_failed")
{
    RunningDesk desk;
    desk.addUser("sato", kPassword);
    const auto staff = desk.loggedIn("sato", kPassword);
    // POST /api/v1/session is no route; the gate is tested on POST /logout under both answers
    // through its header form.
    auto header = desk.request("POST", "/logout", staff.headers(true), "", "application/json");
    REQUIRE(header);
    CHECK(header->status == 303);

    const auto again = desk.loggedIn("sato", kPassword);
    net::Request request;
    request.method = "POST";
    request.path = "/api/v1/checkins/1/status";
    request.peerAddress = "192.168.1.20";
    request.headers.emplace_back("Cookie", again.cookie);
    auto strings =
        kiosk::model::StringTable::load(std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", "ja");
    REQUIRE(strings);
    auto refused = desk::admitStaff(*desk.auth, *strings, request);
    auto* answer = std::get_if<net::Response>(&refused);
    REQUIRE(answer);
    CHECK(answer->status == 403);
    CHECK(answer->body.find("csrf_failed") != std::string::npos);
    request.headers.emplace_back("X-CSRF-Token", again.csrfToken);
    auto admitted = desk::admitStaff(*desk.auth, *strings, request);
    REQUIRE(std::holds_alternative<desk::StaffSession>(admitted));
    CHECK(std::get<desk::StaffSession>(admitted).account == "sato");
}

TEST_CASE("GET /api/v1/session: the account, role and CSRF token of the session")
{
    RunningDesk desk;
    desk.addUser("admin", kPassword, desk::Role::Admin);
    const auto staff = desk.loggedIn("admin", kPassword);
    auto res = desk.request("GET", "/api/v1/session", staff.headers());
    REQUIRE(res);
    auto body = json::parse(res->body);
    CHECK(body.at("account") == "admin");
    CHECK(body.at("role") == "admin");
    CHECK(body.at("csrf_token") == staff.csrfToken);
    CHECK(body.at("idle_timeout_s") == 1800);
}

TEST_CASE("DeskServer: the terminal API still refuses a logged-in browser without a certificate")
{
    RunningDesk desk;
    desk.addUser("sato", kPassword);
    const auto staff = desk.loggedIn("sato", kPassword);
    const std::string checkIn = kiosk::model::toJson(tests::sampleCheckIn("k1")).dump();
    for (const char* path : {"/api/v1/checkins", "/api/v1/terminals/health"}) {
        INFO(path);
        auto res = desk.request("POST", path, staff.headers(true), checkIn);
        REQUIRE(res);
        CHECK(res->status == 403);
        CHECK(errorCode(res) == "client_certificate_required");
    }
    CHECK(desk.count() == 0);
}

TEST_CASE("DeskServer: log-ins, refusals, lock-outs and log-outs are in the audit log")
{
    RunningDesk desk;
    desk.addUser("sato", kPassword);
    const auto staff = desk.loggedIn("sato", kPassword);
    for (int i = 0; i < 5; ++i) {
        desk.postLogin("sato", "wrong-password");
    }
    desk.request("POST", "/logout", staff.headers(true), "", "application/json");
    auto log = desk.accounts->auditLog();
    REQUIRE(log);
    std::vector<std::string> seen;
    for (auto it = log->rbegin(); it != log->rend(); ++it) {
        seen.push_back(it->action + ":" + it->result);
        CHECK(it->account == "sato");
        CHECK(it->address == "127.0.0.1");
        CHECK(it->detail.find("wrong-password") == std::string::npos);
    }
    CHECK(seen == std::vector<std::string>{"login:ok", "login:refused", "login:refused",
                                           "login:refused", "login:refused", "login:refused",
                                           "lockout:locked", "logout:ok"});
}

TEST_CASE("loginStringKeys: the ja and en tables have every key the log-in pages use")
{
    for (const char* language : {"ja", "en"}) {
        INFO(language);
        auto strings = kiosk::model::StringTable::load(
            std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", language);
        REQUIRE(strings);
        for (const auto& key : desk::loginStringKeys()) {
            INFO(key);
            CHECK(strings->has(key));
        }
    }
}

TEST_CASE("renderLoginPage: escapes the typed name")
{
    auto strings =
        kiosk::model::StringTable::load(std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", "ja");
    REQUIRE(strings);
    const auto html = desk::renderLoginPage(*strings, desk::LoginMessage::Refused, "<b>\"x");
    CHECK(html.find("<b>\"x") == std::string::npos);
    CHECK(html.find("&lt;b&gt;&quot;x") != std::string::npos);
}

} // namespace
