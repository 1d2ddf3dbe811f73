#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

#include <algorithm>
#include <cmath>

namespace uketsuke::ui {

namespace {

using kiosk::model::Outcome;
using kiosk::model::Problem;

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
    float nameH = m.name.texture != nullptr ? std::round(f.title->FontSize * 1.25f) : 0.0f;
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
    dl->AddText(f.huge, px, at, toU32(t.color.text), number.c_str());
    y += numberH;

    if (m.name.texture == nullptr) {
        return;
    }
    y += t.gap;
    // The name bitmap and the honorific share a baseline and a size.
    std::string honorific = ui.tr("screen.result.honorific");
    ImFont* font = f.honorific;
    float honorificW = honorific.empty()
                           ? 0.0f
                           : font->CalcTextSizeA(font->FontSize, 1.0e9f, 0.0f, honorific.c_str()).x;
    float space = honorific.empty() ? 0.0f : std::round(font->FontSize * 0.25f);
    ImVec2 nameSize = m.name.size;
    float scale = std::min(1.0f, (inner - honorificW - space) / std::max(nameSize.x, 1.0f));
    nameSize = ImVec2(std::round(nameSize.x * scale), std::round(nameSize.y * scale));
    float x = std::round(cx - (nameSize.x + space + honorificW) * 0.5f);
    float baseline = y + std::round(font->Ascent);
    ImVec2 imageMin(x, baseline - std::round(m.name.baseline * scale));
    dl->AddImage(m.name.texture, imageMin, ImVec2(imageMin.x + nameSize.x, imageMin.y + nameSize.y),
                 ImVec2(0, 0), ImVec2(1, 1), toU32(t.color.text));
    if (!honorific.empty()) {
        dl->AddText(font, font->FontSize, ImVec2(x + nameSize.x + space, y), toU32(t.color.text),
                    honorific.c_str());
    }
}

std::string leadFor(const ResultModel& m)
{
    if (m.problem) {
        // What happens at the desk instead, and for an outage what to show there.
        switch (*m.problem) {
        case Problem::PinLocked:
            return m.ui.tr("screen.result.problem.pin_locked.lead");
        case Problem::PinForgotten:
            return m.ui.tr("screen.result.problem.pin_forgotten.lead");
        case Problem::CertificateExpired:
            return m.ui.tr("screen.result.problem.certificate_expired.lead");
        case Problem::CertificateRevoked:
            return m.ui.tr("screen.result.problem.certificate_revoked.lead");
        case Problem::CardError:
            return m.ui.tr("screen.result.problem.card_error.lead");
        case Problem::ServiceUnreachable:
            return m.ui.tr("screen.result.problem.service_unreachable.lead");
        case Problem::ServiceError:
            return m.ui.tr("screen.result.problem.service_error.lead");
        }
    }
    switch (m.outcome) {
    case Outcome::Valid:
        return m.ui.tr("screen.result.valid.lead");
    case Outcome::Pending:
        return m.ui.tr("screen.result.pending.lead");
    case Outcome::Lost:
    case Outcome::NotFound:
    case Outcome::Ambiguous:
    case Outcome::Error:
    case Outcome::Unconfirmed:
        break;
    }
    // Neutral words for every other outcome: never "invalid" in front of the waiting room.
    return m.ui.tr("screen.result.other.lead");
}

std::string certificateNote(const ResultModel& m)
{
    switch (m.certificateStatus) {
    case kiosk::model::CertificateStatus::ExpiringSoon:
        return m.ui.tr("screen.result.certificate_expiring");
    case kiosk::model::CertificateStatus::ExpiredInGrace:
        return m.ui.tr("screen.result.certificate_in_grace");
    default:
        return {};
    }
}

std::string takeFor(const ResultModel& m)
{
    if (m.printFailed) {
        return m.cardPresent ? m.ui.tr("screen.result.take_card") : std::string();
    }
    if (m.printing) {
        // Never "take your slip" before the printer confirmed it.
        return m.cardPresent ? m.ui.tr("screen.result.take_card") + "\n" +
                                   m.ui.tr("screen.result.printing")
                             : m.ui.tr("screen.result.printing");
    }
    return m.cardPresent ? m.ui.tr("screen.result.take_card_and_slip")
                         : m.ui.tr("screen.result.take_slip");
}

} // namespace

