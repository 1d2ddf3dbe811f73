#include "support.hpp"
#include "ui/headless.hpp"
#include "ui/screen_models.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

namespace uketsuke::ui {
namespace {

using namespace std::chrono_literals;
using Kind = ScriptCommand::Kind;

TEST_CASE("parseScript: accepts every documented command", "[ui]")
{
    auto script = parseScript("# a check-in\n"
                              "timeout 20000\n"
                              "expect-screen idle\n"
                              "tap start   # comment after a command\n"
                              "\n"
                              "insert-card\n"
                              "expect-screen enter_pin\n"
                              "type 1234\n"
                              "tap ok\n"
                              "expect-text screen.result.valid.title\n"
                              "expect-screen error:card_unreadable\n"
                              "screenshot after-result\n"
                              "remove-card\r\n");
    REQUIRE(script.has_value());
    const auto& c = script->commands;
    REQUIRE(c.size() == 14);
    CHECK(c[0].kind == Kind::Timeout);
    CHECK(c[0].timeout == 20000ms);
    CHECK(c[1].kind == Kind::ExpectScreen);
    CHECK(c[1].argument == "idle");
    CHECK(c[2].kind == Kind::Tap);
    CHECK(c[2].button == ButtonId::Start);
    CHECK(c[2].line == 4);
    CHECK(c[3].kind == Kind::InsertCard);
    for (int i = 5; i < 9; ++i) {
        CHECK(c[static_cast<std::size_t>(i)].kind == Kind::Tap);
        CHECK(c[static_cast<std::size_t>(i)].secret);
        CHECK(c[static_cast<std::size_t>(i)].line == 8);
    }
    CHECK(c[5].button == ButtonId::Digit1);
    CHECK(c[8].button == ButtonId::Digit4);
    CHECK(c[9].button == ButtonId::Ok);
    CHECK(c[10].kind == Kind::ExpectText);
    CHECK(c[11].argument == "error:card_unreadable");
    CHECK(c[12].kind == Kind::Screenshot);
    CHECK(c[13].kind == Kind::RemoveCard);
    CHECK(script->usesCard());
}

TEST_CASE("parseScript: an unknown command fails naming its line", "[ui]")
{
    auto script = parseScript("expect-screen idle\n\nlaunch-rocket now\n");
    REQUIRE_FALSE(script.has_value());
    CHECK(script.error().code == Errc::ConfigInvalid);
    CHECK(script.error().message.find("line 3") != std::string::npos);
    CHECK(script.error().message.find("launch-rocket") != std::string::npos);
}

TEST_CASE("parseScript: rejects bad arguments and sleeps", "[ui]")
{
    CHECK_FALSE(parseScript("tap launch\n").has_value());
    CHECK_FALSE(parseScript("tap\n").has_value());
    CHECK_FALSE(parseScript("insert-card now\n").has_value());
    CHECK_FALSE(parseScript("type 12a4\n").has_value());
    CHECK_FALSE(parseScript("timeout soon\n").has_value());
    CHECK_FALSE(parseScript("screenshot ../x\n").has_value());
    auto sleep = parseScript("wait-ms 500\n");
    REQUIRE_FALSE(sleep.has_value());
    CHECK(sleep.error().message.find("expect-screen") != std::string::npos);
}

TEST_CASE("parseScript: an unknown screen fails when read, not after a wait", "[ui]")
{
    auto typo = parseScript("expect-screen idle\nexpect-screen enter_pn\n");
    REQUIRE_FALSE(typo.has_value());
    CHECK(typo.error().message.find("line 2") != std::string::npos);
    CHECK(typo.error().message.find("enter_pn") != std::string::npos);
    CHECK_FALSE(parseScript("expect-screen error:network_gone\n").has_value());
    CHECK_FALSE(parseScript("expect-screen error:\n").has_value());
    CHECK_FALSE(parseScript("expect-screen error:none\n").has_value());
    // Every name the screens can have is accepted.
    CHECK(parseScript("expect-screen error\nexpect-screen error:card_unreadable\n"
                      "expect-screen not_ready\nexpect-screen enter_insurance\n")
              .has_value());
    CHECK(isScreenName("idle"));
    CHECK(isScreenName("error:my_number_card_unsupported"));
    CHECK(isScreenName("idle:printer_unavailable"));
    CHECK(isScreenName("result:print_failed"));
    CHECK_FALSE(isScreenName("idle:print_failed"));
    CHECK_FALSE(isScreenName("unknown"));
}

TEST_CASE("parseScript: a script without commands is an error", "[ui]")
{
    for (const char* text : {"", "\n\n", "# only a comment\n   \n"}) {
        auto empty = parseScript(text);
        REQUIRE_FALSE(empty.has_value());
        CHECK(empty.error().code == Errc::ConfigInvalid);
        CHECK(empty.error().message.find("no commands") != std::string::npos);
    }
}

TEST_CASE("loadScript: every script shipped in the repository parses", "[ui]")
{
    int found = 0;
    for (const char* dir : {"assets/demo", "tests/e2e"}) {
        auto path = std::filesystem::path(UKETSUKE_SOURCE_DIR) / dir;
        if (!std::filesystem::is_directory(path)) {
            continue;
        }
        for (const auto& entry : std::filesystem::directory_iterator(path)) {
            if (entry.path().extension() != ".script") {
                continue;
            }
            ++found;
            auto script = loadScript(entry.path().string());
            INFO((script ? std::string() : script.error().message));
            CHECK(script.has_value());
        }
    }
    CHECK(found > 0);
}

TEST_CASE("loadScript: a missing file is reported with its path", "[ui]")
{
    auto script = loadScript("/nonexistent/script.txt");
    REQUIRE_FALSE(script.has_value());
    CHECK(script.error().message.find("/nonexistent/script.txt") != std::string::npos);
}

TEST_CASE("screenMatches: a phase matches any error kind, a kind only itself", "[ui]")
{
    CHECK(screenMatches("error:card_unreadable", "error"));
    CHECK(screenMatches("error:card_unreadable", "error:card_unreadable"));
    CHECK_FALSE(screenMatches("error:card_unreadable", "error:card_removed"));
    CHECK_FALSE(screenMatches("enter_pin", "enter"));
    CHECK(screenMatches("idle", "idle"));
}

// ---- The player on synthetic frames: time is injected, nothing sleeps. ----------------------

struct Frames {
    std::uint64_t serial = 0;
    Intents intents;
    std::vector<std::string> sounds;
    FrameReport report(const std::string& screen)
    {
        return FrameReport{++serial, screen, &intents, false, &sounds};
    }
};

TEST_CASE("ScriptPlayer: expect-screen waits, then fails after the timeout with the line",
          "[ui]")
{
    auto script = parseScript("timeout 100\nexpect-screen idle\nexpect-screen enter_pin\n");
    REQUIRE(script.has_value());
    ScriptPlayer player(std::move(*script));
    Frames frames;
    std::vector<PlayerAction> actions;
    auto t0 = std::chrono::steady_clock::time_point{} + 1h;
    player.update(frames.report("idle"), t0, actions);
    CHECK_FALSE(player.failed());
    CHECK_FALSE(player.finished());
    REQUIRE(player.deadline().has_value());
    CHECK(*player.deadline() > t0 + 100ms);
    player.update(frames.report("place_card"), t0 + 50ms, actions);
    CHECK_FALSE(player.failed());
    player.update(frames.report("place_card"), t0 + 200ms, actions);
    REQUIRE(player.failed());
    CHECK(player.failure().find("line 3") != std::string::npos);
    CHECK(player.failure().find("enter_pin") != std::string::npos);
    CHECK(player.failure().find("place_card") != std::string::npos);
}

TEST_CASE("ScriptPlayer: a tap presses, releases and leaves over three frames", "[ui]")
{
    auto script = parseScript("tap start\n");
    REQUIRE(script.has_value());
    ScriptPlayer player(std::move(*script));
    Frames frames;
    frames.intents.drawn.push_back({ButtonId::Start, ImVec2(100, 100), ImVec2(300, 200), true});
    std::vector<PlayerAction> actions;
    auto now = std::chrono::steady_clock::now();

    player.update(frames.report("idle"), now, actions);
    CHECK(player.needsFrame());
    FrameInput press = player.input();
    CHECK(press.driveMouse);
    CHECK(press.mouseDown);
    CHECK(press.mousePos.x == 200.0f);
    CHECK(press.mousePos.y == 150.0f);

    player.update(frames.report("idle"), now, actions);
    FrameInput release = player.input();
    CHECK_FALSE(release.mouseDown);
    CHECK(release.mousePos.x == 200.0f); // kept for the release frame

    frames.intents.pressed.push_back(ButtonId::Start); // the release frame fired the button
    player.update(frames.report("idle"), now, actions);
    FrameInput leave = player.input();
    CHECK(leave.mousePos.x < 0.0f); // then moved away: no button stays hot
    frames.intents.pressed.clear();

    player.update(frames.report("place_card"), now, actions);
    CHECK(player.finished());
}

TEST_CASE("ScriptPlayer: a tap on a missing button fails listing what is on screen", "[ui]")
{
    auto script = parseScript("timeout 10\ntap retry\n");
    REQUIRE(script.has_value());
    ScriptPlayer player(std::move(*script));
    Frames frames;
    frames.intents.drawn.push_back({ButtonId::Done, ImVec2(0, 0), ImVec2(10, 10), true});
    std::vector<PlayerAction> actions;
    auto now = std::chrono::steady_clock::now();
    player.update(frames.report("ask_staff"), now, actions);
    player.update(frames.report("ask_staff"), now + 20ms, actions);
    REQUIRE(player.failed());
    CHECK(player.failure().find("line 2") != std::string::npos);
    CHECK(player.failure().find("retry") != std::string::npos);
    CHECK(player.failure().find("done") != std::string::npos);
}

TEST_CASE("ScriptPlayer: typed digits are never named in a failure", "[ui]")
{
    auto script = parseScript("timeout 10\ntype 7\n");
    REQUIRE(script.has_value());
    ScriptPlayer player(std::move(*script));
    Frames frames;
    std::vector<PlayerAction> actions;
    auto now = std::chrono::steady_clock::now();
    player.update(frames.report("idle"), now, actions);
    player.update(frames.report("idle"), now + 20ms, actions);
    REQUIRE(player.failed());
    CHECK(player.failure().find("keypad digit") != std::string::npos);
    CHECK(player.failure().find('7') == std::string::npos);
}

TEST_CASE("ScriptPlayer: card and screenshot commands become actions in order", "[ui]")
{
    auto script = parseScript("insert-card\nscreenshot here\nremove-card\n");
    REQUIRE(script.has_value());
    ScriptPlayer player(std::move(*script));
    Frames frames;
    std::vector<PlayerAction> actions;
    const FrameReport first = frames.report("idle");
    player.update(first, std::chrono::steady_clock::now(), actions);
    REQUIRE(actions.size() == 2);
    CHECK(actions[0].kind == PlayerAction::Kind::InsertCard);
    CHECK(actions[1].kind == PlayerAction::Kind::Screenshot);
    CHECK(actions[1].name == "here");
    // What follows a screenshot waits for the shot's frame: the picture shows the screen as
    // it was, not after the card was removed (or the staff gesture made).
    player.update(first, std::chrono::steady_clock::now(), actions);
    CHECK(actions.size() == 2);
    CHECK_FALSE(player.finished());
    player.update(frames.report("reading_card"), std::chrono::steady_clock::now(), actions);
    REQUIRE(actions.size() == 3);
    CHECK(actions[2].kind == PlayerAction::Kind::RemoveCard);
    CHECK(player.finished());
}

TEST_CASE("parseScript: expect-sound takes a voice line or a short sound", "[ui]")
{
    auto script = parseScript("expect-sound voice.place_card\nexpect-sound earcon.card\n"
                              "expect-sound earcon.error\nexpect-sound earcon.done\n");
    REQUIRE(script.has_value());
    REQUIRE(script->commands.size() == 4);
    CHECK(script->commands[0].kind == Kind::ExpectSound);
    CHECK(script->commands[0].argument == "voice.place_card");
    for (const char* bad : {"expect-sound\n", "expect-sound earcon.beep\n",
                            "expect-sound screen.idle.title\n", "expect-sound voice.a b\n"}) {
        INFO(bad);
        auto r = parseScript(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message.find("line 1") != std::string::npos);
    }
}

TEST_CASE("ScriptPlayer: expect-sound waits for the sound after those it matched before", "[ui]")
{
    auto script = parseScript("timeout 100\nexpect-sound voice.place_card\n"
                              "expect-sound earcon.card\nexpect-sound voice.place_card\n");
    REQUIRE(script.has_value());
    ScriptPlayer player(std::move(*script));
    Frames frames;
    std::vector<PlayerAction> actions;
    auto t0 = std::chrono::steady_clock::time_point{} + 1h;
    player.update(frames.report("place_card"), t0, actions);
    CHECK_FALSE(player.failed());
    CHECK_FALSE(player.finished());
    frames.sounds = {"voice.place_card", "earcon.card"};
    player.update(frames.report("reading_card"), t0 + 10ms, actions);
    CHECK_FALSE(player.finished()); // the second voice.place_card must come after earcon.card
    player.update(frames.report("reading_card"), t0 + 200ms, actions);
    REQUIRE(player.failed());
    CHECK(player.failure().find("line 4") != std::string::npos);
    CHECK(player.failure().find("expected sound 'voice.place_card'") != std::string::npos);

    auto again = parseScript("expect-sound earcon.card\n");
    REQUIRE(again.has_value());
    ScriptPlayer second(std::move(*again));
    frames.sounds = {"voice.place_card", "earcon.card"};
    second.update(frames.report("reading_card"), t0, actions);
    CHECK(second.finished());
}

TEST_CASE("parseScript: expect-display takes large-text and high-contrast, on or off", "[ui]")
{
    auto script = parseScript("expect-display large-text=on high-contrast=off\n"
                              "expect-display high-contrast=on\n"
                              "tap large-text\ntap high-contrast\n");
    REQUIRE(script.has_value());
    const auto& c = script->commands;
    REQUIRE(c.size() == 4);
    CHECK(c[0].kind == Kind::ExpectDisplay);
    CHECK(c[0].largeText == std::optional<bool>(true));
    CHECK(c[0].highContrast == std::optional<bool>(false));
    CHECK_FALSE(c[1].largeText.has_value());
    CHECK(c[1].highContrast == std::optional<bool>(true));
    CHECK(c[2].button == ButtonId::LargeText);
    CHECK(c[3].button == ButtonId::HighContrast);
    for (const char* bad :
         {"expect-display\n", "expect-display large-text\n", "expect-display large-text=yes\n",
          "expect-display contrast=on\n", "expect-display large-text=on large-text=off\n",
          "expect-display large-text=on high-contrast=on extra=1\n"}) {
        INFO(bad);
        auto parsed = parseScript(bad);
        REQUIRE_FALSE(parsed.has_value());
        CHECK(parsed.error().message.find("line 1") != std::string::npos);
    }
}

TEST_CASE("ScriptPlayer: expect-display waits for the frame drawn that way, then fails naming both",
          "[ui]")
{
    auto script = parseScript("timeout 100\nexpect-display large-text=on\n"
                              "expect-display large-text=on high-contrast=on\n");
    REQUIRE(script.has_value());
    ScriptPlayer player(std::move(*script));
    Frames frames;
    std::vector<PlayerAction> actions;
    auto t0 = std::chrono::steady_clock::time_point{} + 1h;
    auto report = [&](DisplayMode display) {
        FrameReport r = frames.report("enter_pin");
        r.display = display;
        return r;
    };
    player.update(report({false, false}), t0, actions);
    CHECK_FALSE(player.failed());
    CHECK_FALSE(player.finished());
    player.update(report({true, false}), t0 + 10ms, actions); // the first holds, not the second
    CHECK_FALSE(player.finished());
    player.update(report({true, false}), t0 + 200ms, actions);
    REQUIRE(player.failed());
    CHECK(player.failure().find("line 3") != std::string::npos);
    CHECK(player.failure().find("large-text=on high-contrast=on") != std::string::npos);
    CHECK(player.failure().find("drawn with large-text=on high-contrast=off") !=
          std::string::npos);
}

TEST_CASE("parseScript: printer takes one known fault name, checked at parse time", "[ui]")
{
    auto script = parseScript("printer paper-out\nprinter near-end\nprinter cover-open\n"
                              "printer offline\nprinter disconnect\nprinter slow\nprinter ok\n");
    REQUIRE(script.has_value());
    REQUIRE(script->commands.size() == 7);
    CHECK(script->commands[0].kind == Kind::Printer);
    CHECK(script->commands[0].argument == "paper-out");
    CHECK(script->commands[6].argument == "ok");
    CHECK(script->usesPrinter());
    CHECK_FALSE(script->usesCard());

    auto unknown = parseScript("expect-screen idle\nprinter on-fire\n");
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().code == Errc::ConfigInvalid);
    CHECK(unknown.error().message.find("line 2") != std::string::npos);
    CHECK(unknown.error().message.find("on-fire") != std::string::npos);
    CHECK(unknown.error().message.find("paper-out") != std::string::npos);
    CHECK_FALSE(parseScript("printer\n").has_value());
    CHECK_FALSE(parseScript("printer paper-out cover-open\n").has_value());
    CHECK_FALSE(parseScript("expect-screen idle\n")->usesPrinter());
}

TEST_CASE("ScriptPlayer: a printer command becomes an action with its fault", "[ui]")
{
    auto script = parseScript("printer cover-open\nprinter ok\n");
    REQUIRE(script.has_value());
    ScriptPlayer player(std::move(*script));
    Frames frames;
    std::vector<PlayerAction> actions;
    player.update(frames.report("idle"), std::chrono::steady_clock::now(), actions);
    REQUIRE(actions.size() == 2);
    CHECK(actions[0].kind == PlayerAction::Kind::Printer);
    CHECK(actions[0].name == "cover-open");
    CHECK(actions[1].name == "ok");
    CHECK(player.finished());
}

// ---- Tap by id on the real EnterPin screen ---------------------------------------------------

// Runs `text` against the EnterPin screen drawn by the real host, applying intents to a fake
// target, as the shell's loop does. Returns the player for inspection.
ScriptPlayer playOnEnterPin(Host& host, test::FakeTarget& target, const std::string& text,
                            bool calling = false)
{
    auto script = parseScript(text);
    REQUIRE(script.has_value());
    ScriptPlayer player(std::move(*script));
    kiosk::flow::State s;
    s.phase = kiosk::flow::Phase::EnterPin;
    s.pinTriesLeft = 3;
    if (calling) {
        s.call = kiosk::model::StaffCall{"c-1", "enter_pin", "2026-12-05T01:00:00Z"};
    }
    std::uint64_t serial = 0;
    Intents last;
    std::vector<PlayerAction> actions;
    for (int frame = 0; frame < 200 && !player.finished() && !player.failed(); ++frame) {
        auto model = buildScreenModel(s, host.screenContext(test::table("ja"), 0),
                                      target.entry.count(), true);
        auto strip = buildStripModel(s, host.stripContext(test::table("ja")), false);
        auto out = host.frame(std::move(model), strip, player.input());
        last = std::move(out.intents);
        applyIntents(last, target);
        player.update(FrameReport{++serial, screenName(s), &last, false, nullptr},
                      std::chrono::steady_clock::now(), actions);
    }
    return player;
}

TEST_CASE("ScriptPlayer: digits typed by tapping the drawn keypad fill the PIN entry", "[ui]")
{
    auto host = test::makeHost();
    test::FakeTarget target;
    auto player = playOnEnterPin(*host, target, "type 1234\n");
    INFO(player.failure());
    REQUIRE(player.finished());
    CHECK(target.entry.count() == 4);
    CHECK(target.posted.empty());
}

TEST_CASE("ScriptPlayer: OK taps through the real widget once four digits are in", "[ui]")
{
    auto host = test::makeHost();
    test::FakeTarget target;
    auto player = playOnEnterPin(*host, target, "type 98\ntap back\ntype 765\ntap ok\n");
    INFO(player.failure());
    REQUIRE(player.finished());
    CHECK(target.entry.count() == 4);
    REQUIRE(target.posted.size() == 1);
    CHECK(std::holds_alternative<kiosk::flow::PinSubmitted>(target.posted[0]));
}

TEST_CASE("ScriptPlayer: call-staff taps the strip's button, and the keypad works beside it",
          "[ui]")
{
    auto host = test::makeHost();
    test::FakeTarget target;
    auto player = playOnEnterPin(*host, target, "type 12\ntap call-staff\n");
    INFO(player.failure());
    REQUIRE(player.finished());
    CHECK(target.entry.count() == 2);
    REQUIRE(target.posted.size() == 1);
    CHECK(std::holds_alternative<kiosk::flow::CallStaff>(target.posted[0]));

    // While a call lasts the strip offers cancel-call instead, and the keypad still types.
    test::FakeTarget calling;
    auto cancel = playOnEnterPin(*host, calling, "type 3\ntap cancel-call\n", true);
    INFO(cancel.failure());
    REQUIRE(cancel.finished());
    CHECK(calling.entry.count() == 1);
    REQUIRE(calling.posted.size() == 1);
    CHECK(std::get<kiosk::flow::Touch>(calling.posted[0]).intent ==
          kiosk::flow::Intent::CancelCall);
}

TEST_CASE("ScriptPlayer: the strip's display switches are tapped by name", "[ui]")
{
    auto host = test::makeHost();
    test::FakeTarget target;
    auto player = playOnEnterPin(*host, target, "tap large-text\ntap high-contrast\n");
    INFO(player.failure());
    REQUIRE(player.finished());
    REQUIRE(target.posted.size() == 2);
    CHECK(std::get<kiosk::flow::DisplayToggled>(target.posted[0]).option ==
          kiosk::flow::DisplayOption::LargeText);
    CHECK(std::get<kiosk::flow::DisplayToggled>(target.posted[1]).option ==
          kiosk::flow::DisplayOption::HighContrast);
}

TEST_CASE("ScriptPlayer: OK cannot be tapped before four digits", "[ui]")
{
    auto host = test::makeHost();
    test::FakeTarget target;
    // The player waits for OK to become enabled; with two digits it never does.
    auto player = playOnEnterPin(*host, target, "timeout 1\ntype 12\ntap ok\n");
    // Either the bound expired within the frames given, or the player is still waiting.
    CHECK_FALSE(player.finished());
    CHECK(target.posted.empty());
}

} // namespace
} // namespace uketsuke::ui
