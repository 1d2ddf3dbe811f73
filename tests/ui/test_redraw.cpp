// What the terminal does to draw less (docs/performance.md): the renderer per video driver, the
// spinner's frames redrawing only its rectangle, and the font atlas built again for large text
// and for a language's first use. Correctness only: the figures are tests/bench/kiosk's.

#include "support.hpp"
#include "ui/host.hpp"
#include "ui/screen_models.hpp"
#include "ui/soft_draw.hpp"
#include "ui/widgets.hpp"

#include <catch2/catch.hpp>

#include <SDL.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>
#include <thread>

namespace uketsuke::ui {
namespace {

using kiosk::config::Renderer;

TEST_CASE("chooseRenderer: auto is software where the driver has a framebuffer, else OpenGL",
          "[ui]")
{
    for (const char* driver : {"x11", "offscreen", "dummy", "something-new"}) {
        CAPTURE(driver);
        CHECK(chooseRenderer(Renderer::Auto, driver) == RendererKind::Software);
    }
    for (const char* driver : {"kmsdrm", "KMSDRM", "wayland"}) {
        CAPTURE(driver);
        CHECK(chooseRenderer(Renderer::Auto, driver) == RendererKind::Accelerated);
    }
    for (const char* driver : {"x11", "kmsdrm", "offscreen", "wayland"}) {
        CAPTURE(driver);
        CHECK(chooseRenderer(Renderer::Software, driver) == RendererKind::Software);
        CHECK(chooseRenderer(Renderer::Accelerated, driver) == RendererKind::Accelerated);
    }
}

TEST_CASE("Host: a headless host draws in software whatever ui.renderer says", "[ui]")
{
    auto host = test::makeHost(640, 400);
    CHECK(host->rendererKind() == RendererKind::Software);
}

const test::NamedState& namedScreen(const std::vector<test::NamedState>& screens,
                                    const std::string& name)
{
    for (const auto& each : screens) {
        if (each.name == name) {
            return each;
        }
    }
    FAIL("no screen " << name);
    return screens.front();
}

Pixels drawAt(Host& host, const test::NamedState& named, double seconds, bool animationOnly,
             bool plainDrawing = false)
{
    const auto& strings = test::table("ja");
    ScreenModel model =
        buildScreenModel(named.state, host.screenContext(strings, seconds), named.pinDigits, true,
                         named.insurance.get());
    StripModel strip = buildStripModel(named.state, host.stripContext(strings), false);
    FrameInput input;
    input.keepPixels = true;
    input.animationOnly = animationOnly;
    input.plainDrawing = plainDrawing;
    FrameOutput out = host.frame(std::move(model), strip, input);
    REQUIRE_FALSE(out.captureError.has_value());
    return std::move(out.pixels);
}

bool inside(const std::vector<AnimatedRect>& rects, int x, int y)
{
    for (const auto& r : rects) {
        if (static_cast<float>(x) >= std::floor(r.min.x) && static_cast<float>(x) < std::ceil(r.max.x) &&
            static_cast<float>(y) >= std::floor(r.min.y) && static_cast<float>(y) < std::ceil(r.max.y)) {
            return true;
        }
    }
    return false;
}

// The area the triangles of a list cover, counted with their sign's magnitude.
float coveredArea(const ImDrawList& list)
{
    float area = 0.0f;
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
        for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
            const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset + i;
            const ImVec2 a = list.VtxBuffer[static_cast<int>(cmd.VtxOffset + idx[0])].pos;
            const ImVec2 b = list.VtxBuffer[static_cast<int>(cmd.VtxOffset + idx[1])].pos;
            const ImVec2 c = list.VtxBuffer[static_cast<int>(cmd.VtxOffset + idx[2])].pos;
            area += std::fabs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)) / 2.0f;
        }
    }
    return area;
}

unsigned elementCount(const ImDrawList& list)
{
    unsigned count = 0;
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
        count += cmd.ElemCount;
    }
    return count;
}

