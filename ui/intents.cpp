#include "ui/intents.hpp"

#include <algorithm>
#include <array>

namespace uketsuke::ui {
namespace {

constexpr std::array<const char*, kButtonIdCount> kNames = {
    "start",   "cancel",  "ok",      "back",    "clear",   "retry",       "ask-staff",
    "enter-pin", "done",  "digit-0", "digit-1", "digit-2", "digit-3",     "digit-4",
    "digit-5", "digit-6", "digit-7", "digit-8", "digit-9", "lang-ja",     "lang-en",
    "demo-insert", "demo-remove",
    "insurance-card", "next", "field-insurer", "field-symbol", "field-number", "field-branch",
    "field-era", "field-year", "field-month", "field-day", "era-western", "era-taisho",
    "era-showa", "era-heisei", "era-reiwa",
    "staff-home", "staff-devices", "staff-today", "staff-logs", "staff-settings", "staff-lock",
    "staff-test-card", "staff-test-printer", "staff-test-network", "staff-send-now",
    "staff-out-of-service", "staff-restart",
    "staff-edit-settings", "staff-setting-next", "staff-setting-down", "staff-setting-up",
    "staff-settings-save", "agree", "decline", "more-time", "call-staff", "cancel-call",
};

} // namespace

const char* buttonIdName(ButtonId id)
{
    auto index = static_cast<std::size_t>(id);
    return index < kNames.size() ? kNames[index] : "unknown";
}

std::optional<ButtonId> buttonIdFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (name == kNames[i]) {
            return static_cast<ButtonId>(i);
        }
    }
    return std::nullopt;
}

std::optional<char> digitOf(ButtonId id)
{
    int index = static_cast<int>(id) - static_cast<int>(ButtonId::Digit0);
    if (index < 0 || index > 9) {
        return std::nullopt;
    }
    return static_cast<char>('0' + index);
}

ButtonId digitButton(int digit)
{
    return static_cast<ButtonId>(static_cast<int>(ButtonId::Digit0) + std::clamp(digit, 0, 9));
}

const DrawnButton* Intents::find(ButtonId id) const
{
    auto it = std::find_if(drawn.begin(), drawn.end(),
                           [id](const DrawnButton& b) { return b.id == id; });
    return it == drawn.end() ? nullptr : &*it;
}

bool Intents::wasPressed(ButtonId id) const
{
    return std::find(pressed.begin(), pressed.end(), id) != pressed.end();
}

} // namespace uketsuke::ui
