#pragma once

// The hidden gesture that opens the staff PIN screen (docs/staff.md "Unlocking"): a finger held
// for 3 s in the top-left corner, then, each within 4 s of the last, a tap in the top-right,
// the bottom-right and the bottom-left corner — clockwise round the screen. A patient does not
// do this by chance: a long press alone, or taps alone, or corners in another order, do nothing.
// Any touch outside the next corner starts over. Pure (touch positions and times in); the UI
// feeds it every touch of every screen, the headless driver a script's `staff-gesture`.

#include <chrono>

namespace uketsuke::kiosk::staff {

struct GesturePolicy {
    float corner = 0.15f; // a corner is this fraction of the screen's shorter side, square
    std::chrono::milliseconds hold{3000};    // the first press, in the top-left corner
    std::chrono::milliseconds between{4000}; // from one release to the next press
};

class GestureRecognizer {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    GestureRecognizer(float width, float height, GesturePolicy policy = {});

    // A finger touched the screen at (x, y) (pixels, origin top left).
    void down(float x, float y, TimePoint at);
    // The finger left the screen at (x, y). True when this completed the gesture (it then
    // starts over).
    bool up(float x, float y, TimePoint at);
    // Forget what was seen (the screen changed size, the menu opened).
    void reset();

private:
    enum class Corner { None, TopLeft, TopRight, BottomRight, BottomLeft };
    Corner cornerAt(float x, float y) const;

    float m_width;
    float m_height;
    GesturePolicy m_policy;
    int m_done = 0; // corners completed: 0 none, 1 the hold, 2..4 the taps
    bool m_pressed = false;
    Corner m_pressCorner = Corner::None;
    TimePoint m_pressAt{};
    TimePoint m_lastUp{};
};

} // namespace uketsuke::kiosk::staff
