#include "ui/widgets.hpp"

// Buttons and form fields: big touch-sized buttons, rows of them, field boxes.

#include "ui/widgets_draw.hpp"

#include <algorithm>
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
        return {c.disabled, c.disabled, c.onDisabled, c.disabled};
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

} // namespace

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
    float room = size.x - t.gap;
    if (labelFont->CalcTextSizeA(labelFont->FontSize, 1.0e9f, 0.0f, spec.label.c_str()).x > room) {
        labelFont = ctx.fonts->small;
    }
    float labelWidth =
        labelFont->CalcTextSizeA(labelFont->FontSize, 1.0e9f, 0.0f, spec.label.c_str()).x;
    ImGui::PushFont(labelFont);
    if (!spec.enabled) {
        ImGui::BeginDisabled();
    }
    std::string label = spec.label + "##" + buttonIdName(spec.id);
    bool pressed = ImGui::Button(label.c_str(), size);
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

void buttonRow(const ScreenContext& ctx, const std::vector<ButtonSpec>& buttons, Rect row,
               Intents& out)
{
    if (buttons.empty()) {
        return;
    }
    const Theme& t = *ctx.theme;
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
    ImGui::GetWindowDrawList()->AddText(font, font->FontSize, ImVec2(min.x + pad, y),
                                        toU32(c.text), shown.c_str());
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
