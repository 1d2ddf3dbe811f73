#include "kiosk/delivery/delivery_worker.hpp"

#include "kiosk/delivery/desk_client.hpp"
#include "tests/desk/sample_checkin.hpp"
#include "tests/kiosk/delivery/desk_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;
using kiosk::delivery::Backoff;
using kiosk::delivery::DeliveryStatus;
using kiosk::delivery::DeliveryWorker;
using kiosk::delivery::Outbox;

constexpr auto kDeadline = std::chrono::seconds(30);

// Collects the statuses the worker reports and lets the test wait for one, with a deadline.
class StatusLog {
public:
    DeliveryWorker::StatusFn callback()
    {
        return [this](const DeliveryStatus& status) {
            {
                std::lock_guard lock(m_mutex);
                m_statuses.push_back(status);
            }
            m_cv.notify_all();
        };
    }

    // True once a reported status satisfies `predicate`.
    template <class Predicate> bool waitFor(Predicate predicate)
    {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, kDeadline, [&] {
            for (const auto& status : m_statuses) {
                if (predicate(status)) {
                    return true;
                }
            }
            return false;
        });
    }

    DeliveryStatus last()
    {
        std::lock_guard lock(m_mutex);
        REQUIRE_FALSE(m_statuses.empty());
        return m_statuses.back();
    }

    void clear()
    {
        std::lock_guard lock(m_mutex);
        m_statuses.clear();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<DeliveryStatus> m_statuses;
};

bool delivered(const DeliveryStatus& status)
{
    return status.pending == 0 && !status.lastError;
}

// The injected back-off wait: records each delay and returns at once, or holds the worker
// while the test has it paused.
class ScriptedWait {
public:
    DeliveryWorker::WaitFn callback()
    {
        return [this](std::chrono::milliseconds delay) {
            std::unique_lock lock(m_mutex);
            m_delays.push_back(delay);
            m_cv.notify_all();
            m_cv.wait(lock, [this] { return !m_paused; });
        };
    }
    void pause()
    {
        std::lock_guard lock(m_mutex);
        m_paused = true;
    }
    void resume()
    {
        {
            std::lock_guard lock(m_mutex);
            m_paused = false;
        }
        m_cv.notify_all();
    }
    bool waitForCalls(std::size_t n)
    {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, kDeadline, [&] { return m_delays.size() >= n; });
    }
    std::vector<std::chrono::milliseconds> delays()
    {
        std::lock_guard lock(m_mutex);
        return m_delays;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<std::chrono::milliseconds> m_delays;
    bool m_paused = false;
};

std::unique_ptr<Outbox> openOutbox(const std::filesystem::path& file)
{
    auto outbox = Outbox::open(file.string());
    REQUIRE(outbox);
    return std::move(*outbox);
}

std::size_t pendingCount(Outbox& outbox)
{
    auto pending = outbox.pending(1000);
    REQUIRE(pending);
    return pending->size();
}

TEST_CASE("DeliveryWorker: delivers every pending check-in to a real desk and empties the outbox")
{
    tests::TempDir dir;
    tests::LocalDesk desk(dir.path());
    desk.start();
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    for (int i = 1; i <= 3; ++i) {
        REQUIRE(outbox->put(tests::sampleCheckIn("k" + std::to_string(i),
                                                 *outbox->nextReceiptNumber(
                                                     "2026-11-26", std::chrono::seconds(0)))));
    }
    kiosk::delivery::DeskClient client(desk.url(), desk.terminalTls(), {});
    StatusLog log;
    DeliveryWorker worker(
        *outbox, [&client](const auto& checkIn) { return client.deliver(checkIn); },
        log.callback());
    worker.start();
    REQUIRE(log.waitFor(delivered));
    CHECK(pendingCount(*outbox) == 0);
    CHECK(desk.count() == 3);

    // A check-in put later goes out as soon as the worker is notified.
    REQUIRE(outbox->put(tests::sampleCheckIn("k4", "0004")));
    log.clear();
    worker.notify();
    REQUIRE(log.waitFor(delivered));
    CHECK(desk.count() == 4);
    worker.stop();

    auto rows = desk.store().listByLocalDate(desk::localDateToday());
    REQUIRE(rows);
    REQUIRE(rows->size() == 4);
    CHECK(rows->back().checkIn.receiptNumber == "0001");
}

