#include "ui/screens/message_layout.hpp"
#include "ui/screens/screens.hpp"

namespace uketsuke::ui {

namespace {

using kiosk::flow::ErrorKind;

// Each kind has its own words; keys are literal so tests can check them.
void describe(const ErrorModel& m, Message& msg)
{
    const ScreenContext& ui = m.ui;
    switch (m.kind) {
    case ErrorKind::NotMyNumberCard:
        msg.title = ui.tr("screen.error.not_my_number_card.title");
        msg.lead = ui.tr("screen.error.not_my_number_card.lead");
        break;
    case ErrorKind::CardUnreadable:
        msg.title = ui.tr("screen.error.card_unreadable.title");
        msg.lead = ui.tr("screen.error.card_unreadable.lead");
        break;
    case ErrorKind::CardRemoved:
        msg.title = ui.tr("screen.error.card_removed.title");
        msg.lead = ui.tr("screen.error.card_removed.lead");
        break;
    case ErrorKind::StorageFailed:
        msg.title = ui.tr("screen.error.storage_failed.title");
        msg.lead = ui.tr("screen.error.storage_failed.lead");
        break;
    case ErrorKind::PinNotEntered:
        msg.title = ui.tr("screen.error.pin_not_entered.title");
        msg.lead = ui.tr("screen.error.pin_not_entered.lead");
        break;
    case ErrorKind::LookupFailed:
        msg.title = ui.tr("screen.error.lookup_failed.title");
        msg.lead = ui.tr("screen.error.lookup_failed.lead");
        break;
    case ErrorKind::InsuranceEntryRejected:
        msg.title = ui.tr("screen.error.insurance_entry_rejected.title");
        msg.lead = ui.tr("screen.error.insurance_entry_rejected.lead");
        break;
    case ErrorKind::InsuranceNotFound:
        msg.title = ui.tr("screen.error.insurance_not_found.title");
        msg.lead = ui.tr("screen.error.insurance_not_found.lead");
        break;
    case ErrorKind::MyNumberCardUnsupported:
        msg.title = ui.tr("screen.error.my_number_card_unsupported.title");
        msg.lead = ui.tr("screen.error.my_number_card_unsupported.lead");
        break;
    case ErrorKind::PinLocked:
        msg.title = ui.tr("screen.error.pin_locked.title");
        msg.lead = ui.tr("screen.error.pin_locked.lead");
        break;
    case ErrorKind::PinForgotten:
        msg.title = ui.tr("screen.error.pin_forgotten.title");
        msg.lead = ui.tr("screen.error.pin_forgotten.lead");
        break;
    case ErrorKind::None:
        msg.title = ui.tr("screen.error.other.title");
        msg.lead = ui.tr("screen.error.other.lead");
        break;
    }
}

std::string retryLabel(const ErrorModel& m)
{
    switch (m.kind) {
    case ErrorKind::CardRemoved:
        return m.ui.tr("screen.error.card_removed.retry");
    case ErrorKind::CardUnreadable:
        return m.ui.tr("screen.error.card_unreadable.retry");
    case ErrorKind::LookupFailed:
        return m.ui.tr("screen.error.lookup_failed.retry");
    case ErrorKind::InsuranceEntryRejected:
        return m.ui.tr("screen.error.insurance_entry_rejected.retry");
    case ErrorKind::InsuranceNotFound:
        return m.ui.tr("screen.error.insurance_not_found.retry");
    case ErrorKind::PinForgotten:
        return m.ui.tr("screen.error.pin_forgotten.retry");
    default:
        return m.ui.tr("screen.error.retry");
    }
}

// A locked or forgotten PIN: staff can confirm the patient by looking at the card (目視), so
// calling them comes first; 受付で相談する takes a number to the desk instead. No "start over":
// the patient reached the PIN, and leaves with a number either way (the timeout saves one).
void drawPinHelp(const ErrorModel& m, Message& msg, Intents& out)
{
    msg.icon = Icon::Staff;
    if (m.canCall) {
        msg.buttons.push_back(
            {ButtonId::CallStaff, m.ui.tr("screen.strip.call_staff"), ButtonKind::Primary});
    } else {
        msg.lead = m.ui.tr("screen.error.pin_help.waiting"); // called: staff are on their way
    }
    if (m.canRetry) {
        msg.buttons.push_back({ButtonId::Retry, retryLabel(m), ButtonKind::Secondary});
    }
    msg.buttons.push_back(
        {ButtonId::AskStaff, m.ui.tr("screen.common.ask_staff"), ButtonKind::Secondary});
    drawMessageScreen(m.ui, "error", msg, out);
}

} // namespace

void drawError(const ErrorModel& m, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Icon;
    msg.icon = m.kind == ErrorKind::MyNumberCardUnsupported ? Icon::Staff : Icon::Warning;
    describe(m, msg);
    if (m.kind == ErrorKind::PinLocked || m.kind == ErrorKind::PinForgotten) {
        drawPinHelp(m, msg, out);
        return;
    }
    if (m.canRetry) {
        msg.buttons.push_back({ButtonId::Retry, retryLabel(m), ButtonKind::Primary});
    }
    msg.buttons.push_back(
        {ButtonId::AskStaff, m.ui.tr("screen.common.ask_staff"),
         m.canRetry ? ButtonKind::Secondary : ButtonKind::Primary});
    msg.buttons.push_back(
        {ButtonId::Done, m.ui.tr("screen.error.start_over"), ButtonKind::Secondary});
    drawMessageScreen(m.ui, "error", msg, out);
}

} // namespace uketsuke::ui
