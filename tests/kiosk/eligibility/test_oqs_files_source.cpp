#include "kiosk/eligibility/oqs_files_source.hpp"

#include "kiosk/model/oqs_xml.hpp"
#include "base/files.hpp"
#include "sim/oqs_terminal.hpp"
#include "tests/sim/running_oqs_terminal.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace {

using namespace std::chrono_literals;
using uketsuke::Errc;
using uketsuke::kiosk::eligibility::InsuranceCardQuery;
using uketsuke::kiosk::eligibility::OqsFilesOptions;
using uketsuke::kiosk::eligibility::OqsFilesSource;
using uketsuke::kiosk::model::Outcome;
using uketsuke::kiosk::model::XmlEncoding;
namespace files = uketsuke::files;
namespace fs = std::filesystem;
namespace model = uketsuke::kiosk::model;

using Folders = uketsuke::sim::testing::OqsFolders;
using RunningTerminal = uketsuke::sim::testing::RunningOqsTerminal;

OqsFilesOptions optionsFor(const Folders& folders, XmlEncoding encoding = XmlEncoding::Utf8)
{
    OqsFilesOptions options;
    options.requestDir = folders.req;
    options.resultDir = folders.res;
    options.medicalInstitutionCode = "1399999999";
    options.encoding = encoding;
    options.timeout = 10s;
    options.rescanInterval = 10s; // answers must be noticed through inotify
    return options;
}

std::unique_ptr<OqsFilesSource> sourceFor(OqsFilesOptions options)
{
    auto source = OqsFilesSource::create(std::move(options));
    INFO((source ? std::string() : source.error().message));
    REQUIRE(source);
    return std::move(*source);
}

// valid: 06139999, 12・345（01）, born 1980-01-01.
InsuranceCardQuery validQuery()
{
    InsuranceCardQuery query;
    query.insurerNumber = "06139999";
    query.insuredCardSymbol = "12";
    query.insuredIdentificationNumber = "345";
    query.insuredBranchNumber = "01";
    query.birthdate = "19800101";
    query.serviceDate = "20261126";
    return query;
}

std::size_t filesIn(const fs::path& dir)
{
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) {
        ++count;
    }
    return count;
}

// Waits (bounded) until `dir` holds a request file; returns its name, empty on timeout.
// No Catch2 macros: it runs on helper threads too.
std::string awaitRequest(const fs::path& dir)
{
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (model::isSingleRequestFileName(entry.path().filename().string())) {
                return entry.path().filename().string();
            }
        }
        std::this_thread::sleep_for(2ms); // polling a condition with a deadline
    }
    return {};
}

// Publishes a file in `dir` under `name` the way the 連携アプリ would: complete, then renamed.
bool publish(const fs::path& dir, const std::string& name, const std::string& content)
{
    const auto temporary = dir / ("." + name + ".tmp");
    if (!files::writeFile(temporary, content)) {
        return false;
    }
    std::error_code error;
    fs::rename(temporary, dir / name, error);
    return !error;
}

TEST_CASE("OqsFilesSource::lookup: the simulated 資格確認端末 answers by 被保険者番号")
{
    Folders folders;
    RunningTerminal terminal(folders);
    auto source = sourceFor(optionsFor(folders));
    CHECK(source->capabilities().insuranceCard);
    CHECK_FALSE(source->capabilities().myNumberCard);

    auto result = source->lookup(validQuery());
    INFO((result ? std::string() : result.error().message));
    REQUIRE(result);
    CHECK(model::outcomeOf(*result) == Outcome::Valid);
    CHECK(model::person(*result)->name.reveal() == "受付 太郎");
    CHECK(result->header.referenceClassification == "2");
    CHECK(result->header.qualificationConfirmationDate == "20261126");
    CHECK(result->header.medicalInstitutionCode == "1399999999");
    CHECK(result->body.qualificationConfirmSearchInfo.insuredIdentificationNumber == "345");
    // Nothing left behind: the request was taken, the answer deleted once read.
    CHECK(filesIn(folders.req) == 0);
    CHECK(filesIn(folders.res) == 0);
    CHECK(terminal.terminal().answered() == 1);
}

