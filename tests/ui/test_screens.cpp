// Every screen model drawn headless for several frames, in Japanese and English, through the
// real SDL software renderer (docs/screens.md): Debian's libimgui.a keeps its asserts, so a
// Begin/End or push/pop slip aborts here. Set UKETSUKE_UI_SHOTS=DIR to also write each screen
// as DIR/<lang>-<screen>.png for review.

#include "support.hpp"
#include "ui/name_texture.hpp"
#include "ui/screen_models.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <utility>

namespace uketsuke::ui {
namespace {

using test::everyScreen;
using test::makeHost;
using test::table;

// Every vertex of the last frame lies on the display: no text or button runs off screen.
void requireOnScreen(const Theme& theme)
{
    ImDrawData* data = ImGui::GetDrawData();
    REQUIRE(data != nullptr);
    for (int l = 0; l < data->CmdListsCount; ++l) {
        // The first vertex off the screen, if any (one check per list, not per vertex: a
        // screen has thousands, and Catch's per-assertion cost made these tests minutes long).
        const ImDrawVert* off = nullptr;
        for (const ImDrawVert& v : data->CmdLists[l]->VtxBuffer) {
            if (v.pos.x < -1.0f || v.pos.y < -1.0f || v.pos.x > theme.display.x + 1.0f ||
                v.pos.y > theme.display.y + 1.0f) {
                off = &v;
                break;
            }
        }
        if (off != nullptr) {
            FAIL_CHECK("vertex off the screen at " << off->pos.x << "," << off->pos.y);
        }
    }
}

bool overlaps(const DrawnButton& a, const DrawnButton& b)
{
    return a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y;
}

// Every vertex of the patient's screen (every window but the strip) lies above the strip: the
// strip never covers a screen's words or buttons.
void requireAboveStrip(const Theme& theme)
{
    ImDrawData* data = ImGui::GetDrawData();
    REQUIRE(data != nullptr);
    const float top = theme.display.y - theme.stripHeight;
    for (int l = 0; l < data->CmdListsCount; ++l) {
        const ImDrawList* list = data->CmdLists[l];
        const std::string owner = list->_OwnerName != nullptr ? list->_OwnerName : "";
        if (owner.rfind("strip", 0) == 0) {
            continue;
        }
        for (const ImDrawVert& v : list->VtxBuffer) {
            if (v.pos.y > top + 1.0f) {
                FAIL_CHECK("window " << owner << ": a vertex under the strip's top at "
                                     << v.pos.x << "," << v.pos.y);
                break;
            }
        }
    }
}

// Each patient screen in every language (or those in `only`), with its strip (`demo`: the demo
// controls in it), and again while the patient waits for staff (the confirmation and 取り消す in
// the strip), drawn with `display` (large text, high contrast).
void drawEveryScreen(Host& host, bool demo, DisplayMode display = {},
                     const std::vector<std::string>& only = {})
{
    host.setDisplay(display);
    const char* shots = std::getenv("UKETSUKE_UI_SHOTS");
    if (shots != nullptr) {
        std::filesystem::create_directories(shots);
    }
    const Theme& theme = host.theme();
    float minTarget = kMinTargetMm * theme.pxPerMm - 0.5f;
    const std::string mode = std::string(display.largeText ? "-large" : "") +
                             (display.highContrast ? "-contrast" : "");
    for (const std::string& lang : only.empty() ? test::languages() : only) {
        for (const auto& named : everyScreen()) {
            for (bool calling : {false, true}) {
                kiosk::flow::State state = named.state;
                state.display = {display.largeText, display.highContrast};
                if (calling) {
                    state.call = kiosk::model::StaffCall{"c-1", "idle", "2026-12-05T01:00:00Z"};
                }
                INFO("screen " << lang << " " << named.name << (calling ? " calling" : ""));
                Intents last;
                for (int frame = 0; frame < 3; ++frame) {
                    ScreenModel model =
                        buildScreenModel(state, host.screenContext(table(lang), frame * 0.2),
                                         named.pinDigits, true, named.insurance.get());
                    StripModel strip = buildStripModel(state, host.stripContext(table(lang)), demo);
                    std::string path;
                    if (shots != nullptr && frame == 2) {
                        path = std::string(shots) + "/" +
                               std::to_string(static_cast<int>(theme.display.x)) + "x" +
                               std::to_string(static_cast<int>(theme.display.y)) + mode + "-" +
                               lang + "-" + named.name + (calling ? "-calling" : "") + ".png";
                    }
                    auto out = host.frame(std::move(model), strip, FrameInput{}, path);
                    CHECK_FALSE(out.captureError.has_value());
                    last = std::move(out.intents);
                }
                requireOnScreen(theme);
                requireAboveStrip(theme);
                CHECK(last.pressed.empty());
                for (const auto& key : last.shownKeys) {
                    INFO("key " << key);
                    CHECK(table(lang).has(key));
                }
                // The strip's one button, as large as any: call staff, or cancel the call. (A
                // locked or forgotten PIN's screen has its own スタッフを呼ぶ above the strip.)
                const DrawnButton* call = nullptr;
                for (const DrawnButton& b : last.drawn) {
                    if (b.id == ButtonId::CallStaff &&
                        b.min.y >= theme.display.y - theme.stripHeight) {
                        call = &b;
                    }
                }
                const DrawnButton* cancel = last.find(ButtonId::CancelCall);
                CHECK((call != nullptr) == !calling);
                CHECK((cancel != nullptr) == calling);
                if (calling) {
                    CHECK(last.find(ButtonId::CallStaff) == nullptr);
                }
                // The display switches, one touch away on every patient screen, shown as set.
                for (ButtonId id : {ButtonId::LargeText, ButtonId::HighContrast}) {
                    INFO(buttonIdName(id));
                    const DrawnButton* sw = last.find(id);
                    REQUIRE(sw != nullptr);
                    CHECK(sw->enabled);
                    CHECK(sw->min.y >= theme.display.y - theme.stripHeight);
                }
                const DrawnButton* stripButton = calling ? cancel : call;
                if (stripButton != nullptr) {
                    CHECK(stripButton->min.y >= theme.display.y - theme.stripHeight);
                    CHECK(stripButton->enabled);
                }
                // The demo controls: in demo mode only; while a call lasts a narrow strip may
                // give their room to the confirmation.
                if (!demo) {
                    CHECK(last.find(ButtonId::DemoInsert) == nullptr);
                } else if (!calling && theme.display.x >= 1280.0f && !display.largeText) {
                    // (On a narrow strip they may give way to the display switches: the demo
                    // controls are not for patients.)
                    CHECK(last.find(ButtonId::DemoInsert) != nullptr);
                }
                for (std::size_t i = 0; i < last.drawn.size(); ++i) {
                    const DrawnButton& b = last.drawn[i];
                    INFO("button " << buttonIdName(b.id));
                    // No label is wider than the inside of its button's frame (a clipped,
                    // squeezed or frame-crossing label).
                    CHECK(b.labelWidth <= b.max.x - b.min.x - 2.0f * theme.borderWidth);
                    bool demoKey = b.id == ButtonId::DemoInsert || b.id == ButtonId::DemoRemove;
                    if (!demoKey) {
                        CHECK(b.max.x - b.min.x >= minTarget);
                        CHECK(b.max.y - b.min.y >= minTarget);
                    }
                    // Every touch button is one the flow takes in this state.
                    if (auto intent = flowIntentOf(b.id)) {
                        CHECK(accepts(state, *intent));
                    }
                    if (b.id == ButtonId::CallStaff) {
                        CHECK(kiosk::flow::canCallStaff(state));
                    }
                    for (std::size_t j = i + 1; j < last.drawn.size(); ++j) {
                        INFO("and " << buttonIdName(last.drawn[j].id));
                        CHECK_FALSE(overlaps(b, last.drawn[j]));
                    }
                }
            }
        }
    }
}

TEST_CASE("drawScreen: every screen draws headless in ja and en without asserts", "[ui]")
{
    auto host = makeHost();
    drawEveryScreen(*host, false);
}

TEST_CASE("drawScreen: every screen fits a small 800x480 panel with the demo controls", "[ui]")
{
    auto host = makeHost(800, 480);
    drawEveryScreen(*host, true);
}

TEST_CASE("drawScreen: every screen fits a portrait 800x1280 panel", "[ui]")
{
    auto host = makeHost(800, 1280);
    drawEveryScreen(*host, false);
}

TEST_CASE("drawScreen: every screen and its strip fit 1920x1080 with the demo controls", "[ui]")
{
    auto host = makeHost(1920, 1080);
    drawEveryScreen(*host, true);
}

TEST_CASE("drawScreen: every screen and its strip fit a portrait 1080x1920 panel", "[ui]")
{
    auto host = makeHost(1080, 1920);
    drawEveryScreen(*host, true);
}

// Large text and high contrast (docs/screens.md): every screen in every language, landscape
// and portrait, split by language so that no ctest entry runs long.
const std::vector<std::string> kFirstHalf = {"ja", "ja-easy", "en"};
const std::vector<std::string> kSecondHalf = {"ko", "vi", "zh-Hans"};

TEST_CASE("drawScreen: large text fits 1920x1080 in ja + ja-easy + en", "[ui][display]")
{
    auto host = makeHost(1920, 1080);
    drawEveryScreen(*host, true, DisplayMode{true, false}, kFirstHalf);
}

TEST_CASE("drawScreen: large text fits 1920x1080 in ko + vi + zh-Hans", "[ui][display]")
{
    auto host = makeHost(1920, 1080);
    drawEveryScreen(*host, true, DisplayMode{true, false}, kSecondHalf);
}

TEST_CASE("drawScreen: large text fits a portrait 1080x1920 panel in ja + ja-easy + en",
          "[ui][display]")
{
    auto host = makeHost(1080, 1920);
    drawEveryScreen(*host, true, DisplayMode{true, false}, kFirstHalf);
}

TEST_CASE("drawScreen: large text fits a portrait 1080x1920 panel in ko + vi + zh-Hans",
          "[ui][display]")
{
    auto host = makeHost(1080, 1920);
    drawEveryScreen(*host, true, DisplayMode{true, false}, kSecondHalf);
}

TEST_CASE("drawScreen: large text with high contrast fits a small 1280x800 panel",
          "[ui][display]")
{
    auto host = makeHost(1280, 800);
    drawEveryScreen(*host, false, DisplayMode{true, true});
}

TEST_CASE("drawScreen: high contrast fits 1920x1080 in every language", "[ui][display]")
{
    auto host = makeHost(1920, 1080);
    drawEveryScreen(*host, true, DisplayMode{false, true});
}

TEST_CASE("drawScreen: high contrast fits a portrait 1080x1920 panel in every language",
          "[ui][display]")
{
    auto host = makeHost(1080, 1920);
    drawEveryScreen(*host, true, DisplayMode{false, true});
}

TEST_CASE("Host: switching large text rebuilds the fonts at 1.3 times before the next frame",
          "[ui][display]")
{
    auto host = makeHost(1920, 1080);
    kiosk::flow::State idle;
    auto draw = [&] {
        return host->frame(buildScreenModel(idle, host->screenContext(table("ja"), 0), 0, true),
                           buildStripModel(idle, host->stripContext(table("ja")), false),
                           FrameInput{});
    };
    draw();
    const float normalText = host->screenContext(table("ja"), 0).fonts->text->FontSize;
    const float normalStrip = host->theme().stripHeight;
    host->setDisplay(DisplayMode{true, false});
    auto large = draw();
    const FontSet& fonts = *host->screenContext(table("ja"), 0).fonts;
    CHECK(fonts.text->FontSize == std::round(normalText * kLargeTextScale));
    CHECK(fonts.text->FontSize == host->theme().textPx);
    CHECK(fonts.title->FontSize == host->theme().titlePx);
    CHECK(fonts.small->FontSize == host->theme().smallPx);
    CHECK(host->theme().stripHeight >= normalStrip);
    // Every language's fonts were rebuilt (the picker draws each name in its own face).
    const auto& languages = *host->screenContext(table("ja"), 0).languages;
    for (const auto& choice : languages) {
        INFO(choice.code);
        REQUIRE(choice.fonts != nullptr);
        CHECK(choice.fonts->text->FontSize == host->theme().textPx);
    }
    CHECK(large.intents.find(ButtonId::Start) != nullptr);
    host->setDisplay(DisplayMode{});
    draw();
    CHECK(host->screenContext(table("ja"), 0).fonts->text->FontSize == normalText);
}

TEST_CASE("drawScreen: the Idle screen offers start and every language, each in its own words",
          "[ui]")
{
    auto host = makeHost();
    kiosk::flow::State idle;
    auto out = host->frame(buildScreenModel(idle, host->screenContext(table("ja"), 0), 0, true),
                           std::nullopt, FrameInput{});
    CHECK(out.intents.find(ButtonId::Start) != nullptr);
    CHECK(out.intents.languages == test::languages());
    for (const auto& lang : test::languages()) {
        INFO(lang);
        auto id = out.intents.languageButton(lang);
        REQUIRE(id.has_value());
        CHECK(out.intents.find(*id) != nullptr);
    }
    // Each button names its language in that file's own words.
    auto ctx = host->screenContext(table("ja"), 0);
    REQUIRE(ctx.languages != nullptr);
    REQUIRE(ctx.languages->size() == test::languages().size());
    for (const auto& choice : *ctx.languages) {
        CHECK(choice.name == table(choice.code).tr("language.name"));
    }
    auto single = host->frame(buildScreenModel(idle, host->screenContext(table("ja"), 0), 0, false),
                              std::nullopt, FrameInput{});
    CHECK(single.intents.languages.empty());
    CHECK(single.intents.find(languageButton(0)) == nullptr);
}

TEST_CASE("drawEnterPin: OK is enabled only at four digits, Back and Clear always", "[ui]")
{
    auto host = makeHost();
    kiosk::flow::State s;
    s.phase = kiosk::flow::Phase::EnterPin;
    s.pinTriesLeft = 3;
    for (std::size_t digits = 0; digits <= 4; ++digits) {
        auto out = host->frame(
            buildScreenModel(s, host->screenContext(table("ja"), 0), digits, true), std::nullopt,
            FrameInput{});
        const DrawnButton* ok = out.intents.find(ButtonId::Ok);
        REQUIRE(ok != nullptr);
        CHECK(ok->enabled == (digits == 4));
        REQUIRE(out.intents.find(ButtonId::Back) != nullptr);
        CHECK(out.intents.find(ButtonId::Back)->enabled);
        REQUIRE(out.intents.find(ButtonId::Clear) != nullptr);
        CHECK(out.intents.find(ButtonId::Clear)->enabled);
        for (int d = 0; d <= 9; ++d) {
            CHECK(out.intents.find(digitButton(d)) != nullptr);
        }
    }
}

TEST_CASE("drawEnterPin: the keypad keeps the phone layout", "[ui]")
{
    auto host = makeHost();
    kiosk::flow::State s;
    s.phase = kiosk::flow::Phase::EnterPin;
    auto out = host->frame(buildScreenModel(s, host->screenContext(table("ja"), 0), 0, true),
                           std::nullopt, FrameInput{});
    auto at = [&](ButtonId id) { return out.intents.find(id)->center(); };
    // 1 2 3 / 4 5 6 / 7 8 9 / Clear 0 Back
    CHECK(at(ButtonId::Digit1).y == at(ButtonId::Digit3).y);
    CHECK(at(ButtonId::Digit1).x < at(ButtonId::Digit2).x);
    CHECK(at(ButtonId::Digit2).x < at(ButtonId::Digit3).x);
    CHECK(at(ButtonId::Digit1).y < at(ButtonId::Digit4).y);
    CHECK(at(ButtonId::Digit4).y < at(ButtonId::Digit7).y);
    CHECK(at(ButtonId::Digit7).y < at(ButtonId::Digit0).y);
    CHECK(at(ButtonId::Digit0).x == at(ButtonId::Digit8).x);
    CHECK(at(ButtonId::Clear).y == at(ButtonId::Digit0).y);
    CHECK(at(ButtonId::Clear).x < at(ButtonId::Digit0).x);
    CHECK(at(ButtonId::Back).x > at(ButtonId::Digit0).x);
}

} // namespace
} // namespace uketsuke::ui

