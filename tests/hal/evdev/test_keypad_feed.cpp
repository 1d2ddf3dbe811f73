// KeypadFeed: keys reach the callback on the feed's thread; a keypad that goes away (its stream
// ends, as an unplugged device does) is opened again; a keypad missing at start is retried;
// stop() wakes a blocked wait. Streams are socketpairs fed with synthetic input events.

#include "hal/evdev/keypad_feed.hpp"

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;
using hal::evdev::EvdevKeypad;
using hal::evdev::KeyPress;
using hal::evdev::KeypadFeed;
using hal::evdev::PinKey;

input_event event(unsigned short type, unsigned short code, int value)
{
    input_event e{};
    e.type = type;
    e.code = code;
    e.value = value;
    return e;
}

void sendTap(int fd, unsigned short code)
{
    std::vector<input_event> events = {event(EV_KEY, code, 1), event(EV_SYN, SYN_REPORT, 0),
                                       event(EV_KEY, code, 0), event(EV_SYN, SYN_REPORT, 0)};
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
