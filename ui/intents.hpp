#pragma once

// What a screen reports from one frame: the buttons the patient pressed, in order, and where
// each button was drawn. Screens only fill this in (STYLE.md practice 3); the shell turns the
// pressed buttons into flow events after the frame (ui/actions.hpp), and the headless script
// driver taps buttons by locating their rectangles from the last frame (ui/headless.hpp).

#include <imgui.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::ui {

// Every button on every screen has one stable id. Scripts name them ("start", "digit-7"), so
// the names in buttonIdName() are part of the headless script format (docs/headless-script.md).
enum class ButtonId {
    Start,
    Cancel,
    Ok,
    Back,
    Clear,
    Retry,
    AskStaff,
    EnterPin,
    Done,
    Digit0,
    Digit1,
    Digit2,
    Digit3,
    Digit4,
    Digit5,
    Digit6,
    Digit7,
    Digit8,
    Digit9,
    LangJa,
    LangEn,
    DemoInsert,
    DemoRemove,
    // The insurance card path (idle button, form rows, the era choice, Next on the form).
    InsuranceCard,
    Next,
    FieldInsurer,
    FieldSymbol,
    FieldNumber,
    FieldBranch,
    FieldEra,
    FieldYear,
    FieldMonth,
    FieldDay,
    EraWestern,
    EraTaisho,
    EraShowa,
    EraHeisei,
    EraReiwa,
    // The staff menu (docs/staff.md): its sections, Lock, and the sections' actions.
    StaffHome,
    StaffDevices,
    StaffToday,
    StaffLogs,
    StaffSettings,
    StaffLock,
    StaffTestCard,
    StaffTestPrinter,
    StaffTestNetwork,
    StaffSendNow,
    StaffOutOfService,
    StaffRestart,
    // The settings editor (administrators): open it, select the next key, its previous and
    // next value, save (Cancel closes it unsaved).
    StaffEditSettings,
    StaffSettingNext,
    StaffSettingDown,
    StaffSettingUp,
    StaffSettingsSave,
    // A consent question: 同意する / 同意しない.
    Agree,
    Decline,
    // "Need more time?": 続ける.
    MoreTime,
    // The strip under every patient screen: スタッフを呼ぶ, and 取り消す while the call lasts.
    CallStaff,
    CancelCall,
};

inline constexpr int kButtonIdCount = static_cast<int>(ButtonId::CancelCall) + 1;

// "start", "cancel", "ok", "back", "clear", "retry", "ask-staff", "enter-pin", "done",
// "digit-0".."digit-9", "lang-ja", "lang-en", "demo-insert", "demo-remove",
// "insurance-card", "next", "field-insurer", "field-symbol", "field-number", "field-branch",
// "field-era", "field-year", "field-month", "field-day", "era-western", "era-taisho",
// "era-showa", "era-heisei", "era-reiwa", "staff-home", "staff-devices", "staff-today",
// "staff-logs", "staff-settings", "staff-lock", "staff-test-card", "staff-test-printer",
// "staff-test-network", "staff-send-now", "staff-out-of-service", "staff-restart",
// "staff-edit-settings", "staff-setting-next", "staff-setting-down", "staff-setting-up",
// "staff-settings-save", "agree", "decline", "more-time", "call-staff", "cancel-call".
const char* buttonIdName(ButtonId id);
std::optional<ButtonId> buttonIdFromName(std::string_view name);

// The keypad digit of a Digit0..Digit9 id; nullopt for any other id.
std::optional<char> digitOf(ButtonId id);
ButtonId digitButton(int digit); // 0..9

// One button as drawn in a frame, in screen pixels.
struct DrawnButton {
    ButtonId id;
    ImVec2 min;
    ImVec2 max;
    bool enabled = true;

    ImVec2 center() const { return {(min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f}; }
};

struct Intents {
    // Buttons pressed this frame (normally zero or one), in the order they fired.
    std::vector<ButtonId> pressed;
    // Every button drawn this frame.
    std::vector<DrawnButton> drawn;
    // The string-table keys whose text was drawn this frame (for `expect-text`).
    std::vector<std::string> shownKeys;

    const DrawnButton* find(ButtonId id) const;
    bool wasPressed(ButtonId id) const;
};

} // namespace uketsuke::ui
