#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

#include <string>

namespace uketsuke::ui {

// Secure PIN entry: the reader's own pad takes the PIN, so this screen has no keypad and no
// buttons (Cancel is on the reader; its timeout ends the entry). It only says where to type.
void drawPinOnReader(const PinOnReaderModel& m, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Card;
    msg.pose = CardPose::OnReader;
    msg.title = m.ui.tr("screen.pin_on_reader.title");
    msg.lead = m.ui.tr("screen.pin_on_reader.lead");
    if (m.triesLeft == 1 || m.triesLeft == 2) {
        msg.note = m.ui.format("screen.pin_on_reader.tries_left",
                               {{"n", std::to_string(m.triesLeft)}});
    } else {
        msg.note = m.ui.tr("screen.checking.keep_card");
        msg.noteKind = PanelKind::Info;
    }
    drawMessageScreen(m.ui, "pin_on_reader", msg, out);
}

} // namespace uketsuke::ui
