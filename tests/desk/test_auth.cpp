// desk/auth.hpp and desk/accounts.hpp without HTTP: log-in, lock-out, sessions and CSRF on a
// clock the test moves.

#include "desk/auth.hpp"

#include "crypto/password.hpp"
#include "desk/accounts.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;
using desk::LoginStatus;

std::span<const char> text(const std::string& s)
{
    return {s.data(), s.size()};
}

// An account store in a scratch folder and a StaffAuth on a fake clock.
struct Fixture {
    tests::TempDir dir;
    std::unique_ptr<desk::AccountStore> accounts;
    std::unique_ptr<desk::StaffAuth> auth;
    time::Clock::time_point now = time::Clock::time_point(std::chrono::sys_days(
        std::chrono::year_month_day(std::chrono::year(2026), std::chrono::month(12),
                                    std::chrono::day(5))));

    explicit Fixture(desk::StaffSettings settings = {})
    {
        auto opened = desk::AccountStore::open(dir.path() / "accounts.sqlite3");
        REQUIRE(opened);
        accounts = std::move(*opened);
        settings.now = [this] { return now; };
        auth = std::make_unique<desk::StaffAuth>(*accounts, std::move(settings));
    }

    void addUser(const std::string& name, const std::string& password,
                 desk::Role role = desk::Role::Staff)
    {
        auto hash = crypto::hashSecret(text(password));
        REQUIRE(hash);
        REQUIRE(accounts->add(name, *hash, role));
    }

    desk::LoginResult login(const std::string& name, const std::string& password,
                            const std::string& address = "192.168.1.20")
    {
        return auth->login(name, text(password), address);
    }

    // A request from a reception PC that carries the session's cookie.
    static net::Request request(const desk::StaffSession& s, const std::string& method = "GET")
    {
        net::Request r;
        r.method = method;
        r.path = "/";
        r.peerAddress = "192.168.1.20";
        r.headers.emplace_back("Cookie", "other=1; " + std::string(desk::StaffAuth::kCookieName) +
                                             "=" + s.id);
        return r;
    }

    std::vector<desk::AuditEntry> audit()
    {
        auto log = accounts->auditLog(1000);
        REQUIRE(log);
        return *log;
    }

    bool audited(const std::string& action, const std::string& result)
    {
        for (const auto& e : audit()) {
            if (e.action == action && e.result == result) {
                return true;
            }
        }
        return false;
    }
};

TEST_CASE("StaffAuth::login: the right password starts a session with 256-bit random tokens")
{
    Fixture f;
    f.addUser("sato", "correct-horse-42", desk::Role::Admin);
    auto first = f.login("sato", "correct-horse-42");
    REQUIRE(first.status == LoginStatus::Ok);
    REQUIRE(first.session);
    CHECK(first.session->account == "sato");
    CHECK(first.session->role == desk::Role::Admin);
    CHECK(first.session->id.size() == 64);
    CHECK(first.session->csrfToken.size() == 64);
    CHECK(first.session->id != first.session->csrfToken);
    auto second = f.login("Sato", "correct-horse-42"); // names are lower case
    REQUIRE(second.status == LoginStatus::Ok);
    CHECK(second.session->id != first.session->id);
    CHECK(f.auth->sessionCount() == 2);

    auto found = f.auth->staffSession(Fixture::request(*first.session));
    REQUIRE(found);
    CHECK(found->account == "sato");
    CHECK(f.audited("login", "ok"));
    auto account = f.accounts->find("sato");
    REQUIRE(account);
    CHECK_FALSE((*account)->lastLoginAt.empty());
}

