// The keypad is tested with synthetic `struct input_event` records written into a socketpair,
// which EvdevKeypad::fromEventStream() reads exactly as the kernel hands them to libevdev:
// there is no /dev/uinput on CI (docs/pcsc.md), so no virtual input device is created.

#include "hal/evdev/keypad.hpp"
#include "hal/evdev/keypad_feed.hpp"

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;
using hal::evdev::EvdevKeypad;
using hal::evdev::KeyDecoder;
using hal::evdev::KeyPress;
using hal::evdev::PinKey;

input_event event(unsigned short type, unsigned short code, int value)
{
    input_event e{};
    e.type = type;
    e.code = code;
    e.value = value;
    return e;
}

// A key press as a keyboard sends it: down, report, up, report.
std::vector<input_event> tap(unsigned short code)
{
    return {event(EV_MSC, MSC_SCAN, 0x70059), event(EV_KEY, code, 1),
            event(EV_SYN, SYN_REPORT, 0), event(EV_KEY, code, 0), event(EV_SYN, SYN_REPORT, 0)};
}

// Decodes a sequence and returns the keys as text: digits, 'B' backspace, 'E' enter, 'C'
// cancel.
std::string decode(const std::vector<input_event>& events, hal::evdev::KeypadOptions options = {})
{
    KeyDecoder decoder(options);
    std::string out;
    for (const auto& e : events) {
        if (auto key = decoder.feed(e)) {
            switch (key->key) {
            case PinKey::Digit:
                out += key->digit;
                break;
            case PinKey::Backspace:
                out += 'B';
                break;
            case PinKey::Enter:
                out += 'E';
                break;
            case PinKey::Cancel:
                out += 'C';
                break;
            }
        }
    }
    return out;
}

