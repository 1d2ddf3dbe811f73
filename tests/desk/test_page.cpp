#include "desk/page.hpp"

#include "tests/desk/sample_checkin.hpp"

#include <catch2/catch.hpp>

namespace {

using namespace uketsuke;
using kiosk::model::StringTable;

StringTable japanese()
{
    auto table = StringTable::load(std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", "ja");
    REQUIRE(table);
    return std::move(*table);
}

desk::StoredCheckIn row(const std::string& key, const std::string& receipt, const std::string& name)
{
    desk::StoredCheckIn out;
    out.id = 1;
    out.localDate = "2026-11-26";
    out.localTime = "11:15";
    out.checkIn = tests::sampleCheckIn(key, receipt, name);
    return out;
}

TEST_CASE("escapeHtml: escapes the characters that end text or attributes")
{
    CHECK(desk::escapeHtml("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
    CHECK(desk::escapeHtml("試験 花子") == "試験 花子");
    CHECK(desk::escapeHtml("") == "");
}

TEST_CASE("renderCheckInPage: lists each check-in and escapes its values")
{
    auto strings = japanese();
    std::vector<desk::StoredCheckIn> rows = {row("b", "0002", "<script>alert(1)</script>"),
                                             row("a", "0001", "試験 花子")};
    const std::string html =
        desk::renderCheckInPage(strings, "2026-11-26", rows, std::chrono::seconds(7));

    CHECK(html.find("<html lang=\"ja\">") != std::string::npos);
    CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
    CHECK(html.find("http-equiv=\"refresh\" content=\"7\"") != std::string::npos);
    CHECK(html.find(">0002<") != std::string::npos);
    CHECK(html.find(">0001<") != std::string::npos);
    CHECK(html.find("0002") < html.find("0001")); // the order it was given: newest first
    CHECK(html.find("試験 花子") != std::string::npos);
    CHECK(html.find("06130012") != std::string::npos);
    CHECK(html.find("11:15") != std::string::npos);
    CHECK(html.find(strings.tr("desk.outcome.valid")) != std::string::npos);
    CHECK(html.find("<script>") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find(strings.tr("desk.page.empty")) == std::string::npos);
    CHECK(html.find("[desk.") == std::string::npos); // no missing key
}

TEST_CASE("renderCheckInPage: an unknown outcome code is shown as it came, escaped")
{
    auto strings = japanese();
    auto only = row("a", "0001", "x");
    only.checkIn.outcome =
        kiosk::model::WireEnum<kiosk::model::Outcome>::fromName("card_<removed>");
    const std::string html =
        desk::renderCheckInPage(strings, "2026-11-26", {only}, std::chrono::seconds(10));
    CHECK(html.find("card_&lt;removed&gt;") != std::string::npos);
}

TEST_CASE("renderCheckInPage: no check-ins shows the empty-state sentence")
{
    auto strings = japanese();
    const std::string html =
        desk::renderCheckInPage(strings, "2026-11-26", {}, std::chrono::seconds(10));
    CHECK(html.find(strings.tr("desk.page.empty")) != std::string::npos);
    CHECK(html.find("<table>") == std::string::npos);
    CHECK(html.find("2026-11-26") != std::string::npos);
}

TEST_CASE("pageStringKeys: the ja and en tables have every key the desk uses")
{
    for (const char* lang : {"ja", "en"}) {
        auto table = StringTable::load(std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", lang);
        REQUIRE(table);
        auto keys = desk::pageStringKeys();
        keys.push_back("desk.page.loopback_only");
        keys.push_back("desk.page.storage_error");
        for (const auto& key : keys) {
            INFO(lang << " " << key);
            CHECK(table->has(key));
        }
    }
}

} // namespace
