#include "kiosk/runner/worker.hpp"

namespace uketsuke::kiosk::runner {

Worker::Worker(std::string name, std::function<void()> idle,
               std::shared_ptr<service::Heartbeat> heartbeat, std::chrono::milliseconds idleEvery)
    : m_name(std::move(name)), m_idle(std::move(idle)), m_heartbeat(std::move(heartbeat)),
      m_idleEvery(idleEvery)
{
}

Worker::~Worker()
{
    stop();
}

void Worker::start()
{
    if (m_thread.joinable()) {
        return;
    }
    m_stopping = false;
    m_thread = std::thread([this] { loop(); });
}

void Worker::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_jobs.clear();
    }
    m_cv.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void Worker::push(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_cv.notify_one();
}

void Worker::loop()
{
    const bool periodic = m_idle && m_idleEvery.count() > 0;
    auto nextIdle = std::chrono::steady_clock::now();
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            auto ready = [this] { return m_stopping || !m_jobs.empty(); };
            if (!m_idle) {
                m_cv.wait(lock, ready);
            } else if (periodic) {
                m_cv.wait_until(lock, nextIdle, ready);
            }
            if (m_stopping) {
                return;
            }
            if (!m_jobs.empty()) {
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
            } else if (periodic) {
                if (std::chrono::steady_clock::now() < nextIdle) {
                    continue; // woken early without a job
                }
                nextIdle = std::chrono::steady_clock::now() + m_idleEvery;
            }
        }
        if (m_heartbeat) {
            m_heartbeat->busy();
        }
        if (job) {
            job();
        } else {
            m_idle();
        }
        if (m_heartbeat) {
            m_heartbeat->idle();
        }
    }
}

} // namespace uketsuke::kiosk::runner
