#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

namespace uketsuke::ui {

void drawPlaceCard(const PlaceCardModel& m, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Card;
    msg.pose = CardPose::Above;
    msg.title = m.ui.tr("screen.place_card.title");
    msg.lead = m.ui.tr("screen.place_card.lead");
    msg.buttons = {{ButtonId::Cancel, m.ui.tr("screen.common.cancel"), ButtonKind::Secondary}};
    drawMessageScreen(m.ui, "place_card", msg, out);
}

} // namespace uketsuke::ui
