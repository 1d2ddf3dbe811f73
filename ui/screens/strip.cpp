#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

#include <algorithm>
#include <cmath>

// The strip under every patient screen (docs/screens.md "The strip"): スタッフを呼ぶ on the right;
// while a call lasts, the confirmation on a pale blue band with 取り消す in the same place; the
// two display switches (large text, high contrast) on the left; in demo mode the virtual
// card's controls on a dark panel before them.

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
    dl->AddRectFilled(ImVec2(x, std::max(ui.origin.y + t.borderWidth, y - t.stripPad)),
                      ImVec2(x + width, ui.origin.y + ui.size.y), toU32(t.color.demoBar));
    float cx = x + pad;
    if (labelled) {
        addText(dl, font, font->FontSize, ImVec2(cx, std::round(y + (h - font->FontSize) * 0.5f)),
                toU32(t.color.onPrimary), label);
        cx += labelW + pad;
    }
    bigButton(ui, {ButtonId::DemoInsert, insert, ButtonKind::Demo, !m.cardPresent},
              ImVec2(cx, y), ImVec2(insertW, h), out, font);
    cx += insertW + pad;
    bigButton(ui, {ButtonId::DemoRemove, remove, ButtonKind::Demo, m.cardPresent}, ImVec2(cx, y),
              ImVec2(removeW, h), out, font);
    return width;
}

// The display switches, each an icon and a word, selected while on.
struct Switches {
    std::string largeLabel;
    std::string contrastLabel;
    ImFont* font = nullptr;
    float largeW = 0.0f;
    float contrastW = 0.0f;

    float width(const Theme& t) const { return largeW + t.gap + contrastW; }
};

// `iconsOnly`: without their words (a one-row strip while a call's confirmation needs the room).
Switches measureSwitches(const ScreenContext& ui, ImFont* font, bool iconsOnly = false)
{
    const Theme& t = *ui.theme;
    Switches s;
    s.largeLabel = iconsOnly ? std::string() : ui.tr("screen.strip.large_text");
    s.contrastLabel = iconsOnly ? std::string() : ui.tr("screen.strip.high_contrast");
    s.font = font;
    const float minTarget = std::ceil(kMinTargetMm * t.pxPerMm);
    auto w = [&](const std::string& label, ButtonIcon icon) {
        return std::max(minTarget, std::ceil(labelWidth(font, label) +
                                             buttonIconWidth(t, font, icon) + 2.0f * t.gap));
    };
    s.largeW = w(s.largeLabel, ButtonIcon::LargeText);
    s.contrastW = w(s.contrastLabel, ButtonIcon::HighContrast);
    return s;
}

