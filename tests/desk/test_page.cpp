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

TEST_CASE("renderCheckInPage: 端末の状態 says each printer's state in plain words")
{
    desk::StoredHealth out;
    out.health = tests::sampleHealth("KIOSK-0001");
    out.health.printer.coverOpen = true;
    out.localTime = "2026-12-05 09:41";
    desk::StoredHealth fine;
    fine.health = tests::sampleHealth("KIOSK-<2>");
    fine.health.printer = {};
    fine.health.outboxDepth = 0;
    fine.localTime = "2026-12-05 09:40";
    desk::StoredHealth low = fine;
    low.health.terminalId = "KIOSK-0003";
    low.health.printer.paperNearEnd = true;
    low.health.readerAvailable = false;
    const std::string html =
        desk::renderCheckInPage(japanese(), "2026-12-05", {}, std::chrono::seconds(10),
                                {out, fine, low});
    CHECK(html.find("<h2>端末の状態</h2>") != std::string::npos);
    CHECK(html.find("<td>KIOSK-0001</td><td>用紙切れ、カバーが開いています</td>") !=
          std::string::npos);
    CHECK(html.find("<td>2026-12-05 09:41</td>") != std::string::npos);
    CHECK(html.find("<td>KIOSK-&lt;2&gt;</td><td>正常</td><td>正常</td><td>0</td>") !=
          std::string::npos);
    CHECK(html.find("<td>KIOSK-0003</td><td>用紙残りわずか</td><td>使えません</td>") !=
          std::string::npos);
    CHECK(html.find("<tr class=\"attention\"><td>KIOSK-0001") != std::string::npos);
    CHECK(html.find("<tr><td>KIOSK-&lt;2&gt;") != std::string::npos);

    const std::string none =
        desk::renderCheckInPage(japanese(), "2026-12-05", {}, std::chrono::seconds(10));
    CHECK(none.find("端末の状態") == std::string::npos);
}

TEST_CASE("printerText: every flag in the staff's words, unreachable and offline alone")
{
    const auto table = japanese();
    kiosk::model::PrinterHealth p;
    CHECK(desk::printerText(table, p) == "正常");
    p.online = false;
    CHECK(desk::printerText(table, p) == "オフライン");
    p.error = true;
    CHECK(desk::printerText(table, p) == "エラー");
    p = {};
    p.paperNearEnd = true;
    CHECK(desk::printerText(table, p) == "用紙残りわずか");
    p.reachable = false;
    CHECK(desk::printerText(table, p) == "応答がありません");
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
