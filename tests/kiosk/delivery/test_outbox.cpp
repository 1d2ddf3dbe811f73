#include "kiosk/delivery/outbox.hpp"

#include "base/time.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/sample_checkin.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <sqlite3.h>

#include <fstream>
#include <thread>

namespace {

using namespace uketsuke;
using kiosk::delivery::Outbox;

std::unique_ptr<Outbox> openOutbox(const std::filesystem::path& file)
{
    auto outbox = Outbox::open(file.string());
    REQUIRE(outbox);
    return std::move(*outbox);
}

std::vector<std::string> pendingKeys(Outbox& outbox, int limit = 100)
{
    auto pending = outbox.pending(limit);
    REQUIRE(pending);
    std::vector<std::string> keys;
    for (const auto& checkIn : *pending) {
        keys.push_back(checkIn.idempotencyKey);
    }
    return keys;
}

TEST_CASE("Outbox::put: check-ins survive closing and reopening, oldest first")
{
    tests::TempDir dir;
    const auto file = dir.path() / "outbox.sqlite3";
    {
        auto outbox = openOutbox(file);
        REQUIRE(outbox->put(tests::sampleCheckIn("c", "0001", "三番目")));
        REQUIRE(outbox->put(tests::sampleCheckIn("a", "0002")));
        REQUIRE(outbox->put(tests::sampleCheckIn("b", "0003")));
    }
    auto outbox = openOutbox(file);
    CHECK(pendingKeys(*outbox) == std::vector<std::string>{"c", "a", "b"});
    CHECK(pendingKeys(*outbox, 2) == std::vector<std::string>{"c", "a"});

    auto pending = outbox->pending(1);
    REQUIRE(pending);
    REQUIRE(pending->size() == 1);
    const auto& first = pending->front();
    CHECK(first.receiptNumber == "0001");
    CHECK(first.terminalId == "KIOSK-0001");
    REQUIRE(first.qualification);
    CHECK(first.qualification->body.resultList.at(0).name.reveal() == "三番目");
    CHECK(first.qualification->body.resultList.at(0).insurerNumber == "06130012");
}

TEST_CASE("Outbox::open: the file is in WAL mode")
{
    tests::TempDir dir;
    const auto file = dir.path() / "outbox.sqlite3";
    auto outbox = openOutbox(file);
    REQUIRE(outbox->put(tests::sampleCheckIn("a")));

    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) == "wal");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

TEST_CASE("Outbox::put: the same idempotency key twice keeps one record")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    REQUIRE(outbox->put(tests::sampleCheckIn("a", "0001")));
    REQUIRE(outbox->put(tests::sampleCheckIn("a", "0099")));
    auto pending = outbox->pending(10);
    REQUIRE(pending);
    REQUIRE(pending->size() == 1);
    CHECK(pending->front().receiptNumber == "0001");
    CHECK_FALSE(outbox->put(tests::sampleCheckIn("")));
}

TEST_CASE("Outbox::put: threads may put at the same time")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&outbox, t] {
            for (int i = 0; i < 10; ++i) {
                auto put = outbox->put(
                    tests::sampleCheckIn("t" + std::to_string(t) + "-" + std::to_string(i)));
                CHECK(put);
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(pendingKeys(*outbox).size() == 40);
}

TEST_CASE("Outbox::markDelivered: deletes the record, also across reopening")
{
    tests::TempDir dir;
    const auto file = dir.path() / "outbox.sqlite3";
    {
        auto outbox = openOutbox(file);
        REQUIRE(outbox->put(tests::sampleCheckIn("a")));
        REQUIRE(outbox->put(tests::sampleCheckIn("b")));
        REQUIRE(outbox->markDelivered("a"));
        REQUIRE(outbox->markDelivered("not-there")); // already gone: nothing to do
        CHECK(pendingKeys(*outbox) == std::vector<std::string>{"b"});
    }
    auto outbox = openOutbox(file);
    CHECK(pendingKeys(*outbox) == std::vector<std::string>{"b"});
}

// At midnight a new outbox starts its first day at 0001, as every other day.
constexpr std::chrono::seconds kMidnight{0};

TEST_CASE("Outbox::nextReceiptNumber: counts per local date and survives reopening")
{
    tests::TempDir dir;
    const auto file = dir.path() / "outbox.sqlite3";
    {
        auto outbox = openOutbox(file);
        CHECK(*outbox->nextReceiptNumber("2026-11-26", kMidnight) == "0001");
        CHECK(*outbox->nextReceiptNumber("2026-11-26", kMidnight) == "0002");
        CHECK(*outbox->nextReceiptNumber("2026-11-27", kMidnight) == "0001");
    }
    auto outbox = openOutbox(file);
    CHECK(*outbox->nextReceiptNumber("2026-11-26", kMidnight) == "0003");
    CHECK(*outbox->nextReceiptNumber("2026-11-27", kMidnight) == "0002");
    CHECK(*outbox->nextReceiptNumber("2026-11-28", kMidnight) == "0001");
}

TEST_CASE("Outbox::nextReceiptNumber: a clock that jumps weeks ahead and back does not give a "
          "day's numbers again")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    CHECK(*outbox->nextReceiptNumber("2026-12-05", kMidnight) == "0001");
    CHECK(*outbox->nextReceiptNumber("2026-12-05", kMidnight) == "0002");
    // The wall clock a month and a year ahead for a moment (one check-in each), then back.
    CHECK(*outbox->nextReceiptNumber("2027-01-05", kMidnight) == "0001");
    CHECK(*outbox->nextReceiptNumber("2027-12-05", kMidnight) == "0001");
    CHECK(*outbox->nextReceiptNumber("2026-12-05", kMidnight) == "0003");
}