TEST_CASE("OqsFilesSource::lookup: outcomes and the 6-digit 国保 number")
{
    Folders folders;
    RunningTerminal terminal(folders);
    auto source = sourceFor(optionsFor(folders));

    InsuranceCardQuery kokuho; // family-rare-kanji: 国保 "  138999", typed as 6 digits
    kokuho.insurerNumber = "138999";
    kokuho.insuredIdentificationNumber = "7001";
    kokuho.birthdate = "19920315";
    auto family = source->lookup(kokuho);
    REQUIRE(family);
    CHECK(model::outcomeOf(*family) == Outcome::Valid);
    CHECK(model::person(*family)->insurerNumber == "  138999");

    InsuranceCardQuery nobody = validQuery();
    nobody.insuredIdentificationNumber = "999";
    auto notFound = source->lookup(nobody);
    REQUIRE(notFound);
    CHECK(model::outcomeOf(*notFound) == Outcome::NotFound);

    InsuranceCardQuery lost;
    lost.insurerNumber = "01130012";
    lost.insuredCardSymbol = "5101";
    lost.insuredIdentificationNumber = "88";
    lost.birthdate = "19751120";
    auto lostResult = source->lookup(lost);
    REQUIRE(lostResult);
    CHECK(model::outcomeOf(*lostResult) == Outcome::Lost);

    InsuranceCardQuery twice; // the ambiguous persona, by its first record
    twice.insurerNumber = "06139999";
    twice.insuredIdentificationNumber = "777";
    twice.birthdate = "19700707";
    auto ambiguous = source->lookup(twice);
    REQUIRE(ambiguous);
    CHECK(model::outcomeOf(*ambiguous) == Outcome::Ambiguous);
    CHECK(ambiguous->body.resultList.size() == 2);
}

TEST_CASE("OqsFilesSource::lookup: Shift_JIS requests and answers")
{
    Folders folders;
    RunningTerminal terminal(folders);
    auto source = sourceFor(optionsFor(folders, XmlEncoding::ShiftJis));
    InsuranceCardQuery kokuho;
    kokuho.insurerNumber = "  138999";
    kokuho.insuredCardSymbol = "ウケ"; // kana in the request survive Shift_JIS
    kokuho.insuredIdentificationNumber = "7001";
    kokuho.birthdate = "19920315";
    auto result = source->lookup(kokuho);
    INFO((result ? std::string() : result.error().message));
    REQUIRE(result);
    CHECK(result->header.characterCodeIdentifier == "1");
    // 髙 is in code page 932; 𠮷 is not and comes back as 〓, as from a real terminal.
    CHECK(model::person(*result)->name.reveal() == "〓田 髙子");
}

TEST_CASE("OqsFilesSource::lookup: no answer in time is a Timeout, the request is withdrawn")
{
    Folders folders;
    OqsFilesOptions options = optionsFor(folders);
    options.timeout = 200ms;
    auto source = sourceFor(options);
    const auto started = std::chrono::steady_clock::now();
    auto result = source->lookup(validQuery());
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::Timeout);
    CHECK(filesIn(folders.req) == 0);
}

TEST_CASE("OqsFilesSource::lookup: a stale answer is never adopted")
{
    Folders folders;
    // An answer for the id the source would use first, there before the request: the source
    // must pick another id and leave the stale file alone.
    const std::string staleName = "OQSsiquc01res_261126000001.xml";
    model::QualificationResult stale;
    stale.header.segmentOfResult = "1";
    stale.header.arbitraryFileIdentifier = "261126000001";
    stale.body.processingResultStatus = "1";
    stale.body.qualificationValidity = "1";
    stale.body.resultList.emplace_back().name = uketsuke::PatientName("古い 結果");
    auto staleXml = model::writeOqsResultXml(stale, XmlEncoding::Utf8);
    REQUIRE(staleXml);
    REQUIRE(files::writeFile(folders.res / staleName, *staleXml));

    RunningTerminal terminal(folders);
    OqsFilesOptions options = optionsFor(folders);
    std::atomic<int> next{1};
    options.newId = [&next] { return "26112600000" + std::to_string(next++); };
    auto source = sourceFor(options);
    auto result = source->lookup(validQuery());
    REQUIRE(result);
    CHECK(result->header.arbitraryFileIdentifier == "261126000002");
    CHECK(model::person(*result)->name.reveal() == "受付 太郎");
    CHECK(fs::exists(folders.res / staleName));
}

