#pragma once

// A USB numeric keypad as the patient's PIN pad (docs/pcsc.md), read through evdev.
//
// KeyDecoder turns kernel input events into key presses: digits from KEY_KP0..9 and KEY_0..9
// (and, optionally, the navigation keys a keypad sends when its firmware NumLock is off),
// Backspace, Enter (KEY_KPENTER, KEY_ENTER) and Esc. Only key-down events count; auto-repeat
// (value 2) and releases are ignored; after SYN_DROPPED everything up to the next SYN_REPORT is
// dropped, so a key lost by the kernel never turns into a wrong digit silently.
//
// EvdevKeypad reads a device node with libevdev and grabs it (EVIOCGRAB), so digits never reach
// the compositor or a console. No key, digit or event is ever logged: the keys are a PIN.

#include "base/result.hpp"

#include <linux/input.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace uketsuke::hal::evdev {

enum class PinKey { Digit, Backspace, Enter, Cancel };

struct KeyPress {
    PinKey key = PinKey::Digit;
    char digit = 0; // '0'..'9' for PinKey::Digit, 0 otherwise
};

struct KeypadOptions {
    // Map KEY_INSERT/END/DOWN/PAGEDOWN/LEFT/RIGHT/HOME/UP/PAGEUP to 0..9 (a keypad whose
    // firmware applies NumLock sends these when it is off). Leave on for a dedicated keypad;
    // turn off for a full keyboard, whose arrow keys would otherwise type digits.
    bool navigationAsDigits = true;
};

// Pure decoder; thread: whoever owns it.
class KeyDecoder {
public:
    explicit KeyDecoder(KeypadOptions options = {}) : m_options(options) {}
    // Feeds one event; returns the key press it completes, if any.
    std::optional<KeyPress> feed(const input_event& event);

private:
    KeypadOptions m_options;
    bool m_dropping = false;
};

class EvdevKeypad {
public:
    // Opens a keypad's event device (e.g. /dev/input/by-id/usb-...-event-kbd) with libevdev and
    // grabs it. Errors: ReaderNotFound (no such device), ReaderError (not an input device,
    // grab refused: another program holds it), NotSupported (it has no numeric keys).
    static Result<std::unique_ptr<EvdevKeypad>> open(const std::string& path,
                                                     KeypadOptions options = {});

    // Reads raw `struct input_event` records from `fd` without libevdev (a pipe or socket:
    // tests, and keypads forwarded by another process). Takes ownership of `fd`.
    static Result<std::unique_ptr<EvdevKeypad>> fromEventStream(int fd,
                                                                KeypadOptions options = {});

    ~EvdevKeypad();
    EvdevKeypad(const EvdevKeypad&) = delete;
    EvdevKeypad& operator=(const EvdevKeypad&) = delete;

    // Blocks until the next key press, `timeout`, or cancel(). Thread: one reader thread.
    // Errors: Timeout, Cancelled, ReaderRemoved (the device went away or the stream ended),
    // ReaderError (read error).
    Result<KeyPress> next(std::chrono::milliseconds timeout);

    // Wakes next() in another thread; the next call to next() returns Cancelled once if no
    // call was waiting. Thread: any.
    void cancel();

private:
    struct Impl;
    explicit EvdevKeypad(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace uketsuke::hal::evdev