TEST_CASE("DeliveryWorker: with the desk down it keeps the check-in and retries until it is up")
{
    tests::TempDir dir;
    tests::LocalDesk desk(dir.path());
    const int port = desk.start();
    desk.stop(); // the port is known and nobody listens on it
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    REQUIRE(outbox->put(tests::sampleCheckIn("k1")));

    kiosk::delivery::DeskClient client(desk.url(), desk.terminalTls(), {});
    StatusLog log;
    ScriptedWait wait;
    wait.pause();
    DeliveryWorker worker(
        *outbox, [&client](const auto& checkIn) { return client.deliver(checkIn); }, log.callback(),
        Backoff{}, wait.callback());
    worker.start();

    // First failed pass: the worker now waits in the paused back-off.
    REQUIRE(wait.waitForCalls(1));
    CHECK(log.last().pending == 1);
    REQUIRE(log.last().lastError);
    CHECK(*log.last().lastError == Errc::NetworkUnreachable);
    CHECK(pendingCount(*outbox) == 1);

    // Let it retry once more against the closed port, then hold it again.
    wait.resume();
    REQUIRE(wait.waitForCalls(2));
    wait.pause();
    REQUIRE(wait.waitForCalls(3));
    CHECK(pendingCount(*outbox) == 1);
    CHECK(desk.count() == 0);

    // The desk comes back on the same port; the next retry delivers.
    desk.start(port);
    log.clear();
    wait.resume();
    REQUIRE(log.waitFor(delivered));
    CHECK(pendingCount(*outbox) == 0);
    CHECK(desk.count() == 1);
    worker.stop();

    auto delays = wait.delays();
    REQUIRE(delays.size() >= 3);
    CHECK(delays[0] == 1s);
    CHECK(delays[1] == 2s);
    CHECK(delays[2] == 4s);
}

TEST_CASE("DeliveryWorker: the back-off doubles from its start to its ceiling and resets")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    REQUIRE(outbox->put(tests::sampleCheckIn("k1")));
    int failuresLeft = 8;
    int attempts = 0;
    auto deliver = [&](const kiosk::model::CheckIn&) -> Result<void> {
        ++attempts; // worker thread only
        if (failuresLeft > 0) {
            --failuresLeft;
            return fail(Errc::Timeout, "simulated");
        }
        return ok();
    };
    StatusLog log;
    ScriptedWait wait;
    DeliveryWorker worker(*outbox, deliver, log.callback(), Backoff{}, wait.callback());
    worker.start();
    REQUIRE(log.waitFor(delivered));
    CHECK(wait.delays() ==
          std::vector<std::chrono::milliseconds>{1s, 2s, 4s, 8s, 16s, 32s, 60s, 60s});
    CHECK(pendingCount(*outbox) == 0);

    // After a delivery the next failure starts again from the initial delay. The worker sleeps
    // in its idle wait now; notify() publishes the new script to it through its mutex.
    failuresLeft = 1;
    REQUIRE(outbox->put(tests::sampleCheckIn("k2")));
    log.clear();
    worker.notify();
    REQUIRE(log.waitFor(delivered));
    worker.stop();
    CHECK(attempts == 11);
    auto delays = wait.delays();
    REQUIRE(delays.size() == 9);
    CHECK(delays.back() == 1s);
}

TEST_CASE("DeliveryWorker: a back-off can be configured")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    REQUIRE(outbox->put(tests::sampleCheckIn("k1")));
    int failuresLeft = 4;
    auto deliver = [&](const kiosk::model::CheckIn&) -> Result<void> {
        if (failuresLeft > 0) {
            --failuresLeft;
            return fail(Errc::ServerError, "simulated", 503);
        }
        return ok();
    };
    StatusLog log;
    ScriptedWait wait;
    DeliveryWorker worker(*outbox, deliver, log.callback(), Backoff{250ms, 600ms}, wait.callback());
    worker.start();
    REQUIRE(log.waitFor(delivered));
    worker.stop();
    CHECK(wait.delays() == std::vector<std::chrono::milliseconds>{250ms, 500ms, 600ms, 600ms});
}

