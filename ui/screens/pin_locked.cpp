#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

namespace uketsuke::ui {

void drawPinLocked(const PinLockedModel& m, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Icon;
    msg.icon = Icon::Lock;
    msg.title = m.ui.tr("screen.pin_locked.title");
    msg.lead = m.ui.tr("screen.pin_locked.lead");
    msg.note = m.ui.tr("screen.pin_locked.today");
    msg.noteKind = PanelKind::Info;
    msg.buttons = {
        {ButtonId::AskStaff, m.ui.tr("screen.common.ask_staff"), ButtonKind::Primary},
        {ButtonId::Done, m.ui.tr("screen.common.done"), ButtonKind::Secondary},
    };
    drawMessageScreen(m.ui, "pin_locked", msg, out);
}

} // namespace uketsuke::ui
