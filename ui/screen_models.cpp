#include "ui/screen_models.hpp"

namespace uketsuke::ui {

using kiosk::flow::Phase;

bool accepts(const kiosk::flow::State& state, kiosk::flow::Intent intent)
{
    return !kiosk::flow::step(state, kiosk::flow::Touch{intent}).rejected;
}

ScreenModel buildScreenModel(const kiosk::flow::State& s, const ScreenContext& ui,
                             std::size_t pinDigits, bool canSwitchLanguage)
{
    using kiosk::flow::Intent;
    switch (s.phase) {
    case Phase::Idle:
        return IdleModel{ui, canSwitchLanguage};
    case Phase::PlaceCard:
        return PlaceCardModel{ui};
    case Phase::ReadingCard:
        return ReadingCardModel{ui};
    case Phase::EnterPin:
        return EnterPinModel{ui, pinDigits, Pin::kLength, s.pinTriesLeft};
    case Phase::LastTryWarning:
        return LastTryWarningModel{ui, accepts(s, Intent::Cancel)};
    case Phase::Checking: {
        bool cardNeeded = s.checkStep == kiosk::flow::CheckStep::Challenge ||
                          s.checkStep == kiosk::flow::CheckStep::Signature;
        return CheckingModel{ui, s.checkStep, cardNeeded && s.cardPresent};
    }
    case Phase::Result: {
        ResultModel m;
        m.ui = ui;
        if (s.qualification) {
            m.outcome = kiosk::model::outcomeOf(*s.qualification);
            if (const auto* person = kiosk::model::person(*s.qualification)) {
                m.patientName = person->name;
            }
        }
        m.receiptNumber = s.receiptNumber;
        m.printFailed = s.printFailed;
        m.cardPresent = s.cardPresent;
        m.certificateStatus = s.certificateStatus;
        return m;
    }
    case Phase::PinWrong:
        return PinWrongModel{ui, s.pinTriesLeft, accepts(s, Intent::Cancel)};
    case Phase::PinLocked:
        return PinLockedModel{ui};
    case Phase::AskStaff:
        return AskStaffModel{ui};
    case Phase::Error:
        return ErrorModel{ui, s.error, accepts(s, Intent::Retry)};
    case Phase::RemoveCard:
        return RemoveCardModel{ui};
    }
    return IdleModel{ui, canSwitchLanguage};
}

std::string screenName(const kiosk::flow::State& state)
{
    std::string name = kiosk::flow::phaseName(state.phase);
    if (state.phase == Phase::Error) {
        name += ":";
        name += kiosk::flow::errorKindName(state.error);
    }
    return name;
}

bool isAnimated(Phase phase)
{
    return phase == Phase::ReadingCard || phase == Phase::Checking;
}

const ScreenContext& contextOf(const ScreenModel& model)
{
    return std::visit([](const auto& m) -> const ScreenContext& { return m.ui; }, model);
}

ScreenContext& contextOf(ScreenModel& model)
{
    return std::visit([](auto& m) -> ScreenContext& { return m.ui; }, model);
}

} // namespace uketsuke::ui
