// App::staffPage: the staff menu's pages as the terminal builds them from its parts (the
// outbox for "today").

#include "kiosk/app/app.hpp"

#include "base/time.hpp"
#include "kiosk/delivery/outbox.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/kiosk/app/app_fixture.hpp"
#include "tests/desk/sample_checkin.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk;

using tests::buildSimApp;
using tests::findRow;

TEST_CASE("App::staffPage: today counts the clinic day's check-ins by outcome and shows the "
          "outbox and its oldest check-in")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    config::KioskConfig config;
    config::applyPkiDir(config, dir.path().string());
    config.terminalId = "KIOSK-0001";
    config.dataDir = (dir.path() / "kiosk").string();
    config.printer = "sim:" + (dir.path() / "slips").string();
    config.deskUrl = "https://127.0.0.1:1"; // never asked: the app is not started
    config.assetsDir = std::string(UKETSUKE_SOURCE_DIR) + "/assets";
    {
        std::filesystem::create_directories(config.dataDir);
        auto outbox = delivery::Outbox::open(config.dataDir + "/outbox.sqlite3");
        REQUIRE(outbox);
        const auto now = std::chrono::system_clock::now();
        auto checkIn = [&](const std::string& key, model::Outcome outcome,
                           std::chrono::system_clock::time_point at) {
            auto c = tests::sampleCheckIn(key);
            c.outcome = outcome;
            c.checkedAt = time::isoUtc(at);
            REQUIRE((*outbox)->put(c));
        };
        checkIn("a", model::Outcome::Valid, now);
        checkIn("b", model::Outcome::Valid, now);
        checkIn("c", model::Outcome::NotFound, now);
        checkIn("d", model::Outcome::Valid, now - std::chrono::hours(30)); // not today
        REQUIRE((*outbox)->markDelivered("a"));
    }
    auto app = buildSimApp(config);
    auto rows = app->staffPage(staff::Section::Today);

    const auto* total = findRow(rows, "staff.row.checkins_today");
    REQUIRE(total != nullptr);
    CHECK(total->value == "3");
    REQUIRE(findRow(rows, "staff.outcome.valid") != nullptr);
    CHECK(findRow(rows, "staff.outcome.valid")->value == "2");
    REQUIRE(findRow(rows, "staff.outcome.not_found") != nullptr);
    CHECK(findRow(rows, "staff.outcome.not_found")->value == "1");
    REQUIRE(findRow(rows, "staff.outcome.unconfirmed") != nullptr); // always listed
    CHECK(findRow(rows, "staff.outcome.unconfirmed")->value == "0");
    CHECK(findRow(rows, "staff.outcome.lost") == nullptr); // rare ones only when they happened

    const auto* outbox = findRow(rows, "staff.row.outbox");
    REQUIRE(outbox != nullptr);
    CHECK(outbox->value == "3"); // b, c and yesterday's d wait for the desk
    CHECK(outbox->attention);
    const auto* oldest = findRow(rows, "staff.row.oldest_waiting");
    REQUIRE(oldest != nullptr);
    CHECK(oldest->valueIsKey);
    CHECK(oldest->value == "staff.value.minutes_ago");
    REQUIRE(oldest->args.size() == 2);
    CHECK(oldest->args[0] == std::pair<std::string, std::string>("minutes", "0"));
    CHECK_FALSE(oldest->attention);
}

TEST_CASE("App::staffPage: the devices page lists the reader and printer before any test")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    config::KioskConfig config;
    config::applyPkiDir(config, dir.path().string());
    config.terminalId = "KIOSK-0001";
    config.dataDir = (dir.path() / "kiosk").string();
    config.printer = "sim:" + (dir.path() / "slips").string();
    config.assetsDir = std::string(UKETSUKE_SOURCE_DIR) + "/assets";
    auto app = buildSimApp(config);
    auto rows = app->staffPage(staff::Section::Devices);
    CHECK(findRow(rows, "staff.row.reader") != nullptr);
    CHECK(findRow(rows, "staff.row.printer") != nullptr);
    CHECK(findRow(rows, "staff.row.test_card") == nullptr);
}
