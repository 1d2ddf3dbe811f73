#pragma once

// One free function per screen, one file each (docs/screens.md): draw the model, report
// intents. No statics, no I/O, no timers here.

#include "ui/intents.hpp"
#include "ui/screen_models.hpp"

namespace uketsuke::ui {

void drawIdle(const IdleModel& model, Intents& out);
void drawPlaceCard(const PlaceCardModel& model, Intents& out);
void drawReadingCard(const ReadingCardModel& model, Intents& out);
void drawEnterPin(const EnterPinModel& model, Intents& out);
void drawLastTryWarning(const LastTryWarningModel& model, Intents& out);
void drawChecking(const CheckingModel& model, Intents& out);
void drawResult(const ResultModel& model, Intents& out);
void drawPinWrong(const PinWrongModel& model, Intents& out);
void drawAskStaff(const AskStaffModel& model, Intents& out);
void drawError(const ErrorModel& model, Intents& out);
void drawRemoveCard(const RemoveCardModel& model, Intents& out);
void drawPinOnReader(const PinOnReaderModel& model, Intents& out);
void drawEnterInsurance(const EnterInsuranceModel& model, Intents& out);
void drawConsent(const ConsentModel& model, Intents& out);
void drawNotReady(const NotReadyModel& model, Intents& out);
void drawStaffPin(const StaffPinModel& model, Intents& out);
void drawStaffLockedOut(const StaffLockedOutModel& model, Intents& out);
void drawStaffMenu(const StaffMenuModel& model, Intents& out);
void drawStaffEnrol(const StaffEnrolModel& model, Intents& out);

// The widest a patient's name may be drawn on `model`'s result screen (the number panel's
// inside, less the honorific after it; the panel gives the words room when they need it): the
// host wraps a longer name onto more lines (ui/name_texture.hpp) rather than shrink it.
float resultNameWidth(const ResultModel& model);

// Whichever screen the model is for.
void drawScreen(const ScreenModel& model, Intents& out);

// The strip under every patient screen (StripModel, ui/screen_models.hpp).
void drawStrip(const StripModel& model, Intents& out);

} // namespace uketsuke::ui
