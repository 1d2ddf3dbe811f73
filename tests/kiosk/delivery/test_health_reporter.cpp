// The terminal's health reports: sent on change and periodically, to a real desk over mutual
// TLS; a failed report is not queued (it is state, not data).

#include "kiosk/delivery/health_reporter.hpp"

#include "kiosk/delivery/desk_client.hpp"
#include "tests/kiosk/delivery/desk_fixture.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <vector>

namespace {

using namespace uketsuke;
using kiosk::delivery::HealthReporter;
using namespace std::chrono_literals;

// A client of `desk` with the terminal's certificate.
kiosk::delivery::DeskClient clientOf(const tests::LocalDesk& desk)
{
    return kiosk::delivery::DeskClient(desk.url(), desk.terminalTls(),
                                       {std::chrono::milliseconds(3000),
                                        std::chrono::milliseconds(10000)});
}

// A send function that records each report and answers as told; tests wait on it.
struct Recorder {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<kiosk::model::TerminalHealth> reports;
    bool deskDown = false;

    Result<void> send(const kiosk::model::TerminalHealth& health)
    {
        std::lock_guard lock(mutex);
        reports.push_back(health);
        changed.notify_all();
        if (deskDown) {
            return fail(Errc::NetworkUnreachable, "desk down");
        }
        return ok();
    }
    // Waits until `count` reports were attempted.
    bool waitFor(std::size_t count)
    {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 10s, [&] { return reports.size() >= count; });
    }
    std::size_t size()
    {
        std::lock_guard lock(mutex);
        return reports.size();
    }
};

TEST_CASE("HealthReporter: reports at start and on each change, not for the same state again")
{
    Recorder desk;
    HealthReporter reporter(
        "KIOSK-0001", [&](const auto& h) { return desk.send(h); }, 1h,
        [] { return std::string("2026-12-05T00:00:00Z"); });
    reporter.start();
    REQUIRE(desk.waitFor(1));
    CHECK(desk.reports[0].terminalId == "KIOSK-0001");
    CHECK(desk.reports[0].printer.online);

    kiosk::model::PrinterHealth paperOut;
    paperOut.online = false;
    paperOut.paperOut = true;
    reporter.setPrinter(paperOut);
    REQUIRE(desk.waitFor(2));
    CHECK(desk.reports[1].printer.paperOut);
    CHECK(desk.reports[1].reportedAt == "2026-12-05T00:00:00Z");

    reporter.setPrinter(paperOut); // no change: nothing to report
    reporter.setReaderAvailable(false);
    REQUIRE(desk.waitFor(3));
    CHECK_FALSE(desk.reports[2].readerAvailable);
    CHECK(desk.reports[2].printer.paperOut);
    reporter.setOutboxDepth(4);
    REQUIRE(desk.waitFor(4));
    reporter.stop();
    CHECK(desk.size() == 4);
    CHECK(desk.reports[3].outboxDepth == 4);
    CHECK(reporter.delivered() == 4);
}

TEST_CASE("HealthReporter: a call for staff is reported at once, in every report until it ends")
{
    Recorder desk;
    HealthReporter reporter(
        "KIOSK-0001", [&](const auto& h) { return desk.send(h); }, 1h,
        [] { return std::string("2026-12-05T00:00:00Z"); });
    reporter.setVersion("9.9.9");
    reporter.start();
    REQUIRE(desk.waitFor(1));
    CHECK(desk.reports[0].version == "9.9.9");
    CHECK_FALSE(desk.reports[0].call);

    const kiosk::model::StaffCall call{"c-1", "enter_pin", "2026-12-05T00:00:00Z"};
    reporter.setCall(call);
    REQUIRE(desk.waitFor(2));
    REQUIRE(desk.reports[1].call);
    CHECK(*desk.reports[1].call == call);
    reporter.setOutboxDepth(4); // another change: the call is still in it
    REQUIRE(desk.waitFor(3));
    REQUIRE(desk.reports[2].call);
    CHECK(desk.reports[2].call->id == "c-1");
    reporter.setCall(std::nullopt);
    REQUIRE(desk.waitFor(4));
    CHECK_FALSE(desk.reports[3].call);
    CHECK(desk.reports[3].version == "9.9.9");
}

