#pragma once

// The on-screen keypad's buffer. The digits go from here straight to the card command: the
// runner moves the Pin out when it executes VerifyPinAndSign, and the Pin wipes itself after
// the VERIFY. Thread: main only.

#include "base/secret.hpp"

#include <utility>

namespace uketsuke::kiosk::runner {

// One key from a hardware keypad (a USB numeric keypad read by hal/evdev). The keys reach the
// PIN entry only while the PIN screen is up; anywhere else digits are dropped. Never logged.
struct KeypadPress {
    enum class Key { Digit, Backspace, Enter, Cancel };
    Key key = Key::Digit;
    char digit = 0; // '0'..'9' with Key::Digit
};

class PinEntry {
public:
    bool press(char digit) { return m_pin.push(digit); }
    void back() { m_pin.pop(); }
    void clear() { m_pin.wipe(); }
    std::size_t count() const { return m_pin.size(); }
    bool complete() const { return m_pin.complete(); }
    // Moves the digits out, leaving the entry empty.
    Pin take() { return std::exchange(m_pin, Pin{}); }

private:
    Pin m_pin;
};

} // namespace uketsuke::kiosk::runner
