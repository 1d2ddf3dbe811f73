#include "desk/audit_page.hpp"
#include "desk/queue_page.hpp"
#include "desk/queue_routes.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>

namespace {

using namespace uketsuke;
using nlohmann::json;

kiosk::model::StringCatalog catalog()
{
    auto loaded = kiosk::model::StringCatalog::load(
        std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", "ja");
    REQUIRE(loaded);
    return std::move(*loaded);
}

TEST_CASE("queuePageStringKeys: the ja and en tables have every key the live page uses")
{
    const auto strings = catalog();
    for (const auto& lang : {"ja", "en"}) {
        REQUIRE(strings.has(lang));
        for (const auto& key : desk::queuePageStringKeys()) {
            INFO(lang << " " << key);
            CHECK(strings.table(lang).has(key));
        }
    }
}

TEST_CASE("auditPageStringKeys: every table has every key the audit page uses")
{
    const auto strings = catalog();
    for (const auto& lang : strings.languages()) {
        for (const auto& key : desk::auditPageStringKeys()) {
            INFO(lang << " " << key);
            CHECK(strings.table(lang).has(key));
        }
    }
}

TEST_CASE("renderAuditPage: escapes what it shows, names the terminal, times in the clinic's zone")
{
    const auto strings = catalog();
    std::vector<desk::AuditEntry> entries{
        {"2026-12-06T01:02:03Z", "s01", "10.0.0.7", "setting", "", "language=<en>", "KIOSK-0001"},
        {"2026-12-06T00:00:00Z", "", "10.0.0.7", "wrong_pin", "", "", "KIOSK-0001"},
        {"not a time", "sato", "192.168.1.5", "login", "ok", "", ""},
    };
    const std::string html =
        desk::renderAuditPage(strings.table("ja"), entries, time::Zone::tokyo());
    CHECK(html.find("language=&lt;en&gt;") != std::string::npos);
    CHECK(html.find("<en>") == std::string::npos);
    CHECK(html.find("端末 KIOSK-0001") != std::string::npos);
    CHECK(html.find("受付 192.168.1.5") != std::string::npos);
    CHECK(html.find("2026-12-06 10:02:03") != std::string::npos);
    CHECK(html.find("2026-12-06 09:00:00") != std::string::npos);
    CHECK(html.find("（未ログイン）") != std::string::npos);
    CHECK(html.find("not a time") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);

    const std::string empty = desk::renderAuditPage(strings.table("en"), {}, time::Zone::tokyo());
    CHECK(empty.find("Nothing recorded yet.") != std::string::npos);
    CHECK(empty.find("<table") == std::string::npos);
}

TEST_CASE("renderQueuePage: no inline script, the token in a meta tag, words of both languages")
{
    const auto strings = catalog();
    json config{{"lang", "ja"}, {"strings", desk::deskStrings(strings)}};
    config["strings"]["ja"]["desk.queue.heading"] = "</script><script>alert(1)</script>";
    desk::StaffSession session;
    session.account = "<b>sato</b>";
    session.csrfToken = "abc123";
    const std::string page = desk::renderQueuePage(strings.table("ja"), config, session);
    CHECK(page.find("<meta name=\"csrf-token\" content=\"abc123\">") != std::string::npos);
    // The log-out form posts the token; the account's name is text.
    CHECK(page.find("action=\"/logout\"") != std::string::npos);
    CHECK(page.find("name=\"csrf_token\" value=\"abc123\"") != std::string::npos);
    CHECK(page.find("<b>sato") == std::string::npos);
    CHECK(page.find("<script>") == std::string::npos);
    const std::regex script("<script([^>]*)>");
    for (auto it = std::sregex_iterator(page.begin(), page.end(), script);
         it != std::sregex_iterator(); ++it) {
        const std::string attributes = (*it)[1];
        INFO(attributes);
        CHECK((attributes.find("src=\"/desk/") != std::string::npos ||
               attributes.find("type=\"application/json\"") != std::string::npos));
    }
    CHECK(page.find("\\u003c/script>") != std::string::npos);
    CHECK(page.find("\"en\":{") != std::string::npos);
    CHECK(std::string(desk::pageContentSecurityPolicy()).find("script-src 'self'") !=
          std::string::npos);
    // The log-out form posts to the desk itself.
    CHECK(std::string(desk::pageContentSecurityPolicy()).find("form-action 'self'") !=
          std::string::npos);
    const std::string display = desk::renderDisplayPage(strings.table("ja"), config);
    CHECK(display.find("src=\"/desk/display.js\"") != std::string::npos);
    CHECK(display.find("csrf-token") == std::string::npos);
    CHECK(display.find("abc123") == std::string::npos);
    CHECK(display.find("/logout") == std::string::npos);
}

} // namespace
