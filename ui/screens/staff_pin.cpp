#include "ui/screens/screens.hpp"

#include "ui/widgets.hpp"

#include <algorithm>
#include <cmath>

namespace uketsuke::ui {

// The staff PIN: words and dots on the left, the keypad with OK on the right, Cancel under the
// words (portrait: stacked). Like the card's PIN screen, but for staff: 4 to 8 digits.
void drawStaffPin(const StaffPinModel& m, Intents& out)
{
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    beginScreen(ui, "staff_pin");
    Rect content = contentRect(ui);
    const bool landscape = content.width() > content.height() * 1.15f;
    const float okH = t.buttonHeight;
    const float minPad = keypadHeight(t);
    Rect words = content;
    Rect pad;
    Rect ok;
    Rect cancel;
    if (landscape) {
        float padW = std::min(std::round(content.width() * 0.41f), t.keyHeight * 6.0f);
        float padH = std::clamp(content.height() - okH - t.gap, minPad, minPad * 1.25f);
        pad = {{content.max.x - padW, content.min.y}, {content.max.x, content.min.y + padH}};
        ok = {{pad.min.x, pad.max.y + t.gap}, {pad.max.x, pad.max.y + t.gap + okH}};
        words.max.x = pad.min.x - std::round(t.gap * 2.0f);
        float cancelW = std::min(words.width(), t.buttonWidth);
        float cx = words.center().x;
        cancel = {{std::round(cx - cancelW * 0.5f), ok.min.y},
                  {std::round(cx + cancelW * 0.5f), ok.max.y}};
        words.max.y = ok.min.y - t.gap;
    } else {
        float padW = std::min(content.width(), t.keyHeight * 6.0f);
        float padH = minPad * 1.15f;
        float cx = content.center().x;
        ok = {{cx + t.gap * 0.5f, content.max.y - okH}, {cx + padW * 0.5f, content.max.y}};
        cancel = {{cx - padW * 0.5f, ok.min.y}, {cx - t.gap * 0.5f, ok.max.y}};
        pad = {{cx - padW * 0.5f, ok.min.y - t.gap * 2.0f - padH},
               {cx + padW * 0.5f, ok.min.y - t.gap * 2.0f}};
        words.max.y = pad.min.y - t.gap;
    }

    numericKeypad(ui, pad, out, !m.checking); // keys typed while checking would be lost
    const bool canSubmit = m.digits >= StaffPin::kMinLength && !m.checking;
    bigButton(ui, {ButtonId::Ok, ui.tr("screen.keypad.ok"), ButtonKind::Primary, canSubmit},
              ok.min, ImVec2(ok.width(), ok.height()), out, f.title);
    bigButton(ui, {ButtonId::Cancel, ui.tr("screen.common.cancel"), ButtonKind::Secondary},
              cancel.min, ImVec2(cancel.width(), cancel.height()), out);

    const float width = words.width();
    const float cx = words.center().x;
    std::string title = ui.tr("staff.pin.title");
    std::string lead = ui.tr(m.noAccounts ? "staff.pin.no_accounts" : "staff.pin.lead");
    float y = words.min.y + std::round(words.height() * 0.12f);
    y += drawText(f.title, title, ImVec2(cx, y), width, Align::Center, t.color.text) + t.gap;
    y += drawText(f.small, lead, ImVec2(cx, y), width, Align::Center, t.color.textMuted) + t.gap;
    const float dotsW = std::min(width, std::round(t.dotRadius * 28.0f));
    const float dotsH = std::round(t.dotRadius * 2.0f + t.gap * 2.0f);
    Rect dots{{std::round(cx - dotsW * 0.5f), y}, {std::round(cx + dotsW * 0.5f), y + dotsH}};
    framedRect(dots.min, dots.max, t.color.surface, t.color.border, t.rounding, t.borderWidth);
    pinDots(ui, dots.center(), m.digits, std::max<std::size_t>(m.digits, StaffPin::kMinLength));
    y = dots.max.y + t.gap;
    if (m.checking) {
        drawText(f.text, ui.tr("staff.pin.checking"), ImVec2(cx, y), width, Align::Center,
                 t.color.textMuted);
    } else if (m.wrongInARow > 0) {
        notePanel(ui, PanelKind::Attention, ui.tr("staff.pin.wrong"), ImVec2(cx, y), width,
                  Align::Center);
    }
    endScreen();
}

} // namespace uketsuke::ui
