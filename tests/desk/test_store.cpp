#include "desk/store.hpp"

#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/sample_checkin.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <ctime>
#include <fstream>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace {

using namespace uketsuke;
using desk::DeskStore;
using desk::IngestStatus;

std::unique_ptr<DeskStore> openStore(const std::filesystem::path& file,
                                     time::Zone zone = time::Zone::tokyo())
{
    auto store = DeskStore::open(file.string(), std::move(zone));
    REQUIRE(store);
    return std::move(*store);
}

// The local date of a UTC time string built from `utc`, as the desk's time zone sees it.
std::string localDateOf(std::time_t utc)
{
    return time::isoDate(time::Zone::tokyo().local(time::Clock::from_time_t(utc)).date);
}

void execute(const std::filesystem::path& file, const char* sql)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
}

TEST_CASE("DeskStore::ingest: the same idempotency key is stored once")
{
    tests::TempDir dir;
    auto store = openStore(dir.path() / "desk.sqlite3");

    const auto checkIn = tests::sampleCheckIn("key-1");
    auto first = store->ingest(checkIn);
    REQUIRE(first);
    CHECK(first->status == IngestStatus::Stored);

    auto again = store->ingest(checkIn);
    REQUIRE(again);
    CHECK(again->status == IngestStatus::Duplicate);
    CHECK(again->id == first->id);

    auto other = store->ingest(tests::sampleCheckIn("key-2", "0002"));
    REQUIRE(other);
    CHECK(other->status == IngestStatus::Stored);
    CHECK(other->id != first->id);

    auto count = store->count();
    REQUIRE(count);
    CHECK(*count == 2);
}

// The columns of the one stored row, as text.
std::vector<std::string> storedRow(const std::filesystem::path& file, const char* sql)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK);
    std::vector<std::string> columns;
    if (sqlite3_step(statement) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(statement); ++i) {
            const auto* text = sqlite3_column_text(statement, i);
            columns.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
        }
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return columns;
}

TEST_CASE("DeskStore::ingest: the columns and the body hold the wire names and the name as sent")
{
    tests::TempDir dir;
    auto store = openStore(dir.path() / "desk.sqlite3");
    auto checkIn = tests::sampleCheckIn("key-1");
    checkIn.checkedAt = "2026-11-26T01:00:00Z";
    checkIn.method = kiosk::model::Method::InsuranceCard;
    REQUIRE(store->ingest(checkIn));

    const auto row = storedRow(dir.path() / "desk.sqlite3",
                               "SELECT method, outcome, name, insurer_number, body FROM checkins");
    REQUIRE(row.size() == 5);
    CHECK(row[0] == "insurance_card");
    CHECK(row[1] == "valid");
    CHECK(row[2] == "試験 花子");
    CHECK(row[3] == "06130012");
    CHECK(row[4] ==
          R"({"checked_at":"2026-11-26T01:00:00Z","idempotency_key":"key-1",)"
          R"("method":"insurance_card","outcome":"valid","qualification":{"MessageBody":)"
          R"({"ProcessingResultStatus":"1","QualificationValidity":"1","ResultList":[{)"
          R"("Birthdate":"19800101","InsurerNumber":"06130012","Name":"試験 花子",)"
          R"("NameKana":"ｼｹﾝ ﾊﾅｺ"}]},"MessageHeader":{"SegmentOfResult":"1"}},)"
          R"("receipt_number":"0001","terminal_id":"KIOSK-0001"})");
}

TEST_CASE("DeskStore::ingest: a key already stored for another terminal is a conflict")
{
    tests::TempDir dir;
    auto store = openStore(dir.path() / "desk.sqlite3");
    REQUIRE(store->ingest(tests::sampleCheckIn("key-1")));

    auto clash = store->ingest(tests::sampleCheckIn("key-1", "0001", "x", "KIOSK-0002"));
    REQUIRE(clash);
    CHECK(clash->status == IngestStatus::Conflict);
    CHECK(*store->count() == 1);
}

