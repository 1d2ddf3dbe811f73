#include "ui/widgets.hpp"

// The PIN: the numeric keypad and the masked dots.

#include "ui/widgets_draw.hpp"

#include <algorithm>
#include <cmath>

namespace uketsuke::ui {

using namespace widgets_detail;

float keypadHeight(const Theme& theme)
{
    return 4.0f * theme.keyHeight + 3.0f * std::round(theme.gap * 0.66f);
}

void numericKeypad(const ScreenContext& ctx, Rect area, Intents& out, bool enabled)
{
    const Theme& t = *ctx.theme;
    float gap = std::round(t.gap * 0.66f);
    float keyWidth = std::floor((area.width() - 2.0f * gap) / 3.0f);
    // The keys keep their full height unless the screen gave them less room (the insurance
    // form on a short portrait panel): then they share it, never below the touch target.
    float keyHeight = std::floor((area.height() - 3.0f * gap) / 4.0f);
    keyHeight = area.height() >= keypadHeight(t)
                    ? std::max(t.keyHeight, keyHeight)
                    : std::max(std::ceil(kMinTargetMm * t.pxPerMm), keyHeight);
    // The phone layout: fixed, never shuffled by default (docs/screens.md).
    static constexpr int kDigits[3][3] = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    auto keyPos = [&](int row, int col) {
        return ImVec2(area.min.x + static_cast<float>(col) * (keyWidth + gap),
                      area.min.y + static_cast<float>(row) * (keyHeight + gap));
    };
    for (int row = 0; row < 3; ++row) {
        for (int col = 0; col < 3; ++col) {
            int digit = kDigits[row][col];
            bigButton(ctx,
                      {digitButton(digit), std::string(1, static_cast<char>('0' + digit)),
                       ButtonKind::Key, enabled},
                      keyPos(row, col), ImVec2(keyWidth, keyHeight), out, ctx.fonts->title);
        }
    }
    bigButton(ctx, {ButtonId::Clear, ctx.tr("screen.keypad.clear"), ButtonKind::Key, enabled},
              keyPos(3, 0), ImVec2(keyWidth, keyHeight), out);
    bigButton(ctx, {ButtonId::Digit0, "0", ButtonKind::Key, enabled}, keyPos(3, 1),
              ImVec2(keyWidth, keyHeight), out, ctx.fonts->title);
    bigButton(ctx, {ButtonId::Back, ctx.tr("screen.keypad.back"), ButtonKind::Key, enabled},
              keyPos(3, 2), ImVec2(keyWidth, keyHeight), out);
}

void pinDots(const ScreenContext& ctx, ImVec2 center, std::size_t filled, std::size_t length)
{
    const Theme& t = *ctx.theme;
    float r = t.dotRadius;
    float step = std::round(r * 3.4f);
    float x = center.x - step * (static_cast<float>(length) - 1.0f) * 0.5f;
    for (std::size_t i = 0; i < length; ++i) {
        ImVec2 c(x + step * static_cast<float>(i), center.y);
        if (i < filled) {
            drawList()->AddCircleFilled(c, r, toU32(t.color.text), 48);
        } else {
            drawList()->AddCircle(c, r - t.borderWidth * 0.5f, toU32(t.color.border), 48,
                                  t.borderWidth);
        }
    }
}

} // namespace uketsuke::ui
