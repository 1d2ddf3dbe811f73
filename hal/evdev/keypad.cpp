#include "hal/evdev/keypad.hpp"

#include "base/log.hpp"

#include <libevdev/libevdev.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace uketsuke::hal::evdev {
namespace {

// Device names and errors only: never a key.
const log::Category kLog("hal.evdev");

std::optional<char> digitFor(unsigned code, bool navigation)
{
    switch (code) {
    case KEY_KP0: case KEY_0: return '0';
    case KEY_KP1: case KEY_1: return '1';
    case KEY_KP2: case KEY_2: return '2';
    case KEY_KP3: case KEY_3: return '3';
    case KEY_KP4: case KEY_4: return '4';
    case KEY_KP5: case KEY_5: return '5';
    case KEY_KP6: case KEY_6: return '6';
    case KEY_KP7: case KEY_7: return '7';
    case KEY_KP8: case KEY_8: return '8';
    case KEY_KP9: case KEY_9: return '9';
    default: break;
    }
    if (!navigation) {
        return std::nullopt;
    }
    // The keypad legends with NumLock off (5 sends nothing on most keypads).
    switch (code) {
    case KEY_INSERT: return '0';
    case KEY_END: return '1';
    case KEY_DOWN: return '2';
    case KEY_PAGEDOWN: return '3';
    case KEY_LEFT: return '4';
    case KEY_RIGHT: return '6';
    case KEY_HOME: return '7';
    case KEY_UP: return '8';
    case KEY_PAGEUP: return '9';
    default: return std::nullopt;
    }
}

input_event synEvent(unsigned short code)
{
    input_event event{};
    event.type = EV_SYN;
    event.code = code;
    return event;
}

} // namespace

std::optional<KeyPress> KeyDecoder::feed(const input_event& event)
{
    if (event.type == EV_SYN) {
        if (event.code == SYN_DROPPED) {
            m_dropping = true;
        } else if (event.code == SYN_REPORT) {
            m_dropping = false;
        }
        return std::nullopt;
    }
    if (m_dropping || event.type != EV_KEY || event.value != 1) {
        return std::nullopt; // releases (0) and auto-repeat (2) never count
    }
    if (auto digit = digitFor(event.code, m_options.navigationAsDigits)) {
        return KeyPress{PinKey::Digit, *digit};
    }
    switch (event.code) {
    case KEY_BACKSPACE:
        return KeyPress{PinKey::Backspace, 0};
    case KEY_KPENTER:
    case KEY_ENTER:
        return KeyPress{PinKey::Enter, 0};
    case KEY_ESC:
        return KeyPress{PinKey::Cancel, 0};
    default:
        return std::nullopt;
    }
}

struct EvdevKeypad::Impl {
    int fd = -1;
    int wakeFd = -1;
    libevdev* device = nullptr; // null for a raw event stream
    KeyDecoder decoder;
    std::deque<KeyPress> pending;
    std::string rawBuffer; // partial input_event records of a raw stream

    ~Impl()
    {
        if (device != nullptr) {
            libevdev_grab(device, LIBEVDEV_UNGRAB);
            libevdev_free(device);
        }
        if (fd >= 0) {
            close(fd);
        }
        if (wakeFd >= 0) {
            close(wakeFd);
        }
    }

    void push(const input_event& event)
    {
        if (auto key = decoder.feed(event)) {
            pending.push_back(*key);
        }
    }

    // Reads what is available without blocking. Errors: ReaderRemoved, ReaderError.
    Result<void> drain()
    {
        if (device == nullptr) {
            char buffer[sizeof(input_event) * 16];
            ssize_t got = read(fd, buffer, sizeof buffer);
            if (got == 0) {
                return fail(Errc::ReaderRemoved, "keypad event stream ended");
            }
            if (got < 0) {
                if (errno == EAGAIN || errno == EINTR) {
                    return ok();
                }
                return fail(Errc::ReaderError, std::string("keypad read: ") + std::strerror(errno),
                            errno);
            }
            rawBuffer.append(buffer, static_cast<std::size_t>(got));
            while (rawBuffer.size() >= sizeof(input_event)) {
                input_event event{};
                std::memcpy(&event, rawBuffer.data(), sizeof event);
                rawBuffer.erase(0, sizeof event);
                push(event);
            }
            return ok();
        }
        for (;;) {
            input_event event{};
            int rc = libevdev_next_event(device, LIBEVDEV_READ_FLAG_NORMAL, &event);
            if (rc == LIBEVDEV_READ_STATUS_SYNC) {
                // SYN_DROPPED: libevdev replays the device state; a replayed key-down is not a
                // press, so drain the sync events and start again from a clean report.
                decoder.feed(synEvent(SYN_DROPPED));
                while (libevdev_next_event(device, LIBEVDEV_READ_FLAG_SYNC, &event) ==
                       LIBEVDEV_READ_STATUS_SYNC) {
                }
                decoder.feed(synEvent(SYN_REPORT));
                continue;
            }
            if (rc == -EAGAIN) {
                return ok();
            }
            if (rc == -ENODEV) {
                return fail(Errc::ReaderRemoved, "keypad unplugged");
            }
            if (rc < 0) {
                return fail(Errc::ReaderError, std::string("keypad read: ") + std::strerror(-rc),
                            -rc);
            }
            push(event);
        }
    }
};

