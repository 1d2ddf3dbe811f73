#include "base/paths.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <stdlib.h>

using namespace uketsuke;
namespace fs = std::filesystem;

TEST_CASE("paths: an installed program finds share/uketsuke next to its bin/")
{
    char pattern[] = "/tmp/uketsuke-paths-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    const fs::path prefix = pattern;
    fs::create_directories(prefix / "bin");
    const std::string exe = (prefix / "bin" / "uketsuke-kiosk").string();

    CHECK(installedAssetsDir(exe).empty()); // no share/uketsuke yet
    fs::create_directories(prefix / "share" / "uketsuke" / "i18n");
    CHECK(installedAssetsDir(exe) == (prefix / "share" / "uketsuke").string());
    // A program that is not in a bin/ folder (the build tree) does not look there.
    CHECK(installedAssetsDir((prefix / "ui" / "uketsuke-kiosk").string()).empty());
    // This test binary runs from the build tree: the source tree's assets.
    CHECK(fs::is_directory(fs::path(defaultAssetsDir()) / "i18n"));
    fs::remove_all(prefix);
}
