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

TEST_CASE("staffAccess: loopback only, and a write needs the page's CSRF token")
{
    net::Request req;
    req.peerAddress = "192.0.2.7";
    auto refused = desk::staffAccess(req, desk::StaffAction::Read, "token");
    REQUIRE(refused);
    CHECK(refused->status == 403);
    req.peerAddress = "127.0.0.1";
    CHECK_FALSE(desk::staffAccess(req, desk::StaffAction::Read, "token"));
    CHECK_FALSE(desk::staffAccess(req, desk::StaffAction::Display, "token"));
    auto noToken = desk::staffAccess(req, desk::StaffAction::Write, "token");
    REQUIRE(noToken);
    CHECK(noToken->body.find("csrf_failed") != std::string::npos);
    req.headers.emplace_back("X-CSRF-Token", "tokeN");
    CHECK(desk::staffAccess(req, desk::StaffAction::Write, "token"));
    req.headers.back().second = "token";
    CHECK_FALSE(desk::staffAccess(req, desk::StaffAction::Write, "token"));
    CHECK(desk::staffAccess(req, desk::StaffAction::Write, ""));
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

TEST_CASE("renderQueuePage: no inline script, the token in a meta tag, words of both languages")
{
    const auto strings = catalog();
    json config{{"lang", "ja"}, {"strings", desk::deskStrings(strings)}};
    config["strings"]["ja"]["desk.queue.heading"] = "</script><script>alert(1)</script>";
    const std::string page = desk::renderQueuePage(strings.table("ja"), config, "abc123");
    CHECK(page.find("<meta name=\"csrf-token\" content=\"abc123\">") != std::string::npos);
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
    const std::string display = desk::renderDisplayPage(strings.table("ja"), config);
    CHECK(display.find("src=\"/desk/display.js\"") != std::string::npos);
    CHECK(display.find("csrf") == std::string::npos);
}

} // namespace
