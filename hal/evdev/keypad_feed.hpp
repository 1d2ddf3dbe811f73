#pragma once

// Keeps a USB keypad open and hands its key presses to a callback on a thread of its own
// (docs/pcsc.md). The keypad may be missing at start or unplugged at any time: the feed
// tries to open it again every `retry` until it is back, and says so once in the log, so a
// cable pulled in the waiting room never needs a restart. No key is ever logged.

#include "hal/evdev/keypad.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace uketsuke::hal::evdev {

class KeypadFeed {
public:
    // Opens the keypad (EvdevKeypad::open with the configured path; tests pass a stream).
    using Opener = std::function<Result<std::unique_ptr<EvdevKeypad>>()>;
    // Called on the feed's thread for each key press.
    using OnKey = std::function<void(const KeyPress&)>;

    KeypadFeed(Opener open, OnKey onKey,
               std::chrono::milliseconds retry = std::chrono::milliseconds(2000));
    ~KeypadFeed(); // stop()
    KeypadFeed(const KeypadFeed&) = delete;
    KeypadFeed& operator=(const KeypadFeed&) = delete;

    // Starts the thread. Thread: the owner's.
    void start();
    // Wakes and joins the thread; no onKey call after it returns. Thread: the owner's.
    void stop();

    // How many times the keypad was opened successfully (1 after the first open; +1 after each
    // reconnection). Thread: any.
    int opens() const { return m_opens.load(); }

private:
    void run();

    Opener m_open;
    OnKey m_onKey;
    std::chrono::milliseconds m_retry;

    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    EvdevKeypad* m_current = nullptr; // guarded by m_mutex: for cancel() from stop()
    std::atomic<int> m_opens{0};
    std::thread m_thread;
};

} // namespace uketsuke::hal::evdev