TEST_CASE("simplifyForSoftware: shapes lose the texture, opaque ones become callbacks that do "
          "not blend, text stays",
          "[ui]")
{
    auto host = test::makeHost(640, 400);
    drawAt(*host, namedScreen(test::everyScreen(), "idle"), 0.0, false); // the shared data set
    const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
    ImDrawList list(ImGui::GetDrawListSharedData());
    list._ResetForNewFrame();
    list.PushClipRect(ImVec2(0, 0), ImVec2(640, 400));
    list.PushTextureID(ImGui::GetIO().Fonts->TexID);
    list.AddRectFilled(ImVec2(10, 10), ImVec2(300, 120), IM_COL32(20, 80, 200, 255), 24.0f);
    list.AddRectFilled(ImVec2(10, 150), ImVec2(300, 260), IM_COL32(0, 0, 0, 255)); // square
    list.AddRectFilled(ImVec2(310, 150), ImVec2(312, 152), IM_COL32(0, 0, 0, 255)); // too small
    list.AddCircleFilled(ImVec2(450, 200), 90.0f, IM_COL32(200, 20, 20, 128), 40);
    list.AddText(ImVec2(20, 300), IM_COL32_BLACK, "Uketsuke");
    const float area = coveredArea(list);
    const unsigned elements = elementCount(list);
    ImDrawList* lists[] = {&list};
    ImDrawData data;
    data.Valid = true;
    data.CmdLists = lists;
    data.CmdListsCount = 1;
    data.DisplaySize = ImVec2(640, 400);
    data.FramebufferScale = ImVec2(1, 1);

    auto commandsFollowEachOther = [&] {
        unsigned next = 0;
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            CHECK(cmd.IdxOffset == next);
            next += cmd.ElemCount;
        }
        CHECK(next == elements);
        CHECK(coveredArea(list) == Approx(area)); // the same triangles
    };
    auto textured = [&] {
        int count = 0;
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            count += cmd.TextureId != nullptr ? 1 : 0;
        }
        return count;
    };

    SECTION("without a renderer: only the texture goes")
    {
        SoftDrawStats stats = simplifyForSoftware(data, white, nullptr);
        CHECK(stats.opaqueRuns == 0);
        CHECK(stats.opaqueRects == 0);
        CHECK(stats.solidCommands == 1); // every shape, before the text
        CHECK(textured() == 1);          // the text
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            CHECK(cmd.UserCallback == nullptr);
        }
        commandsFollowEachOther();
    }
    SECTION("with a renderer: opaque shapes are drawn by callbacks, in their place")
    {
        SoftDrawStats stats = simplifyForSoftware(data, white, host->renderer());
        CHECK(stats.opaqueRects == 1); // the square; the small one is drawn as triangles
        CHECK(stats.opaqueRuns >= 2);  // the rounded rectangle, the small square
        CHECK(textured() == 1);
        int callbacks = 0;
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            if (cmd.UserCallback != nullptr) {
                ++callbacks;
                CHECK(cmd.UserCallbackData == host->renderer());
            }
        }
        CHECK(callbacks == stats.opaqueRects + stats.opaqueRuns);
        commandsFollowEachOther();
    }
}

TEST_CASE("Host: the software renderer's shortcuts draw the picture of ImGui's triangles",
          "[ui]")
{
    for (const auto& size : {ImVec2(1920, 1080), ImVec2(1080, 1920)}) {
        auto host = test::makeHost(static_cast<int>(size.x), static_cast<int>(size.y));
        for (const auto& named : test::everyScreen()) {
            CAPTURE(size.x, named.name);
            Pixels plain = drawAt(*host, named, 0.4, false, true);
            Pixels simplified = drawAt(*host, named, 0.4, false, false);
            REQUIRE(plain.rgb.size() == simplified.rgb.size());
            std::size_t differing = 0;
            int worst = 0;
            for (std::size_t i = 0; i < plain.rgb.size(); i += 3) {
                int d = 0;
                for (std::size_t k = 0; k < 3; ++k) {
                    d = std::max(d, std::abs(static_cast<int>(plain.rgb[i + k]) -
                                            static_cast<int>(simplified.rgb[i + k])));
                }
                differing += d > 0 ? 1 : 0;
                worst = std::max(worst, d);
            }
            CAPTURE(differing);
            // Only the white pixel's modulation, which SDL rounded (up to 2 levels of 255).
            CHECK(worst <= 2);
        }
    }
}

