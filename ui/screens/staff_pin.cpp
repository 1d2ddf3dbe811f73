#include "ui/screens/message_layout.hpp"
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
    const PinLayout layout = pinLayout(ui, content);
    const Rect& words = layout.words;
    const Rect& pad = layout.pad;
    const Rect& ok = layout.ok;
    const Rect& cancel = layout.cancel;

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
