#pragma once

// Per-test fakes for the runner's seams (device models live in hal/sim,
// per-test fakes here). Header-only; each is thread-safe where the runner calls it from a
// worker.

#include "hal/printer.hpp"
#include "kiosk/delivery/outbox.hpp"
#include "kiosk/eligibility/source.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/runner/clock.hpp"
#include "kiosk/runner/terminal.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

namespace uketsuke::test {

class FakeClock final : public kiosk::runner::Clock {
public:
    std::chrono::steady_clock::time_point now() const override
    {
        std::lock_guard lock(m_mutex);
        return m_now;
    }
    std::chrono::system_clock::time_point wallNow() const override
    {
        std::lock_guard lock(m_mutex);
        return m_wall;
    }
    void advance(std::chrono::milliseconds by)
    {
        std::lock_guard lock(m_mutex);
        m_now += by;
        m_wall += by;
    }

private:
    mutable std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_now{std::chrono::hours(1000)};
    // 2026-11-26 10:00 JST
    std::chrono::system_clock::time_point m_wall{std::chrono::seconds(1795654800)};
};

class FakeEligibility final : public kiosk::eligibility::EligibilitySource {
public:
    std::function<Result<kiosk::model::QualificationResult>(
        const kiosk::eligibility::ConfirmRequest&, const hal::Bytes& toSign)>
        answer;
    std::optional<Error> challengeError;

    Result<kiosk::eligibility::Challenge> challenge() override
    {
        std::lock_guard lock(m_mutex);
        if (challengeError) {
            return fail(*challengeError);
        }
        kiosk::eligibility::Challenge c;
        c.id = "challenge-" + std::to_string(++m_count);
        c.nonce = hal::Bytes(32, static_cast<std::uint8_t>(m_count));
        c.toSign = c.nonce;
        for (char ch : std::string("KIOSK-TEST")) {
            c.toSign.push_back(static_cast<std::uint8_t>(ch));
        }
        m_issued[c.id] = c.toSign;
        return c;
    }

    Result<kiosk::model::QualificationResult>
    confirm(const kiosk::eligibility::ConfirmRequest& request) override
    {
        hal::Bytes toSign;
        {
            std::lock_guard lock(m_mutex);
            auto it = m_issued.find(request.challengeId);
            if (it == m_issued.end()) {
                return fail(Errc::ChallengeExpired, "unknown challenge");
            }
            toSign = it->second;
            m_issued.erase(it);
            ++m_confirms;
        }
        return answer(request, toSign);
    }

    int confirms() const
    {
        std::lock_guard lock(m_mutex);
        return m_confirms;
    }

    int challenges() const
    {
        std::lock_guard lock(m_mutex);
        return m_count;
    }

    // ---- Lookups by insurance card ----
    // What capabilities() reports (the base's card-only default when unset).
    std::optional<kiosk::eligibility::Capabilities> caps;
    // The answer to lookup(); NotSupported when unset.
    std::function<Result<kiosk::model::QualificationResult>(
        const kiosk::eligibility::InsuranceCardQuery&)>
        lookupAnswer;
    // Lookups wait for cancel() (then answer Cancelled) or releaseLookups().
    bool holdLookups = false;

    kiosk::eligibility::Capabilities capabilities() const override
    {
        return caps ? *caps : EligibilitySource::capabilities();
    }

    Result<kiosk::model::QualificationResult>
    lookup(const kiosk::eligibility::InsuranceCardQuery& query) override
    {
        std::unique_lock lock(m_mutex);
        m_queries.push_back(query);
        m_cv.notify_all();
        if (holdLookups) {
            m_cv.wait(lock, [this] { return m_cancelled || m_released; });
            bool cancelled = m_cancelled;
            m_cancelled = false;
            m_released = false;
            if (cancelled) {
                ++m_lookupsEnded;
                m_cv.notify_all();
                return fail(Errc::Cancelled, "lookup cancelled");
            }
        }
        auto reply = lookupAnswer;
        lock.unlock();
        auto result = reply ? reply(query)
                             : Result<kiosk::model::QualificationResult>(
                                   fail(Errc::NotSupported, "no lookup"));
        lock.lock();
        ++m_lookupsEnded;
        m_cv.notify_all();
        return result;
    }

    void cancel() override
    {
        std::lock_guard lock(m_mutex);
        ++m_cancels;
        m_cancelled = true;
        m_cv.notify_all();
    }

    void releaseLookups()
    {
        std::lock_guard lock(m_mutex);
        m_released = true;
        m_cv.notify_all();
    }

    std::vector<kiosk::eligibility::InsuranceCardQuery> queries() const
    {
        std::lock_guard lock(m_mutex);
        return m_queries;
    }
    int cancels() const
    {
        std::lock_guard lock(m_mutex);
        return m_cancels;
    }
    // Waits (bounded) until `n` lookups have started; false on the bound.
    bool waitForLookupsStarted(std::size_t n,
                               std::chrono::milliseconds bound = std::chrono::seconds(20))
    {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, bound, [&] { return m_queries.size() >= n; });
    }
    // Waits (bounded) until `n` lookups have returned; false on the bound.
    bool waitForLookupsEnded(int n, std::chrono::milliseconds bound = std::chrono::seconds(20))
    {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, bound, [&] { return m_lookupsEnded >= n; });
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<kiosk::eligibility::InsuranceCardQuery> m_queries;
    int m_cancels = 0;
    int m_lookupsEnded = 0;
    bool m_cancelled = false;
    bool m_released = false;
    int m_count = 0;
    int m_confirms = 0;
    std::map<std::string, hal::Bytes> m_issued;
};

