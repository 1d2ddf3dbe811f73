#include "ui/screen_models.hpp"

#include <tuple>

namespace uketsuke::ui {

using kiosk::flow::Phase;

bool accepts(const kiosk::flow::State& state, kiosk::flow::Intent intent)
{
    return !kiosk::flow::step(state, kiosk::flow::Touch{intent}).rejected;
}

namespace {

EnterInsuranceModel insuranceModel(const ScreenContext& ui,
                                   const kiosk::runner::InsuranceEntry* entry)
{
    EnterInsuranceModel m;
    m.ui = ui;
    if (entry == nullptr) {
        return m;
    }
    for (std::size_t i = 0; i < kiosk::runner::kInsuranceFieldCount; ++i) {
        auto field = static_cast<kiosk::runner::InsuranceField>(i);
        m.values[i] = entry->value(field);
        m.status[i] = entry->status(field);
        m.problems[i] = entry->problem(field);
    }
    m.selected = entry->selected();
    m.era = entry->era();
    m.valid = entry->valid();
    return m;
}

} // namespace

ScreenModel buildScreenModel(const kiosk::flow::State& s, const ScreenContext& ui,
                             std::size_t pinDigits, bool canSwitchLanguage,
                             const kiosk::runner::InsuranceEntry* insurance)
{
    using kiosk::flow::Intent;
    switch (s.phase) {
    case Phase::Idle: {
        IdleModel m{ui, canSwitchLanguage};
        m.canStart = accepts(s, Intent::Start);
        m.canUseInsuranceCard = accepts(s, Intent::InsuranceCard);
        m.readerAvailable = s.readerAvailable;
        m.printerAvailable = s.printerAvailable;
        m.outOfService = s.outOfService;
        m.closedHours = s.closedHours && !s.outOfService;
        m.opensAt = s.opensAt;
        return m;
    }
    case Phase::PlaceCard:
        return PlaceCardModel{ui, s.readerAvailable};
    case Phase::ReadingCard:
        return ReadingCardModel{ui};
    case Phase::EnterPin:
        return EnterPinModel{ui, pinDigits, Pin::kLength, s.pinTriesLeft, s.stillThere};
    case Phase::LastTryWarning:
        return LastTryWarningModel{ui, accepts(s, Intent::Cancel)};
    case Phase::Checking: {
        bool cardNeeded = s.checkStep == kiosk::flow::CheckStep::Challenge ||
                          s.checkStep == kiosk::flow::CheckStep::Signature;
        CheckingModel m{ui, s.checkStep, cardNeeded && s.cardPresent};
        m.canCancel = accepts(s, Intent::Cancel);
        return m;
    }
    case Phase::Result: {
        ResultModel m;
        m.ui = ui;
        m.outcome = kiosk::flow::resultOutcome(s);
        m.problem = s.problem;
        if (s.qualification) {
            // In the patient's words; the code is for staff (the desk shows it).
            std::string key = ui.strings != nullptr
                                  ? kiosk::model::patientNoticeKey(*s.qualification, *ui.strings)
                                  : std::string();
            if (!key.empty()) {
                m.serviceNotice = ui.tr(key);
            }
            if (const auto* person = kiosk::model::person(*s.qualification)) {
                m.patientName = person->name;
            }
        }
        m.receiptNumber = s.receiptNumber;
        m.printFailed = s.printFailed;
        m.printing = s.printing && !s.printFailed;
        m.cardPresent = s.cardPresent;
        m.certificateStatus = s.certificateStatus;
        return m;
    }
    case Phase::PinWrong:
        return PinWrongModel{ui, s.pinTriesLeft, accepts(s, Intent::Cancel)};
    case Phase::AskStaff:
        return AskStaffModel{ui};
    case Phase::Error:
        return ErrorModel{ui, s.error, accepts(s, Intent::Retry), kiosk::flow::canCallStaff(s)};
    case Phase::RemoveCard:
        return RemoveCardModel{ui};
    case Phase::PinOnReader:
        return PinOnReaderModel{ui, s.pinTriesLeft};
    case Phase::EnterInsurance: {
        EnterInsuranceModel m = insuranceModel(ui, insurance);
        m.stillThere = s.stillThere;
        return m;
    }
    case Phase::Consent: {
        ConsentModel m;
        m.ui = ui;
        if (auto topic = kiosk::flow::consentQuestion(s)) {
            m.topic = *topic;
        }
        std::tie(m.number, m.count) = kiosk::flow::consentProgress(s);
        m.stillThere = s.stillThere;
        return m;
    }
    }
    return IdleModel{ui, canSwitchLanguage};
}

StripModel buildStripModel(const kiosk::flow::State& state, const ScreenContext& ui, bool demo)
{
    StripModel m;
    m.ui = ui;
    m.canCall = kiosk::flow::canCallStaff(state);
    m.calling = state.call.has_value();
    m.demo = demo;
    m.cardPresent = state.cardPresent;
    m.display = state.display;
    return m;
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