TEST_CASE("prepareEnvironment: no Compose table for Xlib to parse, unless one was chosen",
          "[ui]")
{
    const char* before = std::getenv("XCOMPOSEFILE");
    const std::string saved = before != nullptr ? before : "";
    ::unsetenv("XCOMPOSEFILE");
    prepareEnvironment();
    REQUIRE(std::getenv("XCOMPOSEFILE") != nullptr);
    CHECK(std::string(std::getenv("XCOMPOSEFILE")) == "/dev/null");
    ::setenv("XCOMPOSEFILE", "/etc/uketsuke/Compose", 1); // an integrator's own
    prepareEnvironment();
    CHECK(std::string(std::getenv("XCOMPOSEFILE")) == "/etc/uketsuke/Compose");
    if (before != nullptr) {
        ::setenv("XCOMPOSEFILE", saved.c_str(), 1);
    } else {
        ::unsetenv("XCOMPOSEFILE");
    }
}

TEST_CASE("Host: a spinner's frame drawn alone is the same as the whole frame", "[ui]")
{
    auto host = test::makeHost(1280, 800);
    const auto screens = test::everyScreen();
    const auto& checking = namedScreen(screens, "checking");
    REQUIRE(isAnimated(checking.state.phase));

    Pixels start = drawAt(*host, checking, 0.0, false);
    REQUIRE(!animatedRects().empty()); // the spinner noted its square
    Pixels partial = drawAt(*host, checking, 0.4, true);
    Pixels whole = drawAt(*host, checking, 0.4, false);
    REQUIRE(partial.rgb.size() == whole.rgb.size());
    CHECK(partial.rgb != start.rgb); // the spinner turned
    CHECK(partial.rgb == whole.rgb);
}

TEST_CASE("Host: an animation-only frame leaves everything outside the spinner as it was",
          "[ui]")
{
    auto host = test::makeHost(1280, 800);
    const auto screens = test::everyScreen();
    const auto& checking = namedScreen(screens, "checking");
    const auto& reading = namedScreen(screens, "reading_card");

    Pixels before = drawAt(*host, reading, 0.0, false);
    // Another screen drawn as if only its spinner had moved: only the spinner's square changes,
    // so the words of the screen before stay (the shell never asks this of a new screen).
    Pixels after = drawAt(*host, checking, 0.4, true);
    const auto rects = animatedRects();
    REQUIRE(!rects.empty());
    REQUIRE(before.rgb.size() == after.rgb.size());
    int changedInside = 0;
    int changedOutside = 0;
    for (int y = 0; y < after.height; ++y) {
        for (int x = 0; x < after.width; ++x) {
            std::size_t at = (static_cast<std::size_t>(y) * static_cast<std::size_t>(after.width) +
                              static_cast<std::size_t>(x)) * 3;
            bool same = before.rgb[at] == after.rgb[at] && before.rgb[at + 1] == after.rgb[at + 1] &&
                        before.rgb[at + 2] == after.rgb[at + 2];
            if (!same) {
                (inside(rects, x, y) ? changedInside : changedOutside) += 1;
            }
        }
    }
    CHECK(changedInside > 0);
    CHECK(changedOutside == 0);
    // The same call on a whole frame redraws the words too.
    Pixels whole = drawAt(*host, checking, 0.4, false);
    CHECK(whole.rgb != after.rgb);
}

