// App::drainOutbox with the desk away: the delivery worker keeps its back-off while the
// terminal waits for the outbox to empty (it used to wake the worker on every pass: about 200
// attempts and 600 warning lines in one second at the end of a headless run).

#include "kiosk/app/app.hpp"

#include "kiosk/delivery/outbox.hpp"
#include "tests/kiosk/app/app_fixture.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/sample_checkin.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace uketsuke;
using namespace uketsuke::kiosk;

TEST_CASE("App::drainOutbox: the desk away, the delivery worker keeps its back-off")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    tests::DeadPort desk;

    config::KioskConfig config;
    config::applyPkiDir(config, dir.path().string());
    config.terminalId = "KIOSK-0001";
    config.dataDir = (dir.path() / "kiosk").string();
    config.printer = "sim:" + (dir.path() / "slips").string();
    config.deskUrl = "https://127.0.0.1:" + std::to_string(desk.port);
    config.connectTimeoutMs = 500;
    config.assetsDir = std::string(UKETSUKE_SOURCE_DIR) + "/assets";
    {
        std::filesystem::create_directories(config.dataDir);
        auto outbox = delivery::Outbox::open(config.dataDir + "/outbox.sqlite3");
        REQUIRE(outbox);
        REQUIRE((*outbox)->put(tests::sampleCheckIn("drain-1", "0001")));
    }

    auto app = tests::buildSimApp(config);
    app->start();
    // The worker's default back-off is 1 s doubling: within 2.5 s at most 3 passes (at 0, 1
    // and 3 s); waking it on every pass made hundreds.
    const int left = app->drainOutbox(std::chrono::milliseconds(2500));
    app->stop();
    CHECK(left == 1); // still waiting, kept for the next start

    const auto lines = app->recentLog().snapshot();
    const auto attempts = std::count_if(lines.begin(), lines.end(), [](const log::Record& line) {
        return line.text.find("desk delivery:") != std::string::npos;
    });
    CHECK(attempts >= 1);
    CHECK(attempts <= 3);
}
