#include "ui/widgets.hpp"

// Buttons and form fields: big touch-sized buttons, rows of them, field boxes.

#include "ui/fonts.hpp"
#include "ui/widgets_draw.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace uketsuke::ui {

using namespace widgets_detail;

namespace {

struct ButtonColours {
    ImVec4 face;
    ImVec4 pressed;
    ImVec4 text;
    ImVec4 border;
};

ButtonColours coloursFor(const Palette& c, ButtonKind kind, bool enabled)
{
    if (kind == ButtonKind::Demo) {
        // Light keys on the dark strip; a key that does nothing now fades into the strip.
        return enabled ? ButtonColours{c.surface, c.secondaryPressed, c.text, c.surface}
                       : ButtonColours{c.demoBarIdle, c.demoBarIdle, c.demoBarIdleText,
                                       c.demoBarIdle};
    }
    if (!enabled) {
        return {c.disabled, c.disabled, c.onDisabled, c.disabledBorder};
    }
    switch (kind) {
    case ButtonKind::Primary:
    case ButtonKind::Selected:
        return {c.primary, c.primaryPressed, c.onPrimary, c.primary};
    case ButtonKind::Secondary:
        return {c.surface, c.secondaryPressed, c.onSecondary, c.primary};
    case ButtonKind::Key:
        return {c.surface, c.secondaryPressed, c.text, c.border};
    case ButtonKind::Demo:
        break;
    }
    return {c.surface, c.secondaryPressed, c.text, c.border};
}

void drawButtonIcon(ImDrawList* dl, ImFont* font, ButtonIcon icon, ImVec2 min, float size,
                    ImU32 ink, float line)
{
    const ImVec2 c(min.x + size * 0.5f, min.y + size * 0.5f);
    switch (icon) {
    case ButtonIcon::None:
        break;
    case ButtonIcon::LargeText: {
        // "A" small on the left, "A" large on the right, on one baseline.
        const float big = std::round(size * 1.15f);
        const float small = std::round(size * 0.7f);
        const float baseline = min.y + size;
        const float bigW = font->CalcTextSizeA(big, 1.0e9f, 0.0f, "A").x;
        addText(dl, font, small, ImVec2(min.x, baseline - small * 0.9f), ink, "A");
        addText(dl, font, big, ImVec2(min.x + size - bigW, baseline - big * 0.9f), ink, "A");
        break;
    }
    case ButtonIcon::HighContrast: {
        const float r = size * 0.45f;
        dl->AddCircle(c, r, ink, 48, line);
        dl->PathArcTo(c, r, -0.5f * kPi, 0.5f * kPi, 32);
        dl->PathFillConvex(ink);
        break;
    }
    }
}

// `label` on two lines: broken after the space, or before the opening bracket "（" or "(",
// nearest its middle; the second line empty when it has no such place.
std::array<std::string, 2> twoLines(const std::string& label)
{
    std::size_t best = std::string::npos;
    auto consider = [&](std::size_t at) {
        if (at == 0 || at >= label.size()) {
            return;
        }
        auto distance = [&](std::size_t p) {
            return p > label.size() / 2 ? p - label.size() / 2 : label.size() / 2 - p;
        };
        if (best == std::string::npos || distance(at) < distance(best)) {
            best = at;
        }
    };
    for (std::size_t i = 0; i < label.size(); ++i) {
        if (label[i] == ' ') {
            consider(i + 1);
        } else if (label[i] == '(' || label.compare(i, 3, "（") == 0) {
            consider(i);
        }
    }
    if (best == std::string::npos) {
        return {label, std::string()};
    }
    std::string first = label.substr(0, best);
    while (!first.empty() && first.back() == ' ') {
        first.pop_back();
    }
    return {first, label.substr(best)};
}

} // namespace

float buttonIconWidth(const Theme& theme, const ImFont* font, ButtonIcon icon)
{
    if (icon == ButtonIcon::None) {
        return 0.0f;
    }
    return std::round(font->FontSize * 0.8f) + std::round(theme.gap * 0.5f);
}