TEST_CASE("StaffAuth::login: a wrong password, an unknown name and a disabled account read alike")
{
    Fixture f;
    f.addUser("sato", "correct-horse-42");
    f.addUser("suzuki", "battery-staple-7");
    REQUIRE(f.accounts->setDisabled("suzuki", true));

    const auto wrong = f.login("sato", "wrong-password");
    const auto unknown = f.login("tanaka", "correct-horse-42");
    const auto disabled = f.login("suzuki", "battery-staple-7");
    const auto odd = f.login("<script>", "x");
    for (const auto* r : {&wrong, &unknown, &disabled, &odd}) {
        CHECK(r->status == LoginStatus::Refused);
        CHECK_FALSE(r->session);
    }
    CHECK(f.auth->sessionCount() == 0);
    CHECK(f.audit().size() == 4);
    for (const auto& e : f.audit()) {
        CHECK(e.action == "login");
        CHECK(e.result == "refused");
        CHECK(e.address == "192.168.1.20");
        CHECK(e.at == "2026-12-05T00:00:00Z");
    }
}

TEST_CASE("StaffAuth::login: five failures lock the name for 30 s, doubling up to 15 min")
{
    Fixture f;
    f.addUser("sato", "correct-horse-42");
    for (int i = 0; i < 4; ++i) {
        CHECK(f.login("sato", "wrong-password").status == LoginStatus::Refused);
    }
    auto fifth = f.login("sato", "wrong-password");
    CHECK(fifth.status == LoginStatus::Locked);
    CHECK(fifth.retryAfter == 30s);
    CHECK(f.audited("lockout", "locked"));

    // While locked, even the right password is refused, and the lock does not grow.
    auto during = f.login("sato", "correct-horse-42");
    CHECK(during.status == LoginStatus::Locked);
    CHECK(during.retryAfter == 30s);
    f.now += 10s;
    CHECK(f.login("sato", "correct-horse-42").retryAfter == 20s);

    // Each further failure doubles the lock: 60 s, 120 s, ... and 15 min at most.
    f.now += 20s;
    CHECK(f.login("sato", "wrong-password").retryAfter == 60s);
    f.now += 60s;
    CHECK(f.login("sato", "wrong-password").retryAfter == 120s);
    for (auto lock = 120s; lock < 900s; lock *= 2) {
        f.now += lock;
        f.login("sato", "wrong-password");
    }
    f.now += 900s;
    CHECK(f.login("sato", "wrong-password").retryAfter == 900s);

    // After the lock, the right password works and clears the count.
    f.now += 900s;
    CHECK(f.login("sato", "correct-horse-42").status == LoginStatus::Ok);
    CHECK(f.login("sato", "wrong-password").status == LoginStatus::Refused);
}

TEST_CASE("StaffAuth::login: an unknown name is locked exactly like a real one")
{
    Fixture f;
    f.addUser("sato", "correct-horse-42");
    for (const std::string name : {"sato", "tanaka"}) {
        INFO(name);
        std::vector<LoginStatus> seen;
        for (int i = 0; i < 6; ++i) {
            seen.push_back(f.login(name, "wrong-password", "10.0.0." + name.substr(0, 1)).status);
        }
        CHECK(seen == std::vector<LoginStatus>{LoginStatus::Refused, LoginStatus::Refused,
                                               LoginStatus::Refused, LoginStatus::Refused,
                                               LoginStatus::Locked, LoginStatus::Locked});
    }
}

TEST_CASE("StaffAuth::login: one address trying many names is locked after 20 failures")
{
    Fixture f;
    f.addUser("sato", "correct-horse-42");
    for (int i = 0; i < 19; ++i) {
        CHECK(f.login("guess" + std::to_string(i), "x", "192.168.1.99").status ==
              LoginStatus::Refused);
    }
    CHECK(f.login("guess19", "x", "192.168.1.99").status == LoginStatus::Locked);
    // That address cannot log in now, another one can.
    CHECK(f.login("sato", "correct-horse-42", "192.168.1.99").status == LoginStatus::Locked);
    CHECK(f.login("sato", "correct-horse-42", "192.168.1.20").status == LoginStatus::Ok);
}

