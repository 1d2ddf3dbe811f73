// `uketsuke-kiosk staff add|passwd|disable|list`: parsed from the command line, run on a real
// file, the PIN read from a stream as a pipe gives it.

#include "kiosk/app/staff_command.hpp"
#include "kiosk/config/staff_accounts.hpp"

#include "base/files.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace uketsuke;
using kiosk::config::KioskConfig;

namespace {

struct Run {
    int status = 0;
    std::string out;
    std::string err;
};

Result<KioskConfig> parse(std::vector<std::string> args, const std::string& file)
{
    args.push_back("--data");
    args.push_back("/nonexistent-data");
    auto c = kiosk::config::parseKioskArgs(args);
    if (c) {
        c->staffAccounts = file;
    }
    return c;
}

Run run(const std::vector<std::string>& args, const std::string& file, const std::string& input)
{
    auto config = parse(args, file);
    REQUIRE(config);
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    Run r;
    r.status = kiosk::app::staffCommand(*config, in, false, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

} // namespace

TEST_CASE("staff command: the command line names the action, the id and the role")
{
    auto add = kiosk::config::parseKioskArgs({"staff", "add", "s01", "--role", "admin"});
    REQUIRE(add);
    CHECK(add->action == KioskConfig::Action::StaffAdd);
    CHECK(add->staffId == "s01");
    CHECK(add->staffRole == "admin");
    CHECK(add->staffAccounts == add->dataDir + "/staff");

    auto list = kiosk::config::parseKioskArgs({"staff", "list", "--data", "/d"});
    REQUIRE(list);
    CHECK(list->action == KioskConfig::Action::StaffList);
    CHECK(list->staffAccounts == "/d/staff");

    CHECK(kiosk::config::parseKioskArgs({"staff", "add"}).error().message ==
          "staff add: expected the account's id");
    CHECK(kiosk::config::parseKioskArgs({"staff", "remove", "s01"}).error().code ==
          Errc::ConfigInvalid);
    CHECK(kiosk::config::parseKioskArgs({"staff", "add", "s01", "--role", "boss"})
              .error()
              .message.find("--role") != std::string::npos);
    CHECK(kiosk::config::parseKioskArgs({"staff", "list", "--role", "admin"}).error().message ==
          "--role: only with staff add");
}

TEST_CASE("staff command: add, list, passwd and disable on a real file")
{
    tests::TempDir dir;
    const std::string file = (dir.path() / "state" / "staff").string();

    Run added = run({"staff", "add", "s01", "--role", "admin"}, file, "97531\n");
    CHECK(added.status == 0);
    CHECK(added.out == "staff s01: added\n");
    CHECK(run({"staff", "add", "s02"}, file, "8642\n").status == 0);

    Run listed = run({"staff", "list"}, file, "");
    CHECK(listed.status == 0);
    CHECK(listed.out == "s01 admin\ns02 staff\n");

    auto text = files::readFile(file);
    REQUIRE(text);
    CHECK(text->find("97531") == std::string::npos);

    CHECK(run({"staff", "passwd", "s02"}, file, "11112222\n").status == 0);
    auto accounts = kiosk::config::StaffAccounts::load(file);
    REQUIRE(accounts);
    StaffPin pin;
    for (char c : std::string("11112222")) {
        pin.push(c);
    }
    CHECK(accounts->verify(pin)->id == "s02");

    CHECK(run({"staff", "disable", "s02"}, file, "").status == 0);
    CHECK(run({"staff", "list"}, file, "").out == "s01 admin\ns02 staff disabled\n");
}

TEST_CASE("staff command: refuses bad PINs, unknown and repeated ids, and a damaged file")
{
    tests::TempDir dir;
    const std::string file = (dir.path() / "staff").string();
    for (const char* bad : {"123\n", "12a4\n", "123456789\n", "\n", "12 34\n"}) {
        Run r = run({"staff", "add", "s01"}, file, bad);
        CHECK(r.status == 2);
        CHECK(r.err == "uketsuke-kiosk: the PIN must be 4 to 8 digits\n");
    }
    CHECK(run({"staff", "list"}, file, "").out.empty()); // nothing was written

    REQUIRE(run({"staff", "add", "s01"}, file, "1234\n").status == 0);
    Run again = run({"staff", "add", "s01"}, file, "5678\n");
    CHECK(again.status == 2);
    CHECK(again.err.find("exists already") != std::string::npos);
    CHECK(run({"staff", "passwd", "s09"}, file, "5678\n").status == 2);
    CHECK(run({"staff", "disable", "s09"}, file, "").status == 2);

    REQUIRE(files::writeFile(file, "s01:staff:not-a-hash\n"));
    Run damaged = run({"staff", "list"}, file, "");
    CHECK(damaged.status == 2);
    CHECK(damaged.err == "uketsuke-kiosk: " + file +
                             ": line 1: the hash is not an argon2id string\n");
}
