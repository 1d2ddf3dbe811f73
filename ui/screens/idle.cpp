#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

#include <algorithm>
#include <cmath>

namespace uketsuke::ui {

void drawIdle(const IdleModel& m, Intents& out)
{
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    beginScreen(ui, "idle");
    Rect content = contentRect(ui);
    float cx = content.center().x;
    float top = content.min.y;

    // The language toggle, top right: each language named in its own words.
    if (m.canSwitchLanguage) {
        bool ja = ui.lang() == "ja";
        float w = std::round(t.buttonWidth * 0.55f);
        ImVec2 size(w, t.keyHeight);
        float x = content.max.x - 2.0f * w - t.gap;
        bigButton(ui,
                  {ButtonId::LangJa, ui.tr("screen.lang.ja"),
                   ja ? ButtonKind::Selected : ButtonKind::Secondary},
                  ImVec2(x, content.min.y), size, out);
        bigButton(ui,
                  {ButtonId::LangEn, ui.tr("screen.lang.en"),
                   ja ? ButtonKind::Secondary : ButtonKind::Selected},
                  ImVec2(x + w + t.gap, content.min.y), size, out);
        top += t.keyHeight;
    }

    float width = textColumnWidth(ui, content.width());
    std::string title = ui.tr("screen.idle.title");
    std::string lead = ui.tr("screen.idle.lead");
    std::string note = ui.tr("screen.idle.no_card");
    float titleH = measureText(f.title, title, width);
    float leadH = measureText(f.text, lead, width);
    float noteH = measureText(f.text, note, width);
    float startW = std::min(content.width(), std::round(t.buttonWidth * 1.7f));
    float startH = std::round(t.buttonHeight * 1.35f);
    float total = titleH + t.gap + leadH + 2.0f * t.gap + startH + 2.0f * t.gap + noteH;
    float y = top + std::max(0.0f, std::round((content.max.y - top - total) * 0.5f));

    drawText(f.title, title, ImVec2(cx, y), width, Align::Center, t.color.text);
    y += titleH + t.gap;
    drawText(f.text, lead, ImVec2(cx, y), width, Align::Center, t.color.text);
    y += leadH + 2.0f * t.gap;
    bigButton(ui, {ButtonId::Start, ui.tr("screen.idle.start"), ButtonKind::Primary},
              ImVec2(std::round(cx - startW * 0.5f), y), ImVec2(startW, startH), out, f.title);
    y += startH + 2.0f * t.gap;
    drawText(f.text, note, ImVec2(cx, y), width, Align::Center, t.color.textMuted);
    endScreen();
}

} // namespace uketsuke::ui
