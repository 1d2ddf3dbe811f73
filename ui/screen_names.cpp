#include "ui/screen_names.hpp"

#include "kiosk/flow/flow.hpp"
#include "kiosk/model/qualification.hpp"

namespace uketsuke::ui {

using kiosk::flow::Phase;

std::string staffScreenName(const kiosk::staff::State& state)
{
    std::string name = std::string("staff:") + kiosk::staff::phaseName(state.phase);
    if (state.phase == kiosk::staff::Phase::Menu) {
        name += std::string(":") + kiosk::staff::sectionName(state.section);
    }
    return name;
}

bool isScreenName(std::string_view name)
{
    if (name == "staff:enter_pin" || name == "staff:locked_out" || name == "staff:menu") {
        return true;
    }
    for (int s = 0;; ++s) {
        const std::string_view section =
            kiosk::staff::sectionName(static_cast<kiosk::staff::Section>(s));
        if (section == "unknown") {
            break;
        }
        if (name == "staff:menu:" + std::string(section)) {
            return true;
        }
    }
    // The variants screenName() adds to a phase other than error.
    if (name == kNotReadyScreen || name == "idle:printer_unavailable" ||
        name == "idle:out_of_service" || name == "idle:closed" ||
        name == "result:print_failed") {
        return true;
    }
    // The result of an unconfirmed check-in: "result:pin_locked".
    const std::string_view result = kiosk::flow::phaseName(Phase::Result);
    if (name.size() > result.size() + 1 && name.substr(0, result.size()) == result &&
        name[result.size()] == ':' &&
        kiosk::model::fromWireName<kiosk::model::Problem>(name.substr(result.size() + 1))) {
        return true;
    }
    // "Need more time?" over a typing screen: "enter_pin:still_there".
    for (Phase typing : {Phase::EnterPin, Phase::EnterInsurance, Phase::Consent}) {
        if (name == std::string(kiosk::flow::phaseName(typing)) + ":still_there") {
            return true;
        }
    }
    // A consent question: "consent:operation".
    const std::string_view consent = kiosk::flow::phaseName(Phase::Consent);
    if (name.size() > consent.size() + 1 && name.substr(0, consent.size()) == consent &&
        name[consent.size()] == ':' &&
        kiosk::model::fromWireName<kiosk::model::ConsentTopic>(name.substr(consent.size() + 1))) {
        return true;
    }
    // Phases and error kinds are numbered from 0; their name functions say "unknown" past the
    // last one.
    const std::string_view error = kiosk::flow::phaseName(Phase::Error);
    for (int p = 0;; ++p) {
        const std::string_view phase = kiosk::flow::phaseName(static_cast<Phase>(p));
        if (phase == "unknown") {
            break;
        }
        if (name == phase) {
            return true;
        }
    }
    if (name.size() <= error.size() || name.substr(0, error.size()) != error ||
        name[error.size()] != ':') {
        return false;
    }
    const std::string_view kind = name.substr(error.size() + 1);
    for (int k = 1;; ++k) {
        const std::string_view known =
            kiosk::flow::errorKindName(static_cast<kiosk::flow::ErrorKind>(k));
        if (known == "unknown") {
            break;
        }
        if (kind == known) {
            return true;
        }
    }
    return false;
}

} // namespace uketsuke::ui
