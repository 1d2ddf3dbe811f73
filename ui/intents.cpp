#include "ui/intents.hpp"

#include <algorithm>
#include <array>

namespace uketsuke::ui {
namespace {

constexpr std::array<const char*, kButtonIdCount> kNames = {
    "start",   "cancel",  "ok",      "back",    "clear",   "retry",       "ask-staff",
    "enter-pin", "done",  "digit-0", "digit-1", "digit-2", "digit-3",     "digit-4",
    "digit-5", "digit-6", "digit-7", "digit-8", "digit-9", "language-0", "language-1", "language-2", "language-3", "language-4",
    "language-5", "language-6", "language-7", "language-8", "language-9",
    "demo-insert", "demo-remove",
    "insurance-card", "next", "field-insurer", "field-symbol", "field-number", "field-branch",
    "field-era", "field-year", "field-month", "field-day", "era-western", "era-taisho",
    "era-showa", "era-heisei", "era-reiwa",
    "staff-home", "staff-devices", "staff-today", "staff-logs", "staff-settings", "staff-lock",
    "staff-test-card", "staff-test-printer", "staff-test-network", "staff-send-now",
    "staff-out-of-service", "staff-restart",
    "staff-edit-settings", "staff-setting-next", "staff-setting-down", "staff-setting-up",
    "staff-settings-save", "agree", "decline", "more-time", "call-staff", "cancel-call",
    "staff-visual", "staff-visual-confirm", "large-text", "high-contrast",
    "staff-page-previous", "staff-page-next", "staff-enrol", "staff-enrol-clinic",
    "staff-enrol-code", "staff-enrol-submit", "staff-pair",
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

std::optional<int> languageSlotOf(ButtonId id)
{
    int index = static_cast<int>(id) - static_cast<int>(ButtonId::Language0);
    if (index < 0 || index >= kMaxLanguages) {
        return std::nullopt;
    }
    return index;
}

ButtonId languageButton(int slot)
{
    return static_cast<ButtonId>(static_cast<int>(ButtonId::Language0) +
                                 std::clamp(slot, 0, kMaxLanguages - 1));
}

std::optional<ButtonId> Intents::languageButton(std::string_view language) const
{
    for (std::size_t i = 0; i < languages.size() && i < kMaxLanguages; ++i) {
        if (languages[i] == language) {
            return ui::languageButton(static_cast<int>(i));
        }
    }
    return std::nullopt;
}

std::string Intents::languageOf(ButtonId id) const
{
    auto slot = languageSlotOf(id);
    if (!slot || static_cast<std::size_t>(*slot) >= languages.size()) {
        return {};
    }
    return languages[static_cast<std::size_t>(*slot)];
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
