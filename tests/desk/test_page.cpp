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
    CHECK(html.find("<td>KIOSK-&lt;2&gt;</td><td>正常</td><td>正常</td><td>?</td><td>0</td>") !=
          std::string::npos);
    CHECK(html.find("<td>KIOSK-0003</td><td>用紙残りわずか</td><td>使えません</td>") !=
          std::string::npos);
    CHECK(html.find("<tr class=\"attention\"><td>KIOSK-0001") != std::string::npos);
    CHECK(html.find("<tr><td>KIOSK-&lt;2&gt;") != std::string::npos);

    const std::string none =
        desk::renderCheckInPage(japanese(), "2026-12-05", {}, std::chrono::seconds(10));
    CHECK(none.find("端末の状態") == std::string::npos);
}

namespace {

// A report received at 09:41:07 UTC (the desk's clock) that the terminal made at 09:41:00 on
// its own clock, with the card on the reader as `card` says.
desk::StoredHealth withCard(std::optional<kiosk::model::CardHealth> card)
{
    desk::StoredHealth out;
    out.health = tests::sampleHealth("KIOSK-0001", "2026-12-05T00:41:00Z");
    out.health.printer = {};
    out.health.outboxDepth = 0;
    out.health.card = std::move(card);
    out.receivedAt = "2026-12-05T00:41:07Z";
    out.localTime = "2026-12-05 09:41";
    return out;
}

time::Clock::time_point at(const char* iso)
{
    auto parsed = time::parseIsoUtc(iso);
    REQUIRE(parsed);
    return *parsed;
}

} // namespace

TEST_CASE("cardIdleFor: the terminal's count to its report plus the desk's since, whatever the clocks")
{
    using kiosk::model::CardState;
    // Lying idle since 00:38:00 on the terminal's clock: 3 minutes at its report, then the
    // desk's 53 s from receiving it to "now". The terminal's clock may be hours off the desk's:
    // only differences on one clock are used.
    auto idle = withCard(kiosk::model::CardHealth{CardState::Present, "2026-12-05T00:38:00Z"});
    CHECK(desk::cardIdleFor(idle, at("2026-12-05T00:42:00Z")) == std::chrono::seconds(233));
    idle.health.reportedAt = "2026-12-05T05:41:00Z"; // the terminal's clock 5 hours ahead
    idle.health.card->idleSince = "2026-12-05T05:38:00Z";
    CHECK(desk::cardIdleFor(idle, at("2026-12-05T00:42:00Z")) == std::chrono::seconds(233));
    CHECK(desk::cardLeft(idle, at("2026-12-05T00:42:00Z"), std::chrono::seconds(60)));
    CHECK_FALSE(desk::cardLeft(idle, at("2026-12-05T00:42:00Z"), std::chrono::seconds(600)));

    CHECK_FALSE(desk::cardIdleFor(withCard(kiosk::model::CardHealth{CardState::Present, ""}),
                                  at("2026-12-05T00:42:00Z")));
    CHECK_FALSE(desk::cardIdleFor(withCard(std::nullopt), at("2026-12-05T00:42:00Z")));
    auto garbled = withCard(kiosk::model::CardHealth{CardState::Present, "a while ago"});
    CHECK_FALSE(desk::cardIdleFor(garbled, at("2026-12-05T00:42:00Z")));
    CHECK_FALSE(desk::cardLeft(garbled, at("2026-12-05T00:42:00Z"), std::chrono::seconds(10)));
}

TEST_CASE("cardText: the card in the staff's words, a newer name as sent, ? when not said")
{
    using kiosk::model::CardState;
    const auto table = japanese();
    auto text = [&](std::optional<kiosk::model::CardHealth> card) {
        return desk::cardText(table, withCard(std::move(card)).health);
    };
    CHECK(text(kiosk::model::CardHealth{CardState::Absent, ""}) == "なし");
    CHECK(text(kiosk::model::CardHealth{CardState::Present, ""}) == "あり");
    CHECK(text(kiosk::model::CardHealth{CardState::Unreadable, ""}) == "読めません");
    CHECK(text(kiosk::model::CardHealth{CardState::NotMyNumberCard, ""}) ==
          "マイナンバーカードではありません");
    CHECK(text(kiosk::model::CardHealth{
              kiosk::model::WireEnum<CardState>::fromName("warm"), ""}) == "warm");
    CHECK(text(std::nullopt) == "?");
}

TEST_CASE("renderCheckInPage: 端末の状態 says the card, and warns of one left on the reader")
{
    using kiosk::model::CardState;
    const auto now = at("2026-12-05T00:42:00Z");
    auto left = withCard(kiosk::model::CardHealth{CardState::Present, "2026-12-05T00:38:00Z"});
    auto fresh = withCard(kiosk::model::CardHealth{CardState::Present, "2026-12-05T00:40:45Z"});
    fresh.health.terminalId = "KIOSK-0002";
    auto justNow = withCard(kiosk::model::CardHealth{CardState::Present, "2026-12-05T00:40:59Z"});
    justNow.health.terminalId = "KIOSK-0006";
    auto broken = withCard(kiosk::model::CardHealth{CardState::Unreadable, ""});
    broken.health.terminalId = "KIOSK-0003";
    auto empty = withCard(kiosk::model::CardHealth{CardState::Absent, ""});
    empty.health.terminalId = "KIOSK-0004";
    auto older = withCard(std::nullopt);
    older.health.terminalId = "KIOSK-0005";
    const std::string html =
        desk::renderCheckInPage(japanese(), "2026-12-05", {}, std::chrono::seconds(10),
                                {left, fresh, broken, empty, older, justNow}, now,
                                std::chrono::seconds(60));
    CHECK(html.find("<th>カード</th>") != std::string::npos);
    // 3 minutes 53 seconds: left, in whole minutes, and the row needs a look.
    CHECK(html.find("<tr class=\"attention\"><td>KIOSK-0001</td><td>正常</td><td>正常</td>"
                    "<td>あり、取り忘れ？（3 分）</td><td>0</td>") != std::string::npos);
    // 68 seconds is over the minute too; a card that does not read needs a look at once.
    CHECK(html.find("<tr class=\"attention\"><td>KIOSK-0002</td><td>正常</td><td>正常</td>"
                    "<td>あり、取り忘れ？（1 分）</td>") != std::string::npos);
    CHECK(html.find("<tr class=\"attention\"><td>KIOSK-0003</td><td>正常</td><td>正常</td>"
                    "<td>読めません</td>") != std::string::npos);
    CHECK(html.find("<tr><td>KIOSK-0004</td><td>正常</td><td>正常</td><td>なし</td>") !=
          std::string::npos);
    CHECK(html.find("<tr><td>KIOSK-0005</td><td>正常</td><td>正常</td><td>?</td>") !=
          std::string::npos);
    // 54 seconds: the patient may be taking it now.
    CHECK(html.find("<tr><td>KIOSK-0006</td><td>正常</td><td>正常</td><td>あり</td>") !=
          std::string::npos);

    // A longer card_left_s: the same card is only "あり" for now.
    const std::string patient =
        desk::renderCheckInPage(japanese(), "2026-12-05", {}, std::chrono::seconds(10), {left},
                                now, std::chrono::seconds(600));
    CHECK(patient.find("<tr><td>KIOSK-0001</td><td>正常</td><td>正常</td><td>あり</td>") !=
          std::string::npos);
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
