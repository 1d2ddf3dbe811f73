#pragma once

// The delivery worker (docs/architecture.md): a thread of its own
// that sends every check-in waiting in the outbox to the desk, oldest first, deletes each one the
// desk acknowledged, and after a failed pass backs off (1 s doubling to 60 s by default) before
// it tries again. notify() after Outbox::put() starts a pass at once. After each pass it
// reports the number of check-ins still waiting and the last error, so the terminal can show
// staff that the desk is not receiving.
//
// A pass stops at the first failure that would hit every record alike (network, TLS, timeout,
// the desk's 5xx, storage). A record the desk rejects (4xx: ServerRejected) stays in the outbox
// and is reported, and the pass goes on with the records behind it, so one bad record never
// holds up the others; it is retried on later passes.
//
// With setAuditDelivery(), a pass that reached the desk then sends the staff audit lines waiting
// in the outbox (Outbox::putAudit), oldest first in batches, and deletes each batch the desk
// stored. A batch the desk refuses (4xx: a desk too old to know the route) stays for later
// passes without holding up check-ins; a transport failure backs off as for check-ins.

#include "base/result.hpp"
#include "kiosk/delivery/outbox.hpp"
#include "kiosk/model/checkin.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace uketsuke::kiosk::delivery {

struct DeliveryStatus {
    int pending = 0;               // check-ins still in the outbox after the pass (-1: unknown)
    std::optional<Errc> lastError; // the pass's last error; empty when everything was delivered
};

struct Backoff {
    std::chrono::milliseconds initial{1000};
    std::chrono::milliseconds max{60000};
};

class DeliveryWorker {
public:
    // Delivers one check-in; DeskClient::deliver in production, a fake in tests.
    using DeliverFn = std::function<Result<void>(const model::CheckIn&)>;
    // Receives the status after each pass, on the worker thread. It must not block for long
    // and must not call stop().
    using StatusFn = std::function<void(const DeliveryStatus&)>;
    // Waits before the next attempt after a failed pass. Empty (the default): wait `delay` on
    // the worker's condition variable, returning early on notify() or stop(). Tests inject one
    // that records the delay and returns without sleeping; the worker then tries again at once,
    // and stop() still ends it after the wait returns.
    using WaitFn = std::function<void(std::chrono::milliseconds delay)>;
    // Delivers a batch of staff audit lines; DeskClient::deliverAudit in production.
    using DeliverAuditFn =
        std::function<Result<void>(const std::vector<model::StaffAuditRecord>& entries)>;

    // Borrows the outbox, which must outlive the worker. Starts no thread. Thread: any.
    DeliveryWorker(Outbox& outbox, DeliverFn deliver, StatusFn onStatus = {}, Backoff backoff = {},
                   WaitFn wait = {});
    // Calls stop().
    ~DeliveryWorker();
    DeliveryWorker(const DeliveryWorker&) = delete;
    DeliveryWorker& operator=(const DeliveryWorker&) = delete;

    // Also send the staff audit log (see above). Thread: the owner, before start().
    void setAuditDelivery(DeliverAuditFn deliverAudit) { m_deliverAudit = std::move(deliverAudit); }

    // Starts the thread, which makes a first pass at once (check-ins left from before a restart
    // go out without waiting for a new one). Does not block. Thread: the owner; call once.
    void start();

    // Asks for a pass now: ends an idle wait or a back-off wait. Does not block and may be
    // called from any thread, before start() or after stop() too (then it does nothing).
    void notify();

    // Ends the thread and joins it. Blocks until the delivery in progress (if any) returns,
    // which is bounded by the deliver function's own timeout; records not yet sent stay in the
    // outbox. Thread: the owner (never the status callback). Idempotent.
    void stop();

private:
    void run();
    // One pass over the outbox; returns the status to report and whether to back off.
    DeliveryStatus pass(bool& failed);
    // The audit part of a pass, after the check-ins.
    void passAudit(DeliveryStatus& status, bool& failed);

    Outbox& m_outbox;
    DeliverFn m_deliver;
    StatusFn m_onStatus;
    Backoff m_backoff;
    WaitFn m_wait;
    DeliverAuditFn m_deliverAudit;

    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_wake = false;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace uketsuke::kiosk::delivery
