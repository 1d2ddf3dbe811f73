#include "kiosk/runner/input.hpp"

#include "base/overloaded.hpp"

namespace uketsuke::kiosk::runner {
namespace {

void applyToPin(const Input& in, InputTarget& target)
{
    PinEntry& pin = target.pinEntry();
    std::visit(Overloaded{
                   [&](const input::Digit& d) { pin.press(d.value); },
                   [&](const input::Back&) { pin.back(); },
                   [&](const input::Clear&) { pin.clear(); },
                   [&](const input::Submit&) {
                       if (pin.complete()) {
                           target.post(flow::PinSubmitted{});
                       }
                   },
                   [](const auto&) {},
               },
               in);
}

void applyToForm(const Input& in, InputTarget& target)
{
    InsuranceEntry& form = target.insuranceEntry();
    const bool edited = std::visit(Overloaded{
                                       [&](const input::Digit& d) { return form.press(d.value); },
                                       [&](const input::Back&) {
                                           form.back();
                                           return true;
                                       },
                                       [&](const input::Clear&) {
                                           form.clearField();
                                           return true;
                                       },
                                       [&](const input::NextField&) {
                                           form.next();
                                           return true;
                                       },
                                       [&](const input::SelectField& f) {
                                           form.select(f.field);
                                           return true;
                                       },
                                       [&](const input::ChooseEra& e) {
                                           form.setEra(e.era);
                                           return true;
                                       },
                                       [&](const input::Submit&) {
                                           if (form.valid()) {
                                               target.post(flow::InsuranceSubmitted{});
                                               return false;
                                           }
                                           form.next();
                                           return true;
                                       },
                                       [](const auto&) { return false; },
                                   },
                                   in);
    if (edited) {
        target.post(flow::InsuranceEdited{});
    }
}

} // namespace

void applyInput(const Input& in, InputTarget& target)
{
    if (const auto* intent = std::get_if<flow::Intent>(&in)) {
        target.post(flow::Touch{*intent});
        return;
    }
    if (std::holds_alternative<input::CallStaff>(in)) {
        target.post(target.staffCall());
        return;
    }
    if (const auto* lang = std::get_if<input::ChooseLanguage>(&in)) {
        target.post(flow::LanguageChosen{lang->language});
        return;
    }
    if (const auto* toggle = std::get_if<input::ToggleDisplay>(&in)) {
        target.post(flow::DisplayToggled{toggle->option});
        return;
    }
    switch (target.phase()) {
    case flow::Phase::EnterPin:
        applyToPin(in, target);
        break;
    case flow::Phase::EnterInsurance:
        applyToForm(in, target);
        break;
    default:
        break; // keys mean nothing on other screens
    }
}

Input inputOf(const KeypadPress& key)
{
    switch (key.key) {
    case KeypadPress::Key::Digit:
        return input::Digit{key.digit};
    case KeypadPress::Key::Backspace:
        return input::Back{};
    case KeypadPress::Key::Enter:
        return input::Submit{};
    case KeypadPress::Key::Cancel:
        break;
    }
    return flow::Intent::Cancel;
}

} // namespace uketsuke::kiosk::runner