std::vector<input_event> join(std::initializer_list<std::vector<input_event>> parts)
{
    std::vector<input_event> out;
    for (const auto& part : parts) {
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

TEST_CASE("KeyDecoder: keypad and top-row digits, backspace, enter and escape")
{
    CHECK(decode(join({tap(KEY_KP1), tap(KEY_KP2), tap(KEY_KP3), tap(KEY_KP4),
                       tap(KEY_KPENTER)})) == "1234E");
    CHECK(decode(join({tap(KEY_KP0), tap(KEY_KP5), tap(KEY_KP6), tap(KEY_KP7), tap(KEY_KP8),
                       tap(KEY_KP9)})) == "056789");
    CHECK(decode(join({tap(KEY_1), tap(KEY_0), tap(KEY_9), tap(KEY_ENTER)})) == "109E");
    CHECK(decode(join({tap(KEY_KP1), tap(KEY_BACKSPACE), tap(KEY_ESC)})) == "1BC");
}

TEST_CASE("KeyDecoder: releases, auto-repeat and other keys never count")
{
    // A held key repeats (value 2): still one digit.
    CHECK(decode({event(EV_KEY, KEY_KP7, 1), event(EV_SYN, SYN_REPORT, 0),
                  event(EV_KEY, KEY_KP7, 2), event(EV_SYN, SYN_REPORT, 0),
                  event(EV_KEY, KEY_KP7, 2), event(EV_KEY, KEY_KP7, 0)}) == "7");
    CHECK(decode(join({tap(KEY_KPDOT), tap(KEY_NUMLOCK), tap(KEY_KPPLUS), tap(KEY_A)})).empty());
    CHECK(decode({event(EV_LED, LED_NUML, 1), event(EV_REL, REL_X, 1)}).empty());
}

TEST_CASE("KeyDecoder: events up to the report after SYN_DROPPED are dropped")
{
    // The kernel lost events: the key-down inside the dropped report must not become a digit
    // (the patient sees the count not move and types again).
    CHECK(decode({event(EV_KEY, KEY_KP1, 1), event(EV_SYN, SYN_REPORT, 0),
                  event(EV_SYN, SYN_DROPPED, 0), event(EV_KEY, KEY_KP2, 1),
                  event(EV_KEY, KEY_KP2, 0), event(EV_SYN, SYN_REPORT, 0),
                  event(EV_KEY, KEY_KP3, 1), event(EV_SYN, SYN_REPORT, 0)}) == "13");
}

TEST_CASE("KeyDecoder: navigation keys of a keypad with NumLock off, when enabled")
{
    const auto navigation = join({tap(KEY_INSERT), tap(KEY_END), tap(KEY_DOWN), tap(KEY_PAGEDOWN),
                                  tap(KEY_LEFT), tap(KEY_RIGHT), tap(KEY_HOME), tap(KEY_UP),
                                  tap(KEY_PAGEUP)});
    CHECK(decode(navigation) == "012346789");
    hal::evdev::KeypadOptions off;
    off.navigationAsDigits = false;
    CHECK(decode(navigation, off).empty());
}

struct Stream {
    int fds[2] = {-1, -1};
    std::unique_ptr<EvdevKeypad> keypad;
    Stream()
    {
        REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
        auto opened = EvdevKeypad::fromEventStream(fds[0]);
        REQUIRE(opened);
        keypad = std::move(*opened);
    }
    ~Stream()
    {
        if (fds[1] >= 0) {
            close(fds[1]);
        }
    }
    void send(const std::vector<input_event>& events)
    {
        const auto* bytes = reinterpret_cast<const char*>(events.data());
        std::size_t size = events.size() * sizeof(input_event);
        // Split mid-record on purpose: the keypad must reassemble partial records.
        std::size_t half = size / 2 + 3;
        REQUIRE(write(fds[1], bytes, half) == static_cast<ssize_t>(half));
        REQUIRE(write(fds[1], bytes + half, size - half) == static_cast<ssize_t>(size - half));
    }
};

TEST_CASE("EvdevKeypad: reads key presses from an event stream")
{
    Stream stream;
    stream.send(join(
        {tap(KEY_KP4), tap(KEY_KP3), tap(KEY_BACKSPACE), tap(KEY_KP2), tap(KEY_KPENTER)}));
    std::string typed;
    for (int i = 0; i < 5; ++i) {
        auto key = stream.keypad->next(5s);
        REQUIRE(key);
        typed += key->key == PinKey::Digit ? key->digit
                 : key->key == PinKey::Backspace ? 'B'
                 : key->key == PinKey::Enter     ? 'E'
                                                 : 'C';
    }
    CHECK(typed == "43B2E");
}

TEST_CASE("EvdevKeypad: times out, wakes on cancel, and reports the end of the stream")
{
    Stream stream;
    auto idle = stream.keypad->next(20ms);
    REQUIRE_FALSE(idle);
    CHECK(idle.error().code == Errc::Timeout);

    std::promise<Result<KeyPress>> done;
    auto result = done.get_future();
    std::thread reader([&] { done.set_value(stream.keypad->next(60s)); });
    stream.keypad->cancel(); // kept by the eventfd if the reader is not waiting yet
    auto cancelled = result.get();
    reader.join();
    REQUIRE_FALSE(cancelled);
    CHECK(cancelled.error().code == Errc::Cancelled);

    stream.send(tap(KEY_KP9));
    close(stream.fds[1]);
    stream.fds[1] = -1;
    auto last = stream.keypad->next(5s);
    REQUIRE(last);
    CHECK(last->digit == '9');
    auto ended = stream.keypad->next(5s);
    REQUIRE_FALSE(ended);
    CHECK(ended.error().code == Errc::ReaderRemoved);
}

TEST_CASE("EvdevKeypad: a missing device is ReaderNotFound")
{
    auto opened = EvdevKeypad::open("/dev/input/by-id/no-such-keypad-event-kbd");
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == Errc::ReaderNotFound);
}

} // namespace

// ---- KeypadFeed: keys reach the callback on the feed's thread; a keypad that goes away (its
// stream ends, as an unplugged device does) is opened again; a keypad missing at start is
// retried; stop() wakes a blocked wait.

namespace {

using hal::evdev::KeypadFeed;

void sendTap(int fd, unsigned short code)
{
    std::vector<input_event> events = tap(code);
    const auto size = static_cast<ssize_t>(events.size() * sizeof(input_event));
    REQUIRE(write(fd, events.data(), static_cast<std::size_t>(size)) == size);
}

// Hands out prepared streams, one per open; an open with none prepared fails like a missing
// device. Records every key the feed delivers.
struct Rig {
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<int> readEnds; // prepared streams (read ends) for the next opens
    int failedOpens = 0;
    std::string typed;