void drawResult(const ResultModel& m, Intents& out)
{
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    beginScreen(ui, "result");
    Rect content = contentRect(ui);
    bool valid = m.outcome == Outcome::Valid;

    // The title with its mark, across the top.
    std::string title =
        valid ? ui.tr("screen.result.valid.title") : ui.tr("screen.result.other.title");
    float iconR = std::round(f.title->FontSize * 0.5f);
    float titleW = textWidth(f.title, title, content.width() - 3.0f * iconR);
    float rowW = 2.0f * iconR + t.gap + titleW;
    float x = std::round(content.center().x - rowW * 0.5f);
    float titleH = measureText(f.title, title, titleW + 1.0f);
    drawIcon(ui, valid ? Icon::Check : Icon::Staff,
             ImVec2(x + iconR, content.min.y + titleH * 0.5f), iconR);
    drawText(f.title, title, ImVec2(x + 2.0f * iconR + t.gap, content.min.y), titleW + 1.0f,
             Align::Left, t.color.text);

    // Landscape: the number, the name and the way out on the left, the words on the right.
    // Portrait: number, words, way out from top to bottom.
    float top = content.min.y + titleH + t.gap;
    float buttonsTop = content.max.y - t.buttonHeight;
    bool landscape = content.width() > content.height() * 1.15f;
    Rect panel{{content.min.x, top}, {content.max.x, buttonsTop - t.gap}};
    Rect words = panel;
    Rect done{{content.min.x, buttonsTop}, content.max};
    if (landscape) {
        panel.max.x = std::round(content.min.x + content.width() * 0.44f);
        done.max.x = panel.max.x;
        words.min.x = panel.max.x + t.gap * 2.0f;
        words.max.y = content.max.y;
    } else {
        panel.max.y = std::round(top + (buttonsTop - top) * 0.45f);
        words.min.y = panel.max.y + t.gap;
        words.max.y = buttonsTop - t.gap;
    }
    drawNumberPanel(m, panel);
    float doneW = std::min(t.buttonWidth, done.width());
    bigButton(ui, {ButtonId::Done, ui.tr("screen.common.done"), ButtonKind::Secondary},
              ImVec2(std::round(done.center().x - doneW * 0.5f), done.min.y),
              ImVec2(doneW, t.buttonHeight), out);

    float width = words.width();
    float cx = words.center().x;
    std::string lead = leadFor(m);
    std::string take = takeFor(m);
    std::string printNote = m.printFailed ? ui.tr("screen.result.print_failed") : std::string();
    // The renewal reminder is secondary (the slip explains it too): the smaller font.
    std::string renewNote = certificateNote(m);
    if (!m.serviceNotice.empty()) {
        std::string notice = ui.format("screen.result.service_notice", {{"notice", m.serviceNotice}});
        renewNote = renewNote.empty() ? notice : renewNote + "\n" + notice;
    }
    // The words in the text font; when everything a patient must read does not fit (a long
    // notice, a language with long words, a small panel), all of it in the smaller fonts.
    ImFont* leadFont = f.text;
    ImFont* takeFont = f.bold;
    ImFont* printFont = nullptr; // the panel's own
    float total = 0.0f;
    for (bool compact : {false, true}) {
        if (compact) {
            leadFont = f.small;
            takeFont = f.text;
            printFont = f.small;
        }
        float leadH = measureText(leadFont, lead, width);
        float takeH = take.empty() ? 0.0f : measureText(takeFont, take, width);
        float printH = printNote.empty() ? 0.0f : measurePanel(ui, printNote, width, printFont).y;
        float renewH = renewNote.empty() ? 0.0f : measurePanel(ui, renewNote, width, f.small).y;
        total = leadH;
        for (float part : {takeH, printH, renewH}) {
            total += part > 0.0f ? t.gap + part : 0.0f;
        }
        if (total <= words.height()) {
            break;
        }
    }
    float y = words.min.y + std::max(0.0f, std::round((words.height() - total) * 0.5f));
    y += drawText(leadFont, lead, ImVec2(cx, y), width, Align::Center, t.color.text) + t.gap;
    if (!take.empty()) {
        y += drawText(takeFont, take, ImVec2(cx, y), width, Align::Center, t.color.text) + t.gap;
    }
    if (!printNote.empty()) {
        y += notePanel(ui, PanelKind::Attention, printNote, ImVec2(cx, y), width, Align::Center,
                       printFont)
                 .y +
             t.gap;
    }
    if (!renewNote.empty()) {
        notePanel(ui, PanelKind::Info, renewNote, ImVec2(cx, y), width, Align::Center, f.small);
    }
    endScreen();
}

} // namespace uketsuke::ui
