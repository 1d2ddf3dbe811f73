#include "desk/export.hpp"

#include "base/files.hpp"
#include "kiosk/model/json.hpp"
#include "kiosk/model/oqs_xml.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/running_desk.hpp"
#include "tests/desk/sample_checkin.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

using namespace uketsuke;
using kiosk::model::XmlEncoding;

std::unique_ptr<desk::DeskStore> openStore(const std::filesystem::path& dir)
{
    auto store = desk::DeskStore::open((dir / "desk.sqlite3").string());
    REQUIRE(store);
    return std::move(*store);
}

// Three check-ins of 2026-12-05 in Tokyo: one valid with a full person, one with a name
// Shift_JIS cannot hold, one that failed before eligibility (no result).
void storeDay(desk::DeskStore& store)
{
    auto full = tests::sampleCheckIn("k-1", "0001", "試験 花子");
    full.checkedAt = "2026-12-04T16:30:05Z"; // 01:30:05 in Tokyo
    auto& person = full.qualification->body.resultList.at(0);
    person.insuredCardSymbol = "12";
    person.insuredIdentificationNumber = "345";
    person.insuredBranchNumber = "01";
    person.insuredPartialContributionRatio = "010";
    full.qualification->header.qualificationConfirmationDate = "20261205";
    REQUIRE(store.ingest(full));

    auto rare = tests::sampleCheckIn("k-2", "0002", "𠮷田, \"太郎\"");
    rare.checkedAt = "2026-12-05T00:10:00Z";
    REQUIRE(store.ingest(rare));

    auto none = tests::sampleCheckIn("k-3", "0003");
    none.checkedAt = "2026-12-05T00:20:00Z";
    none.outcome = kiosk::model::Outcome::Error;
    none.qualification.reset();
    REQUIRE(store.ingest(none));
}

std::vector<std::filesystem::path> filesIn(const std::filesystem::path& dir)
{
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> csvLines(const std::string& text)
{
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto end = text.find("\r\n", at);
        REQUIRE(end != std::string::npos); // every line ends in CRLF
        lines.push_back(text.substr(at, end - at));
        at = end + 2;
    }
    return lines;
}

TEST_CASE("Exporter::exportDay: each result is a face file the result reader reads back")
{
    tests::TempDir dir;
    auto store = openStore(dir.path());
    storeDay(*store);
    const auto encoding = GENERATE(XmlEncoding::Utf8, XmlEncoding::ShiftJis);
    desk::Exporter exporter({dir.path() / "export", encoding}, store->zone());

    auto count = exporter.exportDay(*store, "2026-12-05");
    REQUIRE(count);
    CHECK(*count == 3);

    const auto files = filesIn(dir.path() / "export");
    REQUIRE(files.size() == 3); // two face files and the CSV, no temporaries
    CHECK(files[0].filename() == "OQSsiquc01res_face_1_20261205013005.xml");
    CHECK(files[1].filename() == "OQSsiquc01res_face_2_20261205091000.xml");
    CHECK(files[2].filename() == "checkins-2026-12-05.csv");

    auto rows = store->listByLocalDate("2026-12-05");
    REQUIRE(rows);
    for (const auto& row : *rows) {
        if (!row.checkIn.qualification) {
            continue;
        }
        const auto path = dir.path() / "export" / desk::faceFileName(row, store->zone());
        INFO(path.string());
        CHECK(tests::modeOf(path) == 0640);
        auto bytes = files::readFile(path);
        REQUIRE(bytes);
        auto parsed = kiosk::model::parseOqsResultXml(*bytes, {encoding});
        REQUIRE(parsed);
        auto expected = *row.checkIn.qualification;
        expected.header.characterCodeIdentifier = kiosk::model::characterCode(encoding);
        if (encoding == XmlEncoding::ShiftJis && row.checkIn.idempotencyKey == "k-2") {
            // 𠮷 is not in Shift_JIS: the writer puts the conventional 〓 in its place.
            expected.body.resultList.at(0).name = PatientName("〓田, \"太郎\"");
        }
        CHECK(kiosk::model::toJson(*parsed) == kiosk::model::toJson(expected));
    }
}

TEST_CASE("dayCsv: a BOM, the header, one CRLF line per check-in, quoted where needed")
{
    tests::TempDir dir;
    auto store = openStore(dir.path());
    storeDay(*store);
    desk::Exporter exporter({dir.path() / "export", XmlEncoding::Utf8}, store->zone());
    REQUIRE(exporter.exportDay(*store, "2026-12-05"));

    auto text = files::readFile(dir.path() / "export" / "checkins-2026-12-05.csv");
    REQUIRE(text);
    REQUIRE(text->rfind("\xEF\xBB\xBF", 0) == 0);
    const auto lines = csvLines(text->substr(3));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "id,receipt_number,local_date,local_time,terminal_id,method,outcome,"
                      "problem,name,name_kana,insurer_number,symbol,number,branch,"
                      "burden_ratio,birth_date,duplicate_receipt,received_at");
    // In the order patients came; the received_at column ends each line.
    CHECK(lines[1].rfind("1,0001,2026-12-05,01:30,KIOSK-0001,pin,valid,,試験 花子,ｼｹﾝ ﾊﾅｺ,"
                         "06130012,12,345,01,10,19800101,0,",
                         0) == 0);
    CHECK(lines[2].rfind("2,0002,2026-12-05,09:10,KIOSK-0001,pin,valid,,\"𠮷田, \"\"太郎\"\"\",",
                         0) == 0);
    CHECK(lines[3].rfind("3,0003,2026-12-05,09:20,KIOSK-0001,pin,error,,,,,,,,,,0,", 0) == 0);
}