TEST_CASE("DeskStore::ingest: the same key from the same terminal with other content is a mismatch")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.sqlite3";
    auto store = openStore(file);
    auto checkIn = tests::sampleCheckIn("key-1", "0001");
    checkIn.checkedAt = "2026-12-05T01:00:00Z";
    auto first = store->ingest(checkIn);
    REQUIRE(first);

    SECTION("another receipt number") { checkIn.receiptNumber = "0009"; }
    SECTION("another name")
    {
        checkIn.qualification->body.resultList.at(0).name = PatientName("別人 太郎");
    }
    SECTION("another time") { checkIn.checkedAt = "2026-12-05T01:00:01Z"; }
    auto changed = store->ingest(checkIn);
    REQUIRE(changed);
    CHECK(changed->status == IngestStatus::Mismatch);
    CHECK(changed->id == first->id);
    CHECK(*store->count() == 1);
    // The stored row is the first delivery's.
    const auto row = storedRow(file, "SELECT receipt_number, name, checked_at FROM checkins");
    REQUIRE(row.size() == 3);
    CHECK(row[0] == "0001");
    CHECK(row[1] == "試験 花子");
    CHECK(row[2] == "2026-12-05T01:00:00Z");
}

TEST_CASE("DeskStore::ingest: a receipt number seen again on the same day is stored and flagged")
{
    tests::TempDir dir;
    auto store = openStore(dir.path() / "desk.sqlite3");
    auto at = [](const std::string& key, const std::string& receipt, const std::string& when) {
        auto checkIn = tests::sampleCheckIn(key, receipt);
        checkIn.checkedAt = when;
        return checkIn;
    };
    auto first = store->ingest(at("k-1", "A-0007", "2026-12-05T01:00:00Z"));
    REQUIRE(first);
    CHECK_FALSE(first->duplicateReceipt);
    // 2026-12-05 in Tokyo too (09:00 local on the 6th is another day: not flagged).
    auto second = store->ingest(at("k-2", "A-0007", "2026-12-05T05:00:00Z"));
    REQUIRE(second);
    CHECK(second->status == IngestStatus::Stored);
    CHECK(second->duplicateReceipt);
    auto nextDay = store->ingest(at("k-3", "A-0007", "2026-12-06T00:00:00Z"));
    REQUIRE(nextDay);
    CHECK_FALSE(nextDay->duplicateReceipt);
    auto otherNumber = store->ingest(at("k-4", "A-0008", "2026-12-05T02:00:00Z"));
    REQUIRE(otherNumber);
    CHECK_FALSE(otherNumber->duplicateReceipt);
    // A replay of the flagged one is a duplicate, not another flag.
    auto replay = store->ingest(at("k-2", "A-0007", "2026-12-05T05:00:00Z"));
    REQUIRE(replay);
    CHECK(replay->status == IngestStatus::Duplicate);
    CHECK(*store->count() == 4);

    auto rows = store->listByLocalDate("2026-12-05");
    REQUIRE(rows);
    REQUIRE(rows->size() == 3);
    CHECK((*rows)[0].checkIn.idempotencyKey == "k-2");
    CHECK((*rows)[0].duplicateReceipt);
    CHECK_FALSE((*rows)[1].duplicateReceipt);
    CHECK_FALSE((*rows)[2].duplicateReceipt);
    // The staff queue carries the flag too (oldest first: k-1, k-4, k-2).
    auto queue = store->listQueue("2026-12-05");
    REQUIRE(queue);
    REQUIRE(queue->size() == 3);
    CHECK_FALSE((*queue)[0].duplicateReceipt);
    CHECK_FALSE((*queue)[1].duplicateReceipt);
    CHECK((*queue)[2].duplicateReceipt);
    auto entry = store->queueEntry(second->id);
    REQUIRE(entry);
    REQUIRE(*entry);
    CHECK((*entry)->duplicateReceipt);
}

TEST_CASE("DeskStore::ingest: a checked_at that is not a time is refused and nothing stored")
{
    tests::TempDir dir;
    auto store = openStore(dir.path() / "desk.sqlite3");
    for (const char* bad :
         {"now", "2460000.5", "yesterday", "2026-11-26", "2026-13-45T99:99:99Z"}) {
        auto checkIn = tests::sampleCheckIn("key-1");
        checkIn.checkedAt = bad;
        auto result = store->ingest(checkIn);
        INFO(bad);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == Errc::InvalidArgument);
    }
    CHECK(*store->count() == 0);
}

