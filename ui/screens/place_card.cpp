#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

namespace uketsuke::ui {

void drawPlaceCard(const PlaceCardModel& m, Intents& out)
{
    Message msg;
    if (!m.readerAvailable) {
        // No dead end: the patient can still be checked in at the desk.
        msg.picture = Message::Picture::Icon;
        msg.icon = Icon::Staff;
        msg.title = m.ui.tr("screen.place_card.no_reader.title");
        msg.lead = m.ui.tr("screen.place_card.no_reader.lead");
        msg.buttons = {{ButtonId::Cancel, m.ui.tr("screen.error.start_over"),
                        ButtonKind::Secondary}};
        drawMessageScreen(m.ui, "place_card", msg, out);
        return;
    }
    msg.picture = Message::Picture::Card;
    msg.pose = CardPose::Above;
    msg.title = m.ui.tr("screen.place_card.title");
    msg.lead = m.ui.tr("screen.place_card.lead");
    msg.buttons = {{ButtonId::Cancel, m.ui.tr("screen.common.cancel"), ButtonKind::Secondary}};
    drawMessageScreen(m.ui, "place_card", msg, out);
}

} // namespace uketsuke::ui