TEST_CASE("HealthReporter: the card on the reader is reported at once on each change")
{
    Recorder desk;
    HealthReporter reporter(
        "KIOSK-0001", [&](const auto& h) { return desk.send(h); }, 1h,
        [] { return std::string("2026-12-05T00:00:00Z"); });
    reporter.start();
    REQUIRE(desk.waitFor(1));
    CHECK_FALSE(desk.reports[0].card); // not told yet: unknown

    using kiosk::model::CardHealth;
    using kiosk::model::CardState;
    reporter.setCard(CardHealth{CardState::Present, ""});
    REQUIRE(desk.waitFor(2));
    REQUIRE(desk.reports[1].card);
    CHECK(desk.reports[1].card->state == CardState::Present);
    reporter.setCard(CardHealth{CardState::Present, ""}); // the same: nothing to report
    reporter.setCard(CardHealth{CardState::Present, "2026-12-05T00:00:00Z"}); // left idle
    REQUIRE(desk.waitFor(3));
    CHECK(desk.reports[2].card->idleSince == "2026-12-05T00:00:00Z");
    reporter.setCard(std::nullopt); // the reader went away
    REQUIRE(desk.waitFor(4));
    reporter.stop();
    CHECK(desk.size() == 4);
    CHECK_FALSE(desk.reports[3].card);
}

TEST_CASE("HealthReporter: a failed report is not queued, the next one sends the state of then")
{
    Recorder desk;
    desk.deskDown = true;
    HealthReporter reporter("KIOSK-0001", [&](const auto& h) { return desk.send(h); }, 1h);
    reporter.start();
    REQUIRE(desk.waitFor(1));
    // Three changes while the desk is down: each is one attempt at most, none is kept to
    // resend later.
    reporter.setReaderAvailable(false);
    REQUIRE(desk.waitFor(2));
    reporter.setOutboxDepth(1);
    REQUIRE(desk.waitFor(3));
    {
        std::lock_guard lock(desk.mutex);
        desk.deskDown = false;
    }
    reporter.setOutboxDepth(2);
    REQUIRE(desk.waitFor(4));
    reporter.stop();
    // Exactly one attempt per change: failures were not retried on their own.
    CHECK(desk.size() == 4);
    CHECK(desk.reports.back().outboxDepth == 2);
    CHECK_FALSE(desk.reports.back().readerAvailable);
    CHECK(reporter.attempts() == 4);
    CHECK(reporter.delivered() == 1);
}

TEST_CASE("HealthReporter: with nothing changing it still reports every period")
{
    Recorder desk;
    HealthReporter reporter("KIOSK-0001", [&](const auto& h) { return desk.send(h); }, 50ms);
    reporter.start();
    REQUIRE(desk.waitFor(3));
    reporter.stop();
}

TEST_CASE("HealthReporter: reports reach a real desk over mutual TLS, the latest kept")
{
    tests::TempDir dir;
    tests::LocalDesk desk(dir.path());
    desk.start();
    auto client = clientOf(desk);
    Recorder seen;
    HealthReporter reporter(
        "KIOSK-0001",
        [&](const kiosk::model::TerminalHealth& h) {
            auto sent = client.reportHealth(h);
            (void)seen.send(h);
            return sent;
        },
        1h);
    reporter.start();
    REQUIRE(seen.waitFor(1));
    kiosk::model::PrinterHealth coverOpen;
    coverOpen.online = false;
    coverOpen.coverOpen = true;
    reporter.setPrinter(coverOpen);
    REQUIRE(seen.waitFor(2));
    reporter.stop();
    CHECK(reporter.delivered() == 2);
    auto terminals = desk.store().listTerminals();
    REQUIRE(terminals);
    REQUIRE(terminals->size() == 1);
    CHECK((*terminals)[0].health.terminalId == "KIOSK-0001");
    CHECK((*terminals)[0].health.printer.coverOpen);
}

TEST_CASE("DeskClient::reportHealth: another terminal's report is ServerRejected with 403")
{
    tests::TempDir dir;
    tests::LocalDesk desk(dir.path());
    desk.start();
    auto client = clientOf(desk);
    kiosk::model::TerminalHealth health;
    health.terminalId = "KIOSK-9999";
    health.reportedAt = "2026-12-05T00:00:00Z";
    auto sent = client.reportHealth(health);
    REQUIRE_FALSE(sent);
    CHECK(sent.error().code == Errc::ServerRejected);
    CHECK(sent.error().native == 403);
    CHECK(desk.store().listTerminals()->empty());
}

} // namespace