// SQLite reads years up to 9999, the clock holds 1678 to 2261: a check-in of 4052 overflowed the
// conversion (fuzz_desk_request). A terminal whose clock was reset to 1970 is still heard.
TEST_CASE("DeskStore::ingest: a time the clock cannot hold is refused, one of 1970 is stored")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.sqlite3";
    auto store = openStore(file);
    for (const char* far : {"4052-11-26T01:00:00Z", "2262-04-12T00:00:00Z", "9999-12-31T23:59:59Z",
                            "1600-01-01T00:00:00Z"}) {
        auto checkIn = tests::sampleCheckIn("key-far");
        checkIn.checkedAt = far;
        auto result = store->ingest(checkIn);
        INFO(far);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == Errc::InvalidArgument);
        CHECK(result.error().message == "checked_at is outside the years 1678 to 2261");
    }
    CHECK(*store->count() == 0);

    auto reset = tests::sampleCheckIn("key-1970");
    reset.checkedAt = "1970-01-01T00:00:05Z";
    REQUIRE(store->ingest(reset));
    CHECK(storedRow(file, "SELECT local_date, local_time FROM checkins") ==
          std::vector<std::string>{"1970-01-01", "09:00"});
}

TEST_CASE("DeskStore::ingest: stored check-ins survive closing and reopening the file")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.sqlite3";
    const auto checkIn = tests::sampleCheckIn("key-1");
    {
        auto store = openStore(file);
        REQUIRE(store->ingest(checkIn));
    }
    auto store = openStore(file);
    CHECK(*store->count() == 1);
    auto again = store->ingest(checkIn);
    REQUIRE(again);
    CHECK(again->status == IngestStatus::Duplicate);
}

TEST_CASE("DeskStore::ingest: check-ins arriving during a commit are written together in the next")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.sqlite3";
    auto store = openStore(file);
    // Another connection holds the write lock, so the first group's leader waits in BEGIN
    // (within the 5 s busy timeout) and everyone after it queues for the next group.
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);

    // Eight callers: six new keys, one of them twice (a terminal's retry racing its first
    // try) and one with a checked_at that only SQLite can refuse.
    std::vector<kiosk::model::CheckIn> checkIns;
    for (int i = 0; i < 6; ++i) {
        checkIns.push_back(tests::sampleCheckIn("group-" + std::to_string(i),
                                                "000" + std::to_string(i + 1)));
    }
    checkIns.push_back(checkIns[2]);
    checkIns.push_back(tests::sampleCheckIn("group-bad", "0099"));
    checkIns.back().checkedAt = "2026-13-45T99:99:99Z";
    std::vector<std::optional<Result<desk::IngestResult>>> results(checkIns.size());
    std::vector<std::string> summaries(checkIns.size());
    std::vector<std::thread> callers;
    for (std::size_t i = 0; i < checkIns.size(); ++i) {
        summaries[i] = R"({"receipt_number":")" + checkIns[i].receiptNumber + R"("})";
        callers.emplace_back([&, i] { results[i] = store->ingest(checkIns[i], summaries[i]); });
    }
    for (;;) {
        const auto counts = store->ingestCounts();
        if (counts.writing + counts.waiting == checkIns.size()) {
            break;
        }
        std::this_thread::yield();
    }
    CHECK(store->ingestCounts().commits == 0);
    REQUIRE(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);
    for (auto& caller : callers) {
        caller.join();
    }

    // Two commits at most (the first leader's group, then the rest), not one per check-in.
    const auto counts = store->ingestCounts();
    CHECK(counts.commits >= 1);
    CHECK(counts.commits <= 2);
    CHECK(counts.checkIns == 6);
    CHECK(*store->count() == 6);
    std::set<std::int64_t> ids;
    for (std::size_t i = 0; i < 6; ++i) {
        REQUIRE(results[i]->has_value());
        ids.insert((*results[i])->id);
    }
    CHECK(ids.size() == 6);
    // The key sent twice: one of its callers stored it, the other got Duplicate of that row.
    REQUIRE(results[6]->has_value());
    CHECK((*results[6])->id == (*results[2])->id);
    CHECK(((*results[6])->status == IngestStatus::Duplicate) !=
          ((*results[2])->status == IngestStatus::Duplicate));
    // The bad time failed alone; the group it was in was stored.
    REQUIRE_FALSE(results[7]->has_value());
    CHECK(results[7]->error().code == Errc::InvalidArgument);
    // Each new check-in's queue row was stored with it.
    auto rows = store->listQueue(localDateOf(std::time(nullptr)));
    REQUIRE(rows);
    REQUIRE(rows->size() == 6);
    for (const auto& row : *rows) {
        CHECK(row.status == "waiting");
        CHECK(row.summary.find(R"({"receipt_number":"000)") == 0);
    }
}