bool bigButton(const ScreenContext& ctx, const ButtonSpec& spec, ImVec2 pos, ImVec2 size,
               Intents& out, ImFont* font)
{
    const Theme& t = *ctx.theme;
    float minTarget = kMinTargetMm * t.pxPerMm;
    if (spec.kind != ButtonKind::Demo) {
        size.x = std::max(size.x, minTarget);
        size.y = std::max(size.y, minTarget);
    }
    ButtonColours colours = coloursFor(t.color, spec.kind, spec.enabled);

    ImGui::SetCursorScreenPos(pos);
    ImGui::PushStyleColor(ImGuiCol_Button, colours.face);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, colours.face);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, colours.pressed);
    ImGui::PushStyleColor(ImGuiCol_Text, colours.text);
    ImGui::PushStyleColor(ImGuiCol_Border, colours.border);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, t.rounding);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, t.borderWidth);
    // Labels are centred in the button; no padding may push them off centre in a low button.
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(t.gap * 0.5f, 0.0f));
    // A label that would be clipped falls back to the smaller font rather than lose letters.
    ImFont* labelFont = font != nullptr ? font : ctx.fonts->bold;
    // So does a size whose font lacks one of its characters: the title font holds only those of
    // drawnAtTitleSize() (ui/fonts.hpp), another face's only its language's name.
    if (!hasGlyphs(labelFont, spec.label)) {
        labelFont = ctx.fonts->bold;
    }
    float room = size.x - t.gap;
    auto widthIn = [&](ImFont* f) {
        return f->CalcTextSizeA(f->FontSize, 1.0e9f, 0.0f, spec.label.c_str()).x +
               buttonIconWidth(t, f, spec.icon);
    };
    // (A title-sized label tries the bold body font first.)
    for (ImFont* smaller : {ctx.fonts->bold, ctx.fonts->small}) {
        if (widthIn(labelFont) > room && smaller->FontSize < labelFont->FontSize) {
            labelFont = smaller;
        }
    }
    float labelWidth = widthIn(labelFont);
    // Still too wide in the smallest font (a key's "ぜんぶ けす", an era's "大正（たいしょう）" in
    // large text): on two lines, broken at the space or the bracket nearest the middle.
    std::array<std::string, 2> lines;
    if (labelWidth > room && spec.icon == ButtonIcon::None &&
        2.0f * labelFont->FontSize <= size.y) {
        lines = twoLines(spec.label);
        if (!lines[1].empty()) {
            labelWidth = std::max(
                labelFont->CalcTextSizeA(labelFont->FontSize, 1.0e9f, 0.0f, lines[0].c_str()).x,
                labelFont->CalcTextSizeA(labelFont->FontSize, 1.0e9f, 0.0f, lines[1].c_str()).x);
        }
    }
    const bool wrapped = !lines[1].empty();
    ImGui::PushFont(labelFont);
    if (!spec.enabled) {
        ImGui::BeginDisabled();
    }
    // With an icon, the button draws no label of its own: both are drawn below, centred.
    const bool withIcon = spec.icon != ButtonIcon::None;
    std::string label =
        (withIcon || wrapped ? std::string() : spec.label) + "##" + buttonIdName(spec.id);
    bool pressed = ImGui::Button(label.c_str(), size);
    if (wrapped) {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 min = ImGui::GetItemRectMin();
        const ImVec2 max = ImGui::GetItemRectMax();
        const float lineH = labelFont->FontSize;
        float y = std::round((min.y + max.y) * 0.5f - lineH);
        for (const std::string& line : lines) {
            const float w =
                labelFont->CalcTextSizeA(labelFont->FontSize, 1.0e9f, 0.0f, line.c_str()).x;
            addText(dl, labelFont, labelFont->FontSize,
                    ImVec2(std::round((min.x + max.x - w) * 0.5f), y), toU32(colours.text), line);
            y += lineH;
        }
    }
    if (withIcon) {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 min = ImGui::GetItemRectMin();
        const ImVec2 max = ImGui::GetItemRectMax();
        const float iconSize = std::round(labelFont->FontSize * 0.8f);
        const float x = std::round((min.x + max.x - labelWidth) * 0.5f);
        const float y = std::round((min.y + max.y - labelFont->FontSize) * 0.5f);
        const ImU32 ink = toU32(colours.text);
        drawButtonIcon(dl, labelFont, spec.icon,
                       ImVec2(x, std::round((min.y + max.y - iconSize) * 0.5f)), iconSize, ink,
                       std::max(2.0f, std::round(iconSize * 0.1f)));
        addText(dl, labelFont, labelFont->FontSize,
                ImVec2(x + buttonIconWidth(t, labelFont, spec.icon), y), ink, spec.label);
    }
    if (!spec.enabled) {
        ImGui::EndDisabled();
    }
    out.drawn.push_back(
        {spec.id, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), spec.enabled, labelWidth});
    ImGui::PopFont();
    ImGui::PopStyleVar(3);
    ImGui::PopStyleColor(5);
    pressed = pressed && spec.enabled;
    if (pressed) {
        out.pressed.push_back(spec.id);
    }
    return pressed;
}

