#include "kiosk/staff/gesture.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke::kiosk::staff;
using namespace std::chrono_literals;
using TimePoint = GestureRecognizer::TimePoint;

namespace {

constexpr float kWidth = 1280;
constexpr float kHeight = 800;

struct Finger {
    GestureRecognizer recognizer{kWidth, kHeight};
    TimePoint now{};

    bool touch(float x, float y, std::chrono::milliseconds hold = 100ms,
               std::chrono::milliseconds before = 500ms)
    {
        now += before;
        recognizer.down(x, y, now);
        now += hold;
        return recognizer.up(x, y, now);
    }
    bool topLeft(std::chrono::milliseconds hold = 3100ms) { return touch(20, 20, hold); }
    bool topRight() { return touch(kWidth - 20, 20); }
    bool bottomRight() { return touch(kWidth - 20, kHeight - 20); }
    bool bottomLeft(std::chrono::milliseconds before = 500ms)
    {
        return touch(20, kHeight - 20, 100ms, before);
    }
};

} // namespace

TEST_CASE("Gesture: a long press top left, then the other corners clockwise")
{
    Finger f;
    CHECK_FALSE(f.topLeft());
    CHECK_FALSE(f.topRight());
    CHECK_FALSE(f.bottomRight());
    CHECK(f.bottomLeft());
    // It starts over after it completed.
    CHECK_FALSE(f.bottomLeft());
}

TEST_CASE("Gesture: a short press top left is only a touch")
{
    Finger f;
    CHECK_FALSE(f.topLeft(2900ms));
    CHECK_FALSE(f.topRight());
    CHECK_FALSE(f.bottomRight());
    CHECK_FALSE(f.bottomLeft());
}

TEST_CASE("Gesture: corners in another order, a touch in the middle, or a pause start over")
{
    Finger wrongOrder;
    wrongOrder.topLeft();
    wrongOrder.bottomRight();
    wrongOrder.topRight();
    CHECK_FALSE(wrongOrder.bottomLeft());

    Finger middle;
    middle.topLeft();
    middle.topRight();
    middle.touch(kWidth / 2, kHeight / 2); // a patient's button
    middle.bottomRight();
    CHECK_FALSE(middle.bottomLeft());

    Finger slow;
    slow.topLeft();
    slow.topRight();
    slow.bottomRight();
    CHECK_FALSE(slow.bottomLeft(4100ms));

    // After a failed try, a whole new gesture still works.
    Finger again;
    again.topLeft();
    again.bottomLeft();
    CHECK_FALSE(again.topLeft());
    CHECK_FALSE(again.topRight());
    CHECK_FALSE(again.bottomRight());
    CHECK(again.bottomLeft());
}

TEST_CASE("Gesture: pressed in one corner and released in another does not count")
{
    Finger f;
    f.topLeft();
    f.now += 500ms;
    f.recognizer.down(kWidth - 20, 20, f.now);
    f.now += 100ms;
    CHECK_FALSE(f.recognizer.up(kWidth / 2, 20, f.now)); // slid out of the corner
    f.bottomRight();
    CHECK_FALSE(f.bottomLeft());
}

TEST_CASE("Gesture: reset() forgets a gesture half done")
{
    Finger f;
    f.topLeft();
    f.topRight();
    f.recognizer.reset();
    f.bottomRight();
    CHECK_FALSE(f.bottomLeft());
}