TEST_CASE("DeskStore::ingest: a check-in without a queue summary has no queue row yet")
{
    tests::TempDir dir;
    auto store = openStore(dir.path() / "desk.sqlite3");
    auto stored = store->ingest(tests::sampleCheckIn("key-1"));
    REQUIRE(stored);
    auto entry = store->queueEntry(stored->id);
    REQUIRE(entry);
    REQUIRE(*entry);
    CHECK((*entry)->summary.empty());
    CHECK_FALSE((*entry)->body.empty());
    CHECK(store->ingestCounts().commits == 1);
    CHECK(store->ingestCounts().checkIns == 1);
}

TEST_CASE("DeskStore::listByLocalDate: lists one local day, newest first, with every field")
{
    tests::TempDir dir;
    auto store = openStore(dir.path() / "desk.sqlite3");
    const std::time_t base = 1795741200; // 2026-11-27T01:00:00Z
    auto early = tests::sampleCheckIn("early", "0001", "早い 人");
    early.checkedAt = tests::isoUtc(base);
    auto late = tests::sampleCheckIn("late", "0002", "遅い 人");
    late.checkedAt = tests::isoUtc(base + 20 * 60);
    auto otherDay = tests::sampleCheckIn("other-day", "0001");
    otherDay.checkedAt = tests::isoUtc(base - 3 * 24 * 3600);
    REQUIRE(store->ingest(early));
    REQUIRE(store->ingest(late));
    REQUIRE(store->ingest(otherDay));

    auto rows = store->listByLocalDate(localDateOf(base));
    REQUIRE(rows);
    REQUIRE(rows->size() == 2);
    CHECK((*rows)[0].checkIn.idempotencyKey == "late");
    CHECK((*rows)[1].checkIn.idempotencyKey == "early");
    CHECK((*rows)[0].checkIn.receiptNumber == "0002");
    REQUIRE((*rows)[0].checkIn.qualification);
    CHECK((*rows)[0].checkIn.qualification->body.resultList.at(0).name.reveal() == "遅い 人");
    CHECK((*rows)[0].localDate == localDateOf(base));
    CHECK((*rows)[0].localTime.size() == 5);

    auto none = store->listByLocalDate("1999-01-01");
    REQUIRE(none);
    CHECK(none->empty());

    auto bad = store->listByLocalDate("26-11-2026");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::InvalidArgument);
}

TEST_CASE("DeskStore::listByLocalDate: local dates and times are in the store's zone, not TZ")
{
    tests::TempDir dir;
    auto checkIn = tests::sampleCheckIn("late-evening");
    checkIn.checkedAt = "2026-12-04T16:30:00Z";
    auto health = tests::sampleHealth();

    SECTION("Asia/Tokyo: the next morning")
    {
        auto store = openStore(dir.path() / "desk.sqlite3");
        REQUIRE(store->ingest(checkIn));
        auto rows = store->listByLocalDate("2026-12-05");
        REQUIRE(rows);
        REQUIRE(rows->size() == 1);
        CHECK((*rows)[0].localTime == "01:30");
        CHECK(store->listByLocalDate("2026-12-04")->empty());
    }
    SECTION("UTC: the same evening")
    {
        auto zone = time::Zone::load("UTC");
        REQUIRE(zone);
        auto store = openStore(dir.path() / "desk.sqlite3", *zone);
        REQUIRE(store->ingest(checkIn));
        auto rows = store->listByLocalDate("2026-12-04");
        REQUIRE(rows);
        REQUIRE(rows->size() == 1);
        CHECK((*rows)[0].localTime == "16:30");
        // The health report's local time follows the zone too.
        REQUIRE(store->recordHealth(health));
        auto terminals = store->listTerminals();
        REQUIRE(terminals);
        REQUIRE(terminals->size() == 1);
        CHECK((*terminals)[0].localTime.substr(0, 10) == (*terminals)[0].receivedAt.substr(0, 10));
    }
}

TEST_CASE("localDateToday: today in the given zone")
{
    auto utc = time::Zone::load("UTC");
    REQUIRE(utc);
    const std::string before = tests::isoUtc().substr(0, 10);
    const std::string today = desk::localDateToday(*utc);
    const std::string after = tests::isoUtc().substr(0, 10);
    // Around midnight the reads may straddle the day; either day is then right.
    CHECK((today == before || today == after));
    CHECK(desk::isIsoDate(desk::localDateToday()));
}