TEST_CASE("Outbox::nextReceiptNumber: a new outbox starts its first day after every number a "
          "predecessor could have given, and every later day at 0001")
{
    using namespace std::chrono;
    tests::TempDir dir;
    const auto file = dir.path() / "outbox.sqlite3";
    {
        // Re-imaged at 10:30:15: 37815 s, 3781 ten-second intervals since midnight.
        auto outbox = openOutbox(file);
        CHECK(*outbox->nextReceiptNumber("2026-11-26", hours(10) + minutes(30) + seconds(15)) ==
              "3782");
        CHECK(*outbox->nextReceiptNumber("2026-11-26", hours(10) + minutes(31)) == "3783");
        // The next day counts from 1, whatever the time.
        CHECK(*outbox->nextReceiptNumber("2026-11-27", hours(9)) == "0001");
    }
    // A restart is not a new outbox: it goes on.
    auto outbox = openOutbox(file);
    CHECK(*outbox->nextReceiptNumber("2026-11-26", hours(11)) == "3784");
    CHECK(*outbox->nextReceiptNumber("2026-11-28", hours(23)) == "0001");

    // Two terminals with the same letters re-imaged the same day an hour apart would not
    // meet either: the second starts 360 numbers higher.
    tests::TempDir other;
    auto late = openOutbox(other.path() / "outbox.sqlite3");
    CHECK(*late->nextReceiptNumber("2026-11-26", hours(11) + minutes(30) + seconds(15)) ==
          "4142");
    // The last second of the day stays four digits.
    tests::TempDir third;
    auto last = openOutbox(third.path() / "outbox.sqlite3");
    CHECK(*last->nextReceiptNumber("2026-11-26", hours(23) + minutes(59) + seconds(59)) ==
          "8640");
}

TEST_CASE("Outbox::nextReceiptNumber: goes past 9999 without wrapping")
{
    tests::TempDir dir;
    const auto file = dir.path() / "outbox.sqlite3";
    auto outbox = openOutbox(file);
    REQUIRE(outbox->nextReceiptNumber("2026-11-26", kMidnight));
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE receipt_counter SET last = 9999", nullptr, nullptr, nullptr) ==
          SQLITE_OK);
    sqlite3_close(db);
    CHECK(*outbox->nextReceiptNumber("2026-11-26", kMidnight) == "10000");
}

TEST_CASE("Outbox::nextReceiptNumber: a date that is not YYYY-MM-DD is InvalidArgument")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    for (const char* bad : {"", "2026-1-26", "26/11/2026", "2026-11-26T00:00"}) {
        auto number = outbox->nextReceiptNumber(bad, kMidnight);
        INFO(bad);
        REQUIRE_FALSE(number);
        CHECK(number.error().code == Errc::InvalidArgument);
    }
}

TEST_CASE("Outbox::open: a file that is not a database is StorageCorrupt")
{
    tests::TempDir dir;
    const auto file = dir.path() / "outbox.sqlite3";
    std::ofstream(file) << "not a database, but text long enough to look like a header....";
    auto outbox = Outbox::open(file.string());
    REQUIRE_FALSE(outbox);
    CHECK(outbox.error().code == Errc::StorageCorrupt);
}

TEST_CASE("Outbox::open: a folder that does not exist is StorageError")
{
    tests::TempDir dir;
    auto outbox = Outbox::open((dir.path() / "missing" / "outbox.sqlite3").string());
    REQUIRE_FALSE(outbox);
    CHECK(outbox.error().code == Errc::StorageError);
}

} // namespace

