// The staff menu's page (ui/screens/staff_menu.cpp): rows that do not fit are shown a page at a
// time with 前へ / 次へ, the editor shows its selected setting's page, and a script sees only the
// rows on screen.

#include "support.hpp"

#include "kiosk/runner/staff_console.hpp"
#include "ui/screen_models.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace uketsuke::ui {
namespace {

using test::makeHost;
using test::table;

bool shows(const std::vector<std::string>& keys, const std::string& key)
{
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// Rows labelled with real keys (their text is drawn), told apart by their values.
std::vector<kiosk::runner::StaffRow> rowsOf(int count)
{
    std::vector<kiosk::runner::StaffRow> rows;
    for (int i = 0; i < count; ++i) {
        // A value that is a key, so that its row is seen in shownKeys only when drawn.
        auto row = kiosk::runner::keyRow("staff.row.version",
                                         i == count - 1 ? "staff.settings.next_start_note"
                                         : i == 0       ? "staff.value.yes"
                                                        : "staff.value.no");
        rows.push_back(std::move(row));
    }
    return rows;
}

TEST_CASE("drawStaffMenu: rows that do not fit are paged, one screen of them at a time",
          "[ui][staff]")
{
    auto host = makeHost();
    auto frameOf = [&](const StaffMenuModel& m) {
        return host->frame(ScreenModel{m}, std::nullopt, FrameInput{});
    };
    StaffMenuModel m;
    m.ui = host->screenContext(table("ja"), 0);
    m.section = kiosk::staff::Section::Logs;
    m.role = kiosk::staff::Role::Admin;
    m.staffId = "s01";

    SECTION("a few rows: one page, no page buttons")
    {
        m.rows = rowsOf(3);
        auto frame = frameOf(m);
        CHECK(frame.intents.find(ButtonId::StaffPageNext) == nullptr);
        CHECK(frame.intents.find(ButtonId::StaffPagePrevious) == nullptr);
        CHECK_FALSE(shows(frame.intents.shownKeys, "staff.menu.page"));
        CHECK(shows(frame.intents.shownKeys, "staff.value.yes"));
        CHECK(shows(frame.intents.shownKeys, "staff.settings.next_start_note"));
    }

    SECTION("forty rows: the first page, then the last, each with what it can do")
    {
        m.rows = rowsOf(40);
        auto first = frameOf(m);
        const DrawnButton* next = first.intents.find(ButtonId::StaffPageNext);
        const DrawnButton* previous = first.intents.find(ButtonId::StaffPagePrevious);
        REQUIRE(next != nullptr);
        REQUIRE(previous != nullptr);
        CHECK(next->enabled);
        CHECK_FALSE(previous->enabled);
        CHECK(shows(first.intents.shownKeys, "staff.menu.page"));
        CHECK(shows(first.intents.shownKeys, "staff.value.yes"));
        CHECK_FALSE(shows(first.intents.shownKeys, "staff.settings.next_start_note"));
        // Page buttons are touch targets like the others, inside the screen.
        CHECK(next->max.x <= 1280.0f);
        CHECK(next->max.y - next->min.y >= host->theme().buttonHeight * 0.75f);

        m.page = 99; // past the last page: the last one
        auto last = frameOf(m);
        REQUIRE(last.intents.find(ButtonId::StaffPageNext) != nullptr);
        CHECK_FALSE(last.intents.find(ButtonId::StaffPageNext)->enabled);
        CHECK(last.intents.find(ButtonId::StaffPagePrevious)->enabled);
        CHECK_FALSE(shows(last.intents.shownKeys, "staff.value.yes"));
        CHECK(shows(last.intents.shownKeys, "staff.settings.next_start_note"));
    }

    SECTION("the editor shows its selected setting's page, without page buttons")
    {
        m.section = kiosk::staff::Section::Settings;
        m.editingSettings = true;
        m.rows = rowsOf(40);
        m.rows.back().selected = true;
        auto frame = frameOf(m);
        CHECK(frame.intents.find(ButtonId::StaffPageNext) == nullptr);
        CHECK(frame.intents.find(ButtonId::StaffPagePrevious) == nullptr);
        CHECK(shows(frame.intents.shownKeys, "staff.menu.page"));
        CHECK(shows(frame.intents.shownKeys, "staff.settings.next_start_note"));
        CHECK_FALSE(shows(frame.intents.shownKeys, "staff.value.yes"));
        CHECK(frame.intents.find(ButtonId::StaffSettingNext) != nullptr);
    }
}

TEST_CASE("drawStaffMenu: every page of a long section, landscape and portrait, in every "
          "language pages through to its last row",
          "[ui][staff]")
{
    const std::size_t missingBefore = missingGlyphs();
    for (auto [w, h] : {std::pair{1280, 800}, std::pair{1080, 1920}}) {
        auto host = makeHost(w, h);
        for (const auto& lang : test::languages()) {
            StaffMenuModel m;
            m.ui = host->screenContext(table(lang), 0);
            m.section = kiosk::staff::Section::Logs;
            m.staffId = "s01";
            m.rows = rowsOf(60);
            // Walk the pages until the last row is on screen; each one moves on.
            int pages = 0;
            for (m.page = 0; m.page < 60; ++m.page) {
                auto frame = host->frame(ScreenModel{m}, std::nullopt, FrameInput{});
                ++pages;
                INFO(w << "x" << h << " " << lang << " page " << m.page);
                REQUIRE(frame.intents.find(ButtonId::StaffPageNext) != nullptr);
                if (!frame.intents.find(ButtonId::StaffPageNext)->enabled) {
                    CHECK(shows(frame.intents.shownKeys, "staff.settings.next_start_note"));
                    break;
                }
            }
            INFO(w << "x" << h << " " << lang);
            CHECK(pages > 1);
            CHECK(pages < 60); // more than one row a page
        }
    }
    CHECK(missingGlyphs() == missingBefore); // the title and headings at the title size
}

} // namespace
} // namespace uketsuke::ui

