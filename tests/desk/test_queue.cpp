#include "desk/events.hpp"
#include "desk/queue.hpp"

#include "kiosk/model/json.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/sample_checkin.hpp"

#include <catch2/catch.hpp>

namespace {

using namespace uketsuke;
using nlohmann::json;

json sampleJson(const std::string& key = "k1")
{
    return kiosk::model::toJson(tests::sampleCheckIn(key, "0007", "試験 花子"));
}

std::unique_ptr<desk::DeskStore> openStore(const tests::TempDir& dir)
{
    auto store = desk::DeskStore::open((dir.path() / "desk.sqlite3").string());
    REQUIRE(store);
    return std::move(*store);
}

TEST_CASE("queueSummary: a valid check-in is confirmed, with its names and kana in full width")
{
    const json summary = desk::queueSummary(sampleJson());
    CHECK(summary["receipt_number"] == "0007");
    CHECK(summary["terminal_id"] == "KIOSK-0001");
    CHECK(summary["method"] == "pin");
    CHECK(summary["outcome"] == "valid");
    CHECK(summary["name"] == "試験 花子");
    CHECK(summary["kana"] == "シケン ハナコ");
    CHECK(summary["attention"] == false);
    CHECK_FALSE(summary.contains("problem"));
}

TEST_CASE("queueSummary: other outcomes, unknown outcomes and a problem need attention")
{
    json checkIn = sampleJson();
    checkIn["outcome"] = "not_found";
    CHECK(desk::queueSummary(checkIn)["attention"] == true);
    checkIn["outcome"] = "outcome_of_a_newer_terminal";
    CHECK(desk::queueSummary(checkIn)["attention"] == true);
    checkIn["outcome"] = "valid";
    checkIn["problem"] = "pin_locked";
    const json summary = desk::queueSummary(checkIn);
    CHECK(summary["attention"] == true);
    CHECK(summary["problem"] == "pin_locked");
}

TEST_CASE("queueSummary: without exactly one person the names are empty")
{
    json checkIn = sampleJson();
    checkIn["qualification"] = nullptr;
    CHECK(desk::queueSummary(checkIn)["name"] == "");
    json two = sampleJson();
    auto& list = two["qualification"]["MessageBody"]["ResultList"];
    list.push_back(list[0]);
    CHECK(desk::queueSummary(two)["name"] == "");
}

TEST_CASE("queueRowJson: the stored summary is spliced into the row as JSON")
{
    desk::QueueEntry entry;
    entry.id = 42;
    entry.localDate = "2026-12-05";
    entry.localTime = "09:30";
    entry.checkedAt = "2026-12-05T00:30:00Z";
    entry.status = "called";
    entry.statusAt = "2026-12-05T00:35:00Z";
    const std::string summary = desk::queueSummary(sampleJson()).dump();
    const json row = json::parse(desk::queueRowJson(entry, summary));
    CHECK(row["id"] == 42);
    CHECK(row["status"] == "called");
    CHECK(row["local_time"] == "09:30");
    CHECK(row["summary"]["receipt_number"] == "0007");
    CHECK(row["duplicate_receipt"] == false);
    entry.duplicateReceipt = true;
    CHECK(json::parse(desk::queueRowJson(entry, summary))["duplicate_receipt"] == true);
}

TEST_CASE("queueDetail: insurance numbers, 負担割合 and dates of the one person")
{
    auto checkIn = tests::sampleCheckIn("k1", "0007", "試験 花子");
    auto& person = checkIn.qualification->body.resultList[0];
    person.insuredCardSymbol = "12";
    person.insuredIdentificationNumber = "345";
    person.insuredBranchNumber = "01";
    person.insuredPartialContributionRatio = "010";
    person.qualificationDate = "20200401";
    person.limitApplicationCertificateRelatedConsFlg = "1";
    person.limitApplicationCertificateRelatedInfo.limitApplicationCertificateClassificationFlag =
        "A01";
    auto detail = desk::queueDetail(kiosk::model::toJson(checkIn).dump());
    REQUIRE(detail);
    const json& p = (*detail)["person"];
    CHECK(p["insurer_number"] == "06130012");
    CHECK(p["symbol_number"] == "12・345（01）");
    CHECK(p["copay"]["percent"] == 10);
    CHECK(p["birthdate"] == "19800101");
    CHECK(p["qualification_date"] == "20200401");
    CHECK(p["limit"]["flag"]["code"] == "A01");
    REQUIRE(p["consents"].size() == 1);
    CHECK(p["consents"][0]["name"] == "limit");
    CHECK_FALSE(detail->contains("typed"));
}

TEST_CASE("queueDetail: a visual check-in says who confirmed it")
{
    auto checkIn = tests::sampleCheckIn("k1", "0007", "試験 花子");
    auto plain = desk::queueDetail(kiosk::model::toJson(checkIn).dump());
    REQUIRE(plain);
    CHECK_FALSE(plain->contains("staff_id"));

    checkIn.method = kiosk::model::Method::Visual;
    checkIn.staffId = "s01";
    auto detail = desk::queueDetail(kiosk::model::toJson(checkIn).dump());
    REQUIRE(detail);
    CHECK((*detail)["method"] == "visual");
    CHECK((*detail)["staff_id"] == "s01");
}

TEST_CASE("queueDetail: a failed lookup shows what the patient typed")
{
    auto checkIn = tests::sampleCheckIn("k1");
    checkIn.outcome = kiosk::model::Outcome::NotFound;
    checkIn.method = kiosk::model::Method::InsuranceCard;
    auto& result = *checkIn.qualification;
    result.body.qualificationValidity = "4";
    result.body.resultList.clear();
    result.body.qualificationConfirmSearchInfo.insurerNumber = "06130012";
    result.body.qualificationConfirmSearchInfo.insuredIdentificationNumber = "999";
    result.body.qualificationConfirmSearchInfo.birthdate = "19800101";
    auto detail = desk::queueDetail(kiosk::model::toJson(checkIn).dump());
    REQUIRE(detail);
    CHECK_FALSE(detail->contains("person"));
    CHECK((*detail)["typed"]["insurer_number"] == "06130012");
    CHECK((*detail)["typed"]["number"] == "999");
    CHECK((*detail)["attention"] == true);
    CHECK_FALSE(desk::queueDetail("not json"));
}

TEST_CASE("queueStatusFromName: the four statuses round-trip, others are refused")
{
    for (auto status : {desk::QueueStatus::Waiting, desk::QueueStatus::Called,
                        desk::QueueStatus::Done, desk::QueueStatus::NoShow}) {
        CHECK(desk::queueStatusFromName(desk::queueStatusName(status)) == status);
    }
    CHECK_FALSE(desk::queueStatusFromName("deleted"));
}

TEST_CASE("DeskStore::listQueue: rows oldest first, their status and summary as stored")
{
    tests::TempDir dir;
    auto store = openStore(dir);
    auto first = tests::sampleCheckIn("k1", "0001");
    first.checkedAt = "2026-12-05T00:10:00Z";
    auto second = tests::sampleCheckIn("k2", "0002");
    second.checkedAt = "2026-12-05T00:05:00Z";
    auto a = store->ingest(first);
    auto b = store->ingest(second);
    REQUIRE(a);
    REQUIRE(b);
    const std::string day = "2026-12-05";
    auto before = store->listQueue(day);
    REQUIRE(before);
    REQUIRE(before->size() == 2);
    // No summary yet (as for a check-in stored before the queue existed): the body comes along.
    CHECK((*before)[0].id == b->id);
    CHECK((*before)[0].summary.empty());
    CHECK_FALSE((*before)[0].body.empty());
    CHECK((*before)[0].status == "waiting");

    REQUIRE(store->saveQueueSummary(b->id, "{\"receipt_number\":\"0002\"}"));
    REQUIRE(store->saveQueueSummary(b->id, "{\"ignored\":true}"));
    auto changed = store->setQueueStatus(b->id, "called");
    REQUIRE(changed);
    CHECK(*changed);
    auto none = store->setQueueStatus(a->id, "called"); // no summary row yet
    REQUIRE(none);
    CHECK_FALSE(*none);

    auto after = store->listQueue(day);
    REQUIRE(after);
    CHECK((*after)[0].summary == "{\"receipt_number\":\"0002\"}");
    CHECK((*after)[0].body.empty());
    CHECK((*after)[0].status == "called");
    auto entry = store->queueEntry(b->id);
    REQUIRE(entry);
    REQUIRE(*entry);
    CHECK_FALSE((*entry)->body.empty());
    auto missing = store->queueEntry(999);
    REQUIRE(missing);
    CHECK_FALSE(*missing);
    CHECK_FALSE(store->listQueue("yesterday"));
}

TEST_CASE("EventHub: a broadcast reaches every open stream, closed ones are forgotten")
{
    desk::EventHub hub(2);
    auto one = hub.subscribe();
    auto two = hub.subscribe();
    REQUIRE(one);
    REQUIRE(two);
    CHECK(hub.subscribe() == nullptr); // full
    CHECK(one->take().bytes == "event: hello\ndata: {}\n\n");
    two->take();
    hub.broadcast("row", "{\"id\":1}");
    CHECK(one->take().bytes == "event: row\ndata: {\"id\":1}\n\n");
    CHECK(two->take().bytes == "event: row\ndata: {\"id\":1}\n\n");
    two->detach(); // the page went away
    CHECK(hub.size() == 1);
    CHECK(hub.subscribe() != nullptr);
    hub.closeAll();
    CHECK(hub.size() == 0);
    CHECK_FALSE(one->isOpen());
}

} // namespace
