#include "kiosk/delivery/delivery_worker.hpp"

#include "base/log.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace uketsuke::kiosk::delivery {
namespace {

const log::Category kLog("kiosk.delivery");

// Records read from the outbox at a time.
constexpr int kBatch = 32;
// Audit lines sent to the desk at a time (at most model::kMaxAuditBatch).
constexpr int kAuditBatch = 50;
// Enough to count a terminal's outbox, which normally holds nothing or a handful.
constexpr int kCountLimit = 100000;

} // namespace

DeliveryWorker::DeliveryWorker(Outbox& outbox, DeliverFn deliver, StatusFn onStatus,
                               Backoff backoff, WaitFn wait)
    : m_outbox(outbox), m_deliver(std::move(deliver)), m_onStatus(std::move(onStatus)),
      m_backoff(backoff), m_wait(std::move(wait))
{
    m_backoff.initial = std::max(m_backoff.initial, std::chrono::milliseconds(1));
    m_backoff.max = std::max(m_backoff.max, m_backoff.initial);
}

DeliveryWorker::~DeliveryWorker()
{
    stop();
}

void DeliveryWorker::start()
{
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable() || m_stopping) {
        return;
    }
    m_thread = std::thread([this] { run(); });
}

void DeliveryWorker::notify()
{
    {
        std::lock_guard lock(m_mutex);
        m_wake = true;
    }
    m_cv.notify_one();
}

void DeliveryWorker::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_one();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void DeliveryWorker::run()
{
    auto delay = m_backoff.initial;
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake = false;
        lock.unlock();
        bool failed = false;
        DeliveryStatus status = pass(failed);
        if (m_onStatus) {
            m_onStatus(status);
        }
        lock.lock();
        if (m_stopping) {
            break;
        }
        if (!failed) {
            delay = m_backoff.initial;
            m_cv.wait(lock, [this] { return m_wake || m_stopping; });
            continue;
        }
        UKETSUKE_LOG(kLog, Info) << status.pending << " check-ins waiting; next try in "
                                 << delay.count() << " ms";
        const auto thisDelay = delay;
        delay = std::min(delay * 2, m_backoff.max);
        if (m_wait) {
            lock.unlock();
            m_wait(thisDelay);
            lock.lock();
        } else {
            m_cv.wait_for(lock, thisDelay, [this] { return m_wake || m_stopping; });
        }
    }
}

DeliveryStatus DeliveryWorker::pass(bool& failed)
{
    DeliveryStatus status;
    // Keys the desk rejected in this pass: skipped for the rest of it.
    std::set<std::string> rejected;
    auto stopping = [this] {
        std::lock_guard lock(m_mutex);
        return m_stopping;
    };
    bool more = true;
    while (more && !stopping()) {
        auto batch = m_outbox.pending(kBatch + static_cast<int>(rejected.size()));
        if (!batch) {
            UKETSUKE_LOG(kLog, Error) << "cannot read the outbox: " << batch.error().message;
            status.lastError = batch.error().code;
            failed = true;
            break;
        }
        more = batch->size() == kBatch + rejected.size();
        bool progressed = false;
        for (const auto& checkIn : *batch) {
            if (rejected.count(checkIn.idempotencyKey) != 0) {
                continue;
            }
            if (stopping()) {
                more = false;
                break;
            }
            auto delivered = m_deliver(checkIn);
            if (delivered) {
                auto marked = m_outbox.markDelivered(checkIn.idempotencyKey);
                if (!marked) {
                    UKETSUKE_LOG(kLog, Error)
                        << "cannot delete a delivered check-in: " << marked.error().message;
                    status.lastError = marked.error().code;
                    failed = true;
                    more = false;
                    break;
                }
                progressed = true;
                continue;
            }
            const Error& error = delivered.error();
            UKETSUKE_LOG(kLog, Warn)
                << "delivery failed: " << errcName(error.code) << " (" << error.message << ")";
            status.lastError = error.code;
            failed = true;
            if (error.code == Errc::ServerRejected) {
                rejected.insert(checkIn.idempotencyKey);
                progressed = true;
                continue;
            }
            more = false;
            break;
        }
        more = more && progressed;
    }
    // The audit log goes when the desk was reached (a rejected check-in does not stop it).
    const bool blocked = failed && status.lastError != Errc::ServerRejected;
    if (m_deliverAudit && !blocked && !stopping()) {
        passAudit(status, failed);
    }
    auto left = m_outbox.pending(kCountLimit);
    status.pending = left ? static_cast<int>(left->size()) : -1;
    return status;
}

void DeliveryWorker::passAudit(DeliveryStatus& status, bool& failed)
{
    for (;;) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping) {
                return;
            }
        }
        auto batch = m_outbox.pendingAudit(kAuditBatch);
        if (!batch) {
            UKETSUKE_LOG(kLog, Error) << "cannot read the audit log: " << batch.error().message;
            status.lastError = batch.error().code;
            failed = true;
            return;
        }
        if (batch->empty()) {
            return;
        }
        auto delivered = m_deliverAudit(*batch);
        if (!delivered) {
            const Error& error = delivered.error();
            UKETSUKE_LOG(kLog, Warn) << "audit delivery failed: " << errcName(error.code) << " ("
                                     << error.message << ")";
            if (error.code != Errc::ServerRejected) {
                status.lastError = error.code;
                failed = true;
            }
            return;
        }
        std::vector<std::string> ids;
        ids.reserve(batch->size());
        for (const auto& entry : *batch) {
            ids.push_back(entry.id);
        }
        if (auto marked = m_outbox.markAuditDelivered(ids); !marked) {
            UKETSUKE_LOG(kLog, Error)
                << "cannot delete delivered audit lines: " << marked.error().message;
            status.lastError = marked.error().code;
            failed = true;
            return;
        }
        if (batch->size() < static_cast<std::size_t>(kAuditBatch)) {
            return;
        }
    }
}

} // namespace uketsuke::kiosk::delivery
