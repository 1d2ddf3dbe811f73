#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

namespace uketsuke::ui {

void drawRemoveCard(const RemoveCardModel& m, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Card;
    msg.pose = CardPose::LiftOff;
    msg.title = m.ui.tr("screen.remove_card.title");
    msg.lead = m.ui.tr("screen.remove_card.lead");
    drawMessageScreen(m.ui, "remove_card", msg, out);
}

} // namespace uketsuke::ui
