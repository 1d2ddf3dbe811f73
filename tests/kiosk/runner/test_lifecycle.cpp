// The service lifecycle as systemd sees it: the test binds a unix datagram socket of its own,
// points NOTIFY_SOCKET at it, and reads what the terminal's watchdog sends while its workers
// run, and after the card worker was made to hang in a reader call.

#include "base/service.hpp"
#include "kiosk/runner/terminal.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/notify_socket.hpp"
#include "tests/support/runner_fixtures.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <string>

using namespace uketsuke;
using namespace std::chrono_literals;

namespace {

// A reader with no card whose presence wait blocks, ignoring cancel(), while `hang` is set:
// a PC/SC call that never returns.
class HangingReader final : public hal::CardReader {
public:
    void hang()
    {
        std::lock_guard lock(m_mutex);
        m_hang = true;
    }
    void release()
    {
        {
            std::lock_guard lock(m_mutex);
            m_hang = false;
        }
        m_cv.notify_all();
    }
    std::string name() const override { return "hanging reader"; }

protected:
    Result<hal::ReaderChange> doWaitForChange(hal::CardPresence,
                                              std::chrono::milliseconds timeout) override
    {
        std::unique_lock lock(m_mutex);
        if (m_hang) {
            m_cv.wait(lock, [this] { return !m_hang; });
        } else {
            // The reader's own poll: no card comes, the wait times out.
            m_cv.wait_for(lock, timeout, [this] { return m_cancelled || m_hang; });
            m_cancelled = false;
        }
        return fail(Errc::Timeout, "no change");
    }
    Result<std::unique_ptr<hal::CardChannel>> doConnect() override
    {
        return fail(Errc::NoCard, "no card");
    }
    void doCancel() override
    {
        {
            std::lock_guard lock(m_mutex);
            m_cancelled = true;
        }
        m_cv.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_hang = false;
    bool m_cancelled = false;
};

} // namespace

TEST_CASE("Heartbeat: a worker is stuck only when its job outlasts the stall bound")
{
    service::Heartbeats beats;
    auto card = beats.add("card", 300ms);
    auto printer = beats.add("printer", 1000ms);
    const auto t0 = service::SteadyClock::time_point(10h);
    CHECK_FALSE(beats.stalled(t0 + 1h)); // idle workers are alive however long they wait
    card->busy(t0);
    CHECK_FALSE(beats.stalled(t0 + 300ms));
    REQUIRE(beats.stalled(t0 + 301ms));
    CHECK(*beats.stalled(t0 + 301ms) == "card");
    card->idle();
    CHECK_FALSE(beats.stalled(t0 + 10s));
    printer->busy(t0);
    CHECK_FALSE(beats.stalled(t0 + 900ms));
    CHECK(beats.stalled(t0 + 1001ms) == std::optional<std::string>("printer"));
}

TEST_CASE("Lifecycle: READY=1, then WATCHDOG=1 at the interval, a hung card worker stops them")
{
    test::NotifySocket socket;
    ::setenv("WATCHDOG_USEC", "1000000", 1);
    ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
    auto interval = service::watchdogInterval();
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
    REQUIRE(interval == std::optional<std::chrono::microseconds>(1s));

    test::FakeClock clock;
    HangingReader reader;
    test::FakePrinter printer;
    test::FakeEligibility eligibility;
    test::MemoryOutbox outbox;
    auto table = test::japaneseStrings();
    service::Heartbeats heartbeats;
    kiosk::runner::TerminalOptions options;
    // Above the card worker's reader wait (1 s), as service.stall_s + pin.pad_timeout_s is.
    options.heartbeat = [&heartbeats](const std::string& worker) {
        return heartbeats.add(worker, 1500ms);
    };
    kiosk::runner::Terminal terminal(kiosk::runner::Devices{reader, printer, eligibility, outbox},
                                     table, clock, std::move(options));
    terminal.start();

    auto notifier = service::systemdNotifier();
    notifier->notify("READY=1");
    service::Watchdog watchdog(*notifier, heartbeats, *interval);
    watchdog.start();

    REQUIRE(socket.next(5s) == std::optional<std::string>("READY=1"));
    REQUIRE(socket.waitFor("WATCHDOG=1", 5s));
    auto first = std::chrono::steady_clock::now();
    REQUIRE(socket.waitFor("WATCHDOG=1", 5s));
    auto gap = std::chrono::steady_clock::now() - first;
    // systemd restarts a service that is silent for WATCHDOG_USEC: the pings come well within
    // it (every half interval).
    CHECK(gap < *interval);

    // The card worker's next reader call never returns: after the stall bound the watchdog says
    // which worker is stuck and pings no more.
    reader.hang();
    REQUIRE(socket.waitFor("STATUS=worker card stalled", 5s));
    bool pinged = false;
    while (auto got = socket.next(1500ms)) { // three ping periods
        pinged = pinged || *got == "WATCHDOG=1";
    }
    CHECK_FALSE(pinged);

    // The call returns: the pings resume.
    reader.release();
    REQUIRE(socket.waitFor("STATUS=running", 5s));
    CHECK(socket.waitFor("WATCHDOG=1", 5s));

    watchdog.stop();
    terminal.stop();
}
