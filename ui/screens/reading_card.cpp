#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

namespace uketsuke::ui {

void drawReadingCard(const ReadingCardModel& m, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Spinner;
    msg.title = m.ui.tr("screen.reading_card.title");
    msg.note = m.ui.tr("screen.reading_card.keep_card");
    drawMessageScreen(m.ui, "reading_card", msg, out);
}

} // namespace uketsuke::ui