TEST_CASE("Host: large text builds the atlas again at the scale, before the next frame", "[ui]")
{
    auto host = test::makeHost(1280, 800);
    const auto screens = test::everyScreen();
    const auto& idle = namedScreen(screens, "idle");
    const float textPx = host->theme().textPx;
    CHECK(host->atlasBuilds() == 1);
    CHECK(host->fonts().text->FontSize == Approx(std::round(textPx)));

    host->setFontScale(1.3f);
    CHECK(host->fontScale() == Approx(1.3f));
    CHECK(host->atlasBuilds() == 1); // lazily: nothing built yet
    Pixels large = drawAt(*host, idle, 0.0, false);
    CHECK(host->atlasBuilds() == 2);
    CHECK(host->fonts().text->FontSize == Approx(std::round(textPx * 1.3f)));
    CHECK(host->fonts().text->FindGlyphNoFallback(static_cast<ImWchar>(0x53D7)) != nullptr); // 受

    drawAt(*host, idle, 0.0, false);
    CHECK(host->atlasBuilds() == 2); // the same scale: nothing built

    host->setFontScale(1.0f);
    Pixels normal = drawAt(*host, idle, 0.0, false);
    CHECK(host->atlasBuilds() == 3);
    CHECK(host->fonts().text->FontSize == Approx(std::round(textPx)));
    CHECK(large.rgb != normal.rgb);
}

TEST_CASE("Host: the atlas starts with the default language and adds one on its first frame",
          "[ui]")
{
    auto host = test::makeHost(1280, 800);
    const auto& zh = test::table("zh-Hans");
    const FontSet& zhFonts = host->fontsFor(zh);
    // 请 is only in the Chinese file's screens; 简 is in its language.name, for the picker.
    CHECK(zhFonts.text->FindGlyphNoFallback(static_cast<ImWchar>(0x8BF7)) == nullptr);
    CHECK(zhFonts.text->FindGlyphNoFallback(static_cast<ImWchar>(0x7B80)) != nullptr);
    const int startHeight = ImGui::GetIO().Fonts->TexHeight;

    const auto screens = test::everyScreen();
    const auto& idle = namedScreen(screens, "idle");
    ScreenModel model = buildScreenModel(idle.state, host->screenContext(zh, 0.0), 0, true);
    host->frame(std::move(model), std::nullopt, FrameInput{});
    CHECK(host->atlasBuilds() == 2);
    // The same set (screens hold its address), now with the Chinese words.
    CHECK(&host->fontsFor(zh) == &zhFonts);
    CHECK(zhFonts.text->FindGlyphNoFallback(static_cast<ImWchar>(0x8BF7)) != nullptr);
    CHECK(ImGui::GetIO().Fonts->TexHeight > startHeight);

    REQUIRE(host->useLanguage(zh).has_value());
    CHECK(host->atlasBuilds() == 2); // already there
}

// On drivers whose SDL wait does not sleep, the loop sleeps in poll(): a worker's wake-up ends
// it at once, and without one it sleeps to the deadline rather than spinning.
TEST_CASE("Host::waitForWake: a wake-up from another thread ends the wait, else the deadline",
          "[ui]")
{
    auto host = test::makeHost(640, 400);
    REQUIRE(host->videoDriver() == "offscreen");
    CHECK_FALSE(host->waitsForReal());
    SDL_Event drop;
    while (SDL_PollEvent(&drop) != 0) {
    }

    using Clock = std::chrono::steady_clock;
    auto start = Clock::now();
    std::thread worker([] { pushUserEvent(7); });
    host->waitForWake(start + std::chrono::seconds(60));
    worker.join();
    CHECK(Clock::now() - start < std::chrono::seconds(30)); // woken, not timed out
    SDL_Event event{};
    bool user = false;
    while (SDL_PollEvent(&event) != 0) {
        user = user || (event.type == SDL_USEREVENT && event.user.code == 7);
    }
    CHECK(user);

    // The wake-up was taken: the next wait sleeps until its deadline.
    start = Clock::now();
    host->waitForWake(start + std::chrono::milliseconds(120));
    CHECK(Clock::now() - start >= std::chrono::milliseconds(120));

    // A wake-up before the wait (a signal's wakeHost()) is not lost.
    wakeHost();
    start = Clock::now();
    host->waitForWake(start + std::chrono::seconds(60));
    CHECK(Clock::now() - start < std::chrono::seconds(30));
}

} // namespace
} // namespace uketsuke::ui
