#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

#include <algorithm>
#include <cmath>

// The strip under every patient screen (docs/screens.md "The strip"): スタッフを呼ぶ on the right;
// while a call lasts, the confirmation on a pale blue band with 取り消す in the same place; in
// demo mode the virtual card's controls on a dark panel on the left.

namespace uketsuke::ui {
namespace {

float labelWidth(ImFont* font, const std::string& text)
{
    return font->CalcTextSizeA(font->FontSize, 1.0e9f, 0.0f, text.c_str()).x;
}

// The demo controls from `x`; returns their width (nothing is drawn when `draw` is false).
float demoControls(const StripModel& m, float x, float y, float h, bool draw, Intents& out)
{
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    ImFont* font = ui.fonts->small;
    const std::string label = ui.tr("screen.demo.label");
    const std::string insert = ui.tr("screen.demo.insert");
    const std::string remove = ui.tr("screen.demo.remove");
    const float pad = std::round(t.gap * 0.5f);
    const float labelW = labelWidth(font, label);
    const float insertW = labelWidth(font, insert) + 2.0f * t.gap;
    const float removeW = labelWidth(font, remove) + 2.0f * t.gap;
    const float width = pad + labelW + pad + insertW + pad + removeW + pad;
    if (!draw) {
        return width;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(x, y - pad), ImVec2(x + width, y + h + pad),
                      toU32(t.color.demoBar), t.rounding);
    float cx = x + pad;
    dl->AddText(font, font->FontSize, ImVec2(cx, std::round(y + (h - font->FontSize) * 0.5f)),
                toU32(t.color.onPrimary), label.c_str());
    cx += labelW + pad;
    bigButton(ui, {ButtonId::DemoInsert, insert, ButtonKind::Demo, !m.cardPresent},
              ImVec2(cx, y), ImVec2(insertW, h), out, font);
    cx += insertW + pad;
    bigButton(ui, {ButtonId::DemoRemove, remove, ButtonKind::Demo, m.cardPresent}, ImVec2(cx, y),
              ImVec2(removeW, h), out, font);
    return width;
}

} // namespace

void drawStrip(const StripModel& m, Intents& out)
{
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    ImGui::PushStyleColor(ImGuiCol_WindowBg, m.calling ? t.color.info : t.color.strip);
    beginScreen(ui, "strip");
    ImGui::PopStyleColor();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // A line along the top sets the strip apart from the screen above it.
    dl->AddRectFilled(ui.origin, ImVec2(ui.origin.x + ui.size.x, ui.origin.y + t.borderWidth),
                      toU32(m.calling ? t.color.primary : t.color.border));

    const float y = ui.origin.y + t.stripPad;
    const float h = ui.size.y - 2.0f * t.stripPad;
    const float left = ui.origin.x + t.margin;
    const float right = ui.origin.x + ui.size.x - t.margin;

    // The button on the right: スタッフを呼ぶ, or 取り消す while the call lasts. The same size
    // either way, so nothing jumps.
    const std::string call = ui.tr(m.calling ? "screen.strip.cancel_call" : "screen.strip.call_staff");
    const float buttonW = std::min(
        right - left, std::max(std::round(t.buttonWidth * 0.9f), labelWidth(f.bold, call) + 2.0f * t.gap));

    // The demo controls on the left (not while a call needs the room to say so).
    float x = left;
    if (m.demo) {
        const float demoW = demoControls(m, x, y, h, false, out);
        const float room = right - buttonW - t.gap - (left + demoW + 2.0f * t.gap);
        if (!m.calling || room >= 0.4f * (right - left)) {
            x += demoControls(m, x, y, h, true, out) + 2.0f * t.gap;
        }
    }

    if (m.calling) {
        // The confirmation, plainly: who is coming, and that waiting here is right.
        const float r = std::round(h * 0.32f);
        drawIcon(ui, Icon::Staff, ImVec2(x + r, y + h * 0.5f), r);
        const float textX = x + 2.0f * r + t.gap;
        const float textW = std::max(right - buttonW - t.gap - textX, 1.0f);
        const std::string text = ui.tr("screen.strip.calling");
        ImFont* font = f.bold;
        for (ImFont* candidate : {f.bold, f.text, f.small}) {
            font = candidate;
            if (measureText(font, text, textW) <= h) {
                break;
            }
        }
        const float textH = measureText(font, text, textW);
        drawText(font, text, ImVec2(textX, std::round(y + (h - textH) * 0.5f)), textW, Align::Left,
                 t.color.text);
        bigButton(ui, {ButtonId::CancelCall, call, ButtonKind::Secondary}, ImVec2(right - buttonW, y),
                  ImVec2(buttonW, h), out);
    } else if (m.canCall) {
        bigButton(ui, {ButtonId::CallStaff, call, ButtonKind::Secondary}, ImVec2(right - buttonW, y),
                  ImVec2(buttonW, h), out);
    }
    endScreen();
}

} // namespace uketsuke::ui
