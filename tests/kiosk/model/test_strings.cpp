#include "kiosk/model/strings.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

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

namespace {

// The "{name}" placeholders of a text, each under the name it stands for: the slip's date and
// copayment are filled with both forms (kiosk/runner/slip.cpp: {month} and {month2} = 7 and
// 07, {ratio} and {percent} = 3 and 30), and a language picks the one it writes.
std::set<std::string> placeholders(const std::string& text)
{
    static const std::map<std::string, std::string> kSameValue = {
        {"month2", "month"}, {"day2", "day"}, {"hour2", "hour"}, {"percent", "ratio"}};
    std::set<std::string> out;
    static const std::regex pattern(R"(\{([A-Za-z0-9_]+)\})");
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
        std::string name = (*it)[1].str();
        auto same = kSameValue.find(name);
        out.insert(same == kSameValue.end() ? name : same->second);
    }
    return out;
}

} // namespace

TEST_CASE("StringCatalog::load: every shipped language has exactly the keys and placeholders of ja")
{
    auto catalog = StringCatalog::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
    REQUIRE(catalog.has_value());
    const StringTable& ja = catalog->table("ja");
    REQUIRE(ja.lang() == "ja");
    CHECK(catalog->languages().size() >= 6); // ja, en, ja-easy, ko, vi, zh-Hans
    std::set<std::string> names;
    for (const auto& lang : catalog->languages()) {
        const StringTable& table = catalog->table(lang);
        for (const auto& key : table.keys()) {
            INFO(lang << ".json has a key ja.json lacks: " << key);
            CHECK(ja.has(key));
        }
        for (const auto& key : ja.keys()) {
            INFO(lang << ".json lacks " << key);
            REQUIRE(table.has(key));
            INFO("placeholders of " << key << " in " << lang << ": " << table.tr(key));
            CHECK(placeholders(table.tr(key)) == placeholders(ja.tr(key)));
        }
        // The picker names each language in its own words, and no two alike.
        INFO(lang);
        CHECK_FALSE(table.tr("language.name").empty());
        CHECK(names.insert(table.tr("language.name")).second);
    }
}

TEST_CASE("placeholders: a text's names, the two forms of a slip value as one")
{
    CHECK(placeholders("{year}-{month2}-{day2} {hour2}:{minute}") ==
          placeholders("{year}年{month}月{day}日 {hour}:{minute}"));
    CHECK(placeholders("あと{n}回") != placeholders("あと回"));
    CHECK(placeholders("{seconds} 秒") != placeholders("{second} s"));
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
