#pragma once

// A thread that runs jobs in order. Jobs post their results as events; they never touch the
// flow state. An idle hook lets the card worker watch the reader between jobs.

#include "base/service.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace uketsuke::kiosk::runner {

class Worker {
public:
    using Job = std::function<void()>;

    // `idle` (optional) runs whenever the queue is empty; it must return within a short bound
    // (the card worker waits for a reader change with a timeout there). Without it the worker
    // sleeps on its condition variable until a job arrives.
    // `heartbeat` (optional) is told busy() before each job or idle call and idle() after it,
    // so the service watchdog sees a job that never returns (base/service.hpp).
    // `idleEvery` > 0: `idle` runs once at start, then whenever that long has passed without
    // it (between jobs); the worker sleeps on its condition variable in between (the printer
    // worker polls the printer's status this way).
    explicit Worker(std::string name, std::function<void()> idle = {},
                    std::shared_ptr<service::Heartbeat> heartbeat = {},
                    std::chrono::milliseconds idleEvery = std::chrono::milliseconds(0));
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void start();
    // Finishes the running job, drops the queued ones, joins. Thread: the owner.
    void stop();
    // Thread: any.
    void push(Job job);
    const std::string& name() const { return m_name; }

private:
    void loop();

    std::string m_name;
    std::function<void()> m_idle;
    std::shared_ptr<service::Heartbeat> m_heartbeat;
    std::chrono::milliseconds m_idleEvery;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Job> m_jobs;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace uketsuke::kiosk::runner
