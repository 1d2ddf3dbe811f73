#include "support.hpp"
#include "ui/actions.hpp"

#include <catch2/catch.hpp>

namespace uketsuke::ui {
namespace {

using kiosk::flow::Intent;

Intents pressing(std::initializer_list<ButtonId> ids)
{
    Intents intents;
    intents.pressed.assign(ids.begin(), ids.end());
    return intents;
}

TEST_CASE("applyIntents: touch buttons post their flow intent", "[ui]")
{
    test::FakeTarget target;
    applyIntents(pressing({ButtonId::Start, ButtonId::AskStaff}), target);
    REQUIRE(target.posted.size() == 2);
    CHECK(std::get<kiosk::flow::Touch>(target.posted[0]).intent == Intent::Start);
    CHECK(std::get<kiosk::flow::Touch>(target.posted[1]).intent == Intent::AskStaff);
}

TEST_CASE("applyIntents: digits go into the PIN entry, Back and Clear edit it", "[ui]")
{
    test::FakeTarget target;
    applyIntents(pressing({ButtonId::Digit1, ButtonId::Digit2, ButtonId::Digit3}), target);
    CHECK(target.entry.count() == 3);
    applyIntents(pressing({ButtonId::Back}), target);
    CHECK(target.entry.count() == 2);
    applyIntents(pressing({ButtonId::Clear}), target);
    CHECK(target.entry.count() == 0);
    CHECK(target.posted.empty());
}

TEST_CASE("applyIntents: OK submits only a complete PIN", "[ui]")
{
    test::FakeTarget target;
    applyIntents(pressing({ButtonId::Digit1, ButtonId::Digit2, ButtonId::Ok}), target);
    CHECK(target.posted.empty());
    applyIntents(pressing({ButtonId::Digit3, ButtonId::Digit4, ButtonId::Ok}), target);
    REQUIRE(target.posted.size() == 1);
    CHECK(std::holds_alternative<kiosk::flow::PinSubmitted>(target.posted[0]));
    // The digits stay in the entry for the runner to take; the flow never sees them.
    CHECK(target.entry.count() == 4);
}

TEST_CASE("applyIntents: language and demo buttons reach the shell", "[ui]")
{
    test::FakeTarget target;
    applyIntents(pressing({ButtonId::LangEn}), target);
    CHECK(target.language == "en");
    applyIntents(pressing({ButtonId::LangJa, ButtonId::DemoInsert, ButtonId::DemoRemove}), target);
    CHECK(target.language == "ja");
    CHECK(target.inserted == 1);
    CHECK(target.removed == 1);
}

TEST_CASE("buttonIdFromName: every id round-trips through its script name", "[ui]")
{
    for (int i = 0; i < kButtonIdCount; ++i) {
        auto id = static_cast<ButtonId>(i);
        INFO(buttonIdName(id));
        auto back = buttonIdFromName(buttonIdName(id));
        REQUIRE(back.has_value());
        CHECK(*back == id);
    }
    CHECK_FALSE(buttonIdFromName("launch").has_value());
}

} // namespace
} // namespace uketsuke::ui
