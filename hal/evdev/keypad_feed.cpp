#include "hal/evdev/keypad_feed.hpp"

#include "base/log.hpp"

namespace uketsuke::hal::evdev {
namespace {

const log::Category kLog("hal.evdev");

// How long one wait for a key lasts before the loop looks at m_stopping again (stop() also
// cancels the wait, so this only bounds a missed wake-up).
constexpr auto kPoll = std::chrono::milliseconds(1000);

} // namespace

KeypadFeed::KeypadFeed(Opener open, OnKey onKey, std::chrono::milliseconds retry)
    : m_open(std::move(open)), m_onKey(std::move(onKey)), m_retry(retry)
{
}

KeypadFeed::~KeypadFeed()
{
    stop();
}

void KeypadFeed::start()
{
    if (m_thread.joinable()) {
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    m_thread = std::thread([this] { run(); });
}

void KeypadFeed::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        if (m_current) {
            m_current->cancel();
        }
    }
    m_cv.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void KeypadFeed::run()
{
    bool reportedMissing = false;
    std::unique_ptr<EvdevKeypad> keypad;
    for (;;) {
        if (!keypad) {
            auto opened = m_open();
            if (!opened) {
                if (!reportedMissing) {
                    UKETSUKE_LOG(kLog, Warn) << "keypad not available (" << errcName(opened.error().code)
                                             << " " << opened.error().message << "); retrying";
                    reportedMissing = true;
                }
                std::unique_lock lock(m_mutex);
                if (m_cv.wait_for(lock, m_retry, [this] { return m_stopping; })) {
                    return;
                }
                continue;
            }
            std::lock_guard lock(m_mutex);
            if (m_stopping) {
                return;
            }
            keypad = std::move(*opened);
            m_current = keypad.get();
            m_opens.fetch_add(1);
            if (reportedMissing) {
                UKETSUKE_LOG(kLog, Info) << "keypad connected";
            }
            reportedMissing = false;
        }
        auto key = keypad->next(kPoll);
        if (key) {
            m_onKey(*key);
            continue;
        }
        const Errc code = key.error().code;
        if (code == Errc::Timeout || code == Errc::Cancelled) {
            std::lock_guard lock(m_mutex);
            if (m_stopping) {
                m_current = nullptr;
                return;
            }
            continue;
        }
        UKETSUKE_LOG(kLog, Warn) << "keypad lost: " << errcName(code);
        {
            std::lock_guard lock(m_mutex);
            m_current = nullptr;
        }
        keypad.reset();
        reportedMissing = true;
    }
}

} // namespace uketsuke::hal::evdev