TEST_CASE("Outbox::outcomeCounts: counts the day's check-ins by outcome, delivered or not, once "
          "per key")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    auto at = [](const std::string& key, const std::string& when, kiosk::model::Outcome outcome) {
        auto checkIn = tests::sampleCheckIn(key);
        checkIn.checkedAt = when;
        checkIn.outcome = outcome;
        if (outcome == kiosk::model::Outcome::Unconfirmed) {
            checkIn.problem = kiosk::model::Problem::PinLocked;
            checkIn.qualification.reset();
        }
        return checkIn;
    };
    // "Today" is the window the caller gives: here a day that is now.
    const auto now = std::chrono::system_clock::now();
    const std::string inside = time::isoUtc(now);
    const std::string before = time::isoUtc(now - std::chrono::hours(30));
    REQUIRE(outbox->put(at("a", inside, kiosk::model::Outcome::Valid)));
    REQUIRE(outbox->put(at("b", inside, kiosk::model::Outcome::Valid)));
    REQUIRE(outbox->put(at("b", inside, kiosk::model::Outcome::Valid))); // a retry
    REQUIRE(outbox->put(at("c", inside, kiosk::model::Outcome::Unconfirmed)));
    REQUIRE(outbox->put(at("d", before, kiosk::model::Outcome::Valid)));
    REQUIRE(outbox->markDelivered("a"));

    const std::string from = time::isoUtc(now - std::chrono::hours(12));
    const std::string to = time::isoUtc(now + std::chrono::hours(12));
    auto counts = outbox->outcomeCounts(from, to);
    REQUIRE(counts);
    CHECK(counts->size() == 2);
    CHECK((*counts)["valid"] == 2);
    CHECK((*counts)["unconfirmed"] == 1);

    auto yesterday = outbox->outcomeCounts(time::isoUtc(now - std::chrono::hours(36)), from);
    REQUIRE(yesterday);
    CHECK((*yesterday)["valid"] == 1);
}

TEST_CASE("Outbox::backlog: how many wait for the desk and since when")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    auto empty = outbox->backlog();
    REQUIRE(empty);
    CHECK(empty->pending == 0);
    CHECK_FALSE(empty->oldestSavedAt);

    const auto before = std::chrono::system_clock::now() - std::chrono::seconds(2);
    REQUIRE(outbox->put(tests::sampleCheckIn("a")));
    REQUIRE(outbox->put(tests::sampleCheckIn("b")));
    REQUIRE(outbox->markDelivered("a"));
    auto backlog = outbox->backlog();
    REQUIRE(backlog);
    CHECK(backlog->pending == 1);
    REQUIRE(backlog->oldestSavedAt);
    auto saved = time::parseIsoUtc(*backlog->oldestSavedAt);
    REQUIRE(saved);
    CHECK(*saved >= std::chrono::time_point_cast<std::chrono::seconds>(before));
}

namespace {

kiosk::model::StaffAuditRecord auditLine(const std::string& id, const std::string& action)
{
    return {id, "2026-12-06T01:02:03Z", "s01", action};
}

std::vector<std::string> pendingAuditIds(Outbox& outbox)
{
    auto pending = outbox.pendingAudit(100);
    REQUIRE(pending);
    std::vector<std::string> ids;
    for (const auto& line : *pending) {
        ids.push_back(line.id);
    }
    return ids;
}

} // namespace

TEST_CASE("Outbox::putAudit: audit lines survive reopening, oldest first, once per id")
{
    tests::TempDir dir;
    const auto file = dir.path() / "outbox.sqlite3";
    {
        auto outbox = openOutbox(file);
        REQUIRE(outbox->putAudit(auditLine("a1", "unlock")));
        REQUIRE(outbox->putAudit(auditLine("a2", "setting timeouts.result_s=25")));
        REQUIRE(outbox->putAudit(auditLine("a1", "unlock"))); // again: kept once
        CHECK_FALSE(outbox->putAudit(auditLine("", "lock")));
    }
    auto outbox = openOutbox(file);
    auto pending = outbox->pendingAudit(100);
    REQUIRE(pending);
    REQUIRE(pending->size() == 2);
    CHECK((*pending)[0] == auditLine("a1", "unlock"));
    CHECK((*pending)[1] == auditLine("a2", "setting timeouts.result_s=25"));
    // The audit lines are not check-ins: nothing waits in the check-in outbox.
    CHECK(pendingKeys(*outbox).empty());
    auto limited = outbox->pendingAudit(1);
    REQUIRE(limited);
    CHECK(limited->size() == 1);
}

TEST_CASE("Outbox::markAuditDelivered: deletes only the lines named")
{
    tests::TempDir dir;
    auto outbox = openOutbox(dir.path() / "outbox.sqlite3");
    for (const char* id : {"a1", "a2", "a3"}) {
        REQUIRE(outbox->putAudit(auditLine(id, "lock")));
    }
    REQUIRE(outbox->markAuditDelivered({"a1", "a3", "unknown"}));
    CHECK(pendingAuditIds(*outbox) == std::vector<std::string>{"a2"});
    REQUIRE(outbox->markAuditDelivered({}));
    CHECK(pendingAuditIds(*outbox) == std::vector<std::string>{"a2"});
}
