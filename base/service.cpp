#include "base/service.hpp"

#include "base/log.hpp"

#include <systemd/sd-daemon.h>

namespace uketsuke::service {
namespace {

const log::Category kLog("service");

class SystemdNotifier final : public Notifier {
public:
    void notify(std::string_view state) override
    {
        std::string text(state);
        // 0: keep NOTIFY_SOCKET for the later notifications.
        if (sd_notify(0, text.c_str()) < 0) {
            UKETSUKE_LOG(kLog, Warn) << "sd_notify failed";
        }
    }
};

} // namespace

std::unique_ptr<Notifier> systemdNotifier()
{
    return std::make_unique<SystemdNotifier>();
}

std::optional<std::chrono::microseconds> watchdogInterval()
{
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) {
        return std::nullopt;
    }
    return std::chrono::microseconds(usec);
}

Heartbeat::Heartbeat(std::string name, std::chrono::milliseconds stall)
    : m_name(std::move(name)), m_stall(stall)
{
}

void Heartbeat::busy(SteadyClock::time_point now)
{
    // Never 0, which means idle.
    m_busySince.store(std::max<SteadyClock::rep>(now.time_since_epoch().count(), 1));
}

void Heartbeat::idle()
{
    m_busySince.store(0);
}

std::optional<std::chrono::milliseconds> Heartbeat::stalledFor(SteadyClock::time_point now) const
{
    auto since = m_busySince.load();
    if (since == 0) {
        return std::nullopt;
    }
    auto busyFor = now - SteadyClock::time_point(SteadyClock::duration(since));
    if (busyFor <= m_stall) {
        return std::nullopt;
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(busyFor - m_stall);
}

std::shared_ptr<Heartbeat> Heartbeats::add(std::string name, std::chrono::milliseconds stall)
{
    auto beat = std::make_shared<Heartbeat>(std::move(name), stall);
    std::lock_guard lock(m_mutex);
    m_beats.push_back(beat);
    return beat;
}

std::optional<std::string> Heartbeats::stalled(SteadyClock::time_point now) const
{
    std::lock_guard lock(m_mutex);
    for (const auto& beat : m_beats) {
        if (beat->stalledFor(now)) {
            return beat->name();
        }
    }
    return std::nullopt;
}

Watchdog::Watchdog(Notifier& notifier, const Heartbeats& heartbeats,
                   std::chrono::microseconds interval)
    : m_notifier(notifier), m_heartbeats(heartbeats),
      m_period(std::max(interval / 2, std::chrono::microseconds(1000)))
{
}

Watchdog::~Watchdog()
{
    stop();
}

void Watchdog::start()
{
    if (!m_thread.joinable()) {
        m_stopping = false;
        m_thread = std::thread([this] { run(); });
    }
}

void Watchdog::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void Watchdog::run()
{
    std::optional<std::string> reported; // the stuck worker already named in STATUS
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        auto stuck = m_heartbeats.stalled();
        if (!stuck) {
            if (reported) {
                UKETSUKE_LOG(kLog, Info) << "worker " << *reported << " is alive again";
                m_notifier.notify("STATUS=running");
                reported.reset();
            }
            m_notifier.notify("WATCHDOG=1");
        } else if (stuck != reported) {
            UKETSUKE_LOG(kLog, Error) << "worker " << *stuck
                                      << " is stuck: no more watchdog pings";
            m_notifier.notify("STATUS=worker " + *stuck + " stalled");
            reported = stuck;
        }
        // The period is the watchdog's timer, not a synchronisation.
        m_cv.wait_for(lock, m_period, [this] { return m_stopping; });
    }
}

} // namespace uketsuke::service