TEST_CASE("StaffAuth::staffSession: a session ends after the idle time and after its maximum age")
{
    desk::StaffSettings settings;
    settings.sessionIdle = 30min;
    settings.sessionMax = 2h;
    Fixture f(settings);
    f.addUser("sato", "correct-horse-42");
    auto idle = f.login("sato", "correct-horse-42");
    REQUIRE(idle.session);
    f.now += 29min;
    CHECK(f.auth->staffSession(Fixture::request(*idle.session))); // activity restarts the wait
    f.now += 29min;
    CHECK(f.auth->staffSession(Fixture::request(*idle.session)));
    f.now += 31min;
    CHECK_FALSE(f.auth->staffSession(Fixture::request(*idle.session)));
    CHECK_FALSE(f.auth->staffSession(Fixture::request(*idle.session))); // gone for good
    CHECK(f.audited("session_expired", "ended"));

    auto busy = f.login("sato", "correct-horse-42");
    REQUIRE(busy.session);
    for (int i = 0; i < 7; ++i) { // 2 h 20 min of activity every 20 minutes
        f.now += 20min;
        const bool alive = f.auth->staffSession(Fixture::request(*busy.session)).has_value();
        CHECK(alive == (i < 6));
    }
}

TEST_CASE("StaffAuth::staffSession: no cookie, a made-up id or a logged-out session is nothing")
{
    Fixture f;
    f.addUser("sato", "correct-horse-42");
    auto login = f.login("sato", "correct-horse-42");
    REQUIRE(login.session);
    net::Request bare;
    bare.method = "GET";
    CHECK_FALSE(f.auth->staffSession(bare));
    desk::StaffSession madeUp = *login.session;
    madeUp.id = std::string(64, 'a');
    CHECK_FALSE(f.auth->staffSession(Fixture::request(madeUp)));

    f.auth->logout(*login.session);
    CHECK_FALSE(f.auth->staffSession(Fixture::request(*login.session)));
    CHECK(f.audited("logout", "ok"));
}

TEST_CASE("StaffAuth::staffSession: disabling the account or a new password ends its sessions")
{
    Fixture f;
    f.addUser("sato", "correct-horse-42");
    f.addUser("suzuki", "battery-staple-7");
    auto sato = f.login("sato", "correct-horse-42");
    auto suzuki = f.login("suzuki", "battery-staple-7");
    REQUIRE(sato.session);
    REQUIRE(suzuki.session);

    REQUIRE(f.accounts->setDisabled("sato", true));
    auto hash = crypto::hashSecret(text("new-password-9"));
    REQUIRE(hash);
    REQUIRE(f.accounts->setPasswordHash("suzuki", *hash));
    CHECK_FALSE(f.auth->staffSession(Fixture::request(*sato.session)));
    CHECK_FALSE(f.auth->staffSession(Fixture::request(*suzuki.session)));
    CHECK(f.login("suzuki", "battery-staple-7").status == LoginStatus::Refused);
    CHECK(f.login("suzuki", "new-password-9").status == LoginStatus::Ok);
}

TEST_CASE("StaffAuth::checkCsrf: a state change needs the session's token, a read does not")
{
    Fixture f;
    f.addUser("sato", "correct-horse-42");
    auto login = f.login("sato", "correct-horse-42");
    REQUIRE(login.session);
    const auto& s = *login.session;

    CHECK(f.auth->checkCsrf(Fixture::request(s, "GET"), s));
    auto post = Fixture::request(s, "POST");
    CHECK_FALSE(f.auth->checkCsrf(post, s));

    auto header = post;
    header.headers.emplace_back("X-CSRF-Token", s.csrfToken);
    CHECK(f.auth->checkCsrf(header, s));
    auto wrongHeader = post;
    wrongHeader.headers.emplace_back("x-csrf-token", std::string(64, '0'));
    CHECK_FALSE(f.auth->checkCsrf(wrongHeader, s));

    auto form = post;
    form.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    form.body = "status=called&csrf_token=" + s.csrfToken;
    CHECK(f.auth->checkCsrf(form, s));
    auto json = post;
    json.headers.emplace_back("Content-Type", "application/json");
    json.body = "csrf_token=" + s.csrfToken;
    CHECK_FALSE(f.auth->checkCsrf(json, s));

    // Another session's token is no good.
    auto other = f.login("sato", "correct-horse-42");
    REQUIRE(other.session);
    CHECK_FALSE(f.auth->checkCsrf(header, *other.session));
}

