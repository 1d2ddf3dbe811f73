#pragma once

// The touch-sized widget layer every screen draws with (docs/screens.md): full-screen
// windows, big buttons, the PIN keypad and dots, wrapped centred text, simple drawn icons and
// the card-reader illustration. All sizes come from the Theme; no screen calls a raw
// ImGui::Button. Buttons record where they were drawn in Intents, so the headless driver can
// tap them by id. Thread: main (the ImGui context's thread), inside a frame.

#include "ui/intents.hpp"
#include "ui/screen_context.hpp"

#include <imgui.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::ui {

struct Rect {
    ImVec2 min;
    ImVec2 max;

    float width() const { return max.x - min.x; }
    float height() const { return max.y - min.y; }
    ImVec2 center() const { return {(min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f}; }
};

// The area of the screen inside the theme's margins.
Rect contentRect(const ScreenContext& ctx);

// One full-screen, undecorated, immovable window over the screen's area (ImGui's
// ShowExampleAppFullscreen recipe). Always pair with endScreen().
void beginScreen(const ScreenContext& ctx, const char* name);
void endScreen();

// ---- Text -----------------------------------------------------------------------------------

enum class Align { Left, Center };

// Breaks `text` into lines no wider than `maxWidth` as measured by `measure`, with the 禁則
// breaker the slip uses (base/line_break.hpp). '\n' forces a break; English breaks at spaces;
// Japanese between characters, except that closing punctuation and small kana never start a
// line (they hang past the edge), opening brackets never end one, and words such as ください
// and 3か月 stay whole. A word wider than a line is cut where it must be. Pure, for tests.
std::vector<std::string> wrapLines(std::string_view text, float maxWidth,
                                   const std::function<float(std::string_view)>& measure);

// Draws wrapped text with its top-left (Left) or top-centre (Center) at `pos`, and returns the
// height used.
float drawText(ImFont* font, std::string_view text, ImVec2 pos, float maxWidth, Align align,
               const ImVec4& colour);
// The height drawText would use.
float measureText(ImFont* font, std::string_view text, float maxWidth);

// A filled rounded rectangle with a border, drawn as two fills (crisper than a stroked outline
// on the software renderer).
void framedRect(ImVec2 min, ImVec2 max, const ImVec4& fill, const ImVec4& border, float rounding,
                float borderWidth);

// The width of the widest line drawText would draw.
float textWidth(ImFont* font, std::string_view text, float maxWidth);

// A panel with an icon and dark text (bold body text unless `font` says otherwise), as narrow
// as its text allows: Attention is soft amber with "!" (one more try, keep the card on the
// reader), Info is pale blue with "i" (staff can help). With Align::Center, pos.x is the
// panel's centre. Returns its size.
enum class PanelKind { Attention, Info };
ImVec2 measurePanel(const ScreenContext& ctx, std::string_view text, float maxWidth,
                    ImFont* font = nullptr);
ImVec2 notePanel(const ScreenContext& ctx, PanelKind kind, std::string_view text, ImVec2 pos,
                 float maxWidth, Align align, ImFont* font = nullptr);

// ---- Buttons --------------------------------------------------------------------------------

enum class ButtonKind {
    Primary,   // white on deep blue: the one main action of a screen
    Secondary, // dark blue on white with a border: other ways out
    Key,       // a keypad key
    Selected,  // a toggle that is on (the current language)
    Demo,      // the demo strip: light on dark, exempt from the 15 mm minimum (not for patients)
};

// A small drawing before a button's label, in the label's colour (the strip's display switches).
enum class ButtonIcon {
    None,
    LargeText,    // a small and a large "A"
    HighContrast, // a circle, half filled
};

struct ButtonSpec {
    ButtonId id;
    std::string label;
    ButtonKind kind = ButtonKind::Secondary;
    bool enabled = true;
    ButtonIcon icon = ButtonIcon::None;
};

// The width an icon takes before a label drawn with `font` (0 for ButtonIcon::None), its gap
// to the label included.
float buttonIconWidth(const Theme& theme, const ImFont* font, ButtonIcon icon);

// A large button at `pos` of `size` (never smaller than the theme's 15 mm target). Returns true
// when it was pressed this frame, and records it in `out`. An icon is drawn before the label,
// the two centred together.
bool bigButton(const ScreenContext& ctx, const ButtonSpec& spec, ImVec2 pos, ImVec2 size,
               Intents& out, ImFont* font = nullptr);

// Equal buttons side by side, centred in `row` (its height is the buttons' height). Each button
// is the theme's buttonWidth or narrower when the row is short. When a label would not fit its
// button side by side (large text on a portrait panel), the buttons go one above the other,
// centred, in the order given: `row` must then be buttonRowHeight() high.
void buttonRow(const ScreenContext& ctx, const std::vector<ButtonSpec>& buttons, Rect row,
               Intents& out);

// The height buttonRow() needs for `buttons` in `width`: one button high, or a column.
float buttonRowHeight(const ScreenContext& ctx, const std::vector<ButtonSpec>& buttons,
                      float width);

// Equal buttons in rows of as many as fit their labels side by side, in the order given, each
// row centred in `area` (a staff page's actions: four or five on a narrow screen take two rows
// instead of a column that runs off the screen). One row is buttonRow()'s side by side; one a
// row, buttonRow()'s column. `area` must be buttonGridHeight() high.
void buttonGrid(const ScreenContext& ctx, const std::vector<ButtonSpec>& buttons, Rect area,
                Intents& out);
float buttonGridHeight(const ScreenContext& ctx, const std::vector<ButtonSpec>& buttons,
                       float width);

// ---- Form fields ----------------------------------------------------------------------------

// A box showing what was typed into one form field, tapped to select it (a button with id
// `id`, recorded in `out` like the others). The selected box has a thick blue frame and a
// caret; `attention` frames it amber (a value to correct). A value too long for the box shows
// its end, after "…". Never smaller than the theme's 15 mm target. Returns true when pressed.
struct FieldBoxSpec {
    ButtonId id;
    std::string value;
    bool selected = false;
    bool attention = false;
    bool caret = true; // false for a box that shows a choice rather than typed digits
};
bool fieldBox(const ScreenContext& ctx, const FieldBoxSpec& spec, ImVec2 pos, ImVec2 size,
              Intents& out, ImFont* font = nullptr);

// ---- PIN ------------------------------------------------------------------------------------

// The fixed phone layout: 1 2 3 / 4 5 6 / 7 8 9 / Clear 0 Back, filling `area` (keys never
// lower than the theme's keyHeight). Keys never show
// which digit was typed (no press animation beyond the standard pressed colour).
void numericKeypad(const ScreenContext& ctx, Rect area, Intents& out, bool enabled = true);
// The height numericKeypad needs for its four rows.
float keypadHeight(const Theme& theme);

// `length` masked places, the first `filled` of them filled; centred on `center`.
void pinDots(const ScreenContext& ctx, ImVec2 center, std::size_t filled, std::size_t length);

// ---- Pictures -------------------------------------------------------------------------------

enum class Icon { Check, Warning, Lock, Staff, Info };

// A round symbol of `radius` centred on `center`.
void drawIcon(const ScreenContext& ctx, Icon icon, ImVec2 center, float radius);

// A card reader with a card above it (`cardOnReader` false, with a downward arrow) or lying on
// it; `liftOff` draws an upward arrow instead (remove the card). Fits in `area`.
enum class CardPose { Above, OnReader, LiftOff };
void drawCardAndReader(const ScreenContext& ctx, Rect area, CardPose pose);

// Dots turning around `center`, driven by ctx.seconds (the shell redraws at a low rate). Notes
// its square in animatedRects().
void spinner(const ScreenContext& ctx, ImVec2 center, float radius);

// The rectangles of this frame whose pixels change by themselves (spinners), in display
// pixels: between two frames of the same screen only these are drawn again
// (FrameInput::animationOnly). Host::frame() empties the list before each frame. Thread: main.
struct AnimatedRect {
    ImVec2 min;
    ImVec2 max;
};
std::vector<AnimatedRect>& animatedRects();

} // namespace uketsuke::ui
