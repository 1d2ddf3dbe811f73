#include "kiosk/delivery/health_reporter.hpp"

#include "base/log.hpp"
#include "base/time.hpp"

namespace uketsuke::kiosk::delivery {
namespace {

const log::Category kLog("kiosk.health");

} // namespace

HealthReporter::HealthReporter(std::string terminalId, SendFn send,
                               std::chrono::milliseconds period, NowFn now)
    : m_send(std::move(send)), m_period(period), m_now(std::move(now))
{
    if (!m_now) {
        m_now = [] { return time::isoUtc(std::chrono::system_clock::now()); };
    }
    m_state.terminalId = std::move(terminalId);
}

HealthReporter::~HealthReporter()
{
    stop();
}

void HealthReporter::start()
{
    if (!m_thread.joinable()) {
        m_thread = std::thread([this] { run(); });
    }
}

void HealthReporter::stop()
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

template <class T>
void HealthReporter::update(T model::TerminalHealth::*member, const T& value)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_state.*member == value) {
            return;
        }
        m_state.*member = value;
        m_changed = true;
    }
    m_cv.notify_all();
}

void HealthReporter::setPrinter(const model::PrinterHealth& printer)
{
    update(&model::TerminalHealth::printer, printer);
}

void HealthReporter::setReaderAvailable(bool available)
{
    update(&model::TerminalHealth::readerAvailable, available);
}

void HealthReporter::setCard(const std::optional<model::CardHealth>& card)
{
    update(&model::TerminalHealth::card, card);
}

void HealthReporter::setOutboxDepth(int depth)
{
    update(&model::TerminalHealth::outboxDepth, depth);
}

void HealthReporter::setVersion(const std::string& version)
{
    update(&model::TerminalHealth::version, version);
}

void HealthReporter::setCall(const std::optional<model::StaffCall>& call)
{
    update(&model::TerminalHealth::call, call);
}

int HealthReporter::attempts() const
{
    std::lock_guard lock(m_mutex);
    return m_attempts;
}

int HealthReporter::delivered() const
{
    std::lock_guard lock(m_mutex);
    return m_delivered;
}

void HealthReporter::run()
{
    bool lastFailed = false;
    std::unique_lock lock(m_mutex);
    for (;;) {
        model::TerminalHealth report = m_state;
        m_changed = false;
        ++m_attempts;
        lock.unlock();
        report.reportedAt = m_now();
        auto sent = m_send(report);
        if (!sent && !lastFailed) {
            // Once per outage: the next change or period tries again, nothing is queued.
            UKETSUKE_LOG(kLog, Warn) << "health report not delivered: "
                                     << errcName(sent.error().code);
        } else if (sent && lastFailed) {
            UKETSUKE_LOG(kLog, Info) << "health reports reach the desk again";
        }
        lastFailed = !sent;
        lock.lock();
        if (sent) {
            ++m_delivered;
        }
        m_cv.wait_for(lock, m_period, [this] { return m_stopping || m_changed; });
        if (m_stopping && !m_changed) {
            return; // a change that came in with stop() is still reported
        }
    }
}

} // namespace uketsuke::kiosk::delivery