namespace uketsuke::ui {
namespace {

TEST_CASE("drawEnterInsurance: rows are buttons, 確認する waits for a valid form", "[ui]")
{
    using kiosk::runner::InsuranceField;
    auto host = makeHost();
    kiosk::flow::State s;
    s.phase = kiosk::flow::Phase::EnterInsurance;
    kiosk::runner::InsuranceEntry entry;
    auto draw = [&] {
        return host->frame(buildScreenModel(s, host->screenContext(table("ja"), 0), 0, true,
                                            &entry),
                           std::nullopt, FrameInput{});
    };
    auto out = draw();
    for (ButtonId id : {ButtonId::FieldInsurer, ButtonId::FieldSymbol, ButtonId::FieldNumber,
                        ButtonId::FieldBranch, ButtonId::FieldEra, ButtonId::FieldYear,
                        ButtonId::FieldMonth, ButtonId::FieldDay, ButtonId::Cancel,
                        ButtonId::Next, ButtonId::Ok, ButtonId::Back, ButtonId::Clear}) {
        INFO(buttonIdName(id));
        CHECK(out.intents.find(id) != nullptr);
    }
    REQUIRE(out.intents.find(ButtonId::Ok) != nullptr);
    CHECK_FALSE(out.intents.find(ButtonId::Ok)->enabled);
    // The rows read top to bottom in the order of the card.
    auto y = [&](ButtonId id) { return out.intents.find(id)->center().y; };
    CHECK(y(ButtonId::FieldInsurer) < y(ButtonId::FieldNumber));
    CHECK(y(ButtonId::FieldSymbol) == y(ButtonId::FieldNumber));
    CHECK(y(ButtonId::FieldNumber) < y(ButtonId::FieldYear));

    // The era field swaps the keypad for the five eras.
    entry.select(InsuranceField::Era);
    out = draw();
    CHECK(out.intents.find(ButtonId::Digit1) == nullptr);
    for (ButtonId id : {ButtonId::EraWestern, ButtonId::EraTaisho, ButtonId::EraShowa,
                        ButtonId::EraHeisei, ButtonId::EraReiwa}) {
        CHECK(out.intents.find(id) != nullptr);
    }

    auto type = [&](InsuranceField field, const char* digits) {
        entry.select(field);
        for (const char* d = digits; *d; ++d) {
            entry.press(*d);
        }
    };
    type(InsuranceField::InsurerNumber, "06139999");
    type(InsuranceField::Number, "345");
    type(InsuranceField::BirthYear, "1980");
    type(InsuranceField::BirthMonth, "1");
    type(InsuranceField::BirthDay, "1");
    out = draw();
    CHECK(out.intents.find(ButtonId::Ok)->enabled);
    CHECK_FALSE(out.intents.find(ButtonId::Next)->enabled); // on the last field
}

TEST_CASE("drawIdle and drawResult: what the patient is told about the printer", "[ui]")
{
    auto host = makeHost();
    auto keysOf = [&](const kiosk::flow::State& s) {
        auto out = host->frame(buildScreenModel(s, host->screenContext(table("ja"), 0), 0, true),
                               std::nullopt, FrameInput{});
        return out.intents.shownKeys;
    };
    auto shows = [](const std::vector<std::string>& keys, const char* key) {
        return std::find(keys.begin(), keys.end(), key) != keys.end();
    };
    kiosk::flow::State s;
    CHECK_FALSE(shows(keysOf(s), "screen.idle.no_printer"));
    s.printerAvailable = false;
    CHECK(shows(keysOf(s), "screen.idle.no_printer"));
    CHECK_FALSE(shows(keysOf(s), "screen.idle.no_card")); // replaced by the printer's note
    CHECK(shows(keysOf(s), "screen.idle.start"));         // check-ins go on without a printer

    kiosk::flow::State r;
    r.phase = kiosk::flow::Phase::Result;
    r.receiptNumber = "0031";
    r.printing = true;
    auto printing = keysOf(r);
    CHECK(shows(printing, "screen.result.printing"));
    CHECK_FALSE(shows(printing, "screen.result.take_slip"));
    r.printing = false;
    CHECK(shows(keysOf(r), "screen.result.take_slip"));
    r.printFailed = true;
    auto failed = keysOf(r);
    CHECK(shows(failed, "screen.result.print_failed"));
    CHECK(shows(failed, "screen.result.number_label"));
    CHECK_FALSE(shows(failed, "screen.result.take_slip"));
}

TEST_CASE("drawIdle: closed by staff or outside the opening hours, nothing to press", "[ui]")
{
    auto host = makeHost();
    auto frameOf = [&](const kiosk::flow::State& s, const char* lang) {
        return host->frame(buildScreenModel(s, host->screenContext(table(lang), 0), 0, true),
                           std::nullopt, FrameInput{});
    };
    auto shows = [](const std::vector<std::string>& keys, const char* key) {
        return std::find(keys.begin(), keys.end(), key) != keys.end();
    };
    kiosk::flow::State s;
    s.closedHours = true;
    auto unknown = frameOf(s, "ja");
    CHECK(shows(unknown.intents.shownKeys, "screen.closed.title"));
    CHECK(shows(unknown.intents.shownKeys, "screen.closed.lead_unknown"));
    CHECK_FALSE(shows(unknown.intents.shownKeys, "screen.idle.start"));

    uketsuke::time::LocalTime opens;
    opens.date = std::chrono::year{2026} / 12 / 7;
    opens.time = std::chrono::hh_mm_ss<std::chrono::seconds>(std::chrono::hours(8) +
                                                             std::chrono::minutes(5));
    opens.weekday = std::chrono::Monday;
    s.opensAt = opens;
    auto known = frameOf(s, "ja");
    CHECK(shows(known.intents.shownKeys, "screen.closed.lead"));
    CHECK(shows(known.intents.shownKeys, "screen.closed.when"));
    CHECK(shows(known.intents.shownKeys, "screen.weekday.1"));
    CHECK(table("ja").format("screen.closed.when", {{"month", "12"}, {"day", "7"},
                                                    {"weekday", "月"}, {"hour", "8"},
                                                    {"minute", "05"}}) == "12月7日（月）8:05");

    // Staff closed it too: their screen, which promises no time.
    s.outOfService = true;
    auto staff = frameOf(s, "en");
    CHECK(shows(staff.intents.shownKeys, "screen.out_of_service.title"));
    CHECK_FALSE(shows(staff.intents.shownKeys, "screen.closed.title"));
}

TEST_CASE("drawIdle: the insurance card button follows the source", "[ui]")
{
    auto host = makeHost();
    kiosk::flow::State s;
    s.canLookUpInsuranceCard = true;
    auto frame = [&] {
        return host->frame(buildScreenModel(s, host->screenContext(table("ja"), 0), 0, true),
                           std::nullopt, FrameInput{});
    };
    auto both = frame();
    CHECK(both.intents.find(ButtonId::Start) != nullptr);
    CHECK(both.intents.find(ButtonId::InsuranceCard) != nullptr);
    s.canUseMyNumberCard = false;
    auto formOnly = frame();
    CHECK(formOnly.intents.find(ButtonId::Start) == nullptr);
    CHECK(formOnly.intents.find(ButtonId::InsuranceCard) != nullptr);
    s.canUseMyNumberCard = true;
    s.canLookUpInsuranceCard = false;
    auto cardOnly = frame();
    CHECK(cardOnly.intents.find(ButtonId::InsuranceCard) == nullptr);
}

} // namespace
} // namespace uketsuke::ui

