#include "ui/screens/screens.hpp"

#include "base/overloaded.hpp"

namespace uketsuke::ui {

void drawScreen(const ScreenModel& model, Intents& out)
{
    std::visit(Overloaded{
                   [&](const IdleModel& m) { drawIdle(m, out); },
                   [&](const PlaceCardModel& m) { drawPlaceCard(m, out); },
                   [&](const ReadingCardModel& m) { drawReadingCard(m, out); },
                   [&](const EnterPinModel& m) { drawEnterPin(m, out); },
                   [&](const LastTryWarningModel& m) { drawLastTryWarning(m, out); },
                   [&](const CheckingModel& m) { drawChecking(m, out); },
                   [&](const ResultModel& m) { drawResult(m, out); },
                   [&](const PinWrongModel& m) { drawPinWrong(m, out); },
                   [&](const AskStaffModel& m) { drawAskStaff(m, out); },
                   [&](const ErrorModel& m) { drawError(m, out); },
                   [&](const RemoveCardModel& m) { drawRemoveCard(m, out); },
                   [&](const PinOnReaderModel& m) { drawPinOnReader(m, out); },
                   [&](const EnterInsuranceModel& m) { drawEnterInsurance(m, out); },
                   [&](const NotReadyModel& m) { drawNotReady(m, out); },
                   [&](const StaffPinModel& m) { drawStaffPin(m, out); },
                   [&](const StaffLockedOutModel& m) { drawStaffLockedOut(m, out); },
                   [&](const StaffMenuModel& m) { drawStaffMenu(m, out); },
                   [&](const StaffEnrolModel& m) { drawStaffEnrol(m, out); },
                   [&](const ConsentModel& m) { drawConsent(m, out); },
               },
               model);
}

} // namespace uketsuke::ui
