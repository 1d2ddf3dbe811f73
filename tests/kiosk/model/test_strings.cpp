#include "kiosk/model/strings.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace uketsuke;
using namespace uketsuke::kiosk::model;

namespace {

// A fresh folder for each call: a catalog reads every table in its folder.
std::string tempDir()
{
    static int serial = 0;
    auto dir = std::filesystem::temp_directory_path() /
               ("uketsuke-strings-" + std::to_string(::getpid()) + "-" + std::to_string(++serial));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

} // namespace

TEST_CASE("StringTable::load: the shipped tables are flat and Japanese has every key")
{
    auto ja = StringTable::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
    REQUIRE(ja.has_value());
    auto en = StringTable::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "en");
    REQUIRE(en.has_value());
    std::vector<std::string> missingInJa;
    for (const auto& key : en->keys()) {
        if (!ja->has(key)) {
            missingInJa.push_back(key);
        }
    }
    INFO("keys in en.json but not in ja.json: " << missingInJa.size());
    for (const auto& key : missingInJa) {
        UNSCOPED_INFO(key);
    }
    CHECK(missingInJa.empty());
    std::vector<std::string> missingInEn;
    for (const auto& key : ja->keys()) {
        if (!en->has(key)) {
            missingInEn.push_back(key);
        }
    }
    // Gaps in other languages are listed, not fatal (STYLE.md practice 5).
    for (const auto& key : missingInEn) {
        WARN("en.json lacks " << key);
    }
}

TEST_CASE("StringTable::tr: a missing key shows itself in brackets")
{
    auto dir = tempDir();
    std::ofstream(dir + "/xx.json") << R"({"a.b": "こんにちは {name} 様、{name}"})";
    auto table = StringTable::load(dir, "xx");
    REQUIRE(table.has_value());
    CHECK(table->tr("a.b") == "こんにちは {name} 様、{name}");
    CHECK(table->tr("nope") == "[nope]");
    CHECK(table->format("a.b", {{"name", "受付"}}) == "こんにちは 受付 様、受付");
}

TEST_CASE("StringTable::load: a corrupt table is a clear config error")
{
    auto dir = tempDir();
    std::ofstream(dir + "/bad.json") << R"({"a": 1})";
    std::ofstream(dir + "/worse.json") << "{not json";
    CHECK(StringTable::load(dir, "bad").error().code == Errc::ConfigInvalid);
    CHECK(StringTable::load(dir, "bad").error().message.find("a is not a string") !=
          std::string::npos);
    CHECK(StringTable::load(dir, "worse").error().code == Errc::ConfigInvalid);
    CHECK(StringTable::load(dir, "missing").error().code == Errc::ConfigMissing);
}

TEST_CASE("StringCatalog::load: every table in the folder, the default first")
{
    auto dir = tempDir();
    std::ofstream(dir + "/ja.json") << R"({"k": "日本語"})";
    std::ofstream(dir + "/en.json") << R"({"k": "English"})";
    std::ofstream(dir + "/vi.json") << R"({"k": "Tiếng Việt"})";
    std::ofstream(dir + "/notes.txt") << "not a table";
    auto catalog = StringCatalog::load(dir, "ja");
    REQUIRE(catalog.has_value());
    CHECK(catalog->languages() == std::vector<std::string>{"ja", "en", "vi"});
    CHECK(catalog->table("vi").tr("k") == "Tiếng Việt");
    CHECK(catalog->table("").tr("k") == "日本語");
    CHECK(catalog->table("xx").tr("k") == "日本語"); // unknown: the default
    CHECK(catalog->has("en"));
    CHECK_FALSE(catalog->has("ko"));
}

TEST_CASE("StringCatalog::load: a missing default or a corrupt table is a config error")
{
    auto dir = tempDir();
    std::ofstream(dir + "/en.json") << R"({"k": "English"})";
    CHECK(StringCatalog::load(dir, "ja").error().code == Errc::ConfigMissing);
    std::ofstream(dir + "/ja.json") << R"({"k": "日本語"})";
    std::ofstream(dir + "/ko.json") << R"({"k": 1})";
    auto broken = StringCatalog::load(dir, "ja");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().code == Errc::ConfigInvalid);
    CHECK(broken.error().message.find("ko.json") != std::string::npos);
}
