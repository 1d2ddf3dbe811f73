#include "kiosk/config/staff_accounts.hpp"

#include "base/files.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <string>

using namespace uketsuke;
using kiosk::config::StaffAccounts;
using kiosk::staff::Role;

namespace {

StaffPin pinOf(const char* digits)
{
    StaffPin pin;
    for (const char* c = digits; *c != '\0'; ++c) {
        pin.push(*c);
    }
    return pin;
}

} // namespace

TEST_CASE("staff accounts: add, verify, change and disable a PIN")
{
    StaffAccounts accounts;
    REQUIRE(accounts.add("s01", Role::Admin, pinOf("2468")));
    REQUIRE(accounts.add("s02", Role::Staff, pinOf("13579")));

    auto admin = accounts.verify(pinOf("2468"));
    REQUIRE(admin);
    CHECK(admin->id == "s01");
    CHECK(admin->role == Role::Admin);
    auto staff = accounts.verify(pinOf("13579"));
    REQUIRE(staff);
    CHECK(staff->id == "s02");
    CHECK(staff->role == Role::Staff);
    CHECK_FALSE(accounts.verify(pinOf("0000")));
    CHECK_FALSE(accounts.verify(pinOf("246"))); // too short: never matches

    REQUIRE(accounts.setPin("s02", pinOf("1111")));
    CHECK_FALSE(accounts.verify(pinOf("13579")));
    CHECK(accounts.verify(pinOf("1111"))->id == "s02");

    REQUIRE(accounts.disable("s02"));
    CHECK_FALSE(accounts.verify(pinOf("1111")));
    // A new PIN enables the account again.
    REQUIRE(accounts.setPin("s02", pinOf("2222")));
    CHECK(accounts.verify(pinOf("2222"))->id == "s02");
}

TEST_CASE("staff accounts: refuse bad ids, repeated ids, short PINs and unknown accounts")
{
    StaffAccounts accounts;
    CHECK(accounts.add("Yamada Taro", Role::Staff, pinOf("1234")).error().code ==
          Errc::InvalidArgument);
    CHECK(accounts.add("", Role::Staff, pinOf("1234")).error().code == Errc::InvalidArgument);
    CHECK(accounts.add("s01", Role::Staff, pinOf("123")).error().code == Errc::InvalidArgument);
    REQUIRE(accounts.add("s01", Role::Staff, pinOf("1234")));
    CHECK(accounts.add("s01", Role::Admin, pinOf("5678")).error().code == Errc::InvalidArgument);
    CHECK(accounts.setPin("s09", pinOf("5678")).error().code == Errc::InvalidArgument);
    CHECK(accounts.disable("s09").error().code == Errc::InvalidArgument);
    CHECK(accounts.accounts().size() == 1);
}

TEST_CASE("staff accounts: the file round-trips, holds no PIN and is 0600")
{
    tests::TempDir dir;
    const std::string path = (dir.path() / "staff").string();
    StaffAccounts accounts;
    REQUIRE(accounts.add("s01", Role::Admin, pinOf("97531")));
    REQUIRE(accounts.add("s02", Role::Staff, pinOf("86420")));
    REQUIRE(accounts.disable("s02"));
    REQUIRE(accounts.save(path));

    auto text = files::readFile(path);
    REQUIRE(text);
    CHECK(text->find("97531") == std::string::npos);
    CHECK(text->find("86420") == std::string::npos);
    CHECK(text->find("s01:admin:$argon2id$") != std::string::npos);
    CHECK(text->find(":disabled\n") != std::string::npos);
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    auto loaded = StaffAccounts::load(path);
    REQUIRE(loaded);
    REQUIRE(loaded->accounts().size() == 2);
    CHECK(loaded->find("s02")->disabled);
    CHECK(loaded->verify(pinOf("97531"))->role == Role::Admin);
    CHECK_FALSE(loaded->verify(pinOf("86420")));

    // No file yet: no accounts, not an error.
    auto none = StaffAccounts::load((dir.path() / "missing").string());
    REQUIRE(none);
    CHECK(none->accounts().empty());
}

TEST_CASE("staff accounts: a damaged file names its line")
{
    const std::string hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaA";
    CHECK(StaffAccounts::parse("# comment\n\ns01:staff:" + hash + "\n"));
    struct Case {
        std::string text;
        std::string message;
    };
    const Case cases[] = {
        {"s01:staff\n", "line 1: expected id:role:hash[:disabled]"},
        {"\ns01:boss:" + hash + "\n", "line 2: the role must be staff or admin"},
        {"S 01:staff:" + hash + "\n", "line 1: the id must be 1-32 of a-z 0-9 . _ -"},
        {"s01:staff:plain1234\n", "line 1: the hash is not an argon2id string"},
        {"s01:staff:" + hash + ":off\n", "line 1: the fourth field may only be 'disabled'"},
        {"s01:staff:" + hash + "\ns01:admin:" + hash + "\n", "line 2: the id s01 appears twice"},
        {"s01:staff:" + hash + ":disabled:x\n", "line 1: expected id:role:hash[:disabled]"},
    };
    for (const auto& c : cases) {
        auto parsed = StaffAccounts::parse(c.text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::ConfigInvalid);
        CHECK(parsed.error().message == c.message);
    }
}