namespace uketsuke::ui {
namespace {

TEST_CASE("drawStaffEnrol: two fields that select, 登録する once both are full, 再起動 once enrolled",
          "[ui][staff]")
{
    const std::size_t missingBefore = missingGlyphs();
    auto host = makeHost();
    auto frameOf = [&](const StaffEnrolModel& m) {
        return host->frame(ScreenModel{m}, std::nullopt, FrameInput{});
    };
    StaffEnrolModel m;
    m.ui = host->screenContext(table("ja"), 0);
    m.admin = true;
    m.clinicCode = "1399999999";
    m.activationCode = "48291";

    SECTION("typing: both fields and the keypad take touches, 登録する waits for the digits")
    {
        auto frame = frameOf(m);
        for (ButtonId id : {ButtonId::StaffEnrolClinic, ButtonId::StaffEnrolCode, ButtonId::Digit5,
                            ButtonId::Cancel}) {
            const DrawnButton* b = frame.intents.find(id);
            REQUIRE(b != nullptr);
            CHECK(b->enabled);
        }
        REQUIRE(frame.intents.find(ButtonId::StaffEnrolSubmit) != nullptr);
        CHECK_FALSE(frame.intents.find(ButtonId::StaffEnrolSubmit)->enabled);
        CHECK(frame.intents.find(ButtonId::StaffRestart) == nullptr);
        CHECK(shows(frame.intents.shownKeys, "staff.enrol.lead"));
        CHECK(shows(frame.intents.shownKeys, "staff.enrol.code"));

        m.activationCode = "482913650271";
        m.complete = true;
        CHECK(frameOf(m).intents.find(ButtonId::StaffEnrolSubmit)->enabled);
    }
    SECTION("while the request runs nothing takes a touch")
    {
        m.activationCode = "482913650271";
        m.complete = true;
        m.enrolling = true;
        auto frame = frameOf(m);
        for (ButtonId id : {ButtonId::StaffEnrolClinic, ButtonId::StaffEnrolCode,
                            ButtonId::StaffEnrolSubmit, ButtonId::Digit5, ButtonId::Cancel}) {
            const DrawnButton* b = frame.intents.find(id);
            REQUIRE(b != nullptr);
            CHECK_FALSE(b->enabled);
        }
        CHECK(shows(frame.intents.shownKeys, "staff.enrol.working"));
    }
    SECTION("a failure says why in place of the lead, and the code stays for a retry")
    {
        m.result = kiosk::runner::StaffEnrolResult{false, "staff.enrol.unreachable",
                                                   "network_unreachable", "", ""};
        auto frame = frameOf(m);
        CHECK(shows(frame.intents.shownKeys, "staff.enrol.unreachable"));
        CHECK_FALSE(shows(frame.intents.shownKeys, "staff.enrol.lead"));
        CHECK(frame.intents.find(ButtonId::StaffRestart) == nullptr);
    }
    SECTION("enrolled: the terminal id and date, and 端末を再起動 beside 戻る for an administrator")
    {
        m.activationCode.clear();
        m.result = kiosk::runner::StaffEnrolResult{true, "staff.enrol.done", "", "KIOSK-0002",
                                                   "2027-12-06"};
        auto frame = frameOf(m);
        CHECK(shows(frame.intents.shownKeys, "staff.enrol.done"));
        const DrawnButton* restart = frame.intents.find(ButtonId::StaffRestart);
        REQUIRE(restart != nullptr);
        CHECK(restart->enabled);
        const DrawnButton* back = frame.intents.find(ButtonId::Cancel);
        REQUIRE(back != nullptr);
        CHECK(back->max.x <= restart->min.x); // side by side, not overlapping
        const DrawnButton* submit = frame.intents.find(ButtonId::StaffEnrolSubmit);
        REQUIRE(submit != nullptr);
        CHECK((restart->max.x <= submit->min.x || restart->min.y >= submit->max.y ||
               restart->max.y <= submit->min.y));
    }
    CHECK(missingGlyphs() == missingBefore); // every character drawn has its glyph
}


TEST_CASE("drawStaffEnrol: the pairing page has the pairing code only, its own words and the desk",
          "[ui][staff]")
{
    const std::size_t missingBefore = missingGlyphs();
    for (auto [w, h] : {std::pair{1280, 800}, std::pair{1080, 1920}}) {
        auto host = makeHost(w, h);
        StaffEnrolModel m;
        m.ui = host->screenContext(table("ja"), 0);
        m.admin = true;
        m.pairing = true;
        m.deskUrl = "https://desk.example:8443";
        m.activationCode = "5550";
        auto frame = host->frame(ScreenModel{m}, std::nullopt, FrameInput{});
        INFO(w << "x" << h);
        CHECK(frame.intents.find(ButtonId::StaffEnrolClinic) == nullptr);
        const DrawnButton* code = frame.intents.find(ButtonId::StaffEnrolCode);
        REQUIRE(code != nullptr);
        CHECK(code->enabled);
        // One field has the room of two: at least as tall as the enrolment's.
        CHECK(code->max.y - code->min.y >= 0.6f * host->theme().buttonHeight);
        for (const char* key : {"staff.pair.title", "staff.pair.lead", "staff.pair.code",
                                "staff.pair.submit"}) {
            CHECK(shows(frame.intents.shownKeys, key));
        }
        CHECK_FALSE(shows(frame.intents.shownKeys, "staff.enrol.lead"));
        CHECK_FALSE(shows(frame.intents.shownKeys, "staff.enrol.clinic"));
        CHECK_FALSE(frame.intents.find(ButtonId::StaffEnrolSubmit)->enabled);

        m.result = kiosk::runner::StaffEnrolResult{true, "staff.pair.done", "", "KIOSK-0001",
                                                   "2027-12-06"};
        m.activationCode.clear();
        auto done = host->frame(ScreenModel{m}, std::nullopt, FrameInput{});
        CHECK(shows(done.intents.shownKeys, "staff.pair.done"));
        CHECK(done.intents.find(ButtonId::StaffRestart) != nullptr);
    }
    CHECK(missingGlyphs() == missingBefore); // every character drawn has its glyph
}

TEST_CASE("drawStaffMenu: an administrator's home offers enrolment and pairing, not while one runs",
          "[ui][staff]")
{
    auto host = makeHost();
    StaffMenuModel m;
    m.ui = host->screenContext(table("ja"), 0);
    m.section = kiosk::staff::Section::Home;
    m.role = kiosk::staff::Role::Admin;
    m.staffId = "s01";
    auto frame = host->frame(ScreenModel{m}, std::nullopt, FrameInput{});
    for (ButtonId id : {ButtonId::StaffEnrol, ButtonId::StaffPair}) {
        const DrawnButton* b = frame.intents.find(id);
        REQUIRE(b != nullptr);
        CHECK(b->enabled);
    }
    m.enrolling = true;
    frame = host->frame(ScreenModel{m}, std::nullopt, FrameInput{});
    for (ButtonId id : {ButtonId::StaffEnrol, ButtonId::StaffPair}) {
        const DrawnButton* b = frame.intents.find(id);
        REQUIRE(b != nullptr);
        CHECK_FALSE(b->enabled);
    }
    m.role = kiosk::staff::Role::Staff;
    m.enrolling = false;
    frame = host->frame(ScreenModel{m}, std::nullopt, FrameInput{});
    CHECK(frame.intents.find(ButtonId::StaffPair) == nullptr);
    CHECK(frame.intents.find(ButtonId::StaffEnrol) == nullptr);
}

TEST_CASE("drawStaffMenu: the home page's five actions all lie on the screen, none over another",
          "[ui][staff]")
{
    const std::size_t missingBefore = missingGlyphs();
    for (auto [w, h] : {std::pair{1280, 800}, std::pair{1920, 1080}, std::pair{1080, 1920},
                        std::pair{800, 1280}}) {
        for (const char* lang : {"ja", "en", "vi"}) {
            auto host = makeHost(w, h);
            StaffMenuModel m;
            m.ui = host->screenContext(table(lang), 0);
            m.section = kiosk::staff::Section::Home;
            m.role = kiosk::staff::Role::Admin;
            m.staffId = "s01";
            m.visualPossible = true;
            m.rows = rowsOf(6);
            auto frame = host->frame(ScreenModel{m}, std::nullopt, FrameInput{});
            INFO(w << "x" << h << " " << lang);
            std::vector<const DrawnButton*> drawn;
            for (ButtonId id : {ButtonId::StaffVisual, ButtonId::StaffOutOfService,
                                ButtonId::StaffEnrol, ButtonId::StaffPair,
                                ButtonId::StaffRestart}) {
                const DrawnButton* b = frame.intents.find(id);
                REQUIRE(b != nullptr);
                CHECK(b->min.x >= 0.0f);
                CHECK(b->min.y >= 0.0f);
                CHECK(b->max.x <= static_cast<float>(w));
                CHECK(b->max.y <= static_cast<float>(h));
                CHECK(b->labelWidth <= b->max.x - b->min.x);
                drawn.push_back(b);
            }
            for (std::size_t i = 0; i < drawn.size(); ++i) {
                for (std::size_t j = i + 1; j < drawn.size(); ++j) {
                    const bool apart = drawn[i]->max.x <= drawn[j]->min.x ||
                                       drawn[j]->max.x <= drawn[i]->min.x ||
                                       drawn[i]->max.y <= drawn[j]->min.y ||
                                       drawn[j]->max.y <= drawn[i]->min.y;
                    CHECK(apart);
                }
            }
        }
    }
    CHECK(missingGlyphs() == missingBefore); // every character drawn has its glyph
}

TEST_CASE("drawNotReady: says how to enrol or pair for the files that are missing", "[ui][staff]")
{
    auto host = makeHost();
    NotReadyModel m;
    m.ui = host->screenContext(table("ja"), 0);
    m.missingKeys = {"desk.cert", "desk.ca"};
    auto frame = host->frame(ScreenModel{m}, std::nullopt, FrameInput{});
    CHECK(shows(frame.intents.shownKeys, "screen.not_ready.pair"));
    CHECK_FALSE(shows(frame.intents.shownKeys, "screen.not_ready.enrol"));
    m.missingKeys = {"gateway.key"};
    frame = host->frame(ScreenModel{m}, std::nullopt, FrameInput{});
    CHECK(shows(frame.intents.shownKeys, "screen.not_ready.enrol"));
    CHECK_FALSE(shows(frame.intents.shownKeys, "screen.not_ready.pair"));
}

TEST_CASE("drawStaffEnrol: in portrait, 戻る and 端末を再起動 share 戻る's place beside 登録する",
          "[ui][staff]")
{
    auto host = makeHost(1080, 1920);
    StaffEnrolModel m;
    m.ui = host->screenContext(table("ja"), 0);
    m.admin = true;
    m.clinicCode = "1399999999";
    m.result = kiosk::runner::StaffEnrolResult{true, "staff.enrol.done", "", "KIOSK-0002",
                                               "2027-12-06"};
    auto frame = host->frame(ScreenModel{m}, std::nullopt, FrameInput{});
    const DrawnButton* back = frame.intents.find(ButtonId::Cancel);
    const DrawnButton* restart = frame.intents.find(ButtonId::StaffRestart);
    const DrawnButton* submit = frame.intents.find(ButtonId::StaffEnrolSubmit);
    REQUIRE(back != nullptr);
    REQUIRE(restart != nullptr);
    REQUIRE(submit != nullptr);
    CHECK(back->max.x <= restart->min.x);
    CHECK(restart->max.x <= submit->min.x);
}

} // namespace
} // namespace uketsuke::ui
