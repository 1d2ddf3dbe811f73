#pragma once

// What a screen reports from one frame: the buttons the patient pressed, in order, and where
// each button was drawn. Screens only fill this in (docs/architecture.md); the shell turns the
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
    // The language picker's buttons, one slot per translation file in the catalog's order
    // (languageButton(), kMaxLanguages); Intents::languages names each slot's language.
    Language0,
    Language1,
    Language2,
    Language3,
    Language4,
    Language5,
    Language6,
    Language7,
    Language8,
    Language9,
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
    // The staff menu's visual confirmation (目視): open its page (home), and 確認しました.
    StaffVisual,
    StaffVisualConfirm,
    // The strip's display switches (docs/screens.md "Large text and high contrast").
    LargeText,
    HighContrast,
    // A staff page whose rows do not fit on one screen: its previous and next page.
    StaffPagePrevious,
    StaffPageNext,
    StaffEnrol,       // Home (administrators): open the enrolment page
    StaffEnrolClinic, // the enrolment page's 機関コード field
    StaffEnrolCode,   // its activation code field
    StaffEnrolSubmit, // its 登録する (the pairing page's 接続する)
    StaffPair,        // Home (administrators): open the pairing page (受付PCと接続)
};

inline constexpr int kButtonIdCount = static_cast<int>(ButtonId::StaffPair) + 1;
// How many languages the picker can offer (one button slot each); a catalog with more files
// offers the first ones and logs the rest (ui/host.cpp).
inline constexpr int kMaxLanguages = 10;

// "start", "cancel", "ok", "back", "clear", "retry", "ask-staff", "enter-pin", "done",
// "digit-0".."digit-9", "language-0".."language-9", "demo-insert", "demo-remove",
// "insurance-card", "next", "field-insurer", "field-symbol", "field-number", "field-branch",
// "field-era", "field-year", "field-month", "field-day", "era-western", "era-taisho",
// "era-showa", "era-heisei", "era-reiwa", "staff-home", "staff-devices", "staff-today",
// "staff-logs", "staff-settings", "staff-lock", "staff-test-card", "staff-test-printer",
// "staff-test-network", "staff-send-now", "staff-out-of-service", "staff-restart",
// "staff-edit-settings", "staff-setting-next", "staff-setting-down", "staff-setting-up",
// "staff-settings-save", "agree", "decline", "more-time", "call-staff", "cancel-call", "staff-visual",
// "staff-visual-confirm", "large-text", "high-contrast", "staff-page-previous",
// "staff-page-next". Scripts
// name a language button by its language instead ("lang-en", "lang-zh-Hans"): Intents::languageButton() finds it.
const char* buttonIdName(ButtonId id);
std::optional<ButtonId> buttonIdFromName(std::string_view name);

// The slot of a Language0..Language9 id; nullopt for any other id.
std::optional<int> languageSlotOf(ButtonId id);
ButtonId languageButton(int slot); // 0..kMaxLanguages-1

// The keypad digit of a Digit0..Digit9 id; nullopt for any other id.
std::optional<char> digitOf(ButtonId id);
ButtonId digitButton(int digit); // 0..9

// One button as drawn in a frame, in screen pixels.
struct DrawnButton {
    ButtonId id;
    ImVec2 min;
    ImVec2 max;
    bool enabled = true;
    // The width of the label as drawn (in the font the button chose): a layout test checks that
    // it fits inside the button. 0 for a button without a text label.
    float labelWidth = 0.0f;

    ImVec2 center() const { return {(min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f}; }
};

struct Intents {
    // Buttons pressed this frame (normally zero or one), in the order they fired.
    std::vector<ButtonId> pressed;
    // Every button drawn this frame.
    std::vector<DrawnButton> drawn;
    // The string-table keys whose text was drawn this frame (for `expect-text`).
    std::vector<std::string> shownKeys;
    // The language ("ja", "zh-Hans": a translation file's name) of each language slot drawn
    // this frame, by slot; empty when no picker was drawn.
    std::vector<std::string> languages;

    const DrawnButton* find(ButtonId id) const;
    bool wasPressed(ButtonId id) const;
    // The picker's button for `language`, if one was drawn this frame.
    std::optional<ButtonId> languageButton(std::string_view language) const;
    // The language of a pressed language slot; empty for any other id.
    std::string languageOf(ButtonId id) const;
};

} // namespace uketsuke::ui
