#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

#include <string>

namespace uketsuke::ui {

void drawPinWrong(const PinWrongModel& m, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Icon;
    msg.icon = Icon::Warning;
    msg.title = m.ui.tr("screen.pin_wrong.title");
    msg.lead = m.triesLeft == 1
                   ? m.ui.tr("screen.pin_wrong.one_left")
                   : m.ui.format("screen.pin_wrong.tries_left",
                                 {{"n", std::to_string(m.triesLeft)}});
    msg.buttons = {
        {ButtonId::Retry, m.ui.tr("screen.pin_wrong.retry"), ButtonKind::Primary},
        {ButtonId::AskStaff, m.ui.tr("screen.common.ask_staff"), ButtonKind::Secondary},
    };
    if (m.canCancel) {
        msg.buttons.push_back(
            {ButtonId::Cancel, m.ui.tr("screen.common.cancel"), ButtonKind::Secondary});
    }
    drawMessageScreen(m.ui, "pin_wrong", msg, out);
}

} // namespace uketsuke::ui
