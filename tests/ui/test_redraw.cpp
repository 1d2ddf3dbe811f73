// What the terminal does to draw less (docs/performance.md): the renderer per video driver, the
// spinner's frames redrawing only its rectangle, and the font atlas built again for large text
// and for a language's first use. Correctness only: the figures are tests/bench/kiosk's.

#include "support.hpp"
#include "ui/host.hpp"
#include "ui/screen_models.hpp"
#include "ui/widgets.hpp"

#include <catch2/catch.hpp>

#include <SDL.h>

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

Pixels drawAt(Host& host, const test::NamedState& named, double seconds, bool animationOnly)
{
    const auto& strings = test::table("ja");
    ScreenModel model =
        buildScreenModel(named.state, host.screenContext(strings, seconds), named.pinDigits, true,
                         named.insurance.get());
    StripModel strip = buildStripModel(named.state, host.stripContext(strings), false);
    FrameInput input;
    input.keepPixels = true;
    input.animationOnly = animationOnly;
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
