#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

#include <string>

namespace uketsuke::ui {

// Too many wrong staff PINs: how long until the next try, and the way back to the patient's
// screens (the delay runs on).
void drawStaffLockedOut(const StaffLockedOutModel& m, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Icon;
    msg.icon = Icon::Lock;
    msg.title = m.ui.tr("staff.locked_out.title");
    const int minutes = m.secondsLeft / 60;
    const int seconds = m.secondsLeft % 60;
    std::string left = std::to_string(minutes) + ":" + (seconds < 10 ? "0" : "") +
                       std::to_string(seconds);
    msg.lead = m.ui.format("staff.locked_out.lead", {{"time", left}});
    msg.buttons = {
        {ButtonId::Cancel, m.ui.tr("staff.locked_out.back"), ButtonKind::Primary},
    };
    drawMessageScreen(m.ui, "staff_locked_out", msg, out);
}

} // namespace uketsuke::ui