class MemoryOutbox final : public kiosk::delivery::Outbox {
public:
    Result<void> put(const kiosk::model::CheckIn& checkIn) override
    {
        std::lock_guard lock(m_mutex);
        m_rows.push_back(checkIn);
        return ok();
    }
    Result<std::vector<kiosk::model::CheckIn>> pending(int limit) override
    {
        std::lock_guard lock(m_mutex);
        std::vector<kiosk::model::CheckIn> out(
            m_rows.begin(), m_rows.begin() + std::min<std::size_t>(m_rows.size(), limit));
        return out;
    }
    Result<void> markDelivered(const std::string& key) override
    {
        std::lock_guard lock(m_mutex);
        std::erase_if(m_rows, [&](const auto& c) { return c.idempotencyKey == key; });
        return ok();
    }
    Result<std::string> nextReceiptNumber(const std::string& localDate,
                                          std::chrono::seconds) override
    {
        std::lock_guard lock(m_mutex);
        char text[8];
        std::snprintf(text, sizeof text, "%04d", ++m_numbers[localDate]);
        return std::string(text);
    }
    // Counts what waits (delivered check-ins are not kept here).
    Result<std::map<std::string, int>> outcomeCounts(const std::string& fromUtc,
                                                     const std::string& toUtc) override
    {
        std::lock_guard lock(m_mutex);
        std::map<std::string, int> counts;
        for (const auto& c : m_rows) {
            if (c.checkedAt >= fromUtc && c.checkedAt < toUtc) {
                ++counts[std::string(c.outcome.name())];
            }
        }
        return counts;
    }
    Result<kiosk::delivery::Backlog> backlog() override
    {
        std::lock_guard lock(m_mutex);
        kiosk::delivery::Backlog backlog;
        backlog.pending = static_cast<int>(m_rows.size());
        if (!m_rows.empty()) {
            backlog.oldestSavedAt = m_rows.front().checkedAt;
        }
        return backlog;
    }
    Result<void> putAudit(const kiosk::model::StaffAuditRecord& record) override
    {
        std::lock_guard lock(m_mutex);
        m_audit.push_back(record);
        return ok();
    }
    Result<std::vector<kiosk::model::StaffAuditRecord>> pendingAudit(int limit) override
    {
        std::lock_guard lock(m_mutex);
        return std::vector<kiosk::model::StaffAuditRecord>(
            m_audit.begin(), m_audit.begin() + std::min<std::size_t>(m_audit.size(), limit));
    }
    Result<void> markAuditDelivered(const std::vector<std::string>& ids) override
    {
        std::lock_guard lock(m_mutex);
        std::erase_if(m_audit, [&](const auto& a) {
            return std::find(ids.begin(), ids.end(), a.id) != ids.end();
        });
        return ok();
    }
    std::vector<kiosk::model::CheckIn> rows() const
    {
        std::lock_guard lock(m_mutex);
        return m_rows;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<kiosk::model::CheckIn> m_rows;
    std::vector<kiosk::model::StaffAuditRecord> m_audit;
    std::map<std::string, int> m_numbers;
};

class FakePrinter final : public hal::ReceiptPrinter {
public:
    std::vector<hal::Slip> slips() const
    {
        std::lock_guard lock(m_mutex);
        return m_slips;
    }
    // What status() says from now on (an error: the printer does not answer); a printer that
    // is not online refuses to print with the matching code.
    void setStatus(Result<hal::PrinterStatus> status)
    {
        std::lock_guard lock(m_mutex);
        m_status = std::move(status);
    }
    int statusReads() const
    {
        std::lock_guard lock(m_mutex);
        return m_statusReads;
    }

protected:
    Result<void> doPrint(const hal::Slip& slip) override
    {
        std::lock_guard lock(m_mutex);
        if (!m_status) {
            return fail(m_status.error());
        }
        if (m_status->paperOut) {
            return fail(Errc::PrinterPaperOut, "paper out");
        }
        if (!m_status->online) {
            return fail(Errc::PrinterOffline, "offline");
        }
        m_slips.push_back(slip);
        return ok();
    }
    Result<hal::PrinterStatus> doStatus() override
    {
        std::lock_guard lock(m_mutex);
        ++m_statusReads;
        return m_status;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<hal::Slip> m_slips;
    Result<hal::PrinterStatus> m_status = hal::PrinterStatus{};
    int m_statusReads = 0;
};

// Pumps the terminal until `done(state)` holds, waiting on its event queue (bounded in real
// time, since real worker threads run). Returns false on the deadline.
inline bool pumpUntilState(kiosk::runner::Terminal& terminal,
                           const std::function<bool(const kiosk::flow::State&)>& done,
                           std::chrono::milliseconds bound = std::chrono::seconds(20))
{
    auto deadline = std::chrono::steady_clock::now() + bound;
    for (;;) {
        terminal.pump();
        if (done(terminal.state())) {
            return true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        terminal.waitForEvents(deadline);
    }
}

// Pumps the terminal until its phase is `phase` (as pumpUntilState).
inline bool pumpUntil(kiosk::runner::Terminal& terminal, kiosk::flow::Phase phase,
                      std::chrono::milliseconds bound = std::chrono::seconds(20))
{
    return pumpUntilState(
        terminal, [phase](const kiosk::flow::State& s) { return s.phase == phase; }, bound);
}

} // namespace uketsuke::test
