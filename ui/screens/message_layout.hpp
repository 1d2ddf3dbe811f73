#pragma once

// The layout most screens share: a picture, a title, plain words, an optional amber note and a
// row of buttons along the bottom, centred with calm space around them.

#include "ui/widgets.hpp"

#include <optional>
#include <string>
#include <vector>

namespace uketsuke::ui {

struct Message {
    enum class Picture { None, Icon, Card, Spinner };
    Picture picture = Picture::None;
    Icon icon = Icon::Info;
    CardPose pose = CardPose::Above;
    std::string title;
    std::string lead;      // body text; '\n' breaks lines
    std::string note; // a panel below the text (empty: none)
    PanelKind noteKind = PanelKind::Attention;
    std::vector<ButtonSpec> buttons;
};

void drawMessageScreen(const ScreenContext& ctx, const char* windowName, const Message& message,
                       Intents& out);

// "Need more time?" over a screen where the patient was typing (State::stillThere): 続ける and
// やめる, as large as any button, and what happens when nobody answers.
void drawStillThere(const ScreenContext& ctx, const char* windowName, Intents& out);

// Where a PIN screen (the card's and the staff's) puts its parts. Landscape: words and dots on
// the left, the keypad with OK on the right, Cancel level with OK. Portrait: words on top, then
// the keypad, then Cancel and OK side by side. With `help` (the card's PIN screen: 暗証番号が
// わからない) a second button beside Cancel in landscape, above the keypad in portrait.
struct PinLayout {
    Rect words;
    Rect pad;
    Rect ok;
    Rect cancel;
    Rect help; // empty unless asked for
};
PinLayout pinLayout(const ScreenContext& ctx, Rect content, bool help = false);

// The widest a block of body text should be: about 27 Japanese characters.
float textColumnWidth(const ScreenContext& ctx, float available);

} // namespace uketsuke::ui
