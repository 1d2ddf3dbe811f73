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

TEST_CASE("terminalHealthFromJson: the card on the reader and since when it lies idle travel")
{
    TerminalHealth h = sample();
    h.card = CardHealth{CardState::Present, "2026-12-05T00:38:12Z"};
    const auto json = toJson(h);
    CHECK(json.at("card") == "present");
    CHECK(json.at("card_idle_since") == "2026-12-05T00:38:12Z");
    auto back = terminalHealthFromJson(json);
    REQUIRE(back);
    REQUIRE(back->card);
    CHECK(back->card->state == CardState::Present);
    CHECK(back->card->idleSince == "2026-12-05T00:38:12Z");
    CHECK(back->sameState(h));

    // Every state by its wire name, and no idle time when none lies idle.
    for (const auto& [state, name] :
         {std::pair{CardState::Absent, "absent"}, std::pair{CardState::Present, "present"},
          std::pair{CardState::Unreadable, "unreadable"},
          std::pair{CardState::NotMyNumberCard, "not_my_number_card"}}) {
        INFO(name);
        h.card = CardHealth{state, ""};
        const auto written = toJson(h);
        CHECK(written.at("card") == name);
        CHECK_FALSE(written.contains("card_idle_since"));
        auto read = terminalHealthFromJson(written);
        REQUIRE(read);
        REQUIRE(read->card);
        CHECK(read->card->state == state);
        CHECK(read->card->idleSince.empty());
    }
}

TEST_CASE("terminalHealthFromJson: an older terminal sends no card, which is unknown")
{
    const auto json = toJson(sample());
    CHECK_FALSE(json.contains("card"));
    CHECK_FALSE(json.contains("card_idle_since"));
    auto back = terminalHealthFromJson(json);
    REQUIRE(back);
    CHECK_FALSE(back->card);
    auto withNull = json;
    withNull["card"] = nullptr;
    auto read = terminalHealthFromJson(withNull);
    REQUIRE(read);
    CHECK_FALSE(read->card);
}

TEST_CASE("terminalHealthFromJson: a card of the wrong type is BadReply, a newer name is kept")
{
    TerminalHealth h = sample();
    h.card = CardHealth{CardState::Present, "2026-12-05T00:38:12Z"};
    const auto json = toJson(h);
    for (const nlohmann::json& wrong : {nlohmann::json(true), nlohmann::json(1),
                                        nlohmann::json::object(), nlohmann::json(""),
                                        nlohmann::json::array({"present"})}) {
        INFO(wrong.dump());
        auto broken = json;
        broken["card"] = wrong;
        auto parsed = terminalHealthFromJson(broken);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::BadReply);
        CHECK(parsed.error().message.find("health.card") != std::string::npos);
    }
    auto broken = json;
    broken["card_idle_since"] = 1764895092;
    auto parsed = terminalHealthFromJson(broken);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == Errc::BadReply);
    CHECK(parsed.error().message.find("card_idle_since") != std::string::npos);
    broken = json;
    broken.erase("card");
    parsed = terminalHealthFromJson(broken);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.find("card_idle_since") != std::string::npos);

    // A state this program does not know yet (a newer terminal's) is kept and written as sent.
    auto newer = json;
    newer["card"] = "warm";
    auto kept = terminalHealthFromJson(newer);
    REQUIRE(kept);
    REQUIRE(kept->card);
    CHECK_FALSE(kept->card->state.known());
    CHECK(kept->card->state.name() == "warm");
    CHECK(toJson(*kept).at("card") == "warm");
}

TEST_CASE("TerminalHealth::sameState: a card placed, taken or left idle is a change")
{
    TerminalHealth before = sample();
    before.card = CardHealth{CardState::Absent, ""};
    TerminalHealth after = before;
    CHECK(after.sameState(before));
    after.card = CardHealth{CardState::Present, ""};
    CHECK_FALSE(after.sameState(before));
    TerminalHealth idle = after;
    idle.card->idleSince = "2026-12-05T00:38:12Z";
    CHECK_FALSE(idle.sameState(after));
    TerminalHealth unreadable = after;
    unreadable.card->state = CardState::Unreadable;
    CHECK_FALSE(unreadable.sameState(after));
    TerminalHealth unknown = after;
    unknown.card.reset();
    CHECK_FALSE(unknown.sameState(after));
}
