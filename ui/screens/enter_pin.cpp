#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace uketsuke::ui {

void drawEnterPin(const EnterPinModel& m, Intents& out)
{
    if (m.stillThere) {
        drawStillThere(m.ui, "enter_pin", out); // the digits typed so far are kept
        return;
    }
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    beginScreen(ui, "enter_pin");
    Rect content = contentRect(ui);

    const PinLayout layout = pinLayout(ui, content, true);
    const Rect& words = layout.words;
    const Rect& pad = layout.pad;
    const Rect& ok = layout.ok;
    const Rect& cancel = layout.cancel;

    numericKeypad(ui, pad, out);
    bool complete = m.digits >= m.length;
    bigButton(ui, {ButtonId::Ok, ui.tr("screen.keypad.ok"), ButtonKind::Primary, complete}, ok.min,
              ImVec2(ok.width(), ok.height()), out, f.title);
    bigButton(ui, {ButtonId::Cancel, ui.tr("screen.common.cancel"), ButtonKind::Secondary},
              cancel.min, ImVec2(cancel.width(), cancel.height()), out);
    // For the patient who does not know the PIN (or whose card has none): staff can help.
    const Rect& help = layout.help;
    bigButton(ui, {ButtonId::AskStaff, ui.tr("screen.enter_pin.forgot"), ButtonKind::Secondary},
              help.min, ImVec2(help.width(), help.height()), out);

    // The words, the dots and the tries left, centred in their column.
    float width = words.width();
    float cx = words.center().x;
    std::string title = ui.tr("screen.enter_pin.title");
    std::string lead = ui.tr("screen.enter_pin.lead");
    std::string tries;
    if (m.triesLeft == 1 || m.triesLeft == 2) {
        tries = m.triesLeft == 1 ? ui.tr("screen.enter_pin.one_left")
                                 : ui.format("screen.enter_pin.tries_left",
                                             {{"n", std::to_string(m.triesLeft)}});
    }
    // Which PIN it is matters less than typing it: the lead is the smaller note. When the
    // words do not fit their column (large text on a small panel, a long reading in easy
    // Japanese), the title in the bold text font and the tries in the small one; then the
    // lead gives way (the four dots say how many digits).
    ImFont* titleFont = f.title;
    ImFont* triesFont = nullptr; // the panel's own
    float titleH = 0.0f;
    float leadH = 0.0f;
    float triesH = 0.0f;
    float total = 0.0f;
    float dotsW = std::min(width, std::round(t.dotRadius * 16.0f));
    float dotsH = std::round(t.dotRadius * 2.0f + t.gap * 2.0f);
    for (int compact : {0, 1, 2}) {
        titleFont = compact > 0 ? f.bold : f.title;
        triesFont = compact > 0 ? f.small : nullptr;
        titleH = measureText(titleFont, title, width);
        leadH = compact > 1 ? 0.0f : measureText(f.small, lead, width) + t.gap;
        triesH = tries.empty() ? 0.0f : measurePanel(ui, tries, width, triesFont).y;
        total = titleH + t.gap + leadH + dotsH + (triesH > 0.0f ? t.gap + triesH : 0.0f);
        // (The words may take the gap above the keypad, or above the buttons.)
        if (total <= words.height() + t.gap) {
            break;
        }
    }
    float y = words.min.y + std::max(0.0f, std::round((words.height() - total) * 0.4f));

    y += drawText(titleFont, title, ImVec2(cx, y), width, Align::Center, t.color.text) + t.gap;
    if (leadH > 0.0f) {
        y += drawText(f.small, lead, ImVec2(cx, y), width, Align::Center, t.color.textMuted) +
             t.gap;
    }
    Rect dots{{std::round(cx - dotsW * 0.5f), y}, {std::round(cx + dotsW * 0.5f), y + dotsH}};
    framedRect(dots.min, dots.max, t.color.surface, t.color.border, t.rounding, t.borderWidth);
    pinDots(ui, dots.center(), m.digits, m.length);
    y = dots.max.y + t.gap;
    if (!tries.empty()) {
        notePanel(ui, PanelKind::Attention, tries, ImVec2(cx, y), width, Align::Center, triesFont);
    }
    endScreen();
}

} // namespace uketsuke::ui
