#include "ui/theme.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <tuple>

namespace uketsuke::ui {
namespace {

double luminance(const ImVec4& c)
{
    auto channel = [](float v) {
        return v <= 0.03928f ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.x) + 0.7152 * channel(c.y) + 0.0722 * channel(c.z);
}

double contrast(const ImVec4& a, const ImVec4& b)
{
    double la = luminance(a);
    double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

TEST_CASE("makeTheme: touch targets are at least 15 mm on every panel size", "[ui]")
{
    using Panel = std::tuple<float, float, float>; // width, height, dpi (0: unknown)
    for (auto [w, h, dpi] : {Panel{1280.0f, 800.0f, 0.0f}, Panel{800.0f, 480.0f, 0.0f},
                             Panel{1920.0f, 1080.0f, 0.0f}, Panel{1024.0f, 600.0f, 170.0f},
                             Panel{800.0f, 1280.0f, 0.0f}}) {
        INFO(w << "x" << h << " dpi " << dpi);
        Theme t = makeTheme(ImVec2(w, h), dpi);
        float target = kMinTargetMm * t.pxPerMm;
        CHECK(t.buttonHeight >= target);
        CHECK(t.keyHeight >= target);
        CHECK(t.buttonWidth >= 2.0f * target);
    }
}

TEST_CASE("makeTheme: text is large on the standard 10 inch panel", "[ui]")
{
    Theme t = makeTheme(ImVec2(1280.0f, 800.0f), 0.0f);
    // Body text at least 6 mm tall, titles larger.
    CHECK(t.textPx / t.pxPerMm >= 6.0f);
    CHECK(t.titlePx > t.textPx);
    CHECK(t.hugePx > 2.0f * t.titlePx);
}

TEST_CASE("makeTheme: text and buttons meet WCAG AAA contrast", "[ui]")
{
    const Palette& c = makeTheme(ImVec2(1280.0f, 800.0f), 0.0f).color;
    CHECK(contrast(c.text, c.background) >= 7.0);
    CHECK(contrast(c.textMuted, c.background) >= 7.0);
    CHECK(contrast(c.onPrimary, c.primary) >= 7.0);
    CHECK(contrast(c.onSecondary, c.surface) >= 7.0);
    CHECK(contrast(c.text, c.attention) >= 7.0);
    CHECK(contrast(c.onDisabled, c.disabled) >= 4.5);
}

} // namespace
} // namespace uketsuke::ui
