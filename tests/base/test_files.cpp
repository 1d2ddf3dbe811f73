#include "base/files.hpp"

#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace fs = std::filesystem;
namespace files = uketsuke::files;
using uketsuke::Errc;

using uketsuke::tests::modeOf;
using uketsuke::tests::TempDir;
using uketsuke::tests::Umask;

TEST_CASE("ensurePrivateDir: creates the folder and its parents, the folder itself 0700")
{
    TempDir tmp;
    Umask mask(022);
    const fs::path dir = tmp.path() / "var" / "kiosk";
    REQUIRE(files::ensurePrivateDir(dir));
    CHECK(fs::is_directory(dir));
    CHECK(modeOf(dir) == 0700);
}

TEST_CASE("ensurePrivateDir: an existing open folder becomes 0700")
{
    TempDir tmp;
    const fs::path dir = tmp.path() / "data";
    fs::create_directory(dir);
    REQUIRE(::chmod(dir.c_str(), 0755) == 0);
    REQUIRE(files::ensurePrivateDir(dir));
    CHECK(modeOf(dir) == 0700);
}

TEST_CASE("ensurePrivateDir: refuses a shared folder with the sticky bit")
{
    TempDir tmp;
    const fs::path dir = tmp.path() / "shared";
    fs::create_directory(dir);
    REQUIRE(::chmod(dir.c_str(), 01777) == 0);
    auto result = files::ensurePrivateDir(dir);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::StorageError);
    CHECK(result.error().message.find("sticky") != std::string::npos);
    CHECK(modeOf(dir) == 01777);
}

TEST_CASE("ensurePrivateDir: a file in the way is an error naming it")
{
    TempDir tmp;
    const fs::path file = tmp.path() / "not-a-folder";
    REQUIRE(files::writeFile(file, "x"));
    auto result = files::ensurePrivateDir(file);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::StorageError);
    CHECK(result.error().message.find(file.string()) != std::string::npos);
}

TEST_CASE("ensurePrivateFile: creates a missing file 0600 and tightens an existing one")
{
    TempDir tmp;
    Umask mask(0);
    const fs::path fresh = tmp.path() / "fresh.sqlite3";
    REQUIRE(files::ensurePrivateFile(fresh));
    CHECK(modeOf(fresh) == 0600);
    CHECK(fs::file_size(fresh) == 0);

    const fs::path old = tmp.path() / "old.sqlite3";
    REQUIRE(files::writeFile(old, "kept", 0644));
    REQUIRE(modeOf(old) == 0644);
    REQUIRE(files::ensurePrivateFile(old));
    CHECK(modeOf(old) == 0600);
    CHECK(*files::readFile(old) == "kept");
}

TEST_CASE("ensurePrivateFile: refuses a symlink")
{
    TempDir tmp;
    const fs::path target = tmp.path() / "target";
    REQUIRE(files::writeFile(target, "x", 0644));
    fs::create_symlink(target, tmp.path() / "link");
    CHECK_FALSE(files::ensurePrivateFile(tmp.path() / "link"));
    CHECK(modeOf(target) == 0644);
}

TEST_CASE("makePrivateIfExists: tightens an existing file, ignores a missing one")
{
    TempDir tmp;
    const fs::path file = tmp.path() / "outbox.sqlite3-wal";
    CHECK(files::makePrivateIfExists(file));
    CHECK_FALSE(fs::exists(file));
    REQUIRE(files::writeFile(file, "", 0644));
    REQUIRE(files::makePrivateIfExists(file));
    CHECK(modeOf(file) == 0600);
}

TEST_CASE("writeFile: forces the mode whatever the umask and the old file's mode")
{
    TempDir tmp;
    Umask mask(022);
    const fs::path file = tmp.path() / "key.pem";
    REQUIRE(files::writeFile(file, "secret"));
    CHECK(modeOf(file) == 0600);
    REQUIRE(files::writeFile(file, "public", 0664));
    CHECK(modeOf(file) == 0664);
    CHECK(*files::readFile(file) == "public");
}

TEST_CASE("readFile: a missing file is a StorageError naming the path")
{
    TempDir tmp;
    auto content = files::readFile(tmp.path() / "missing.pem");
    REQUIRE_FALSE(content);
    CHECK(content.error().code == Errc::StorageError);
    CHECK(content.error().message.find("missing.pem") != std::string::npos);
    CHECK(content.error().native == ENOENT);
}

TEST_CASE("publishFile: the file appears complete, 0600 under umask 022, no temporary left")
{
    TempDir tmp;
    Umask mask(022);
    const fs::path file = tmp.path() / "slip.txt";
    REQUIRE(files::publishFile(file, "first"));
    CHECK(*files::readFile(file) == "first");
    CHECK(modeOf(file) == 0600);
    REQUIRE(files::publishFile(file, "second"));
    CHECK(*files::readFile(file) == "second");
    int entries = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(tmp.path())) {
        ++entries;
    }
    CHECK(entries == 1);
}

TEST_CASE("publishFile: Keep refuses a taken name and leaves the file as it was")
{
    TempDir tmp;
    const fs::path file = tmp.path() / "REQ.xml";
    const files::PublishOptions keep{0640, files::Existing::Keep};
    REQUIRE(files::publishFile(file, "one", keep));
    CHECK(modeOf(file) == 0640);
    auto again = files::publishFile(file, "two", keep);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == Errc::StorageError);
    CHECK(again.error().native == EEXIST);
    CHECK(*files::readFile(file) == "one");
    CHECK_FALSE(fs::exists(tmp.path() / ".REQ.xml.tmp"));
}

TEST_CASE("publishFile: a temporary left by a crash does not block the next publish")
{
    TempDir tmp;
    const fs::path file = tmp.path() / "result.xml";
    REQUIRE(files::writeFile(tmp.path() / ".result.xml.tmp", "half"));
    REQUIRE(files::publishFile(file, "whole"));
    CHECK(*files::readFile(file) == "whole");
    CHECK_FALSE(fs::exists(tmp.path() / ".result.xml.tmp"));
}

TEST_CASE("publishFile: a missing folder is a StorageError")
{
    TempDir tmp;
    auto result = files::publishFile(tmp.path() / "nope" / "file", "x");
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::StorageError);
}
