// The desk's re-check of a patient's eligibility (desk/recheck.hpp): the query from the page,
// the store's rechecks table, the detail's prefill, and the worker against the simulated
// 資格確認端末 on real folders.

#include "desk/queue.hpp"
#include "desk/recheck.hpp"

#include "kiosk/model/json.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/sample_checkin.hpp"
#include "tests/sim/running_oqs_terminal.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;
using nlohmann::json;

std::unique_ptr<desk::DeskStore> openStore(const tests::TempDir& dir)
{
    auto store = desk::DeskStore::open((dir.path() / "desk.sqlite3").string());
    REQUIRE(store);
    return std::move(*store);
}

// The persona "valid" of assets/personas/personas.json as staff would type it.
json validQuery(std::int64_t id = 1)
{
    return {{"id", id},          {"insurer_number", "06139999"}, {"symbol", "12"},
            {"number", "345"},   {"branch", "01"},               {"birthdate", "19800101"}};
}

desk::RecheckSettings settingsFor(const sim::testing::OqsFolders& folders)
{
    desk::RecheckSettings settings;
    settings.reqDir = folders.req.string();
    settings.resDir = folders.res.string();
    settings.clinicCode = "1312345678";
    return settings;
}

// A worker whose finished re-checks arrive on a future, one at a time.
struct Finished {
    std::mutex mutex;
    std::promise<std::int64_t> next;

    std::function<void(std::int64_t)> callback()
    {
        return [this](std::int64_t id) {
            std::lock_guard lock(mutex);
            next.set_value(id);
        };
    }
    std::int64_t wait()
    {
        auto future = [this] {
            std::lock_guard lock(mutex);
            return next.get_future();
        }();
        REQUIRE(future.wait_for(20s) == std::future_status::ready);
        const auto id = future.get();
        std::lock_guard lock(mutex);
        next = {};
        return id;
    }
};

} // namespace

TEST_CASE("recheckQueryFromJson: every member a string, the fields checked, errors name them")
{
    auto query = desk::recheckQueryFromJson(validQuery());
    REQUIRE(query);
    CHECK(query->insurerNumber == "06139999");
    CHECK(query->insuredCardSymbol == "12");
    CHECK(query->insuredIdentificationNumber == "345");
    CHECK(query->insuredBranchNumber == "01");
    CHECK(query->birthdate == "19800101");

    json noBranch = validQuery();
    noBranch["branch"] = "";
    noBranch["symbol"] = "";
    CHECK(desk::recheckQueryFromJson(noBranch));

    auto refused = [](const char* member, json value) {
        json body = validQuery();
        body[member] = std::move(value);
        auto parsed = desk::recheckQueryFromJson(body);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::InvalidArgument);
        return parsed.error().message;
    };
    CHECK(refused("number", 345).rfind("number:", 0) == 0);
    CHECK(refused("insurer_number", "0613999").rfind("insurer_number:", 0) == 0);
    CHECK(refused("number", "").rfind("insured_identification_number:", 0) == 0);
    CHECK(refused("branch", "1").rfind("insured_branch_number:", 0) == 0);
    CHECK(refused("birthdate", "1980-01-01").rfind("birthdate:", 0) == 0);
    CHECK(refused("symbol", std::string("1\x01")).rfind("insured_card_symbol:", 0) == 0);
    // A message names the field, never what was typed.
    CHECK(refused("insurer_number", "98765").find("98765") == std::string::npos);
    json missing = validQuery();
    missing.erase("birthdate");
    CHECK_FALSE(desk::recheckQueryFromJson(missing));
    CHECK_FALSE(desk::recheckQueryFromJson(json::array()));
}

