// `uketsuke-desk user ...` (desk/user_command.hpp, desk/options.hpp): the round trip on a
// scratch data folder with the password piped in, as a script would.

#include "desk/user_command.hpp"

#include "crypto/password.hpp"
#include "desk/accounts.hpp"
#include "desk/options.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

namespace {

using namespace uketsuke;
using desk::parseCommandLine;

struct Run {
    int status = -1;
    std::string out;
    std::string err;
};

Run user(const tests::TempDir& dir, std::vector<std::string> args,
         const std::string& stdinText = {})
{
    args.insert(args.begin(), "user");
    args.push_back("--data");
    args.push_back((dir.path() / "data").string());
    auto parsed = parseCommandLine(args);
    REQUIRE(parsed);
    REQUIRE(parsed->action == desk::Action::User);
    std::istringstream in(stdinText);
    std::ostringstream out;
    std::ostringstream err;
    Run run;
    run.status = desk::runUserCommand(parsed->user, parsed->options, in, false, out, err);
    run.out = out.str();
    run.err = err.str();
    return run;
}

std::unique_ptr<desk::AccountStore> open(const tests::TempDir& dir)
{
    auto store = desk::AccountStore::open(dir.path() / "data" / "accounts.sqlite3");
    REQUIRE(store);
    return std::move(*store);
}

TEST_CASE("runUserCommand: add, passwd, disable, enable and list round trip")
{
    tests::TempDir dir;
    auto added = user(dir, {"add", "sato", "--role", "admin"}, "first-password\n");
    CHECK(added.status == 0);
    CHECK(added.out == "user add sato: done\n");
    CHECK(user(dir, {"add", "suzuki"}, "second-password\r\n").status == 0);

    {
        auto store = open(dir);
        auto sato = store->credentials("sato");
        REQUIRE(sato);
        REQUIRE(*sato);
        CHECK((*sato)->account.role == desk::Role::Admin);
        CHECK((*sato)->passwordHash.rfind("$argon2id$", 0) == 0);
        CHECK((*sato)->passwordHash.find("first-password") == std::string::npos);
        const std::string typed = "first-password";
        CHECK(crypto::verifySecret((*sato)->passwordHash, {typed.data(), typed.size()}));
        auto suzuki = store->credentials("suzuki");
        REQUIRE(*suzuki);
        const std::string second = "second-password"; // the \r of a Windows line is not in it
        CHECK(crypto::verifySecret((*suzuki)->passwordHash, {second.data(), second.size()}));
        CHECK((*suzuki)->account.role == desk::Role::Staff);
    }

    CHECK(user(dir, {"passwd", "sato"}, "changed-password\n").status == 0);
    CHECK(user(dir, {"disable", "suzuki"}).status == 0);
    {
        auto store = open(dir);
        auto sato = store->credentials("sato");
        const std::string typed = "changed-password";
        CHECK(crypto::verifySecret((*sato)->passwordHash, {typed.data(), typed.size()}));
        CHECK((*store->find("suzuki"))->disabled);
    }
    auto listed = user(dir, {"list"});
    CHECK(listed.status == 0);
    CHECK(listed.out.find("sato                admin  enabled") != std::string::npos);
    CHECK(listed.out.find("suzuki              staff  disabled") != std::string::npos);
    CHECK(user(dir, {"enable", "suzuki"}).status == 0);
    CHECK(user(dir, {"list"}).out.find("suzuki              staff  enabled") != std::string::npos);

    // Every change is audited from "cli", without the password.
    auto log = open(dir)->auditLog();
    REQUIRE(log);
    std::vector<std::string> actions;
    for (const auto& e : *log) {
        actions.insert(actions.begin(), e.action + ":" + e.account + ":" + e.result);
        CHECK(e.address == "cli");
        CHECK(e.detail.find("password") == std::string::npos);
    }
    CHECK(actions == std::vector<std::string>{"user_add:sato:ok", "user_add:suzuki:ok",
                                              "user_passwd:sato:ok", "user_disable:suzuki:ok",
                                              "user_enable:suzuki:ok"});
}

TEST_CASE("runUserCommand: refusals and bad passwords have their own exit status")
{
    tests::TempDir dir;
    REQUIRE(user(dir, {"add", "sato"}, "first-password\n").status == 0);
    auto twice = user(dir, {"add", "sato"}, "other-password\n");
    CHECK(twice.status == 1);
    CHECK(twice.err.find("exists") != std::string::npos);
    auto nobody = user(dir, {"passwd", "tanaka"}, "other-password\n");
    CHECK(nobody.status == 1);
    CHECK(nobody.err.find("no account named tanaka") != std::string::npos);
    CHECK(user(dir, {"disable", "tanaka"}).status == 1);
    auto shortPassword = user(dir, {"add", "suzuki"}, "short\n");
    CHECK(shortPassword.status == 2);
    CHECK(shortPassword.err.find("8 to 256 bytes") != std::string::npos);
    CHECK(user(dir, {"add", "suzuki"}, "").status == 2);
    CHECK_FALSE(open(dir)->find("suzuki")->has_value());
}

TEST_CASE("parseCommandLine: user commands need only the data folder and a good name")
{
    auto add = parseCommandLine({"user", "add", "sato", "--data", "/d"});
    REQUIRE(add);
    CHECK(add->action == desk::Action::User);
    CHECK(add->user.verb == desk::UserCommand::Verb::Add);
    CHECK(add->user.name == "sato");
    CHECK(add->user.role == desk::Role::Staff);
    auto list = parseCommandLine({"user", "list", "--data=/d"});
    REQUIRE(list);
    CHECK(list->user.verb == desk::UserCommand::Verb::List);

    for (const auto& args : std::vector<std::vector<std::string>>{
             {"user", "--data", "/d"},
             {"user", "frobnicate", "sato", "--data", "/d"},
             {"user", "add", "--data", "/d"},
             {"user", "add", "Sato", "--data", "/d"},
             {"user", "add", "sato", "extra", "--data", "/d"},
             {"user", "list"},
             {"user", "disable", "sato", "--role", "admin", "--data", "/d"},
             {"user", "add", "sato", "--role", "root", "--data", "/d"},
             {"--pki", "/p", "--data", "/d", "--role", "admin"},
         }) {
        auto parsed = parseCommandLine(args);
        INFO(args.size() << " " << args[1]);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::InvalidArgument);
    }
}

TEST_CASE("parseCommandLine: the staff session keys come from the config file")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.toml";
    {
        std::ofstream out(file);
        out << "pki = \"/p\"\ndata = \"/d\"\nsession_idle_min = 10\nsession_max_h = 8\n"
               "login_max_failures = 3\n";
    }
    auto parsed = parseCommandLine({"--config", file.string()});
    REQUIRE(parsed);
    CHECK(parsed->options.staff.sessionIdle == std::chrono::minutes(10));
    CHECK(parsed->options.staff.sessionMax == std::chrono::hours(8));
    CHECK(parsed->options.staff.maxFailures == 3);
    CHECK(desk::usage().find("session_idle_min") != std::string::npos);
    CHECK(desk::usage().find("user add NAME") != std::string::npos);
}

} // namespace
