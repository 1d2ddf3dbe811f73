#include "sim/oqs_terminal.hpp"

#include "kiosk/model/oqs_xml.hpp"
#include "sim/cli.hpp"
#include "base/files.hpp"
#include "tests/sim/support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

namespace {

using namespace uketsuke::sim;
using namespace uketsuke::sim::testing;
namespace files = uketsuke::files;
namespace fs = std::filesystem;
namespace model = uketsuke::kiosk::model;

struct Folders {
    ScratchDir scratch;
    fs::path req = scratch.path() / "req";
    fs::path res = scratch.path() / "res";
    Folders()
    {
        fs::create_directories(req);
        fs::create_directories(res);
    }
};

std::unique_ptr<OqsTerminal> terminalFor(const Folders& folders, fs::path personas = {})
{
    OqsTerminalOptions options;
    options.requestDir = folders.req;
    options.resultDir = folders.res;
    options.personasFile = std::move(personas);
    auto terminal = OqsTerminal::create(std::move(options));
    INFO((terminal ? std::string() : terminal.error().message));
    REQUIRE(terminal);
    return std::move(*terminal);
}

std::string requestXml(const std::string& insurer, const std::string& number,
                       const std::string& birthdate,
                       model::XmlEncoding encoding = model::XmlEncoding::Utf8)
{
    model::QualificationRequest request;
    request.header.qualificationConfirmationDate = "20261126";
    request.header.medicalInstitutionCode = "1399999999";
    request.header.arbitraryFileIdentifier = "261126123456";
    request.searchInfo.insurerNumber = insurer;
    request.searchInfo.insuredIdentificationNumber = number;
    request.searchInfo.birthdate = birthdate;
    request.searchInfo.limitApplicationCertificateRelatedConsFlg = "1";
    auto xml = model::writeOqsRequestXml(request, encoding);
    REQUIRE(xml);
    return *xml;
}

model::QualificationResult parsed(const std::string& xml)
{
    auto result = model::parseOqsResultXml(xml);
    INFO((result ? std::string() : result.error().message));
    REQUIRE(result);
    return *result;
}

TEST_CASE("OqsTerminal::answer: a known person gets the persona's result, echoing the request")
{
    Folders folders;
    auto terminal = terminalFor(folders);
    auto result = parsed(terminal->answer(requestXml("06139999", "345", "19800101")));
    CHECK(model::outcomeOf(result) == model::Outcome::Valid);
    CHECK(model::person(result)->name.reveal() == "受付 太郎");
    CHECK(model::person(result)->limitApplicationCertificateRelatedConsFlg == "1");
    CHECK(result.header.arbitraryFileIdentifier == "261126123456");
    CHECK(result.header.qualificationConfirmationDate == "20261126");
    CHECK(result.header.medicalInstitutionCode == "1399999999");
    CHECK(result.header.referenceClassification == "2");
    CHECK(result.header.processExecutionTime.size() == 14);
    CHECK(result.body.qualificationConfirmSearchInfo.insurerNumber == "06139999");

    // The 国保 number typed with 6 digits, and the 後期高齢者 without 記号.
    CHECK(model::person(parsed(terminal->answer(requestXml("138999", "7001", "19920315"))))
              ->insurerNumber == "  138999");
    auto lateElderly = parsed(terminal->answer(requestXml("39131234", "00012345", "19430303")));
    CHECK(model::person(lateElderly)->insuredPartialContributionRatio == "010");
}

TEST_CASE("OqsTerminal::answer: nobody is 該当資格なし, a wrong birth date too")
{
    Folders folders;
    auto terminal = terminalFor(folders);
    for (auto [number, birthdate] : {std::pair{"999", "19800101"}, std::pair{"345", "19800102"}}) {
        auto result = parsed(terminal->answer(requestXml("06139999", number, birthdate)));
        CHECK(result.body.qualificationValidity == "4");
        CHECK(model::outcomeOf(result) == model::Outcome::NotFound);
        CHECK(result.body.resultList.empty());
    }
}

TEST_CASE("OqsTerminal::answer: two personas with the same key are 複数該当")
{
    Folders folders;
    const auto personas = folders.scratch.path() / "twins.json";
    std::string one = onePersonaJson("twin-a", "UKTEST-TWIN-A");
    std::string two = onePersonaJson("twin-b", "UKTEST-TWIN-B");
    // Same insurer and number (39999999 / no 番号 in onePersonaJson): add both to one file.
    auto a = nlohmann::json::parse(one);
    auto b = nlohmann::json::parse(two);
    for (auto* persona : {&a, &b}) {
        auto& person = (*persona)["personas"][0]["qualification"]["MessageBody"]["ResultList"][0];
        person["InsuredIdentificationNumber"] = "1";
        person["Birthdate"] = "20000101";
    }
    a["personas"].push_back(b["personas"][0]);
    REQUIRE(files::writeFile(personas, a.dump()));
    auto terminal = terminalFor(folders, personas);
    auto result = parsed(terminal->answer(requestXml("39999999", "1", "20000101")));
    CHECK(result.body.qualificationValidity == "5");
    CHECK(result.body.resultList.size() == 2);
    CHECK(model::outcomeOf(result) == model::Outcome::Ambiguous);
}

TEST_CASE("OqsTerminal::answer: Shift_JIS in, Shift_JIS out, garbage in, an error out")
{
    Folders folders;
    auto terminal = terminalFor(folders);
    const std::string answer =
        terminal->answer(requestXml("06139999", "345", "19800101", model::XmlEncoding::ShiftJis));
    CHECK(model::declaredEncoding(answer).value() == model::XmlEncoding::ShiftJis);
    auto result = model::parseOqsResultXml(answer);
    REQUIRE(result);
    CHECK(result->header.characterCodeIdentifier == "1");
    CHECK(model::person(*result)->name.reveal() == "受付 太郎");

    auto error = parsed(terminal->answer("<XmlMsg><MessageHeader>"));
    CHECK(error.header.segmentOfResult == "9");
    CHECK_FALSE(error.header.errorCode.empty());
    CHECK(model::outcomeOf(error) == model::Outcome::Error);
}

TEST_CASE("OqsTerminal::processPending: answers request files and removes them")
{
    Folders folders;
    auto terminal = terminalFor(folders);
    REQUIRE(files::writeFile(folders.req / "OQSsiquc01req_261126000001.xml",
                             requestXml("06139999", "345", "19800101")));
    REQUIRE(files::writeFile(folders.req / "OQSsiquc01req_261126000002.xml",
                             requestXml("06139999", "999", "19800101")));
    REQUIRE(files::writeFile(folders.req / "notes.txt", "not a request"));
    REQUIRE(files::writeFile(folders.req / ".OQSsiquc01req_261126000003.xml.tmp", "half written"));
    auto count = terminal->processPending();
    REQUIRE(count);
    CHECK(*count == 2);
    CHECK(terminal->answered() == 2);
    CHECK(fs::exists(folders.res / "OQSsiquc01res_261126000001.xml"));
    CHECK(fs::exists(folders.res / "OQSsiquc01res_261126000002.xml"));
    CHECK_FALSE(fs::exists(folders.req / "OQSsiquc01req_261126000001.xml"));
    CHECK(fs::exists(folders.req / "notes.txt"));
    CHECK(fs::exists(folders.req / ".OQSsiquc01req_261126000003.xml.tmp"));
    auto answer = files::readFile(folders.res / "OQSsiquc01res_261126000001.xml");
    REQUIRE(answer);
    CHECK(model::person(parsed(*answer))->name.reveal() == "受付 太郎");
}

TEST_CASE("OqsTerminal::create: folders and personas are checked")
{
    Folders folders;
    OqsTerminalOptions options;
    options.requestDir = folders.scratch.path() / "missing";
    options.resultDir = folders.res;
    CHECK(OqsTerminal::create(options).error().code == uketsuke::Errc::ConfigMissing);
    options.requestDir = folders.req;
    options.personasFile = folders.scratch.path() / "no-personas.json";
    CHECK(OqsTerminal::create(options).error().code == uketsuke::Errc::ConfigMissing);
}

TEST_CASE("runCli oqs-terminal: missing or bad folders exit 2 with one line")
{
    Folders folders;
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"oqs-terminal"},
          std::vector<std::string>{"oqs-terminal", "--req", folders.req.string()},
          std::vector<std::string>{"oqs-terminal", "--req", folders.req.string(), "--res",
                                   (folders.scratch.path() / "nope").string()}}) {
        std::ostringstream out;
        std::ostringstream err;
        CHECK(runCli(args, out, err) == kExitUsage);
        const std::string text = err.str();
        CHECK(std::count(text.begin(), text.end(), '\n') == 1);
    }
}

} // namespace
