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
    }
    drawMessageScreen(m.ui, "checking", msg, out);
}

} // namespace uketsuke::ui
