#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

#include <algorithm>
#include <cmath>

namespace uketsuke::ui {

namespace {

using kiosk::model::Outcome;
using kiosk::model::Problem;

// Where the result screen puts its parts in `ui`'s area.
struct ResultLayout {
    Rect content;
    float titleH = 0.0f;
    float titleW = 0.0f;
    float iconR = 0.0f;
    bool landscape = false;
    Rect panel; // the number and the name
    Rect words;
    Rect done;
};

// `share`: the part of the content the number panel takes (its width in landscape, its height
// in portrait); the words take the rest.
ResultLayout resultLayout(const ScreenContext& ui, const std::string& title, float share)
{
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    ResultLayout l;
    l.content = contentRect(ui);
    const Rect& content = l.content;
    l.iconR = std::round(f.title->FontSize * 0.5f);
    l.titleW = textWidth(f.title, title, content.width() - 3.0f * l.iconR);
    l.titleH = measureText(f.title, title, l.titleW + 1.0f);
    // Landscape: the number, the name and the way out on the left, the words on the right.
    // Portrait: number, words, way out from top to bottom.
    float top = content.min.y + l.titleH + t.gap;
    float buttonsTop = content.max.y - t.buttonHeight;
    l.landscape = content.width() > content.height() * 1.15f;
    l.panel = Rect{{content.min.x, top}, {content.max.x, buttonsTop - t.gap}};
    l.words = l.panel;
    l.done = Rect{{content.min.x, buttonsTop}, content.max};
    if (l.landscape) {
        l.panel.max.x = std::round(content.min.x + content.width() * share);
        l.done.max.x = l.panel.max.x;
        l.words.min.x = l.panel.max.x + t.gap * 2.0f;
        l.words.max.y = content.max.y;
    } else {
        l.panel.max.y = std::round(top + (buttonsTop - top) * share);
        l.words.min.y = l.panel.max.y + t.gap;
        l.words.max.y = buttonsTop - t.gap;
    }
    return l;
}

// The honorific after the name and the space before it.
float honorificWidth(const ScreenContext& ui, const std::string& honorific)
{
    ImFont* font = ui.fonts->honorific;
    if (honorific.empty()) {
        return 0.0f;
    }
    return font->CalcTextSizeA(font->FontSize, 1.0e9f, 0.0f, honorific.c_str()).x +
           std::round(font->FontSize * 0.25f);
}

// The receipt number in a white panel, the name below it.
void drawNumberPanel(const ResultModel& m, Rect box)
{
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    framedRect(box.min, box.max, t.color.surface, t.color.border, t.rounding, t.borderWidth);

    float cx = box.center().x;
    float inner = box.width() - 2.0f * t.gap;
    std::string label = ui.tr("screen.result.number_label");
    float labelH = measureText(f.bold, label, inner);
    // A long name comes wrapped onto more lines (resultNameWidth); each keeps the title's size.
    float nameH = m.name.texture != nullptr
                      ? std::round(f.title->FontSize * 0.25f) +
                            std::max(m.name.size.y, f.title->FontSize)
                      : 0.0f;
    // The number as large as the panel allows (on a low panel, with the strip below the screen,
    // it gives way first: the label and the name keep their size).
    float nameRoom = nameH > 0.0f ? t.gap + nameH : 0.0f;
    float px = std::min(f.huge->FontSize,
                        std::floor((box.height() - 2.0f * t.gap - labelH - nameRoom) / 1.05f));
    px = std::max(px, f.title->FontSize);
    float numberH = std::round(px * 1.05f);
    float total = labelH + numberH + nameRoom;
    float y = box.min.y + std::max(t.gap, std::round((box.height() - total) * 0.5f));

    drawText(f.bold, label, ImVec2(cx, y), inner, Align::Center, t.color.textMuted);
    y += labelH;
    const std::string& number = m.receiptNumber;
    // A long number is drawn smaller rather than spill out of the panel.
    const float rowPx = px;
    ImVec2 size = f.huge->CalcTextSizeA(px, 1.0e9f, 0.0f, number.c_str());
    if (size.x > inner) {
        px = std::floor(px * inner / size.x);
        size = f.huge->CalcTextSizeA(px, 1.0e9f, 0.0f, number.c_str());
    }
    ImVec2 at(std::round(cx - size.x * 0.5f), std::round(y + (rowPx - px) * 0.5f));
    addText(dl, f.huge, px, at, toU32(t.color.text), number);
    y += numberH;

    if (m.name.texture == nullptr) {
        return;
    }
    y += t.gap;
    // The name bitmap's last line and the honorific share a baseline and a size; the image is
    // as wide as resultNameWidth() allows, so it is never scaled down (a safety net only).
    std::string honorific = ui.tr("screen.result.honorific");
    ImFont* font = f.honorific;
    const float honorificW = honorificWidth(ui, honorific);
    const float space = honorific.empty() ? 0.0f : std::round(font->FontSize * 0.25f);
    ImVec2 nameSize = m.name.size;
    float scale = std::min(1.0f, (inner - honorificW) / std::max(nameSize.x, 1.0f));
    nameSize = ImVec2(std::round(nameSize.x * scale), std::round(nameSize.y * scale));
    // The last line's right end, where the honorific follows (lines are centred in the image).
    const float lastRight =
        std::round((nameSize.x + m.name.lastLineWidth * scale) * 0.5f);
    float x = std::round(cx - (nameSize.x + honorificW) * 0.5f);
    const float lastBaseline = std::round(m.name.baseline * scale);
    ImVec2 imageMin(x, y);
    dl->AddImage(m.name.texture, imageMin, ImVec2(imageMin.x + nameSize.x, imageMin.y + nameSize.y),
                 ImVec2(0, 0), ImVec2(1, 1), toU32(t.color.text));
    if (!honorific.empty()) {
        const float baseline = y + lastBaseline;
        addText(dl, font, font->FontSize,
                ImVec2(x + lastRight + space, std::round(baseline - font->Ascent)),
                toU32(t.color.text), honorific);
    }
}

std::string leadFor(const ResultModel& m, const ScreenContext& ui)
{
    if (m.problem) {
        // What happens at the desk instead, and for an outage what to show there.
        switch (*m.problem) {
        case Problem::PinLocked:
            return ui.tr("screen.result.problem.pin_locked.lead");
        case Problem::PinForgotten:
            return ui.tr("screen.result.problem.pin_forgotten.lead");
        case Problem::CertificateExpired:
            return ui.tr("screen.result.problem.certificate_expired.lead");
        case Problem::CertificateRevoked:
            return ui.tr("screen.result.problem.certificate_revoked.lead");
        case Problem::CardError:
            return ui.tr("screen.result.problem.card_error.lead");
        case Problem::ServiceUnreachable:
            return ui.tr("screen.result.problem.service_unreachable.lead");
        case Problem::ServiceError:
            return ui.tr("screen.result.problem.service_error.lead");
        }
    }
    switch (m.outcome) {
    case Outcome::Valid:
        return ui.tr("screen.result.valid.lead");
    case Outcome::Pending:
        return ui.tr("screen.result.pending.lead");
    case Outcome::Lost:
    case Outcome::NotFound:
    case Outcome::Ambiguous:
    case Outcome::Error:
    case Outcome::Unconfirmed:
        break;
    }
    // Neutral words for every other outcome: never "invalid" in front of the waiting room.
    return ui.tr("screen.result.other.lead");
}

std::string certificateNote(const ResultModel& m, const ScreenContext& ui)
{
    switch (m.certificateStatus) {
    case kiosk::model::CertificateStatus::ExpiringSoon:
        return ui.tr("screen.result.certificate_expiring");
    case kiosk::model::CertificateStatus::ExpiredInGrace:
        return ui.tr("screen.result.certificate_in_grace");
    default:
        return {};
    }
}

std::string takeFor(const ResultModel& m, const ScreenContext& ui)
{
    if (m.printFailed) {
        return m.cardPresent ? ui.tr("screen.result.take_card") : std::string();
    }
    if (m.printing) {
        // Never "take your slip" before the printer confirmed it.
        return m.cardPresent ? ui.tr("screen.result.take_card") + "\n" +
                                   ui.tr("screen.result.printing")
                             : ui.tr("screen.result.printing");
    }
    return m.cardPresent ? ui.tr("screen.result.take_card_and_slip")
                         : ui.tr("screen.result.take_slip");
}

// What the result screen draws where: the layout and the fonts of the words column.
struct ResultPlan {
    std::string title;
    ResultLayout layout;
    std::string lead;
    std::string take;
    std::string printNote;
    std::string renewNote;
    ImFont* leadFont = nullptr;
    ImFont* takeFont = nullptr;
    ImFont* printFont = nullptr; // nullptr: the panel's own
    float partGap = 0.0f;
    float total = 0.0f; // the words' height
};

// The words in the text font beside a number panel of 44 % of the content; when everything a
// patient must read does not fit (a long notice, a language with long words, a small panel,
// large text), all of it in the smaller fonts, then the take line too with the gaps halved,
// then quartered; then the same with the number panel giving the words more room; at last
// without the renewal reminder when the slip has it. The number panel's share
// decides how wide the patient's name may be (resultNameWidth), so it depends only on the
// words, never on the name.
ResultPlan planResult(const ResultModel& m, const ScreenContext& ui)
{
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    ResultPlan p;
    p.title = m.outcome == Outcome::Valid ? ui.tr("screen.result.valid.title")
                                          : ui.tr("screen.result.other.title");
    p.lead = leadFor(m, ui);
    p.take = takeFor(m, ui);
    p.printNote = m.printFailed ? ui.tr("screen.result.print_failed") : std::string();
    // The renewal reminder is secondary (the slip explains it too): the smaller font.
    const std::string certificate = certificateNote(m, ui);
    std::string notice;
    if (!m.serviceNotice.empty()) {
        notice = ui.format("screen.result.service_notice", {{"notice", m.serviceNotice}});
    }
    auto join = [](const std::string& a, const std::string& b) {
        return a.empty() ? b : b.empty() ? a : a + "\n" + b;
    };
    p.renewNote = join(certificate, notice);
    // Last, when a printed slip carries the renewal reminder, the screen leaves it to the slip.
    const bool slipReminds = !m.printFailed && !certificate.empty();
    for (float share : {0.44f, 0.38f, 0.32f, 0.26f, 0.0f}) {
        if (share == 0.0f) {
            if (!slipReminds) {
                break;
            }
            share = 0.26f;
            p.renewNote = notice;
        }
        p.layout = resultLayout(ui, p.title, share);
        const float width = p.layout.words.width();
        for (int compact : {0, 1, 2, 3}) {
            p.leadFont = compact > 0 ? f.small : f.text;
            p.takeFont = compact > 1 ? f.small : compact > 0 ? f.text : f.bold;
            p.printFont = compact > 0 ? f.small : nullptr;
            p.partGap = compact > 2   ? std::round(t.gap * 0.25f)
                        : compact > 1 ? std::round(t.gap * 0.5f)
                                      : t.gap;
            float leadH = measureText(p.leadFont, p.lead, width);
            float takeH = p.take.empty() ? 0.0f : measureText(p.takeFont, p.take, width);
            float printH =
                p.printNote.empty() ? 0.0f : measurePanel(ui, p.printNote, width, p.printFont).y;
            float renewH =
                p.renewNote.empty() ? 0.0f : measurePanel(ui, p.renewNote, width, f.small).y;
            p.total = leadH;
            for (float part : {takeH, printH, renewH}) {
                p.total += part > 0.0f ? p.partGap + part : 0.0f;
            }
            // (A panel's frame is drawn across its edge: half of it lies outside.)
            if (p.total + t.borderWidth <= p.layout.words.height()) {
                return p;
            }
        }
    }
    return p;
}

} // namespace

float resultNameWidth(const ResultModel& m)
{
    // Measuring draws nothing: no key is recorded as shown (expect-text).
    ScreenContext ui = m.ui;
    ui.shownKeys = nullptr;
    const ResultPlan p = planResult(m, ui);
    const float inner = p.layout.panel.width() - 2.0f * ui.theme->gap;
    return std::max(1.0f, inner - honorificWidth(ui, ui.tr("screen.result.honorific")));
}

void drawResult(const ResultModel& m, Intents& out)
{
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    beginScreen(ui, "result");
    bool valid = m.outcome == Outcome::Valid;
    const ResultPlan p = planResult(m, ui);

    // The title with its mark, across the top.
    const std::string& title = p.title;
    const ResultLayout& l = p.layout;
    const Rect& content = l.content;
    const float iconR = l.iconR;
    const float titleW = l.titleW;
    const float titleH = l.titleH;
    float rowW = 2.0f * iconR + t.gap + titleW;
    float x = std::round(content.center().x - rowW * 0.5f);
    drawIcon(ui, valid ? Icon::Check : Icon::Staff,
             ImVec2(x + iconR, content.min.y + titleH * 0.5f), iconR);
    drawText(f.title, title, ImVec2(x + 2.0f * iconR + t.gap, content.min.y), titleW + 1.0f,
             Align::Left, t.color.text);
    const Rect& panel = l.panel;
    const Rect& words = l.words;
    const Rect& done = l.done;
    drawNumberPanel(m, panel);
    float doneW = std::min(t.buttonWidth, done.width());
    bigButton(ui, {ButtonId::Done, ui.tr("screen.common.done"), ButtonKind::Secondary},
              ImVec2(std::round(done.center().x - doneW * 0.5f), done.min.y),
              ImVec2(doneW, t.buttonHeight), out);

    float width = words.width();
    float cx = words.center().x;
    const float partGap = p.partGap;
    float y = words.min.y + std::max(0.0f, std::round((words.height() - p.total) * 0.5f));
    y += drawText(p.leadFont, p.lead, ImVec2(cx, y), width, Align::Center, t.color.text) +
         partGap;
    if (!p.take.empty()) {
        y += drawText(p.takeFont, p.take, ImVec2(cx, y), width, Align::Center, t.color.text) +
             partGap;
    }
    if (!p.printNote.empty()) {
        y += notePanel(ui, PanelKind::Attention, p.printNote, ImVec2(cx, y), width, Align::Center,
                       p.printFont)
                 .y +
             partGap;
    }
    if (!p.renewNote.empty()) {
        notePanel(ui, PanelKind::Info, p.renewNote, ImVec2(cx, y), width, Align::Center, f.small);
    }
    endScreen();
}

} // namespace uketsuke::ui
