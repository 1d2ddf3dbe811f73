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
