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

// The demo controls from `x`, with the word デモ when `labelled`; returns their width (nothing
// is drawn when `draw` is false).
float demoControls(const StripModel& m, float x, float y, float h, bool labelled, bool draw,
                   Intents& out)
{
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    ImFont* font = ui.fonts->small;
    const std::string label = labelled ? ui.tr("screen.demo.label") : std::string();
    const std::string insert = ui.tr("screen.demo.insert");
    const std::string remove = ui.tr("screen.demo.remove");
    const float pad = std::round(t.gap * 0.5f);
    const float labelW = labelWidth(font, label);
    const float insertW = labelWidth(font, insert) + 2.0f * t.gap;
    const float removeW = labelWidth(font, remove) + 2.0f * t.gap;
    const float width = pad + (labelled ? labelW + pad : 0.0f) + insertW + pad + removeW + pad;
    if (!draw) {
        return width;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // The dark panel from the strip's top line to its bottom edge.
    dl->AddRectFilled(ImVec2(x, ui.origin.y + t.borderWidth),
                      ImVec2(x + width, ui.origin.y + ui.size.y), toU32(t.color.demoBar));
    float cx = x + pad;
    if (labelled) {
        dl->AddText(font, font->FontSize, ImVec2(cx, std::round(y + (h - font->FontSize) * 0.5f)),
                    toU32(t.color.onPrimary), label.c_str());
        cx += labelW + pad;
    }
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
    // either way, so nothing jumps: as wide as the longer of the two words needs (at least two
    // touch targets), wider when the strip has the room.
    const std::string callLabel = ui.tr("screen.strip.call_staff");
    const std::string cancelLabel = ui.tr("screen.strip.cancel_call");
    const std::string& call = m.calling ? cancelLabel : callLabel;
    const float minTarget = std::ceil(kMinTargetMm * t.pxPerMm);
    const float needW = std::min(right - left,
                                 std::max({labelWidth(f.bold, callLabel) + 2.0f * t.gap,
                                           labelWidth(f.bold, cancelLabel) + 2.0f * t.gap,
                                           2.0f * minTarget}));
    float buttonW = std::max(needW, std::min(std::round(t.buttonWidth * 0.9f),
                                             std::round((right - left) * 0.3f)));

    // The demo controls on the left, without the word デモ when the strip is narrow; not while a
    // call needs the room to say so.
    float x = left;
    if (m.demo && !m.calling) {
        bool labelled = true;
        float demoW = demoControls(m, x, y, h, true, false, out);
        if (left + demoW + 2.0f * t.gap + buttonW > right) {
            buttonW = std::max(needW, right - left - demoW - 2.0f * t.gap);
        }
        if (left + demoW + 2.0f * t.gap + buttonW > right) {
            labelled = false;
            demoW = demoControls(m, x, y, h, false, false, out);
            buttonW = std::max(needW, std::min(buttonW, right - left - demoW - 2.0f * t.gap));
        }
        x += demoControls(m, x, y, h, labelled, true, out) + 2.0f * t.gap;
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