TEST_CASE("StaffAuth::audit: routes add their own lines with account and address")
{
    Fixture f;
    f.addUser("sato", "correct-horse-42");
    auto login = f.login("sato", "correct-horse-42", "192.168.1.33");
    REQUIRE(login.session);
    f.auth->audit(*login.session, "checkin_called", "id=42");
    const auto newest = f.audit().front();
    CHECK(newest.account == "sato");
    CHECK(newest.address == "192.168.1.33");
    CHECK(newest.action == "checkin_called");
    CHECK(newest.result == "ok");
    CHECK(newest.detail == "id=42");
}

TEST_CASE("AccountStore: the file holds an argon2id hash, never the password, and is 0600")
{
    Fixture f;
    f.addUser("sato", "correct-horse-42");
    CHECK(f.login("sato", "correct-horse-42").status == LoginStatus::Ok);
    CHECK(f.login("sato", "wrong-horse-43").status == LoginStatus::Refused);
    f.accounts.reset(); // closes the database, so the WAL is folded in
    f.auth.reset();
    std::string bytes;
    for (const char* name : {"accounts.sqlite3", "accounts.sqlite3-wal"}) {
        std::ifstream in(f.dir.path() / name, std::ios::binary);
        bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    CHECK(bytes.find("correct-horse-42") == std::string::npos);
    CHECK(bytes.find("wrong-horse-43") == std::string::npos);
    CHECK(bytes.find("$argon2id$") != std::string::npos);
    const auto perms = std::filesystem::status(f.dir.path() / "accounts.sqlite3").permissions();
    CHECK((perms & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("AccountStore: names are checked, unique, and changes need an existing account")
{
    Fixture f;
    CHECK(desk::isValidAccountName("sato.k-2_"));
    CHECK_FALSE(desk::isValidAccountName("Sato"));
    CHECK_FALSE(desk::isValidAccountName(""));
    CHECK_FALSE(desk::isValidAccountName(std::string(33, 'a')));
    CHECK_FALSE(desk::isValidAccountName("佐藤"));
    CHECK_FALSE(f.accounts->add("Sato", "$argon2id$x", desk::Role::Staff));
    REQUIRE(f.accounts->add("sato", "$argon2id$x", desk::Role::Staff));
    auto again = f.accounts->add("sato", "$argon2id$y", desk::Role::Admin);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == Errc::InvalidArgument);
    CHECK_FALSE(f.accounts->setDisabled("nobody", true));
    CHECK_FALSE(f.accounts->setPasswordHash("nobody", "$argon2id$z"));
    auto all = f.accounts->list();
    REQUIRE(all);
    REQUIRE(all->size() == 1);
    CHECK((*all)[0].generation == 1);
    REQUIRE(f.accounts->setDisabled("sato", true));
    CHECK((*f.accounts->find("sato"))->generation == 2);
    CHECK((*f.accounts->find("sato"))->disabled);
}

TEST_CASE("cookieValue: finds one cookie among several")
{
    CHECK(desk::cookieValue("a=1; b=2", "b") == std::optional<std::string_view>("2"));
    CHECK(desk::cookieValue("a=1;b=2 ", "b") == std::optional<std::string_view>("2"));
    CHECK(desk::cookieValue("ab=1", "b") == std::nullopt);
    CHECK(desk::cookieValue("", "b") == std::nullopt);
    CHECK(desk::cookieValue("b", "b") == std::nullopt);
}

} // namespace