TEST_CASE("DeskStore::purgeOlderThan: deletes check-ins received before the retention period")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.sqlite3";
    auto store = openStore(file);
    REQUIRE(store->ingest(tests::sampleCheckIn("old")));
    REQUIRE(store->ingest(tests::sampleCheckIn("new")));
    execute(file, "UPDATE checkins SET received_at = '2000-01-01T00:00:00Z' "
                  "WHERE idempotency_key = 'old'");

    auto purged = store->purgeOlderThan(30);
    REQUIRE(purged);
    CHECK(*purged == 1);
    CHECK(*store->count() == 1);
    CHECK_FALSE(store->purgeOlderThan(0));
}

kiosk::model::CheckIn checkInAt(const std::string& key, const std::string& when,
                         kiosk::model::Outcome outcome)
{
    auto checkIn = tests::sampleCheckIn(key, key);
    checkIn.checkedAt = when;
    checkIn.outcome = outcome;
    return checkIn;
}

TEST_CASE("DeskStore::purgeOlderThan: purged check-ins leave their count by day and outcome")
{
    using kiosk::model::Outcome;
    tests::TempDir dir;
    const auto file = dir.path() / "desk.sqlite3";
    auto opened = openStore(file);
    auto& store = *opened;
    REQUIRE(store.ingest(checkInAt("a", "2026-10-01T01:00:00Z", Outcome::Valid)));
    REQUIRE(store.ingest(checkInAt("b", "2026-10-01T02:00:00Z", Outcome::Valid)));
    REQUIRE(store.ingest(checkInAt("c", "2026-10-01T03:00:00Z", Outcome::NotFound)));
    REQUIRE(store.ingest(checkInAt("d", "2026-10-02T03:00:00Z", Outcome::Valid)));
    REQUIRE(store.ingest(checkInAt("e", "2026-10-01T04:00:00Z", Outcome::Valid))); // still in time
    execute(file, "UPDATE checkins SET received_at = '2026-10-03T00:00:00Z' "
                  "WHERE idempotency_key IN ('a', 'c', 'd')");

    auto purged = store.purgeOlderThan(30);
    REQUIRE(purged);
    CHECK(*purged == 3);
    CHECK(*store.count() == 2);
    CHECK(store.listByLocalDate("2026-10-02")->empty()); // the personal data is gone

    auto counts = store.dailyCounts("2026-10-01", "2026-10-02");
    REQUIRE(counts);
    REQUIRE(counts->size() == 3);
    CHECK((*counts)[0].localDate == "2026-10-01");
    CHECK((*counts)[0].outcome == "not_found");
    CHECK((*counts)[0].count == 1);
    CHECK((*counts)[1].outcome == "valid");
    CHECK((*counts)[1].count == 3); // a (purged), b and e (kept)
    CHECK((*counts)[2].localDate == "2026-10-02");
    CHECK((*counts)[2].count == 1);

    // A later purge of the same day adds to its count.
    execute(file, "UPDATE checkins SET received_at = '2026-10-03T00:00:00Z'");
    REQUIRE(*store.purgeOlderThan(30) == 2);
    CHECK(*store.count() == 0);
    counts = store.dailyCounts("2026-10-01", "2026-10-01");
    REQUIRE(counts);
    REQUIRE(counts->size() == 2);
    CHECK((*counts)[1].count == 3);
    CHECK_FALSE(store.dailyCounts("2026-10-01", "yesterday"));
}

TEST_CASE("DeskStore::open: a file that is not a database is StorageCorrupt")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.sqlite3";
    std::ofstream(file) << "this is not an SQLite database, just some text long enough";
    auto store = DeskStore::open(file.string());
    REQUIRE_FALSE(store);
    CHECK(store.error().code == Errc::StorageCorrupt);
}

TEST_CASE("DeskStore::open: a folder that does not exist is StorageError")
{
    tests::TempDir dir;
    auto store = DeskStore::open((dir.path() / "missing" / "desk.sqlite3").string());
    REQUIRE_FALSE(store);
    CHECK(store.error().code == Errc::StorageError);
}

} // namespace