TEST_CASE("OqsFilesSource::lookup: an answer for another request is refused")
{
    Folders folders;
    OqsFilesOptions options = optionsFor(folders);
    auto source = sourceFor(options);
    // A "terminal" that answers with someone else's ArbitraryFileIdentifier.
    auto impostor = std::async(std::launch::async, [&folders] {
        const std::string request = awaitRequest(folders.req);
        model::QualificationResult other;
        other.header.segmentOfResult = "1";
        other.header.arbitraryFileIdentifier = "SOMEONE-ELSE";
        other.body.processingResultStatus = "1";
        other.body.qualificationValidity = "1";
        other.body.resultList.emplace_back();
        auto xml = model::writeOqsResultXml(other, XmlEncoding::Utf8);
        return !request.empty() && xml &&
               publish(folders.res, *model::resultFileNameFor(request), *xml);
    });
    auto result = source->lookup(validQuery());
    CHECK(impostor.get());
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::BadReply);
    CHECK(result.error().message.find("ArbitraryFileIdentifier") != std::string::npos);
    CHECK(filesIn(folders.req) == 0); // withdrawn
}

TEST_CASE("OqsFilesSource::lookup: a \"not found\" without the echo still carries what was typed")
{
    Folders folders;
    auto source = sourceFor(optionsFor(folders));
    // A 資格確認端末 that answers 該当資格なし and does not echo the search key (it may omit it).
    auto terminal = std::async(std::launch::async, [&folders] {
        const std::string request = awaitRequest(folders.req);
        auto bytes = files::readFile(folders.req / request);
        if (request.empty() || !bytes) {
            return false;
        }
        auto asked = model::parseOqsRequestXml(*bytes);
        if (!asked) {
            return false;
        }
        model::QualificationResult answer;
        answer.header.segmentOfResult = "1";
        answer.header.arbitraryFileIdentifier = asked->header.arbitraryFileIdentifier;
        answer.body.processingResultStatus = "1";
        answer.body.qualificationValidity = "4";
        auto xml = model::writeOqsResultXml(answer, XmlEncoding::Utf8);
        return xml && publish(folders.res, *model::resultFileNameFor(request), *xml);
    });
    auto result = source->lookup(validQuery());
    CHECK(terminal.get());
    REQUIRE(result);
    CHECK(model::outcomeOf(*result) == Outcome::NotFound);
    // The check-in the desk receives says what the patient typed, for staff to look at.
    const auto& typed = result->body.qualificationConfirmSearchInfo;
    CHECK(typed.insurerNumber == "06139999");
    CHECK(typed.insuredCardSymbol == "12");
    CHECK(typed.insuredIdentificationNumber == "345");
    CHECK(typed.insuredBranchNumber == "01");
    CHECK(typed.birthdate == "19800101");
}

TEST_CASE("OqsFilesSource::lookup: an answer that never becomes valid XML is BadReply")
{
    Folders folders;
    OqsFilesOptions options = optionsFor(folders);
    options.timeout = 1s;
    auto source = sourceFor(options);
    auto broken = std::async(std::launch::async, [&folders] {
        const std::string request = awaitRequest(folders.req);
        return !request.empty() &&
               publish(folders.res, *model::resultFileNameFor(request),
                       "<?xml version=\"1.0\"?><XmlMsg><MessageHeader>");
    });
    auto result = source->lookup(validQuery());
    CHECK(broken.get());
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::BadReply);
}