TEST_CASE("DeskStore rechecks: one pending at a time, finished, listed with the row, abandoned")
{
    tests::TempDir dir;
    auto store = openStore(dir);
    auto stored = store->ingest(tests::sampleCheckIn("k1", "0001"));
    REQUIRE(stored);
    const auto id = stored->id;

    auto none = store->recheck(id);
    REQUIRE(none);
    CHECK_FALSE(*none);
    auto missing = store->beginRecheck(999, "reception");
    REQUIRE(missing);
    CHECK_FALSE(*missing);

    auto begun = store->beginRecheck(id, "reception");
    REQUIRE(begun);
    CHECK(*begun);
    auto again = store->beginRecheck(id, "other");
    REQUIRE(again);
    CHECK_FALSE(*again); // one at a time
    auto pending = store->recheck(id);
    REQUIRE(pending);
    REQUIRE(*pending);
    CHECK((*pending)->state == "pending");
    CHECK((*pending)->staff == "reception");
    CHECK((*pending)->finishedAt.empty());

    desk::RecheckRecord done;
    done.state = "done";
    done.outcome = "valid";
    done.result = "{}";
    REQUIRE(store->finishRecheck(id, done));
    auto queue = store->listQueue(desk::localDateToday(store->zone()));
    REQUIRE(queue);
    REQUIRE(queue->size() == 1);
    CHECK((*queue)[0].recheckState == "done");
    CHECK((*queue)[0].recheckOutcome == "valid");
    CHECK((*queue)[0].recheckBy == "reception");
    CHECK_FALSE((*queue)[0].recheckAt.empty());

    // A finished one is replaced by the next; a desk that stopped mid-way marks it interrupted.
    auto next = store->beginRecheck(id, "other");
    REQUIRE(next);
    CHECK(*next);
    auto abandoned = store->abandonRechecks();
    REQUIRE(abandoned);
    CHECK(*abandoned == 1);
    auto after = store->recheck(id);
    REQUIRE(after);
    REQUIRE(*after);
    CHECK((*after)->state == "failed");
    CHECK((*after)->error == "interrupted");
    CHECK((*after)->staff == "other");
    CHECK((*after)->outcome.empty());
    CHECK((*after)->result.empty());
}

TEST_CASE("queueDetail: the re-check query is the person's, else what was typed, else empty")
{
    auto confirmed = tests::sampleCheckIn("k1");
    auto& person = confirmed.qualification->body.resultList[0];
    person.insurerNumber = "  138999"; // 国保: six digits, padded as OQS sends them
    person.insuredCardSymbol = "ウケ";
    person.insuredIdentificationNumber = "7001";
    person.insuredBranchNumber = "02";
    auto detail = desk::queueDetail(kiosk::model::toJson(confirmed).dump());
    REQUIRE(detail);
    CHECK((*detail)["recheck_query"] == json{{"insurer_number", "138999"},
                                             {"symbol", "ウケ"},
                                             {"number", "7001"},
                                             {"branch", "02"},
                                             {"birthdate", "19800101"}});

    auto typed = tests::sampleCheckIn("k2");
    typed.outcome = kiosk::model::Outcome::NotFound;
    typed.qualification->body.qualificationValidity = "4";
    typed.qualification->body.resultList.clear();
    auto& search = typed.qualification->body.qualificationConfirmSearchInfo;
    search.insurerNumber = "06139999";
    search.insuredCardSymbol = "12";
    search.insuredIdentificationNumber = "354"; // a typo
    search.birthdate = "19800101";
    detail = desk::queueDetail(kiosk::model::toJson(typed).dump());
    REQUIRE(detail);
    CHECK((*detail)["recheck_query"]["number"] == "354");
    CHECK((*detail)["recheck_query"]["branch"] == "");

    auto unanswered = tests::sampleCheckIn("k3");
    unanswered.outcome = kiosk::model::Outcome::Unconfirmed;
    unanswered.qualification.reset();
    detail = desk::queueDetail(kiosk::model::toJson(unanswered).dump());
    REQUIRE(detail);
    CHECK((*detail)["recheck_query"]["insurer_number"] == "");
    CHECK((*detail)["recheck_query"]["number"] == "");
}

