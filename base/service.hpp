#pragma once

// A program's life as a systemd service (docs/programs/uketsuke-kiosk.md "As a service"):
// READY=1 once it serves, STATUS=... for `systemctl status`, STOPPING=1 on the way out, and
// WATCHDOG=1 pings that go out only while every worker thread is alive. A worker posts a
// heartbeat when it starts a job and when it goes back to waiting (Heartbeat::busy / idle); a
// worker that waits for work is alive, one whose job (or reader poll) has run longer than its
// stall bound is stuck, and then the pings stop and systemd restarts the service.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace uketsuke::service {

using SteadyClock = std::chrono::steady_clock;

// Where the notifications go. Tests give their own; programs use systemdNotifier().
class Notifier {
public:
    virtual ~Notifier() = default;
    // One notification, e.g. "READY=1" or "STATUS=not ready: desk.cert missing".
    // Thread: any.
    virtual void notify(std::string_view state) = 0;
};

// libsystemd's sd_notify() to $NOTIFY_SOCKET; does nothing when the variable is not set (run
// outside systemd).
std::unique_ptr<Notifier> systemdNotifier();

// $WATCHDOG_USEC when it is meant for this process (sd_watchdog_enabled), else nullopt.
std::optional<std::chrono::microseconds> watchdogInterval();

// One worker's liveness. Thread: busy()/idle() from the worker, stalledFor() from any.
class Heartbeat {
public:
    Heartbeat(std::string name, std::chrono::milliseconds stall);
    // The worker starts a job (or a bounded wait such as a reader poll).
    void busy(SteadyClock::time_point now = SteadyClock::now());
    // The worker finished it and waits for work.
    void idle();
    // How long past its stall bound the current job runs (nullopt: alive).
    std::optional<std::chrono::milliseconds> stalledFor(SteadyClock::time_point now) const;
    const std::string& name() const { return m_name; }

private:
    std::string m_name;
    std::chrono::milliseconds m_stall;
    std::atomic<SteadyClock::rep> m_busySince{0}; // 0: idle
};

// The heartbeats of every worker of a program.
class Heartbeats {
public:
    // A new worker's heartbeat; `stall` is the longest one job may take. Thread: any.
    std::shared_ptr<Heartbeat> add(std::string name, std::chrono::milliseconds stall);
    // The first stuck worker's name, or nullopt when all are alive. Thread: any.
    std::optional<std::string> stalled(SteadyClock::time_point now = SteadyClock::now()) const;

private:
    mutable std::mutex m_mutex;
    std::vector<std::shared_ptr<Heartbeat>> m_beats;
};

// Sends WATCHDOG=1 every `interval / 2` while no worker is stuck, on a thread of its own. When
// one is stuck it sends STATUS=worker NAME stalled once and no more pings; when the worker
// comes back the pings resume.
class Watchdog {
public:
    Watchdog(Notifier& notifier, const Heartbeats& heartbeats, std::chrono::microseconds interval);
    ~Watchdog(); // stop()
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    void start();
    void stop();

private:
    void run();

    Notifier& m_notifier;
    const Heartbeats& m_heartbeats;
    std::chrono::microseconds m_period;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace uketsuke::service
