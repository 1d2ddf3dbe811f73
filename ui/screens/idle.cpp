#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace uketsuke::ui {
namespace {

// Draws the picker right-aligned from the top of `area` and returns its height. Each name is
// drawn in its own language's face; in the bold font when the row fits, else in the smaller one;
// rows wrap only when even that does not fit (a narrow portrait panel).
float drawLanguagePicker(const ScreenContext& ui, Rect area, Intents& out)
{
    const Theme& t = *ui.theme;
    const std::vector<LanguageChoice>& choices = *ui.languages;
    auto fontOf = [&](const LanguageChoice& choice, bool small) {
        const FontSet& set = choice.fonts != nullptr ? *choice.fonts : *ui.fonts;
        return small ? set.small : set.bold;
    };
    auto widthsWith = [&](bool small) {
        std::vector<float> widths;
        for (const auto& choice : choices) {
            float label = textWidth(fontOf(choice, small), choice.name, 1.0e9f);
            widths.push_back(std::min(area.width(), std::max(std::round(t.buttonWidth * 0.4f),
                                                             std::round(label + 1.5f * t.gap))));
        }
        return widths;
    };
    auto rowWidth = [&](const std::vector<float>& widths) {
        float sum = 0.0f;
        for (float w : widths) {
            sum += w;
        }
        return sum + t.gap * static_cast<float>(widths.size() - 1);
    };
    bool small = false;
    std::vector<float> widths = widthsWith(false);
    if (rowWidth(widths) > area.width()) {
        small = true;
        widths = widthsWith(true);
    }
    // Greedy rows, each right-aligned.
    std::vector<std::pair<std::size_t, std::size_t>> rows; // [begin, end)
    float used = 0.0f;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        float need = widths[i] + (used > 0.0f ? t.gap : 0.0f);
        if (rows.empty() || used + need > area.width()) {
            rows.emplace_back(i, i + 1);
            used = widths[i];
        } else {
            rows.back().second = i + 1;
            used += need;
        }
    }
    out.languages.clear();
    float y = area.min.y;
    for (const auto& [begin, end] : rows) {
        float width = 0.0f;
        for (std::size_t i = begin; i < end; ++i) {
            width += widths[i] + (i > begin ? t.gap : 0.0f);
        }
        float x = area.max.x - width;
        for (std::size_t i = begin; i < end; ++i) {
            bool selected = choices[i].code == ui.lang();
            out.languages.push_back(choices[i].code);
            bigButton(ui,
                      {languageButton(static_cast<int>(i)), choices[i].name,
                       selected ? ButtonKind::Selected : ButtonKind::Secondary},
                      ImVec2(x, y), ImVec2(widths[i], t.keyHeight), out,
                      fontOf(choices[i], small));
            x += widths[i] + t.gap;
        }
        y += t.keyHeight + t.gap;
    }
    return y - t.gap - area.min.y;
}

// "月" for Monday, in the patient's language (literal keys: the atlas and the string tests
// find them).
std::string weekdayName(const ScreenContext& ui, std::chrono::weekday day)
{
    switch (day.c_encoding()) {
    case 0:
        return ui.tr("screen.weekday.0");
    case 1:
        return ui.tr("screen.weekday.1");
    case 2:
        return ui.tr("screen.weekday.2");
    case 3:
        return ui.tr("screen.weekday.3");
    case 4:
        return ui.tr("screen.weekday.4");
    case 5:
        return ui.tr("screen.weekday.5");
    default:
        return ui.tr("screen.weekday.6");
    }
}

// "12月7日（月）8:30" in the patient's language.
std::string opensText(const ScreenContext& ui, const uketsuke::time::LocalTime& at)
{
    char minute[4];
    std::snprintf(minute, sizeof minute, "%02d", static_cast<int>(at.time.minutes().count()));
    return ui.format("screen.closed.when",
        {{"month", std::to_string(static_cast<unsigned>(at.date.month()))},
         {"day", std::to_string(static_cast<unsigned>(at.date.day()))},
         {"weekday", weekdayName(ui, at.weekday)},
         {"hour", std::to_string(at.time.hours().count())},
         {"minute", minute}});
}

} // namespace