TEST_CASE("DeliveryWorker: a rejected check-in stays and does not hold up the others")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    for (const char* key : {"a", "bad", "c"}) {
        REQUIRE(outbox->put(tests::sampleCheckIn(key)));
    }
    std::vector<std::string> sent; // worker thread only until stop()
    auto deliver = [&](const kiosk::model::CheckIn& checkIn) -> Result<void> {
        sent.push_back(checkIn.idempotencyKey);
        if (checkIn.idempotencyKey == "bad") {
            return fail(Errc::ServerRejected, "desk answered 400 bad_request", 400);
        }
        return ok();
    };
    StatusLog log;
    ScriptedWait wait;
    wait.pause();
    DeliveryWorker worker(*outbox, deliver, log.callback(), Backoff{}, wait.callback());
    worker.start();
    REQUIRE(wait.waitForCalls(1));
    auto status = log.last();
    CHECK(status.pending == 1);
    REQUIRE(status.lastError);
    CHECK(*status.lastError == Errc::ServerRejected);
    auto left = outbox->pending(10);
    REQUIRE(left);
    REQUIRE(left->size() == 1);
    CHECK(left->front().idempotencyKey == "bad");
    wait.resume();
    worker.stop();
    REQUIRE(sent.size() >= 3);
    CHECK(std::vector<std::string>(sent.begin(), sent.begin() + 3) ==
          std::vector<std::string>{"a", "bad", "c"});
}

TEST_CASE("DeliveryWorker: a transport failure ends the pass at the first record")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    for (const char* key : {"a", "b", "c"}) {
        REQUIRE(outbox->put(tests::sampleCheckIn(key)));
    }
    int attempts = 0; // worker thread only until stop()
    auto deliver = [&](const kiosk::model::CheckIn&) -> Result<void> {
        ++attempts;
        return fail(Errc::NetworkUnreachable, "simulated");
    };
    StatusLog log;
    ScriptedWait wait;
    wait.pause();
    DeliveryWorker worker(*outbox, deliver, log.callback(), Backoff{}, wait.callback());
    worker.start();
    REQUIRE(wait.waitForCalls(1));
    CHECK(log.last().pending == 3);
    wait.resume();
    worker.stop();
    CHECK(attempts >= 1);
    CHECK(pendingCount(*outbox) == 3);
}

TEST_CASE("DeliveryWorker::notify: ends a back-off wait at once")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    REQUIRE(outbox->put(tests::sampleCheckIn("k1")));
    std::mutex mutex;
    bool deskUp = false;
    auto deliver = [&](const kiosk::model::CheckIn&) -> Result<void> {
        std::lock_guard lock(mutex);
        return deskUp ? ok() : fail(Errc::NetworkUnreachable, "simulated");
    };
    StatusLog log;
    // The real wait, with a back-off far longer than the test's deadline.
    DeliveryWorker worker(*outbox, deliver, log.callback(),
                          Backoff{std::chrono::hours(1), std::chrono::hours(1)});
    worker.start();
    REQUIRE(log.waitFor([](const DeliveryStatus& s) { return s.lastError.has_value(); }));
    {
        std::lock_guard lock(mutex);
        deskUp = true;
    }
    worker.notify();
    REQUIRE(log.waitFor(delivered));
    CHECK(pendingCount(*outbox) == 0);
}

TEST_CASE("DeliveryWorker::stop: ends a worker that waits in a long back-off")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    REQUIRE(outbox->put(tests::sampleCheckIn("k1")));
    StatusLog log;
    DeliveryWorker worker(
        *outbox, [](const auto&) -> Result<void> { return fail(Errc::Timeout, "simulated"); },
        log.callback(), Backoff{std::chrono::hours(1), std::chrono::hours(1)});
    worker.start();
    REQUIRE(log.waitFor([](const DeliveryStatus& s) { return s.lastError.has_value(); }));
    const auto before = std::chrono::steady_clock::now();
    worker.stop();
    CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(10));
    CHECK(pendingCount(*outbox) == 1);
}

} // namespace

namespace {

std::size_t pendingAuditCount(Outbox& outbox)
{
    auto pending = outbox.pendingAudit(1000);
    REQUIRE(pending);
    return pending->size();
}

std::size_t terminalAuditLines(desk::AccountStore& accounts)
{
    auto log = accounts.auditLog(1000);
    REQUIRE(log);
    return static_cast<std::size_t>(std::count_if(
        log->begin(), log->end(), [](const desk::AuditEntry& e) { return !e.terminal.empty(); }));
}

} // namespace

