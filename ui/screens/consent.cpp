#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

#include <string>

namespace uketsuke::ui {
namespace {

using kiosk::model::ConsentTopic;

// Each question has its own words; keys are literal so tests can check them.
void describe(const ConsentModel& m, Message& msg)
{
    const ScreenContext& ui = m.ui;
    switch (m.topic) {
    case ConsentTopic::DiagnosisPharmacists:
        msg.title = ui.tr("screen.consent.diagnosis_pharmacists.title");
        msg.lead = ui.tr("screen.consent.diagnosis_pharmacists.lead");
        break;
    case ConsentTopic::SpecificHealthCheckups:
        msg.title = ui.tr("screen.consent.specific_health_checkups.title");
        msg.lead = ui.tr("screen.consent.specific_health_checkups.lead");
        break;
    case ConsentTopic::Operation:
        msg.title = ui.tr("screen.consent.operation.title");
        msg.lead = ui.tr("screen.consent.operation.lead");
        break;
    case ConsentTopic::LimitApplication:
        msg.title = ui.tr("screen.consent.limit_application.title");
        msg.lead = ui.tr("screen.consent.limit_application.lead");
        break;
    }
}

} // namespace

// One consent question. Plainly optional: 同意する and 同意しない are the same kind and size, in
// that fixed order, nothing is chosen beforehand, and the words say treatment does not depend
// on the answer. No third button beside them: taking the card or the timeout ends the check-in
// (the flow still takes Cancel, from a keypad's cancel key).
void drawConsent(const ConsentModel& m, Intents& out)
{
    if (m.stillThere) {
        drawStillThere(m.ui, "consent", out);
        return;
    }
    Message msg;
    msg.picture = Message::Picture::Icon;
    msg.icon = Icon::Info;
    describe(m, msg);
    msg.lead += "\n" + m.ui.tr("screen.consent.optional");
    if (m.count > 1) {
        msg.note = m.ui.format("screen.consent.progress", {{"n", std::to_string(m.number)},
                                                           {"count", std::to_string(m.count)}});
        msg.noteKind = PanelKind::Info;
    }
    msg.buttons = {
        {ButtonId::Agree, m.ui.tr("screen.consent.agree"), ButtonKind::Secondary},
        {ButtonId::Decline, m.ui.tr("screen.consent.decline"), ButtonKind::Secondary},
    };
    drawMessageScreen(m.ui, "consent", msg, out);
}

} // namespace uketsuke::ui