void drawIdle(const IdleModel& m, Intents& out)
{
    if (m.outOfService) {
        // Closed by staff: nothing to press, only where to go instead.
        Message msg;
        msg.picture = Message::Picture::Icon;
        msg.icon = Icon::Staff;
        msg.title = m.ui.tr("screen.out_of_service.title");
        msg.lead = m.ui.tr("screen.out_of_service.lead");
        drawMessageScreen(m.ui, "idle", msg, out);
        return;
    }
    if (m.closedHours) {
        // Outside the opening hours: when check-in opens again.
        Message msg;
        msg.picture = Message::Picture::Icon;
        msg.icon = Icon::Staff;
        msg.title = m.ui.tr("screen.closed.title");
        msg.lead = m.opensAt ? m.ui.format("screen.closed.lead", {{"when", opensText(m.ui, *m.opensAt)}})
                             : m.ui.tr("screen.closed.lead_unknown");
        drawMessageScreen(m.ui, "idle", msg, out);
        return;
    }
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    beginScreen(ui, "idle");
    Rect content = contentRect(ui);
    float cx = content.center().x;
    float top = content.min.y;

    // The language picker, top right: one button per translation file, each naming its
    // language in its own words; rows wrap when the screen is narrow.
    if (m.canSwitchLanguage && ui.languages != nullptr && ui.languages->size() > 1) {
        top += drawLanguagePicker(ui, content, out);
    }

    float width = textColumnWidth(ui, content.width());
    // The main button starts the My Number card path, or, on a terminal that cannot check
    // cards, the insurance card form. Where both work, the form is the second button and
    // replaces the "ask at the desk" note.
    bool both = m.canStart && m.canUseInsuranceCard;
    bool formOnly = !m.canStart && m.canUseInsuranceCard;
    std::string title = ui.tr("screen.idle.title");
    std::string lead = formOnly ? ui.tr("screen.idle.lead_insurance") : ui.tr("screen.idle.lead");
    // The card reader is away: say so before the patient tries (the form still works). So for
    // the printer: check-ins go on, the number is shown instead of a slip. Either replaces the
    // usual note (only words that are drawn are looked up: scripts wait for them).
    bool noReader = m.canStart && !m.readerAvailable;
    bool noPrinter = !m.printerAvailable;
    std::string note;
    if (noReader || noPrinter) {
        note = noReader ? ui.tr("screen.idle.no_reader") : std::string();
        if (noPrinter) {
            note += (note.empty() ? "" : "\n") + ui.tr("screen.idle.no_printer");
        }
    } else if (formOnly) {
        note = ui.tr("screen.idle.no_my_number");
    } else if (!both) {
        note = ui.tr("screen.idle.no_card");
    }
    const bool attention = noReader || noPrinter;
    float startW = std::min(content.width(), std::round(t.buttonWidth * 1.7f));
    bool main = m.canStart || m.canUseInsuranceCard;
    // At full size; when a device note and the strip leave too little room (a small panel), the
    // title in the text's bold, the lead in the small font, the main button as high as any, the
    // gaps single.
    ImFont* titleFont = f.title;
    ImFont* leadFont = f.text;
    float startH = 0.0f;
    float wide = 0.0f; // the gap around the main button
    float titleH = 0.0f;
    float leadH = 0.0f;
    float noteH = 0.0f;
    float total = 0.0f;
    // (Large text with two device notes: the main button lower still, never below the touch
    // target; on a small panel the welcome and its lead then give their room to the notes,
    // which say what works today.)
    bool greet = true;
    for (int compact : {0, 1, 2, 3}) {
        greet = compact < 3;
        titleFont = compact > 0 ? f.bold : f.title;
        leadFont = compact > 0 ? f.small : f.text;
        startH = compact == 0 ? std::round(t.buttonHeight * 1.35f)
                 : compact == 1
                     ? t.buttonHeight
                     : std::max(std::ceil(kMinTargetMm * t.pxPerMm),
                                std::round(t.buttonHeight * 0.85f));
        wide = compact ? t.gap : 2.0f * t.gap;
        titleH = greet ? measureText(titleFont, title, width) : 0.0f;
        leadH = greet ? measureText(leadFont, lead, width) : 0.0f;
        noteH = note.empty() ? 0.0f
                : attention  ? measurePanel(ui, note, width, f.small).y
                             : measureText(leadFont, note, width);
        total = (greet ? titleH + t.gap + leadH : 0.0f) + (main ? wide + startH : 0.0f) +
                (both ? t.gap + t.buttonHeight : 0.0f) + (noteH > 0.0f ? wide + noteH : 0.0f);
        if (!greet && main) {
            total -= wide; // nothing above the main button
        }
        if (total <= content.max.y - top) {
            break;
        }
    }
    float y = top + std::max(0.0f, std::round((content.max.y - top - total) * 0.5f));

    if (greet) {
        drawText(titleFont, title, ImVec2(cx, y), width, Align::Center, t.color.text);
        y += titleH + t.gap;
        drawText(leadFont, lead, ImVec2(cx, y), width, Align::Center, t.color.text);
        y += leadH;
    } else {
        y -= wide; // the main button at the top
    }
    float x = std::round(cx - startW * 0.5f);
    if (m.canStart) {
        y += wide;
        bigButton(ui, {ButtonId::Start, ui.tr("screen.idle.start"), ButtonKind::Primary},
                  ImVec2(x, y), ImVec2(startW, startH), out, f.title);
        y += startH;
    }
    if (m.canUseInsuranceCard) {
        bool primary = !m.canStart;
        y += primary ? wide : t.gap;
        float h = primary ? startH : t.buttonHeight;
        bigButton(ui,
                  {ButtonId::InsuranceCard, ui.tr("screen.idle.insurance_card"),
                   primary ? ButtonKind::Primary : ButtonKind::Secondary},
                  ImVec2(x, y), ImVec2(startW, h), out, primary ? f.title : nullptr);
        y += h;
    }
    if (noteH > 0.0f) {
        y += wide;
        if (attention) {
            notePanel(ui, PanelKind::Attention, note, ImVec2(cx, y), width, Align::Center,
                      f.small);
        } else {
            drawText(leadFont, note, ImVec2(cx, y), width, Align::Center, t.color.textMuted);
        }
    }
    endScreen();
}

} // namespace uketsuke::ui
