#pragma once

// Reports the terminal's health to the desk (kiosk/model/health.hpp, docs/protocol/desk.md
// "Terminal health"): a thread of its own that sends the latest state when it changes and
// every `period` otherwise, so the desk's "端末の状態" shows a paper-out printer within seconds and
// a terminal that went silent by its "last heard" time.
//
// Health is state, not data: a report that fails is not queued or retried on its own. The next
// change or the next period sends the state as it is then, so the desk never receives a stale
// backlog and a desk that is down costs one attempt per period.

#include "base/result.hpp"
#include "kiosk/model/health.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace uketsuke::kiosk::delivery {

class HealthReporter {
public:
    // Sends one report and waits for the desk's answer; DeskClient::reportHealth in production
    // (on a client of its own), a fake in tests. Called on the reporter's thread only.
    using SendFn = std::function<Result<void>(const model::TerminalHealth&)>;
    // The time for reported_at, ISO 8601 UTC; default: the system clock.
    using NowFn = std::function<std::string()>;

    // Starts no thread. Thread: any.
    HealthReporter(std::string terminalId, SendFn send, std::chrono::milliseconds period,
                   NowFn now = {});
    ~HealthReporter(); // stop()
    HealthReporter(const HealthReporter&) = delete;
    HealthReporter& operator=(const HealthReporter&) = delete;

    // Starts the thread, which reports at once. Thread: the owner; call once.
    void start();
    // Ends the thread; blocks until a report in progress returns (bounded by the client's own
    // timeout). A change not yet reported is reported first, so the desk keeps the state the
    // terminal stopped in. Thread: the owner. Idempotent.
    void stop();

    // The parts of the state, from whichever thread knows them (printer worker, card worker,
    // main thread, delivery worker). A value that differs from the last one wakes the thread to
    // report. Thread: any; never blocks on the network.
    void setPrinter(const model::PrinterHealth& printer);
    void setReaderAvailable(bool available);
    // The card on the reader (model::CardHealth; nullopt: unknown), from the terminal's main
    // thread (runner::TerminalOptions::onCardStatus).
    void setCard(const std::optional<model::CardHealth>& card);
    void setOutboxDepth(int depth);
    // The software version every report carries (set once, before start()).
    void setVersion(const std::string& version);
    // A patient's call for staff while it lasts (model::StaffCall), nullopt when it ended.
    void setCall(const std::optional<model::StaffCall>& call);

    // Reports attempted so far and how many the desk took (for tests and logs). Thread: any.
    int attempts() const;
    int delivered() const;

private:
    void run();
    template <class T>
    void update(T model::TerminalHealth::*member, const T& value);

    SendFn m_send;
    std::chrono::milliseconds m_period;
    NowFn m_now;

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    model::TerminalHealth m_state; // guarded by m_mutex
    bool m_changed = true;         // guarded by m_mutex: report as soon as possible
    bool m_stopping = false;       // guarded by m_mutex
    int m_attempts = 0;            // guarded by m_mutex
    int m_delivered = 0;           // guarded by m_mutex
    std::thread m_thread;
};

} // namespace uketsuke::kiosk::delivery