TEST_CASE("DeliveryWorker: staff audit lines reach a real desk's audit log once, then leave")
{
    tests::TempDir dir;
    tests::LocalDesk desk(dir.path());
    desk.start();
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    REQUIRE(outbox->put(tests::sampleCheckIn("k1", "0001")));
    // More lines than one batch holds.
    for (int i = 0; i < 60; ++i) {
        REQUIRE(outbox->putAudit(
            {"line-" + std::to_string(i), "2026-12-06T01:02:03Z", "s01", "test_printer"}));
    }
    REQUIRE(outbox->putAudit({"line-set", "2026-12-06T01:02:04Z", "s01", "setting language=en"}));
    kiosk::delivery::DeskClient client(desk.url(), desk.terminalTls(), {});
    StatusLog log;
    DeliveryWorker worker(
        *outbox, [&client](const auto& checkIn) { return client.deliver(checkIn); },
        log.callback());
    worker.setAuditDelivery([&client](const std::vector<kiosk::model::StaffAuditRecord>& lines) {
        return client.deliverAudit({"KIOSK-0001", lines});
    });
    worker.start();
    REQUIRE(log.waitFor(delivered));
    CHECK(pendingAuditCount(*outbox) == 0);
    CHECK(desk.count() == 1);
    CHECK(terminalAuditLines(desk.accounts()) == 61);

    // A line sent again (the terminal died before deleting it) is stored once.
    REQUIRE(outbox->putAudit({"line-set", "2026-12-06T01:02:04Z", "s01", "setting language=en"}));
    log.clear();
    worker.notify();
    REQUIRE(log.waitFor(delivered));
    worker.stop();
    CHECK(pendingAuditCount(*outbox) == 0);
    CHECK(terminalAuditLines(desk.accounts()) == 61);

    auto newest = desk.accounts().auditLog(1);
    REQUIRE(newest);
    REQUIRE(newest->size() == 1);
    const desk::AuditEntry& line = newest->front();
    CHECK(line.terminal == "KIOSK-0001");
    CHECK(line.account == "s01");
    CHECK(line.action == "setting");
    CHECK(line.detail == "language=en");
    CHECK(line.at == "2026-12-06T01:02:04Z");
}

TEST_CASE("DeliveryWorker: audit lines a desk refuses stay, without holding up check-ins")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    REQUIRE(outbox->put(tests::sampleCheckIn("k1")));
    REQUIRE(outbox->putAudit({"a1", "2026-12-06T01:02:03Z", "s01", "unlock"}));
    int auditTries = 0; // worker thread only until stop()
    StatusLog log;
    ScriptedWait wait;
    DeliveryWorker worker(
        *outbox, [](const kiosk::model::CheckIn&) -> Result<void> { return ok(); },
        log.callback(), Backoff{}, wait.callback());
    worker.setAuditDelivery([&](const std::vector<kiosk::model::StaffAuditRecord>&) -> Result<void> {
        ++auditTries;
        return fail(Errc::ServerRejected, "desk answered 404 not_found", 404);
    });
    worker.start();
    // An older desk without the route: the check-in goes, the pass counts as delivered (no
    // back-off), and the line waits for a later pass.
    REQUIRE(log.waitFor(delivered));
    worker.stop();
    CHECK(pendingCount(*outbox) == 0);
    CHECK(pendingAuditCount(*outbox) == 1);
    CHECK(auditTries == 1);
    CHECK(wait.delays().empty());
}

TEST_CASE("DeliveryWorker: audit lines wait out a network failure with the back-off")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    REQUIRE(outbox->putAudit({"a1", "2026-12-06T01:02:03Z", "s01", "unlock"}));
    bool up = false; // guarded by the scripted wait's pause
    std::vector<std::size_t> batches;
    StatusLog log;
    ScriptedWait wait;
    wait.pause();
    DeliveryWorker worker(
        *outbox, [](const kiosk::model::CheckIn&) -> Result<void> { return ok(); },
        log.callback(), Backoff{}, wait.callback());
    worker.setAuditDelivery([&](const std::vector<kiosk::model::StaffAuditRecord>& lines) -> Result<void> {
        batches.push_back(lines.size());
        if (!up) {
            return fail(Errc::NetworkUnreachable, "simulated");
        }
        return ok();
    });
    worker.start();
    REQUIRE(wait.waitForCalls(1));
    auto status = log.last();
    REQUIRE(status.lastError);
    CHECK(*status.lastError == Errc::NetworkUnreachable);
    CHECK(pendingAuditCount(*outbox) == 1);
    up = true;
    log.clear();
    wait.resume();
    REQUIRE(log.waitFor(delivered));
    worker.stop();
    CHECK(pendingAuditCount(*outbox) == 0);
    CHECK(batches == std::vector<std::size_t>{1, 1});
}
