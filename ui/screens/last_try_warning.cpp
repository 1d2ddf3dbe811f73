#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

namespace uketsuke::ui {

void drawLastTryWarning(const LastTryWarningModel& m, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Icon;
    msg.icon = Icon::Warning;
    msg.title = m.ui.tr("screen.last_try.title");
    msg.lead = m.ui.tr("screen.last_try.lead");
    // Two equal ways forward: neither is pushed on the patient.
    msg.buttons = {
        {ButtonId::EnterPin, m.ui.tr("screen.last_try.enter_pin"), ButtonKind::Secondary},
        {ButtonId::AskStaff, m.ui.tr("screen.common.ask_staff"), ButtonKind::Secondary},
    };
    drawMessageScreen(m.ui, "last_try_warning", msg, out);
}

} // namespace uketsuke::ui