namespace {

// The width of each of `perRow` buttons side by side in `width`.
float sideBySideWidth(const Theme& t, std::size_t perRow, float width)
{
    const float n = static_cast<float>(perRow);
    return std::min(t.buttonWidth, (width - (n - 1.0f) * std::round(t.gap * 1.5f)) / n);
}

// Whether every label fits its button with `perRow` buttons side by side in `width` (all of
// them when 0).
bool sideBySide(const ScreenContext& ctx, const std::vector<ButtonSpec>& buttons, float width,
                std::size_t perRow = 0)
{
    const Theme& t = *ctx.theme;
    const float each = sideBySideWidth(t, perRow == 0 ? buttons.size() : perRow, width);
    ImFont* small = ctx.fonts->small;
    for (const auto& spec : buttons) {
        if (small->CalcTextSizeA(small->FontSize, 1.0e9f, 0.0f, spec.label.c_str()).x >
            each - t.gap) {
            return false;
        }
    }
    return true;
}

// How many buttons buttonGrid() puts in a row: the most whose labels fit (0 for none).
std::size_t gridPerRow(const ScreenContext& ctx, const std::vector<ButtonSpec>& buttons,
                       float width)
{
    std::size_t perRow = buttons.size();
    while (perRow > 1 && !sideBySide(ctx, buttons, width, perRow)) {
        --perRow;
    }
    return perRow;
}

} // namespace

float buttonRowHeight(const ScreenContext& ctx, const std::vector<ButtonSpec>& buttons,
                      float width)
{
    const Theme& t = *ctx.theme;
    if (buttons.size() <= 1 || sideBySide(ctx, buttons, width)) {
        return t.buttonHeight;
    }
    const float n = static_cast<float>(buttons.size());
    return n * t.buttonHeight + (n - 1.0f) * t.gap;
}

float buttonGridHeight(const ScreenContext& ctx, const std::vector<ButtonSpec>& buttons,
                       float width)
{
    if (buttons.empty()) {
        return 0.0f;
    }
    const std::size_t perRow = gridPerRow(ctx, buttons, width);
    if (perRow <= 1) {
        return buttonRowHeight(ctx, buttons, width);
    }
    const float rows = static_cast<float>((buttons.size() + perRow - 1) / perRow);
    return rows * ctx.theme->buttonHeight + (rows - 1.0f) * ctx.theme->gap;
}

void buttonGrid(const ScreenContext& ctx, const std::vector<ButtonSpec>& buttons, Rect area,
                Intents& out)
{
    const std::size_t perRow = gridPerRow(ctx, buttons, area.width());
    if (perRow <= 1 || perRow == buttons.size()) {
        buttonRow(ctx, buttons, area, out); // one row, or one a row
        return;
    }
    const Theme& t = *ctx.theme;
    const float width = sideBySideWidth(t, perRow, area.width());
    const float gap = std::round(t.gap * 1.5f);
    float y = area.min.y;
    for (std::size_t first = 0; first < buttons.size(); first += perRow) {
        const std::size_t count = std::min(perRow, buttons.size() - first);
        const float n = static_cast<float>(count);
        float x = std::round(area.center().x - (n * width + (n - 1.0f) * gap) * 0.5f);
        for (std::size_t i = first; i < first + count; ++i) {
            bigButton(ctx, buttons[i], ImVec2(x, y), ImVec2(width, t.buttonHeight), out);
            x += width + gap;
        }
        y += t.buttonHeight + t.gap;
    }
}

