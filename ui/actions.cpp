#include "ui/actions.hpp"

namespace uketsuke::ui {

using kiosk::flow::Intent;
using kiosk::runner::Era;
using kiosk::runner::InsuranceField;

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

// A button on the insurance card form. Returns false for buttons the form does not own.
bool applyToForm(ButtonId id, IntentTarget& target)
{
    kiosk::runner::InsuranceEntry& entry = target.insuranceEntry();
    if (auto digit = digitOf(id)) {
        entry.press(*digit);
    } else if (auto field = fieldOf(id)) {
        entry.select(*field);
    } else if (auto era = eraOf(id)) {
        entry.setEra(*era);
    } else if (id == ButtonId::Back) {
        entry.back();
    } else if (id == ButtonId::Clear) {
        entry.clearField();
    } else if (id == ButtonId::Next) {
        entry.next();
    } else if (id == ButtonId::Ok) {
        if (entry.valid()) {
            target.post(kiosk::flow::InsuranceSubmitted{});
        }
        return true;
    } else {
        return false;
    }
    target.post(kiosk::flow::InsuranceEdited{});
    return true;
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
    default:
        return std::nullopt;
    }
}

void applyIntents(const Intents& intents, IntentTarget& target)
{
    const bool form = target.phase() == kiosk::flow::Phase::EnterInsurance;
    for (ButtonId id : intents.pressed) {
        if (auto intent = flowIntentOf(id)) {
            target.post(kiosk::flow::Touch{*intent});
            continue;
        }
        if (form && applyToForm(id, target)) {
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