TEST_CASE("RecheckWorker: the simulated 資格確認端末 answers, the store keeps the result")
{
    tests::TempDir dir;
    auto store = openStore(dir);
    auto unanswered = tests::sampleCheckIn("k1", "0001");
    unanswered.outcome = kiosk::model::Outcome::Unconfirmed;
    unanswered.qualification.reset();
    auto stored = store->ingest(unanswered);
    REQUIRE(stored);
    const auto id = stored->id;

    sim::testing::OqsFolders folders;
    sim::testing::RunningOqsTerminal oqs(folders);
    auto worker = desk::RecheckWorker::create(settingsFor(folders), *store);
    REQUIRE(worker);
    Finished finished;
    (*worker)->onFinished(finished.callback());
    (*worker)->start();

    // The persona "valid": 有効, with the answer's person.
    REQUIRE(*store->beginRecheck(id, "reception"));
    auto query = desk::recheckQueryFromJson(validQuery(id));
    REQUIRE(query);
    REQUIRE((*worker)->submit(id, *query));
    CHECK(finished.wait() == id);
    auto record = store->recheck(id);
    REQUIRE(record);
    REQUIRE(*record);
    CHECK((*record)->state == "done");
    CHECK((*record)->outcome == "valid");
    auto shown = desk::recheckDetail(**record);
    CHECK(shown["by"] == "reception");
    REQUIRE(shown.contains("person"));
    CHECK(shown["person"]["insurer_number"] == "06139999");
    CHECK(shown["person"]["symbol_number"].get<std::string>().find("345") != std::string::npos);

    // Numbers nobody has: 該当資格なし, kept as such.
    REQUIRE(*store->beginRecheck(id, "reception"));
    json wrong = validQuery(id);
    wrong["number"] = "999999";
    query = desk::recheckQueryFromJson(wrong);
    REQUIRE(query);
    REQUIRE((*worker)->submit(id, *query));
    CHECK(finished.wait() == id);
    record = store->recheck(id);
    REQUIRE(record);
    CHECK((*record)->state == "done");
    CHECK((*record)->outcome == "not_found");
    CHECK_FALSE(desk::recheckDetail(**record).contains("person"));
    CHECK(oqs.terminal().answered() == 2);
}

TEST_CASE("RecheckWorker: no answer in time is a failed re-check, and stop() cancels the wait")
{
    tests::TempDir dir;
    auto store = openStore(dir);
    auto stored = store->ingest(tests::sampleCheckIn("k1", "0001"));
    REQUIRE(stored);
    const auto id = stored->id;
    sim::testing::OqsFolders folders; // nobody answers in these
    auto settings = settingsFor(folders);
    settings.timeout = 1s;
    auto worker = desk::RecheckWorker::create(settings, *store);
    REQUIRE(worker);
    Finished finished;
    (*worker)->onFinished(finished.callback());
    (*worker)->start();
    REQUIRE(*store->beginRecheck(id, "reception"));
    REQUIRE((*worker)->submit(id, *desk::recheckQueryFromJson(validQuery(id))));
    CHECK(finished.wait() == id);
    auto record = store->recheck(id);
    REQUIRE(record);
    CHECK((*record)->state == "failed");
    CHECK((*record)->error == "timeout");
    // The withdrawn request is not left for the 資格確認端末 to answer later.
    CHECK(std::filesystem::is_empty(folders.req));

    (*worker)->stop();
    CHECK_FALSE((*worker)->submit(id, *desk::recheckQueryFromJson(validQuery(id))));
}

TEST_CASE("RecheckWorker::create: missing folders are a start-up error naming the key")
{
    tests::TempDir dir;
    auto store = openStore(dir);
    desk::RecheckSettings settings;
    settings.reqDir = (dir.path() / "no-such-req").string();
    settings.resDir = (dir.path() / "no-such-res").string();
    settings.clinicCode = "1312345678";
    auto worker = desk::RecheckWorker::create(settings, *store);
    REQUIRE_FALSE(worker);
    CHECK(worker.error().code == Errc::ConfigMissing);
    CHECK(worker.error().message.find("oqs.req_dir") != std::string::npos);
}