void buttonRow(const ScreenContext& ctx, const std::vector<ButtonSpec>& buttons, Rect row,
               Intents& out)
{
    if (buttons.empty()) {
        return;
    }
    const Theme& t = *ctx.theme;
    if (buttons.size() > 1 && !sideBySide(ctx, buttons, row.width())) {
        // One above the other, each as wide as the widest label needs (at least buttonWidth).
        float w = t.buttonWidth;
        for (const auto& spec : buttons) {
            w = std::max(w, ctx.fonts->bold->CalcTextSizeA(ctx.fonts->bold->FontSize, 1.0e9f,
                                                           0.0f, spec.label.c_str())
                                    .x +
                                2.0f * t.gap);
        }
        w = std::min(w, row.width());
        float y = row.min.y;
        for (const auto& spec : buttons) {
            bigButton(ctx, spec, ImVec2(std::round(row.center().x - w * 0.5f), y),
                      ImVec2(w, t.buttonHeight), out);
            y += t.buttonHeight + t.gap;
        }
        return;
    }
    float n = static_cast<float>(buttons.size());
    float gap = std::round(t.gap * 1.5f);
    float width = std::min(t.buttonWidth, (row.width() - (n - 1.0f) * gap) / n);
    float total = n * width + (n - 1.0f) * gap;
    float x = std::round(row.center().x - total * 0.5f);
    for (const auto& spec : buttons) {
        bigButton(ctx, spec, ImVec2(x, row.min.y), ImVec2(width, row.height()), out);
        x += width + gap;
    }
}

bool fieldBox(const ScreenContext& ctx, const FieldBoxSpec& spec, ImVec2 pos, ImVec2 size,
              Intents& out, ImFont* font)
{
    const Theme& t = *ctx.theme;
    const Palette& c = t.color;
    float minTarget = kMinTargetMm * t.pxPerMm;
    size.x = std::max(size.x, minTarget);
    size.y = std::max(size.y, minTarget);
    font = font != nullptr ? font : ctx.fonts->bold;

    ImGui::SetCursorScreenPos(pos);
    std::string id = std::string("##") + buttonIdName(spec.id);
    bool pressed = ImGui::InvisibleButton(id.c_str(), size);
    bool held = ImGui::IsItemActive();
    ImVec2 min = ImGui::GetItemRectMin();
    ImVec2 max = ImGui::GetItemRectMax();
    out.drawn.push_back({spec.id, min, max, true});
    if (pressed) {
        out.pressed.push_back(spec.id);
    }

    ImVec4 fill = spec.selected ? c.info : c.surface;
    if (held) {
        fill = c.secondaryPressed;
    }
    ImVec4 frame = spec.selected ? c.primary : (spec.attention ? c.attentionInk : c.border);
    float width = spec.selected || spec.attention ? t.borderWidth * 2.0f : t.borderWidth;
    framedRect(min, max, fill, frame, t.rounding, width);

    // The value, left-aligned and centred vertically; its end when it does not fit.
    float pad = std::round(t.gap * 0.5f) + width;
    bool caret = spec.selected && spec.caret;
    float room = size.x - 2.0f * pad - (caret ? width * 2.0f : 0.0f);
    auto measure = [font](const std::string& s) {
        return font->CalcTextSizeA(font->FontSize, 1.0e9f, 0.0f, s.c_str()).x;
    };
    std::string shown = spec.value;
    if (measure(shown) > room) {
        constexpr const char* kEllipsis = "…";
        std::size_t start = 0;
        do {
            ++start;
            while (start < spec.value.size() &&
                   (static_cast<unsigned char>(spec.value[start]) & 0xC0) == 0x80) {
                ++start;
            }
            shown = kEllipsis + spec.value.substr(start);
        } while (start < spec.value.size() && measure(shown) > room);
    }
    float textW = measure(shown);
    float y = std::round(min.y + (size.y - font->FontSize) * 0.5f);
    addText(ImGui::GetWindowDrawList(), font, font->FontSize, ImVec2(min.x + pad, y),
            toU32(c.text), shown);
    if (caret) {
        // A caret after the text: this is where the keypad types.
        float x = std::min(min.x + pad + textW + width, max.x - pad);
        float h = font->FontSize * 0.8f;
        float top = std::round(min.y + (size.y - h) * 0.5f);
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(x, top), ImVec2(x + width, top + h),
                                                  toU32(c.primary));
    }
    return pressed;
}

} // namespace uketsuke::ui
