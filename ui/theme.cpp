#include "ui/theme.hpp"

#include <algorithm>
#include <cmath>

namespace uketsuke::ui {
namespace {

ImVec4 rgb(int hex, float alpha = 1.0f)
{
    return ImVec4(static_cast<float>((hex >> 16) & 0xFF) / 255.0f,
                  static_cast<float>((hex >> 8) & 0xFF) / 255.0f,
                  static_cast<float>(hex & 0xFF) / 255.0f, alpha);
}

// The design is drawn for a 1280x800 panel (800x1280 upright); everything scales with the
// smaller ratio.
constexpr float kDesignWidth = 1280.0f;
constexpr float kDesignHeight = 800.0f;

float roundPx(float px)
{
    return std::round(px);
}

} // namespace

ImU32 toU32(const ImVec4& colour)
{
    return ImGui::ColorConvertFloat4ToU32(colour);
}

float fontScale(DisplayMode mode)
{
    return mode.largeText ? kLargeTextScale : 1.0f;
}

Palette normalPalette()
{
    Palette c;
    c.background = rgb(0xF6F4EF);
    c.surface = rgb(0xFFFFFF);
    c.text = rgb(0x1B1B1B);
    c.textMuted = rgb(0x3D3D3D);
    c.primary = rgb(0x0B4A8F);
    c.primaryPressed = rgb(0x06305E);
    c.onPrimary = rgb(0xFFFFFF);
    c.secondaryPressed = rgb(0xDCE4EE);
    c.onSecondary = rgb(0x0B2E57);
    c.border = rgb(0x4F5B68);
    c.disabled = rgb(0xDDDBD6);
    c.onDisabled = rgb(0x5C5C5C);
    c.disabledBorder = c.disabled;
    c.attention = rgb(0xFFF1C9);
    c.attentionInk = rgb(0x7A4A00);
    c.info = rgb(0xE6EEF8);
    c.success = rgb(0x1D6B3A);
    c.illustration = rgb(0x3F4953);
    c.card = rgb(0xDDEBF7);
    c.strip = rgb(0xE9E6DF);
    c.demoBar = rgb(0x2E2E2E);
    c.demoBarIdle = rgb(0x474747);
    c.demoBarIdleText = rgb(0x9A9A9A);
    return c;
}

Palette highContrastPalette()
{
    // Black pages, white words, yellow for what can be pressed: no tint, no grey on grey. The
    // main action is black on yellow; other buttons are yellow words in a thick yellow frame.
    constexpr int kBlack = 0x000000;
    constexpr int kWhite = 0xFFFFFF;
    constexpr int kYellow = 0xFFE000;
    Palette c;
    c.background = rgb(kBlack);
    c.surface = rgb(kBlack);
    c.text = rgb(kWhite);
    c.textMuted = rgb(kWhite);
    c.primary = rgb(kYellow);
    c.primaryPressed = rgb(kWhite);
    c.onPrimary = rgb(kBlack);
    c.secondaryPressed = rgb(0x00307A); // a deep blue under the yellow words while pressed
    c.onSecondary = rgb(kYellow);
    c.border = rgb(kWhite);
    c.disabled = rgb(kBlack);
    c.onDisabled = rgb(0xB8B8B8); // grey words on black: visibly off, still 10:1
    c.disabledBorder = c.onDisabled; // a grey frame: still a button, not floating words
    c.attention = rgb(kBlack);
    c.attentionInk = rgb(kYellow);
    c.info = rgb(kBlack);
    c.success = rgb(0x3DDC6A);
    c.illustration = rgb(kWhite);
    c.card = rgb(kYellow);
    c.strip = rgb(kBlack);
    c.demoBar = rgb(0x2E2E2E);
    c.demoBarIdle = rgb(0x474747);
    c.demoBarIdleText = rgb(0x9A9A9A);
    return c;
}

Theme makeTheme(ImVec2 displayPx, float dpi, DisplayMode mode)
{
    Theme t;
    t.display = displayPx;
    float w = std::max(displayPx.x, 320.0f);
    float h = std::max(displayPx.y, 240.0f);
    if (dpi <= 0.0f) {
        dpi = std::sqrt(w * w + h * h) / kAssumedDiagonalInches;
    }
    t.pxPerMm = dpi / 25.4f;
    // Portrait panels are the design turned on its side.
    bool portrait = h > w;
    float designW = portrait ? kDesignHeight : kDesignWidth;
    float designH = portrait ? kDesignWidth : kDesignHeight;
    float scale = std::min(w / designW, h / designH);
    float minTarget = std::ceil(kMinTargetMm * t.pxPerMm);

    // ImGui's FreeType sizes are ascender-to-descender heights: Noto CJK's em is about 0.69 of
    // them, so body text is about 33 px (5.6 mm on a 10.1" panel) per character.
    t.textPx = roundPx(std::max(48.0f * scale, 22.0f));
    t.titlePx = roundPx(std::max(68.0f * scale, 30.0f));
    t.hugePx = roundPx(std::max(170.0f * scale, 70.0f));
    t.smallPx = roundPx(std::max(34.0f * scale, 16.0f));
    // 40 px at 1920x1080, whose scale is 1.35.
    t.minNamePx = roundPx(std::max(40.0f / 1.35f * scale, 20.0f));

    t.margin = roundPx(48.0f * scale);
    t.gap = roundPx(24.0f * scale);
    t.buttonHeight = roundPx(std::max(112.0f * scale, minTarget));
    t.buttonWidth = roundPx(std::max(380.0f * scale, 2.0f * minTarget));
    t.keyHeight = roundPx(std::max(100.0f * scale, minTarget));
    t.rounding = roundPx(18.0f * scale);
    t.borderWidth = std::max(roundPx(3.0f * scale), 2.0f);
    t.dotRadius = roundPx(22.0f * scale);
    t.stripPad = roundPx(8.0f * scale);
    t.stripRows = portrait ? 2 : 1;
    auto stripOf = [&](float line) {
        const float rows = static_cast<float>(t.stripRows);
        return rows * line + (rows + 1.0f) * t.stripPad;
    };
    t.stripHeight = stripOf(std::max(roundPx(76.0f * scale), minTarget));

    if (mode.largeText) {
        const float text = fontScale(mode);
        for (float* px : {&t.textPx, &t.titlePx, &t.hugePx, &t.smallPx, &t.minNamePx}) {
            *px = roundPx(*px * text);
        }
        for (float* px : {&t.buttonHeight, &t.buttonWidth}) {
            *px = roundPx(*px * kLargeTextBoxScale);
        }
        t.stripHeight = stripOf(std::max(roundPx(76.0f * scale * kLargeTextBoxScale), minTarget));
        // The larger words take the room of the empty space around them: narrower margins
        // and gaps (the touch targets keep their size).
        t.margin = roundPx(t.margin * kLargeTextSpaceScale);
        t.gap = roundPx(t.gap * kLargeTextSpaceScale);
    }
    t.color = mode.highContrast ? highContrastPalette() : normalPalette();
    if (mode.highContrast) {
        t.borderWidth *= 2.0f;
    }
    return t;
}

void applyTheme(const Theme& theme, ImGuiStyle& style)
{
    style = ImGuiStyle();
    style.WindowPadding = ImVec2(theme.margin, theme.margin);
    style.WindowRounding = 0.0f;
    style.WindowBorderSize = 0.0f;
    style.FramePadding = ImVec2(theme.gap, theme.gap * 0.5f);
    style.FrameRounding = theme.rounding;
    style.FrameBorderSize = theme.borderWidth;
    style.ItemSpacing = ImVec2(theme.gap, theme.gap);
    style.TouchExtraPadding = ImVec2(0.0f, 0.0f);
    style.ButtonTextAlign = ImVec2(0.5f, 0.5f);
    style.AntiAliasedLines = true;
    style.AntiAliasedFill = true;
    // Disabled buttons get their own colours (widgets.cpp); ImGui's dimming would lower contrast.
    style.DisabledAlpha = 1.0f;

    const Palette& c = theme.color;
    ImVec4* colours = style.Colors;
    colours[ImGuiCol_WindowBg] = c.background;
    colours[ImGuiCol_ChildBg] = c.background;
    colours[ImGuiCol_PopupBg] = c.surface;
    colours[ImGuiCol_Text] = c.text;
    colours[ImGuiCol_TextDisabled] = c.onDisabled;
    colours[ImGuiCol_Border] = c.border;
    colours[ImGuiCol_Button] = c.surface;
    // Touch has no hover: a hovered button looks exactly like a resting one.
    colours[ImGuiCol_ButtonHovered] = c.surface;
    colours[ImGuiCol_ButtonActive] = c.secondaryPressed;
}

} // namespace uketsuke::ui