TEST_CASE("dayCsv: a field a spreadsheet would run as a formula starts with an apostrophe")
{
    desk::StoredCheckIn row;
    row.checkIn = tests::sampleCheckIn("k", "=1+2", "@SUM(A1)");
    const auto lines = csvLines(desk::dayCsv({row}).substr(3));
    REQUIRE(lines.size() == 2);
    CHECK(lines[1].find(",'=1+2,") != std::string::npos);
    CHECK(lines[1].find(",'@SUM(A1),") != std::string::npos);
}

TEST_CASE("Exporter::exportCheckIn: a folder it cannot write is an error, the row stays")
{
    tests::TempDir dir;
    auto store = openStore(dir.path());
    storeDay(*store);
    // A file where the folder should be.
    std::ofstream(dir.path() / "blocked") << "not a folder";
    desk::Exporter blocked({dir.path() / "blocked" / "export", XmlEncoding::Utf8},
                           store->zone());
    auto row = store->get(1);
    REQUIRE(row);
    REQUIRE(*row);
    auto failed = blocked.exportCheckIn(*store, **row);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == Errc::StorageError);
    CHECK(*store->count() == 3);

    // The command's path, once the folder is fixed, writes the day.
    desk::Exporter fixed({dir.path() / "export", XmlEncoding::Utf8}, store->zone());
    REQUIRE(fixed.exportDay(*store, "2026-12-05"));
    CHECK(std::filesystem::exists(dir.path() / "export" / "OQSsiquc01res_face_1_20261205013005.xml"));
}

TEST_CASE("Exporter::purgeOlderThan: old export files go, other files stay")
{
    tests::TempDir dir;
    const auto folder = dir.path() / "export";
    std::filesystem::create_directories(folder);
    const auto old = std::filesystem::file_time_type::clock::now() - std::chrono::days(40);
    for (const char* name : {"OQSsiquc01res_face_1_20261001100000.xml", "checkins-2026-10-01.csv",
                             "notes.txt", "OQSsiquc01res_face_2_20261104100000.xml"}) {
        std::ofstream(folder / name) << "x";
    }
    for (const char* name :
         {"OQSsiquc01res_face_1_20261001100000.xml", "checkins-2026-10-01.csv", "notes.txt"}) {
        std::filesystem::last_write_time(folder / name, old);
    }
    desk::Exporter exporter({folder, kiosk::model::XmlEncoding::Utf8}, time::Zone::tokyo());
    auto removed = exporter.purgeOlderThan(30);
    REQUIRE(removed);
    CHECK(*removed == 2);
    CHECK(std::filesystem::exists(folder / "notes.txt"));
    CHECK(std::filesystem::exists(folder / "OQSsiquc01res_face_2_20261104100000.xml"));
    CHECK_FALSE(std::filesystem::exists(folder / "checkins-2026-10-01.csv"));
}

TEST_CASE("Exporter::exportDay: off without a folder, a bad date refused")
{
    tests::TempDir dir;
    auto store = openStore(dir.path());
    desk::Exporter off({}, store->zone());
    CHECK_FALSE(off.enabled());
    CHECK_FALSE(off.exportDay(*store, "2026-12-05"));
    desk::Exporter on({dir.path() / "export", XmlEncoding::Utf8}, store->zone());
    auto bad = on.exportDay(*store, "05-12-2026");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::InvalidArgument);
    // An empty day still has its CSV, with the header only.
    auto empty = on.exportDay(*store, "2026-12-01");
    REQUIRE(empty);
    CHECK(*empty == 0);
    auto text = files::readFile(dir.path() / "export" / "checkins-2026-12-01.csv");
    REQUIRE(text);
    CHECK(csvLines(text->substr(3)).size() == 1);
}

} // namespace

namespace {

TEST_CASE("DeskServer: a stored check-in is exported at ingest: its face file and the CSV")
{
    tests::TempDir scratch;
    const auto folder = scratch.path() / "export";
    tests::RunningDesk desk([&folder](desk::ServerSettings& s) { s.exporting.dir = folder; });
    auto checkIn = tests::sampleCheckIn("x-1", "0001");
    checkIn.checkedAt = "2026-12-04T16:30:05Z";
    auto res = desk.client()->post("/api/v1/checkins", kiosk::model::toJson(checkIn).dump(),
                                   "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 201);
    CHECK(std::filesystem::exists(folder / "OQSsiquc01res_face_1_20261205013005.xml"));
    auto csv = files::readFile(folder / "checkins-2026-12-05.csv");
    REQUIRE(csv);
    CHECK(csvLines(csv->substr(3)).size() == 2);
}

TEST_CASE("DeskServer: when the export folder cannot be written the check-in is still stored")
{
    tests::TempDir scratch;
    std::ofstream(scratch.path() / "blocked") << "a file, not a folder";
    const auto folder = scratch.path() / "blocked" / "export";
    tests::RunningDesk desk([&folder](desk::ServerSettings& s) { s.exporting.dir = folder; });
    auto res = desk.client()->post("/api/v1/checkins",
                                   kiosk::model::toJson(tests::sampleCheckIn("y-1")).dump(),
                                   "application/json");
    REQUIRE(res);
    CHECK(res->status == 201);
    CHECK(desk.count() == 1);
    CHECK_FALSE(std::filesystem::exists(folder));
}

} // namespace