EvdevKeypad::EvdevKeypad(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
EvdevKeypad::~EvdevKeypad() = default;

Result<std::unique_ptr<EvdevKeypad>> EvdevKeypad::open(const std::string& path,
                                                       KeypadOptions options)
{
    auto impl = std::make_unique<Impl>();
    impl->decoder = KeyDecoder(options);
    impl->fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (impl->fd < 0) {
        const int error = errno;
        return fail(error == ENOENT ? Errc::ReaderNotFound : Errc::ReaderError,
                    "keypad " + path + ": " + std::strerror(error), error);
    }
    int rc = libevdev_new_from_fd(impl->fd, &impl->device);
    if (rc < 0) {
        impl->device = nullptr;
        return fail(Errc::ReaderError, "keypad " + path + ": not an input device", -rc);
    }
    if (!libevdev_has_event_code(impl->device, EV_KEY, KEY_KP0) &&
        !libevdev_has_event_code(impl->device, EV_KEY, KEY_0)) {
        return fail(Errc::NotSupported, "keypad " + path + ": no numeric keys");
    }
    rc = libevdev_grab(impl->device, LIBEVDEV_GRAB);
    if (rc < 0) {
        return fail(Errc::ReaderError, "keypad " + path + ": grab refused (in use?)", -rc);
    }
    impl->wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (impl->wakeFd < 0) {
        return fail(Errc::Internal, "eventfd failed", errno);
    }
    UKETSUKE_LOG(kLog, Info) << "keypad " << path << " (" << libevdev_get_name(impl->device)
                             << ") grabbed";
    return std::unique_ptr<EvdevKeypad>(new EvdevKeypad(std::move(impl)));
}

Result<std::unique_ptr<EvdevKeypad>> EvdevKeypad::fromEventStream(int fd, KeypadOptions options)
{
    auto impl = std::make_unique<Impl>();
    impl->decoder = KeyDecoder(options);
    impl->fd = fd;
    if (fd < 0) {
        return fail(Errc::InvalidArgument, "no event stream");
    }
    const int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        return fail(Errc::ReaderError, "keypad stream: fcntl failed", errno);
    }
    impl->wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (impl->wakeFd < 0) {
        return fail(Errc::Internal, "eventfd failed", errno);
    }
    return std::unique_ptr<EvdevKeypad>(new EvdevKeypad(std::move(impl)));
}

Result<KeyPress> EvdevKeypad::next(std::chrono::milliseconds timeout)
{
    Impl& d = *m_impl;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (!d.pending.empty()) {
            KeyPress key = d.pending.front();
            d.pending.pop_front();
            return key;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left <= std::chrono::milliseconds::zero()) {
            return fail(Errc::Timeout, "no key");
        }
        pollfd fds[2] = {{d.fd, POLLIN, 0}, {d.wakeFd, POLLIN, 0}};
        int rc = poll(fds, 2, static_cast<int>(left.count()));
        if (rc < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail(Errc::ReaderError, "keypad poll failed", errno);
        }
        if ((fds[1].revents & POLLIN) != 0) {
            std::uint64_t count = 0;
            if (read(d.wakeFd, &count, sizeof count) < 0) {
                // EAGAIN: consumed by another reader; nothing to do.
            }
            return fail(Errc::Cancelled, "keypad wait cancelled");
        }
        if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            if (auto drained = d.drain(); !drained) {
                if (!d.pending.empty()) {
                    continue; // hand out what arrived before the end
                }
                UKETSUKE_LOG(kLog, Warn) << drained.error().message;
                return fail(std::move(drained).error());
            }
        }
    }
}

void EvdevKeypad::cancel()
{
    const std::uint64_t one = 1;
    if (write(m_impl->wakeFd, &one, sizeof one) < 0) {
        // The counter is saturated only after 2^64-2 cancels.
    }
}

} // namespace uketsuke::hal::evdev
