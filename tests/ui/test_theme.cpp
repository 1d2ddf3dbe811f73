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

TEST_CASE("makeTheme: high contrast is white and yellow on black at 7:1 and more, thick borders",
          "[ui]")
{
    const Theme normal = makeTheme(ImVec2(1920.0f, 1080.0f), 0.0f);
    const Theme high = makeTheme(ImVec2(1920.0f, 1080.0f), 0.0f, DisplayMode{false, true});
    const Palette& c = high.color;
    // Every pair a patient reads: words on the page, on panels, on buttons at rest and pressed,
    // on the strip; the frames and marks against the page.
    CHECK(contrast(c.text, c.background) >= 7.0);
    CHECK(contrast(c.textMuted, c.background) >= 7.0);
    CHECK(contrast(c.text, c.surface) >= 7.0);
    CHECK(contrast(c.text, c.strip) >= 7.0);
    CHECK(contrast(c.text, c.info) >= 7.0);
    CHECK(contrast(c.text, c.attention) >= 7.0);
    CHECK(contrast(c.attentionInk, c.attention) >= 7.0);
    CHECK(contrast(c.onPrimary, c.primary) >= 7.0);
    CHECK(contrast(c.onPrimary, c.primaryPressed) >= 7.0);
    CHECK(contrast(c.onSecondary, c.surface) >= 7.0);
    CHECK(contrast(c.onSecondary, c.secondaryPressed) >= 7.0);
    CHECK(contrast(c.onDisabled, c.disabled) >= 7.0);
    CHECK(contrast(c.border, c.background) >= 7.0);
    CHECK(contrast(c.primary, c.background) >= 7.0);
    CHECK(contrast(c.success, c.background) >= 7.0);
    CHECK(contrast(c.illustration, c.background) >= 7.0);
    CHECK(contrast(c.card, c.background) >= 7.0);
    // No grey on grey: the page, the panels and the strip are black.
    CHECK(luminance(c.background) == 0.0);
    CHECK(luminance(c.surface) == 0.0);
    CHECK(luminance(c.strip) == 0.0);
    CHECK(high.borderWidth >= 2.0f * normal.borderWidth);
    // The sizes are the normal theme's.
    CHECK(high.textPx == normal.textPx);
    CHECK(high.buttonHeight == normal.buttonHeight);
}

TEST_CASE("makeTheme: large text is 1.3 times every font, the text's boxes grow, margins and gaps "
          "give way, keys keep their size",
          "[ui]")
{
    for (ImVec2 size : {ImVec2(1920.0f, 1080.0f), ImVec2(1080.0f, 1920.0f)}) {
        INFO(size.x << "x" << size.y);
        const Theme normal = makeTheme(size, 0.0f);
        const Theme large = makeTheme(size, 0.0f, DisplayMode{true, false});
        CHECK(large.textPx == std::round(normal.textPx * kLargeTextScale));
        CHECK(large.titlePx == std::round(normal.titlePx * kLargeTextScale));
        CHECK(large.smallPx == std::round(normal.smallPx * kLargeTextScale));
        CHECK(large.hugePx == std::round(normal.hugePx * kLargeTextScale));
        CHECK(large.buttonHeight > normal.buttonHeight);
        CHECK(large.stripHeight >= normal.stripHeight); // at least 15 mm either way
        CHECK(large.margin < normal.margin);
        CHECK(large.margin == std::round(normal.margin * kLargeTextSpaceScale));
        CHECK(large.gap < normal.gap);
        CHECK(large.gap == std::round(normal.gap * kLargeTextSpaceScale));
        CHECK(large.keyHeight == normal.keyHeight);
        CHECK(fontScale(DisplayMode{true, false}) == kLargeTextScale);
        CHECK(fontScale(DisplayMode{false, true}) == 1.0f);
        // Large text and high contrast together: the sizes of one, the colours of the other.
        const Theme both = makeTheme(size, 0.0f, DisplayMode{true, true});
        CHECK(both.textPx == large.textPx);
        CHECK(luminance(both.color.background) == 0.0);
    }
}

TEST_CASE("makeTheme: no patient text below 32 px at 1920x1080 in any mode", "[ui]")
{
    for (ImVec2 size : {ImVec2(1920.0f, 1080.0f), ImVec2(1080.0f, 1920.0f)}) {
        for (bool large : {false, true}) {
            INFO(size.x << "x" << size.y << (large ? " large text" : ""));
            const Theme t = makeTheme(size, 0.0f, DisplayMode{large, false});
            // The smallest font a patient screen uses is the small one (notes, the strip's
            // fallback); ImGui's sizes are ascender to descender.
            CHECK(t.smallPx >= 32.0f);
            CHECK(t.textPx >= t.smallPx);
            CHECK(t.titlePx >= t.textPx);
        }
    }
}

} // namespace
} // namespace uketsuke::ui
