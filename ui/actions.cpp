#include "ui/actions.hpp"

namespace uketsuke::ui {

using kiosk::flow::Intent;
using kiosk::runner::Era;
using kiosk::runner::InsuranceField;
namespace input = kiosk::runner::input;

namespace {

std::optional<InsuranceField> fieldOf(ButtonId id)
{
    switch (id) {
    case ButtonId::FieldInsurer:
        return InsuranceField::InsurerNumber;
    case ButtonId::FieldSymbol:
        return InsuranceField::Symbol;
    case ButtonId::FieldNumber:
        return InsuranceField::Number;
    case ButtonId::FieldBranch:
        return InsuranceField::Branch;
    case ButtonId::FieldEra:
        return InsuranceField::Era;
    case ButtonId::FieldYear:
        return InsuranceField::BirthYear;
    case ButtonId::FieldMonth:
        return InsuranceField::BirthMonth;
    case ButtonId::FieldDay:
        return InsuranceField::BirthDay;
    default:
        return std::nullopt;
    }
}

std::optional<Era> eraOf(ButtonId id)
{
    switch (id) {
    case ButtonId::EraWestern:
        return Era::Western;
    case ButtonId::EraTaisho:
        return Era::Taisho;
    case ButtonId::EraShowa:
        return Era::Showa;
    case ButtonId::EraHeisei:
        return Era::Heisei;
    case ButtonId::EraReiwa:
        return Era::Reiwa;
    default:
        return std::nullopt;
    }
}

} // namespace

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
    case ButtonId::InsuranceCard:
        return Intent::InsuranceCard;
    case ButtonId::Agree:
        return Intent::Agree;
    case ButtonId::Decline:
        return Intent::Decline;
    case ButtonId::MoreTime:
        return Intent::MoreTime;
    case ButtonId::CancelCall:
        return Intent::CancelCall;
    default:
        return std::nullopt;
    }
}

std::optional<kiosk::runner::Input> inputOf(ButtonId id)
{
    if (auto intent = flowIntentOf(id)) {
        return *intent;
    }
    if (auto digit = digitOf(id)) {
        return input::Digit{*digit};
    }
    if (auto field = fieldOf(id)) {
        return input::SelectField{*field};
    }
    if (auto era = eraOf(id)) {
        return input::ChooseEra{*era};
    }
    switch (id) {
    case ButtonId::Ok:
        return input::Submit{};
    case ButtonId::Back:
        return input::Back{};
    case ButtonId::Clear:
        return input::Clear{};
    case ButtonId::Next:
        return input::NextField{};
    case ButtonId::CallStaff:
        return input::CallStaff{};
    case ButtonId::LargeText:
        return input::ToggleDisplay{kiosk::flow::DisplayOption::LargeText};
    case ButtonId::HighContrast:
        return input::ToggleDisplay{kiosk::flow::DisplayOption::HighContrast};
    default:
        return std::nullopt;
    }
}

void applyIntents(const Intents& intents, IntentTarget& target)
{
    for (ButtonId id : intents.pressed) {
        if (languageSlotOf(id)) {
            if (std::string language = intents.languageOf(id); !language.empty()) {
                target.apply(input::ChooseLanguage{language});
            }
        } else if (auto in = inputOf(id)) {
            target.apply(*in);
        } else if (id == ButtonId::DemoInsert) {
            target.insertCard();
        } else if (id == ButtonId::DemoRemove) {
            target.removeCard();
        }
    }
}

} // namespace uketsuke::ui
