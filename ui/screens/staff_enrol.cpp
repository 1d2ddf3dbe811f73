#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

#include "ui/widgets.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace uketsuke::ui {
namespace {

using kiosk::staff::EnrolField;

// The digits typed so far, in groups of four for the activation code ("4829 13__ ____"), so
// that staff can compare them with the paper they read them from; blanks show what is left.
std::string shownDigits(const std::string& digits, std::size_t length, bool grouped)
{
    std::string out;
    for (std::size_t i = 0; i < length; ++i) {
        if (grouped && i > 0 && i % 4 == 0) {
            out += ' ';
        }
        out += i < digits.size() ? digits[i] : '_';
    }
    return out;
}

} // namespace

// Enrolment (administrators): words and the two fields on the left, the keypad with 登録する on
// the right, 戻る (and 端末を再起動 once enrolled) under the words; portrait: stacked. A field
// is a button: touching it makes the keypad type into it. Pairing with the desk is the same
// page with its own words (staff.pair.*), the desk's address, and one field: the pairing code.
void drawStaffEnrol(const StaffEnrolModel& m, Intents& out)
{
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    const FontSet& f = *ui.fonts;
    beginScreen(ui, m.pairing ? "staff_pair" : "staff_enrol");
    const std::string keys = m.pairing ? "staff.pair." : "staff.enrol.";
    auto tr = [&](const char* key) { return ui.tr(keys + key); };
    const PinLayout layout = pinLayout(ui, contentRect(ui));
    const Rect& words = layout.words;
    const Rect& cancel = layout.cancel;

    numericKeypad(ui, layout.pad, out, !m.enrolling);
    bigButton(ui,
              {ButtonId::StaffEnrolSubmit, tr("submit"), ButtonKind::Primary,
               m.complete && !m.enrolling},
              layout.ok.min, ImVec2(layout.ok.width(), layout.ok.height()), out, f.title);
    const bool enrolled = m.result && m.result->ok;
    if (enrolled && m.admin) {
        // The new certificate is taken at the next start: 戻る and 端末を再起動 side by side,
        // across the words (landscape), or in 戻る's place beside 登録する (portrait).
        const bool landscape = words.max.x <= layout.pad.min.x;
        const float left = landscape ? words.min.x : cancel.min.x;
        const float right = landscape ? words.max.x : cancel.max.x;
        const float w = std::floor((right - left - t.gap) * 0.5f);
        bigButton(ui, {ButtonId::Cancel, ui.tr("staff.enrol.back"), ButtonKind::Secondary},
                  ImVec2(left, cancel.min.y), ImVec2(w, cancel.height()), out);
        bigButton(ui, {ButtonId::StaffRestart, ui.tr("staff.action.restart"), ButtonKind::Primary},
                  ImVec2(right - w, cancel.min.y), ImVec2(w, cancel.height()), out);
    } else {
        bigButton(ui,
                  {ButtonId::Cancel, ui.tr("staff.enrol.back"), ButtonKind::Secondary,
                   !m.enrolling},
                  cancel.min, ImVec2(cancel.width(), cancel.height()), out);
    }

    const float width = words.width();
    const float x = words.min.x;
    float y = words.min.y;
    y += drawText(f.title, tr("title"), ImVec2(x, y), width, Align::Left,
                  t.color.text) +
         t.gap * 0.5f;
    // Under the title: what to do, or once a request ran, what came of it (the fields stay as
    // typed after a failure, so a retry is one press).
    if (m.enrolling) {
        y += drawText(f.text, tr("working"), ImVec2(x, y), width, Align::Left,
                      t.color.textMuted);
    } else if (m.result) {
        std::string text = m.result->ok
                               ? ui.format(m.result->key, {{"terminal", m.result->terminalId},
                                                           {"until", m.result->notAfter}})
                               : ui.tr(m.result->key);
        if (!m.result->ok && !m.result->detail.empty()) {
            text += " (" + m.result->detail + ")"; // the error's code, for whoever helps
        }
        y += notePanel(ui, m.result->ok ? PanelKind::Info : PanelKind::Attention, text,
                       ImVec2(x, y), width, Align::Left, f.small)
                 .y;
    } else if (m.pairing) {
        y += drawText(f.small, ui.format("staff.pair.lead", {{"desk", m.deskUrl}}), ImVec2(x, y),
                      width, Align::Left, t.color.textMuted);
    } else {
        y += drawText(f.small, tr("lead"), ImVec2(x, y), width, Align::Left, t.color.textMuted);
    }
    y += t.gap;

    // The fields (two, or the pairing code alone): a label, and the digits on a button that
    // selects the field; as tall as the room above 戻る allows, at most 0.8 of a button.
    const float labelH = f.small->FontSize * 1.4f;
    const float fields = m.pairing ? 1.0f : 2.0f;
    const float fieldH = std::clamp(
        std::floor((cancel.min.y - t.gap - y) / fields - labelH - t.gap * 0.5f),
        f.text->FontSize * 1.4f, std::round(t.buttonHeight * 0.8f));
    auto field = [&](ButtonId id, const char* label, const std::string& digits, std::size_t length,
                     bool grouped, bool selected) {
        drawText(f.small, ui.tr(label), ImVec2(x, y), width, Align::Left, t.color.textMuted);
        y += labelH;
        bigButton(ui,
                  {id, shownDigits(digits, length, grouped),
                   selected ? ButtonKind::Selected : ButtonKind::Secondary, !m.enrolling},
                  ImVec2(x, y), ImVec2(width, fieldH), out);
        y += fieldH + t.gap * 0.5f;
    };
    if (!m.pairing) {
        field(ButtonId::StaffEnrolClinic, "staff.enrol.clinic", m.clinicCode,
              kiosk::runner::StaffConsole::kClinicCodeDigits, false,
              m.field == EnrolField::ClinicCode);
    }
    field(ButtonId::StaffEnrolCode, m.pairing ? "staff.pair.code" : "staff.enrol.code",
          m.activationCode,
          kiosk::runner::StaffConsole::kActivationCodeDigits, true,
          m.field == EnrolField::ActivationCode);
    endScreen();
}

} // namespace uketsuke::ui