TEST_CASE("OqsFilesSource::lookup: an answer in the other encoding is refused")
{
    Folders folders;
    OqsFilesOptions options = optionsFor(folders); // UTF-8 configured
    options.timeout = 1s;
    auto source = sourceFor(options);
    auto sjis = std::async(std::launch::async, [&folders] {
        const std::string request = awaitRequest(folders.req);
        if (request.empty()) {
            return false;
        }
        auto bytes = files::readFile(folders.req / request);
        auto parsed = bytes ? model::parseOqsRequestXml(*bytes)
                            : decltype(model::parseOqsRequestXml("")){
                                  uketsuke::fail(Errc::StorageError)};
        if (!parsed) {
            return false;
        }
        model::QualificationResult answer;
        answer.header.segmentOfResult = "1";
        answer.header.arbitraryFileIdentifier = parsed->header.arbitraryFileIdentifier;
        answer.body.processingResultStatus = "1";
        answer.body.qualificationValidity = "4";
        auto xml = model::writeOqsResultXml(answer, XmlEncoding::ShiftJis);
        return xml && publish(folders.res, *model::resultFileNameFor(request), *xml);
    });
    auto result = source->lookup(validQuery());
    CHECK(sjis.get());
    // Not adopted; the source waits for a usable answer until its timeout, then says why.
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::BadReply);
    CHECK(result.error().message.find("configured UTF-8") != std::string::npos);
}

TEST_CASE("OqsFilesSource::cancel: a waiting lookup returns Cancelled at once")
{
    Folders folders;
    OqsFilesOptions options = optionsFor(folders);
    options.timeout = 60s;
    auto source = sourceFor(options);
    auto waiting = std::async(std::launch::async, [&] { return source->lookup(validQuery()); });
    CHECK_FALSE(awaitRequest(folders.req).empty());
    const auto started = std::chrono::steady_clock::now();
    source->cancel();
    auto result = waiting.get();
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::Cancelled);
    CHECK(filesIn(folders.req) == 0);
}

TEST_CASE("OqsFilesSource::lookup: malformed queries are refused before anything is written")
{
    Folders folders;
    auto source = sourceFor(optionsFor(folders));
    auto refused = [&](auto change) {
        InsuranceCardQuery query = validQuery();
        change(query);
        auto result = source->lookup(query);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == Errc::InvalidArgument);
        return result.error().message;
    };
    CHECK(refused([](auto& q) { q.insurerNumber = "1234"; }).find("insurer_number") == 0);
    CHECK(refused([](auto& q) { q.insuredIdentificationNumber.clear(); })
              .find("insured_identification_number") == 0);
    CHECK(refused([](auto& q) { q.insuredBranchNumber = "1"; }).find("insured_branch_number") ==
          0);
    CHECK(refused([](auto& q) { q.birthdate = "1980-01-01"; }).find("birthdate") == 0);
    CHECK(refused([](auto& q) { q.serviceDate = "today"; }).find("service_date") == 0);
    CHECK(refused([](auto& q) { q.insuredCardSymbol = "a\nb"; }).find("insured_card_symbol") ==
          0);
    CHECK(filesIn(folders.req) == 0);

    CHECK(source->challenge().error().code == Errc::NotSupported);
}

TEST_CASE("OqsFilesSource::create: missing folders and codes are configuration errors")
{
    Folders folders;
    OqsFilesOptions options = optionsFor(folders);
    options.requestDir = folders.scratch.path() / "nope";
    CHECK(OqsFilesSource::create(options).error().code == Errc::ConfigMissing);
    options = optionsFor(folders);
    options.resultDir = folders.scratch.path() / "file";
    REQUIRE(files::writeFile(options.resultDir, "x"));
    CHECK(OqsFilesSource::create(options).error().code == Errc::ConfigInvalid);
    options = optionsFor(folders);
    options.medicalInstitutionCode.clear();
    CHECK(OqsFilesSource::create(options).error().code == Errc::ConfigInvalid);
}

} // namespace
