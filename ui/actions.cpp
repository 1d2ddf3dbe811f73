#include "ui/actions.hpp"

namespace uketsuke::ui {

using kiosk::flow::Intent;

std::optional<Intent> flowIntentOf(ButtonId id)
{
    switch (id) {
    case ButtonId::Start:
        return Intent::Start;
    case ButtonId::Cancel:
        return Intent::Cancel;
    case ButtonId::Retry:
        return Intent::Retry;
    case ButtonId::AskStaff:
        return Intent::AskStaff;
    case ButtonId::EnterPin:
        return Intent::EnterPin;
    case ButtonId::Done:
        return Intent::Done;
    default:
        return std::nullopt;
    }
}

void applyIntents(const Intents& intents, IntentTarget& target)
{
    for (ButtonId id : intents.pressed) {
        if (auto intent = flowIntentOf(id)) {
            target.post(kiosk::flow::Touch{*intent});
            continue;
        }
        if (auto digit = digitOf(id)) {
            target.pinEntry().press(*digit);
            continue;
        }
        switch (id) {
        case ButtonId::Ok:
            if (target.pinEntry().complete()) {
                target.post(kiosk::flow::PinSubmitted{});
            }
            break;
        case ButtonId::Back:
            target.pinEntry().back();
            break;
        case ButtonId::Clear:
            target.pinEntry().clear();
            break;
        case ButtonId::LangJa:
            target.setLanguage("ja");
            break;
        case ButtonId::LangEn:
            target.setLanguage("en");
            break;
        case ButtonId::DemoInsert:
            target.insertCard();
            break;
        case ButtonId::DemoRemove:
            target.removeCard();
            break;
        default:
            break;
        }
    }
}

} // namespace uketsuke::ui