namespace uketsuke::ui {
namespace {

// 40 kanji, and a long romanised name: neither fits one line of the number panel.
const std::string kLongKanjiName = "山田花子山田花子山田花子山田花子山田花子"
                                   "山田花子山田花子山田花子山田花子山田花子";
const std::string kLongRomanName =
    "Maximiliana Alexandrina Wolfeschlegelsteinhausenbergerdorff von Hohenzollern";

TEST_CASE("NameTextures: a long name wraps onto two lines of at least 40 px instead of shrinking",
          "[ui][display]")
{
    auto host = makeHost(1920, 1080);
    auto text = hal::text::TextRenderer::open();
    REQUIRE(text.has_value());
    auto line = text->lineHeight(500);
    REQUIRE(line.has_value());
    const float emPerLine = 500.0f / static_cast<float>(*line);
    NameTextures names(host->renderer(), &*text);
    for (bool large : {false, true}) {
        host->setDisplay(DisplayMode{large, false});
        const Theme& t = host->theme();
        REQUIRE(t.minNamePx >= (large ? 52.0f : 40.0f));
        const int em = static_cast<int>(std::lround(t.titlePx * emPerLine));
        const int minEm = static_cast<int>(std::ceil(t.minNamePx * emPerLine));
        kiosk::flow::State s;
        s.phase = kiosk::flow::Phase::Result;
        s.receiptNumber = "0012";
        s.qualification = test::qualification("1", kLongKanjiName);
        s.display = {large, false};
        ScreenModel model = buildScreenModel(s, host->screenContext(table("ja"), 0), 0, true);
        REQUIRE(std::holds_alternative<ResultModel>(model));
        const float width = resultNameWidth(std::get<ResultModel>(model));
        for (const std::string& name : {kLongKanjiName, kLongRomanName}) {
            INFO((large ? "large " : "") << name);
            NameImage image = names.get(name, em, width, minEm);
            REQUIRE(image.texture != nullptr);
            CHECK(image.lines >= 2);
            CHECK(image.lineHeight >= t.minNamePx);
            CHECK(image.size.x <= width);
            CHECK(image.size.y == image.lineHeight * static_cast<float>(image.lines));
            CHECK(image.lastLineWidth <= image.size.x);
        }
        // A short name stays on one line at the title's size.
        NameImage shortName = names.get("受付 太郎", em, width, minEm);
        REQUIRE(shortName.texture != nullptr);
        CHECK(shortName.lines == 1);
        CHECK(shortName.lineHeight >= t.titlePx - 2.0f);
    }
    names.release();
}

// The rectangle the name image was drawn in: the vertices of the draw commands whose texture
// is not the font atlas.
std::optional<Rect> drawnImage()
{
    ImDrawData* data = ImGui::GetDrawData();
    const ImTextureID atlas = ImGui::GetIO().Fonts->TexID;
    std::optional<Rect> found;
    for (int l = 0; l < data->CmdListsCount; ++l) {
        const ImDrawList* list = data->CmdLists[l];
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.TextureId == atlas || cmd.UserCallback != nullptr) {
                continue;
            }
            for (unsigned i = 0; i < cmd.ElemCount; ++i) {
                const ImDrawVert& v = list->VtxBuffer[static_cast<int>(
                    cmd.VtxOffset + list->IdxBuffer[static_cast<int>(cmd.IdxOffset + i)])];
                if (!found) {
                    found = Rect{v.pos, v.pos};
                }
                found->min = ImVec2(std::min(found->min.x, v.pos.x), std::min(found->min.y, v.pos.y));
                found->max = ImVec2(std::max(found->max.x, v.pos.x), std::max(found->max.y, v.pos.y));
            }
        }
    }
    return found;
}

