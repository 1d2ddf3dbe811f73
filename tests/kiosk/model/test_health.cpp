#include "kiosk/model/health.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk::model;

namespace {

TerminalHealth sample()
{
    TerminalHealth h;
    h.terminalId = "KIOSK-0001";
    h.reportedAt = "2026-12-05T00:41:07Z";
    h.printer.online = false;
    h.printer.coverOpen = true;
    h.printer.paperNearEnd = true;
    h.readerAvailable = false;
    h.outboxDepth = 3;
    return h;
}

} // namespace

TEST_CASE("terminalHealthFromJson: reads back what toJson wrote, with the documented keys")
{
    const auto json = toJson(sample());
    CHECK(json.at("terminal_id") == "KIOSK-0001");
    CHECK(json.at("printer").at("cover_open") == true);
    CHECK(json.at("printer").at("paper_near_end") == true);
    CHECK(json.at("outbox_depth") == 3);
    auto back = terminalHealthFromJson(json);
    REQUIRE(back);
    CHECK(back->sameState(sample()));
    CHECK(back->reportedAt == "2026-12-05T00:41:07Z");
    CHECK(back->printer == sample().printer);
}

TEST_CASE("terminalHealthFromJson: a missing or mistyped key is BadReply naming it")
{
    for (const char* key : {"terminal_id", "reported_at", "printer", "reader_available",
                            "outbox_depth"}) {
        INFO(key);
        auto json = toJson(sample());
        json.erase(key);
        auto parsed = terminalHealthFromJson(json);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::BadReply);
        CHECK(parsed.error().message.find(key) != std::string::npos);
    }
    auto json = toJson(sample());
    json["printer"]["paper_out"] = "yes";
    CHECK_FALSE(terminalHealthFromJson(json));
    json = toJson(sample());
    json["outbox_depth"] = -5;
    CHECK_FALSE(terminalHealthFromJson(json));
    CHECK_FALSE(terminalHealthFromJson(nlohmann::json::array()));
}

TEST_CASE("TerminalHealth::sameState: the time alone is no change")
{
    TerminalHealth later = sample();
    later.reportedAt = "2026-12-05T00:42:07Z";
    CHECK(later.sameState(sample()));
    later.printer.paperOut = true;
    CHECK_FALSE(later.sameState(sample()));
}

TEST_CASE("terminalHealthFromJson: the version and a staff call travel when present")
{
    TerminalHealth h = sample();
    CHECK_FALSE(toJson(h).contains("call"));
    CHECK_FALSE(toJson(h).contains("version"));
    h.version = "0.4.0";
    h.call = StaffCall{"c-7", "enter_pin", "2026-12-05T00:41:00Z"};
    const auto json = toJson(h);
    CHECK(json.at("version") == "0.4.0");
    CHECK(json.at("call").at("screen") == "enter_pin");
    auto back = terminalHealthFromJson(json);
    REQUIRE(back);
    CHECK(back->version == "0.4.0");
    REQUIRE(back->call);
    CHECK(*back->call == *h.call);
    CHECK(back->sameState(h));
    CHECK_FALSE(back->sameState(sample())); // a call starting or ending is a change to report
    for (const char* key : {"id", "screen", "since"}) {
        INFO(key);
        auto broken = json;
        broken["call"].erase(key);
        auto parsed = terminalHealthFromJson(broken);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().message.find(std::string("call.") + key) != std::string::npos);
    }
    auto broken = json;
    broken["call"] = "now";
    CHECK_FALSE(terminalHealthFromJson(broken));
    broken = json;
    broken["version"] = 4;
    CHECK_FALSE(terminalHealthFromJson(broken));
}