namespace {

TEST_CASE("DeskStore::recordHealth: one row per terminal, the latest report wins")
{
    tests::TempDir dir;
    auto store = openStore(dir.path() / "desk.sqlite3");
    CHECK(store->listTerminals()->empty());

    const std::time_t now = std::time(nullptr);
    auto first = tests::sampleHealth("KIOSK-0001", tests::isoUtc(now - 60));
    REQUIRE(store->recordHealth(first));
    auto other = tests::sampleHealth("KIOSK-0002", tests::isoUtc(now - 60));
    other.printer = {};
    REQUIRE(store->recordHealth(other));

    auto later = tests::sampleHealth("KIOSK-0001", tests::isoUtc(now));
    later.printer = {};
    later.printer.paperNearEnd = true;
    later.outboxDepth = 0;
    REQUIRE(store->recordHealth(later));
    // A report that arrives late (older on the terminal's clock) does not hide the newer one.
    REQUIRE(store->recordHealth(first));

    auto terminals = store->listTerminals();
    REQUIRE(terminals);
    REQUIRE(terminals->size() == 2);
    const auto& one = (*terminals)[0];
    CHECK(one.health.terminalId == "KIOSK-0001");
    CHECK(one.health.reportedAt == later.reportedAt);
    CHECK(one.health.printer.paperNearEnd);
    CHECK_FALSE(one.health.printer.paperOut);
    CHECK(one.health.outboxDepth == 0);
    CHECK(one.receivedAt.size() == 20);
    CHECK(one.localTime.size() == 16);
    CHECK((*terminals)[1].health.terminalId == "KIOSK-0002");
}

TEST_CASE("DeskStore::recordHealth: the card and since when it lies idle are kept, or unknown")
{
    tests::TempDir dir;
    auto store = openStore(dir.path() / "desk.sqlite3");
    const std::time_t now = std::time(nullptr);
    auto idle = tests::sampleHealth("KIOSK-0001", tests::isoUtc(now));
    idle.card = kiosk::model::CardHealth{kiosk::model::CardState::Present,
                                         tests::isoUtc(now - 300)};
    REQUIRE(store->recordHealth(idle));
    auto older = tests::sampleHealth("KIOSK-0002", tests::isoUtc(now)); // sends no card
    REQUIRE(store->recordHealth(older));

    auto terminals = store->listTerminals();
    REQUIRE(terminals);
    REQUIRE(terminals->size() == 2);
    const auto& one = (*terminals)[0].health;
    REQUIRE(one.card);
    CHECK(one.card->state == kiosk::model::CardState::Present);
    CHECK(one.card->idleSince == tests::isoUtc(now - 300));
    CHECK_FALSE((*terminals)[1].health.card);

    // The card taken: the next report replaces the state and the idle time.
    auto taken = tests::sampleHealth("KIOSK-0001", tests::isoUtc(now + 1));
    taken.card = kiosk::model::CardHealth{kiosk::model::CardState::Absent, ""};
    REQUIRE(store->recordHealth(taken));
    terminals = store->listTerminals();
    REQUIRE(terminals);
    REQUIRE((*terminals)[0].health.card);
    CHECK((*terminals)[0].health.card->state == kiosk::model::CardState::Absent);
    CHECK((*terminals)[0].health.card->idleSince.empty());
}

TEST_CASE("DeskStore::recordHealth: a reported_at that is not a time is refused")
{
    tests::TempDir dir;
    auto store = openStore(dir.path() / "desk.sqlite3");
    auto bad = store->recordHealth(tests::sampleHealth("KIOSK-0001", "now"));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::InvalidArgument);
    CHECK(store->listTerminals()->empty());
}

TEST_CASE("DeskStore::open: a version 2 database gains the duplicate_receipt column")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.sqlite3";
    {
        auto store = openStore(file);
        REQUIRE(store->ingest(tests::sampleCheckIn("k-old")));
    }
    execute(file, "DROP INDEX checkins_receipt; ALTER TABLE checkins DROP COLUMN "
                  "duplicate_receipt; PRAGMA user_version = 2;");
    auto store = openStore(file);
    CHECK(*store->count() == 1);
    auto rows = store->listByLocalDate(desk::localDateToday());
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    CHECK_FALSE((*rows)[0].duplicateReceipt);
}

TEST_CASE("DeskStore::open: a version 1 database gains the terminals table and keeps its rows")
{
    tests::TempDir dir;
    const auto file = dir.path() / "desk.sqlite3";
    {
        auto store = openStore(file);
        REQUIRE(store->ingest(tests::sampleCheckIn("k-old")));
    }
    // As the desk left it before health reports: schema version 1, no terminals table.
    execute(file, "DROP TABLE terminals; DROP INDEX checkins_receipt; ALTER TABLE checkins DROP "
                  "COLUMN duplicate_receipt; PRAGMA user_version = 1;");
    auto store = openStore(file);
    CHECK(*store->count() == 1);
    REQUIRE(store->recordHealth(tests::sampleHealth()));
    CHECK(store->listTerminals()->size() == 1);
}

} // namespace