// Draws the switches from `x`; returns their width.
float drawSwitches(const StripModel& m, const Switches& s, float x, float y, float h,
                   Intents& out)
{
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    auto kind = [](bool on) { return on ? ButtonKind::Selected : ButtonKind::Secondary; };
    bigButton(ui,
              {ButtonId::LargeText, s.largeLabel, kind(m.display.largeText), true,
               ButtonIcon::LargeText},
              ImVec2(x, y), ImVec2(s.largeW, h), out, s.font);
    bigButton(ui,
              {ButtonId::HighContrast, s.contrastLabel, kind(m.display.highContrast), true,
               ButtonIcon::HighContrast},
              ImVec2(x + s.largeW + t.gap, y), ImVec2(s.contrastW, h), out, s.font);
    return s.width(t);
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

    // Portrait strips have two rows (theme.stripRows): the display switches on the upper one,
    // the rest on the lower; landscape strips hold everything on one.
    const bool twoRows = t.stripRows >= 2;
    const float h = twoRows ? std::floor((ui.size.y - 3.0f * t.stripPad) * 0.5f)
                            : ui.size.y - 2.0f * t.stripPad;
    const float switchY = ui.origin.y + t.stripPad;
    const float y = twoRows ? switchY + h + t.stripPad : switchY;
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

    // The display switches in the bold font, or the small one when the strip is narrow.
    Switches switches = measureSwitches(ui, f.bold);
    auto fits = [&](float used) {
        return left + used + 2.0f * t.gap + buttonW <= right + 0.5f;
    };
    if (twoRows) {
        if (switches.width(t) > right - left) {
            switches = measureSwitches(ui, f.small);
        }
    } else if (!fits(switches.width(t))) {
        buttonW = std::max(needW, right - left - switches.width(t) - 2.0f * t.gap);
    }
    if (!twoRows && !fits(switches.width(t))) {
        switches = measureSwitches(ui, f.small);
        buttonW = std::max(needW, std::min(buttonW, right - left - switches.width(t) -
                                                        2.0f * t.gap));
    }

    // The demo controls on the left, without the word デモ when the strip is narrow; not while a
    // call needs the room to say so.
    float x = left;
    if (m.demo && !m.calling) {
        bool labelled = true;
        // The switches after them on a one-row strip (with a gap between).
        float sw = twoRows ? 0.0f : t.gap + switches.width(t);
        float demoW = demoControls(m, x, y, h, true, false, out);
        if (!fits(demoW + sw)) {
            labelled = false;
            demoW = demoControls(m, x, y, h, false, false, out);
        }
        if (!twoRows && !fits(demoW + sw) && switches.font != f.small) {
            switches = measureSwitches(ui, f.small);
            sw = t.gap + switches.width(t);
        }
        if (!fits(demoW + sw)) {
            buttonW = std::max(needW, right - left - demoW - sw - 2.0f * t.gap);
        }
        // The demo controls are not for patients: with large text on a narrow strip they give
        // way rather than squeeze the patient's buttons.
        if (fits(demoW + sw)) {
            x += demoControls(m, x, y, h, labelled, true, out) +
                 (twoRows ? 2.0f * t.gap : t.gap);
        }
    }
    if (!twoRows && m.calling) {
        // The confirmation needs its room on a narrow one-row strip: the switches keep their
        // icons and give up their words while the call lasts, when the words would not fit.
        const std::string text = ui.tr("screen.strip.calling");
        const float r = std::round(h * 0.32f);
        const float textW = right - buttonW - t.gap -
                            (x + switches.width(t) + 2.0f * t.gap + 2.0f * r + t.gap);
        if (textW < 1.0f || measureText(f.small, text, textW) > h) {
            switches = measureSwitches(ui, f.small, true);
        }
    }
    // On a two-row strip a confirmation too long for the lower row (easy Japanese, large
    // text) takes both rows on the left: the switches move to the right of the upper row,
    // above 取り消す, with their words if the confirmation still fits, else their icons only.
    float textTop = y;
    float textBottom = y + h;
    float textRight = right - buttonW - t.gap;
    if (twoRows && m.calling) {
        const std::string text = ui.tr("screen.strip.calling");
        const float r = std::round(h * 0.32f);
        const float textX = x + 2.0f * r + t.gap;
        if (measureText(f.small, text, std::max(textRight - textX, 1.0f)) > h) {
            textTop = switchY;
            auto spanRight = [&](const Switches& sw) {
                return std::min(right - sw.width(t), right - buttonW) - t.gap;
            };
            if (measureText(f.small, text, std::max(spanRight(switches) - textX, 1.0f)) >
                textBottom - textTop) {
                switches = measureSwitches(ui, f.small, true);
            }
            textRight = spanRight(switches);
        }
    }
    if (twoRows) {
        drawSwitches(m, switches, textTop < y ? right - switches.width(t) : left, switchY, h,
                     out);
    } else {
        x += drawSwitches(m, switches, x, y, h, out) + 2.0f * t.gap;
    }

    if (m.calling) {
        // The confirmation, plainly: who is coming, and that waiting here is right.
        const float r = std::round(h * 0.32f);
        const float textMid = std::round((textTop + textBottom) * 0.5f);
        drawIcon(ui, Icon::Staff, ImVec2(x + r, textMid), r);
        const float textX = x + 2.0f * r + t.gap;
        const float textW = std::max(textRight - textX, 1.0f);
        const float textRoom = textBottom - textTop;
        const std::string text = ui.tr("screen.strip.calling");
        ImFont* font = f.bold;
        for (ImFont* candidate : {f.bold, f.text, f.small}) {
            font = candidate;
            if (measureText(font, text, textW) <= textRoom) {
                break;
            }
        }
        const float textH = measureText(font, text, textW);
        drawText(font, text, ImVec2(textX, std::round(textMid - textH * 0.5f)), textW,
                 Align::Left, t.color.text);
        bigButton(ui, {ButtonId::CancelCall, call, ButtonKind::Secondary}, ImVec2(right - buttonW, y),
                  ImVec2(buttonW, h), out);
    } else if (m.canCall) {
        bigButton(ui, {ButtonId::CallStaff, call, ButtonKind::Secondary}, ImVec2(right - buttonW, y),
                  ImVec2(buttonW, h), out);
    }
    endScreen();
}

} // namespace uketsuke::ui