TEST_CASE("drawResult: a very long name is drawn on two lines of at least 40 px, on the screen",
          "[ui][display]")
{
    for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1080, 1920}}) {
        auto host = makeHost(w, h);
        for (bool large : {false, true}) {
            host->setDisplay(DisplayMode{large, false});
            for (const std::string& name : {kLongKanjiName, kLongRomanName}) {
                for (const std::string lang : {"ja", "en"}) {
                    INFO(w << "x" << h << (large ? " large " : " ") << lang << " " << name);
                    kiosk::flow::State s;
                    s.phase = kiosk::flow::Phase::Result;
                    s.receiptNumber = "0012";
                    s.qualification = test::qualification("1", name);
                    s.display = {large, false};
                    s.cardPresent = true;
                    host->frame(buildScreenModel(s, host->screenContext(table(lang), 0), 0, true),
                                buildStripModel(s, host->stripContext(table(lang)), true),
                                FrameInput{});
                    requireOnScreen(host->theme());
                    requireAboveStrip(host->theme());
                    auto image = drawnImage();
                    REQUIRE(image.has_value());
                    // Two lines (or more) of at least theme.minNamePx (40 px at 1920x1080).
                    CHECK(image->height() >= 2.0f * host->theme().minNamePx);
                    CHECK(host->theme().minNamePx >= 40.0f);
                    CHECK(image->min.x >= 0.0f);
                    CHECK(image->max.x <= static_cast<float>(w));
                }
            }
        }
    }
}

} // namespace
} // namespace uketsuke::ui