    // Prepares one stream and returns its write end (the test owns and closes it).
    int prepare()
    {
        int fds[2];
        REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
        std::lock_guard lock(mutex);
        readEnds.push_back(fds[0]);
        return fds[1];
    }

    KeypadFeed::Opener opener()
    {
        return [this]() -> Result<std::unique_ptr<EvdevKeypad>> {
            int fd = -1;
            {
                std::lock_guard lock(mutex);
                if (readEnds.empty()) {
                    ++failedOpens;
                    cv.notify_all();
                    return fail(Errc::ReaderNotFound, "no keypad");
                }
                fd = readEnds.front();
                readEnds.pop_front();
                cv.notify_all();
            }
            return EvdevKeypad::fromEventStream(fd);
        };
    }

    KeypadFeed::OnKey onKey()
    {
        return [this](const KeyPress& key) {
            std::lock_guard lock(mutex);
            typed += key.key == PinKey::Digit       ? key.digit
                     : key.key == PinKey::Backspace ? 'B'
                     : key.key == PinKey::Enter     ? 'E'
                                                    : 'C';
            cv.notify_all();
        };
    }

    // Waits (bounded, for a broken build not to hang) until `done` holds.
    template <class Pred>
    bool waitFor(Pred done)
    {
        std::unique_lock lock(mutex);
        return cv.wait_for(lock, 10s, [&] { return done(); });
    }
};

} // namespace

TEST_CASE("KeypadFeed: delivers key presses on its own thread")
{
    Rig rig;
    int writer = rig.prepare();
    KeypadFeed feed(rig.opener(), rig.onKey(), 10ms);
    feed.start();
    sendTap(writer, KEY_KP1);
    sendTap(writer, KEY_KP9);
    sendTap(writer, KEY_BACKSPACE);
    sendTap(writer, KEY_KPENTER);
    REQUIRE(rig.waitFor([&] { return rig.typed.size() == 4; }));
    CHECK(rig.typed == "19BE");
    feed.stop();
    CHECK(feed.opens() == 1);
    close(writer);
}

TEST_CASE("KeypadFeed: opens the keypad again after it was unplugged")
{
    Rig rig;
    int first = rig.prepare();
    KeypadFeed feed(rig.opener(), rig.onKey(), 10ms);
    feed.start();
    sendTap(first, KEY_KP5);
    REQUIRE(rig.waitFor([&] { return rig.typed == "5"; }));

    close(first); // the stream ends: the device went away
    REQUIRE(rig.waitFor([&] { return rig.failedOpens >= 1; })); // retrying while it is gone

    int second = rig.prepare(); // plugged in again
    sendTap(second, KEY_KP7);
    REQUIRE(rig.waitFor([&] { return rig.typed == "57"; }));
    CHECK(feed.opens() == 2);
    feed.stop();
    close(second);
}

TEST_CASE("KeypadFeed: a keypad missing at start is picked up when it appears")
{
    Rig rig;
    KeypadFeed feed(rig.opener(), rig.onKey(), 10ms);
    feed.start();
    REQUIRE(rig.waitFor([&] { return rig.failedOpens >= 2; }));
    CHECK(feed.opens() == 0);
    int writer = rig.prepare();
    sendTap(writer, KEY_KP0);
    REQUIRE(rig.waitFor([&] { return rig.typed == "0"; }));
    feed.stop();
    close(writer);
}

TEST_CASE("KeypadFeed: stop() wakes a wait for a key and for a missing keypad")
{
    Rig rig;
    int writer = rig.prepare();
    {
        KeypadFeed feed(rig.opener(), rig.onKey(), 10ms);
        feed.start();
        REQUIRE(rig.waitFor([&] { return rig.readEnds.empty(); })); // the stream was taken
        feed.stop(); // blocked in next() (or about to be): it must end, no key ever arrives
        CHECK(rig.typed.empty());
    }
    {
        KeypadFeed feed(rig.opener(), rig.onKey(), 1h); // no stream left: waits to retry
        feed.start();
        REQUIRE(rig.waitFor([&] { return rig.failedOpens >= 1; }));
        feed.stop(); // must not wait an hour
    }
    close(writer);
}
