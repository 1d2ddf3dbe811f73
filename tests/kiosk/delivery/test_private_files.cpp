// Personal data is readable by the service only: the files the outbox and the desk's store
// create are 0600 in folders 0700, whatever the umask, also when the folder already existed.

#include "desk/store.hpp"
#include "kiosk/delivery/outbox.hpp"

#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/sample_checkin.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

namespace {

using namespace uketsuke;
namespace fs = std::filesystem;

using tests::modeOf;
using tests::Umask;

// The database and whichever of its -wal/-shm exist are 0600, and its folder 0700.
void checkPrivate(const fs::path& database)
{
    CHECK(modeOf(database.parent_path()) == 0700);
    CHECK(modeOf(database) == 0600);
    int companions = 0;
    for (const char* suffix : {"-wal", "-shm"}) {
        const fs::path companion = database.string() + suffix;
        if (fs::exists(companion)) {
            INFO(companion.string());
            CHECK(modeOf(companion) == 0600);
            ++companions;
        }
    }
    CHECK(companions > 0); // WAL mode: at least the -wal file exists while open
}

TEST_CASE("Outbox and DeskStore: files 0600 in folders 0700 under umask 022")
{
    tests::TempDir dir;
    Umask mask(022);
    const fs::path kioskData = dir.path() / "kiosk";
    const fs::path deskData = dir.path() / "desk";
    // As the programs find them: folders made by someone else with the umask's 0755.
    fs::create_directory(kioskData);
    fs::create_directory(deskData);
    REQUIRE(modeOf(kioskData) == 0755);

    auto outbox = kiosk::delivery::Outbox::open((kioskData / "outbox.sqlite3").string());
    REQUIRE(outbox);
    REQUIRE((*outbox)->put(tests::sampleCheckIn("private-1")));
    auto store = desk::DeskStore::open((deskData / "desk.sqlite3").string());
    REQUIRE(store);
    REQUIRE((*store)->ingest(tests::sampleCheckIn("private-1")));

    checkPrivate(kioskData / "outbox.sqlite3");
    checkPrivate(deskData / "desk.sqlite3");
}

TEST_CASE("Outbox: an outbox left world-readable by an older release is made private")
{
    tests::TempDir dir;
    const fs::path file = dir.path() / "outbox.sqlite3";
    {
        auto outbox = kiosk::delivery::Outbox::open(file.string());
        REQUIRE(outbox);
    }
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read |
                                    fs::perms::others_exec);
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write |
                              fs::perms::group_read | fs::perms::others_read);
    auto outbox = kiosk::delivery::Outbox::open(file.string());
    REQUIRE(outbox);
    CHECK(modeOf(dir.path()) == 0700);
    CHECK(modeOf(file) == 0600);
}

} // namespace
