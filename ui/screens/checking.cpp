#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

namespace uketsuke::ui {

void drawChecking(const CheckingModel& m, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Spinner;
    msg.title = m.ui.tr("screen.checking.title");
    msg.lead = m.ui.tr("screen.checking.lead");
    if (m.cardNeeded) {
        msg.note = m.ui.tr("screen.checking.keep_card");
    } else if (m.step == kiosk::flow::CheckStep::Lookup) {
        // The 資格確認端末 may take a while: say so, and let the patient give up.
        msg.note = m.ui.tr("screen.checking.cancel_lookup");
        msg.noteKind = PanelKind::Info;
    }
    if (m.canCancel) {
        msg.buttons.push_back(
            {ButtonId::Cancel, m.ui.tr("screen.common.cancel"), ButtonKind::Secondary});
    }
    drawMessageScreen(m.ui, "checking", msg, out);
}

} // namespace uketsuke::ui
