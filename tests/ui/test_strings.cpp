// The words on screen come from assets/i18n (docs/screens.md): every "screen.*" key a
// source under ui/ names must exist in ja.json; gaps in en.json are listed (and, for the
// screens, also fail, since English is the toggle the Idle screen offers).

#include "support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace uketsuke::ui {
namespace {

std::set<std::string> keysUsedByUi()
{
    std::set<std::string> keys;
    const std::regex pattern(R"re((?:tr|format)\("(screen\.[A-Za-z0-9_.]+)")re");
    auto root = std::filesystem::path(UKETSUKE_SOURCE_DIR) / "ui";
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        auto ext = entry.path().extension();
        if (ext != ".cpp" && ext != ".hpp") {
            continue;
        }
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        std::string s = text.str();
        for (std::sregex_iterator it(s.begin(), s.end(), pattern), end; it != end; ++it) {
            keys.insert((*it)[1].str());
        }
    }
    return keys;
}

TEST_CASE("string tables: every screen key the UI names exists in ja", "[ui]")
{
    auto used = keysUsedByUi();
    REQUIRE(used.size() > 40); // the scan found the screens
    const auto& ja = test::table("ja");
    for (const auto& key : used) {
        INFO("missing in ja.json: " << key);
        CHECK(ja.has(key));
    }
}

TEST_CASE("string tables: screen keys missing in en are listed", "[ui]")
{
    auto used = keysUsedByUi();
    const auto& en = test::table("en");
    std::string missing;
    for (const auto& key : used) {
        if (!en.has(key)) {
            missing += " " + key;
        }
    }
    if (!missing.empty()) {
        WARN("screen keys missing in en.json:" << missing);
    }
    CHECK(missing.empty());
}

TEST_CASE("string tables: no screen key is left unused", "[ui]")
{
    auto used = keysUsedByUi();
    for (const auto& key : test::table("ja").keys()) {
        if (key.rfind("screen.", 0) == 0) {
            INFO("unused key in ja.json: " << key);
            CHECK(used.count(key) == 1);
        }
    }
}

TEST_CASE("string tables: Japanese screen texts are never empty", "[ui]")
{
    const auto& ja = test::table("ja");
    for (const auto& key : ja.keys()) {
        if (key.rfind("screen.", 0) == 0) {
            INFO(key);
            CHECK_FALSE(ja.tr(key).empty());
        }
    }
}

} // namespace
} // namespace uketsuke::ui
