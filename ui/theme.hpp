#pragma once

// Sizes and colours of the kiosk, derived from the display (docs/screens.md "Design rules").
// Everything a screen measures comes from here: huge text for elderly patients with poor
// sight, touch targets of at least 15 mm, and high-contrast colours (dark ink on a calm light
// background, white on deep blue for the main action). No screen uses a raw pixel number.

#include <imgui.h>

namespace uketsuke::ui {

struct Palette {
    ImVec4 background;       // the calm, light page
    ImVec4 surface;          // panels and secondary buttons
    ImVec4 text;             // body ink
    ImVec4 textMuted;        // notes; still >= 7:1 on the background
    ImVec4 primary;          // the main action
    ImVec4 primaryPressed;
    ImVec4 onPrimary;
    ImVec4 secondaryPressed;
    ImVec4 onSecondary;
    ImVec4 border;
    ImVec4 disabled;
    ImVec4 onDisabled;
    ImVec4 disabledBorder;   // the frame of a button that cannot be pressed yet
    ImVec4 attention;        // a soft amber panel for warnings
    ImVec4 attentionInk;     // its border and strong text
    ImVec4 info;             // a pale blue panel for reassuring notes
    ImVec4 success;          // the "done" mark
    ImVec4 illustration;     // the card reader drawing
    ImVec4 card;             // the card in the drawing
    ImVec4 strip;            // the strip under every patient screen (call staff)
    ImVec4 demoBar;          // the demo controls in the strip (visibly not part of the product)
    ImVec4 demoBarIdle;      // a demo key that does nothing now
    ImVec4 demoBarIdleText;
};

struct Theme {
    ImVec2 display;      // pixels
    float pxPerMm = 0.0f;

    // Font pixel sizes.
    float textPx = 0.0f;  // body text and button labels
    float titlePx = 0.0f; // screen titles
    float hugePx = 0.0f;  // the receipt number
    float smallPx = 0.0f; // notes, the demo bar
    // The smallest line height of a patient's name (40 px at 1920x1080, scaled with the
    // display and by large text): a longer name wraps onto more lines instead (result screen).
    float minNamePx = 0.0f;

    // Layout.
    float margin = 0.0f;       // from the screen edge
    float gap = 0.0f;          // between elements
    float buttonHeight = 0.0f; // >= 15 mm
    float buttonWidth = 0.0f;  // preferred width of an action button
    float keyHeight = 0.0f;    // a keypad key, >= 15 mm
    float rounding = 0.0f;
    float borderWidth = 0.0f;
    float dotRadius = 0.0f;    // PIN dots
    // The strip along the bottom of every patient screen (スタッフを呼ぶ; the demo controls):
    // its button is a 15 mm target, with stripPad above and below.
    float stripHeight = 0.0f;
    float stripPad = 0.0f;
    // Rows of the strip: 2 on a portrait panel (the display switches above, スタッフを呼ぶ below;
    // too many for one row 1080 px wide), 1 on a landscape one.
    int stripRows = 1;

    Palette color;
};

// How a patient has the screens drawn (kiosk::flow::Display, which the shell passes on): the
// strip's two switches, reset to the clinic's defaults for each patient.
struct DisplayMode {
    bool largeText = false;
    bool highContrast = false;
    bool operator==(const DisplayMode&) const = default;
};

// Large text: every font is this many times the normal theme's size (the font library builds
// its atlas at this scale, FontLibrary::setScale). 1.3 takes body text at 1920x1080 from 65 to
// 84 px (about 14 mm tall on a 21.5" panel, 11 mm per character): a step a patient sees at once,
// while every screen still fits in all six languages, landscape and portrait. A bigger step
// (1.5) made the insurance-card form and the PIN keypad overflow a landscape panel.
inline constexpr float kLargeTextScale = 1.3f;
// What the boxes holding one line of text (buttons, the strip) grow by in large text: half the
// text's growth, their padding takes the rest. Margins, gaps and keypad keys keep their size,
// so the screens keep their room for the larger words.
inline constexpr float kLargeTextBoxScale = 1.15f;
// What the margins and gaps shrink by in large text: the larger words take their room.
inline constexpr float kLargeTextSpaceScale = 0.7f;

// The smallest touch target, in millimetres (docs/screens.md "Design rules").
inline constexpr float kMinTargetMm = 15.0f;
// The panel assumed when the display does not report its DPI (a 10.1" kiosk panel).
inline constexpr float kAssumedDiagonalInches = 10.1f;

// A theme for a display of `displayPx` pixels. `dpi` is the display's diagonal DPI, or 0 when
// unknown (headless, or SDL could not tell), in which case a 10.1" panel is assumed. `mode`:
// large text scales the font sizes by kLargeTextScale and the text's boxes by
// kLargeTextBoxScale; high contrast is highContrastPalette() and borders twice as thick.
Theme makeTheme(ImVec2 displayPx, float dpi, DisplayMode mode = {});

// The colours of the normal theme and of high contrast (white and yellow on black, no grey on
// grey; every text colour at least 7:1 on what it is drawn on).
Palette normalPalette();
Palette highContrastPalette();

// The factor the font library builds the atlas at for `mode` (1 or kLargeTextScale).
float fontScale(DisplayMode mode);

// Sets ImGui's style from the theme: no hover colours (touch has no hover), large padding,
// rounded corners. Thread: main (the ImGui context's thread).
void applyTheme(const Theme& theme, ImGuiStyle& style);

ImU32 toU32(const ImVec4& colour);

} // namespace uketsuke::ui
