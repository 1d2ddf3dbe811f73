#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

namespace uketsuke::ui {

void drawAskStaff(const AskStaffModel& m, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Icon;
    msg.icon = Icon::Staff;
    msg.title = m.ui.tr("screen.ask_staff.title");
    msg.lead = m.ui.tr("screen.ask_staff.lead");
    msg.buttons = {{ButtonId::Done, m.ui.tr("screen.common.done"), ButtonKind::Secondary}};
    drawMessageScreen(m.ui, "ask_staff", msg, out);
}

} // namespace uketsuke::ui
