#include "kiosk/model/oqs_xml.hpp"

#include "kiosk/model/derived.hpp"
#include "kiosk/model/json.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace uketsuke;
using namespace uketsuke::kiosk::model;

namespace {

std::string fixture(const std::string& name)
{
    std::ifstream in(std::string(UKETSUKE_SOURCE_DIR) + "/tests/kiosk/model/fixtures/" + name,
                     std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const char* kMinimal = R"(<?xml version="1.0" encoding="UTF-8"?>
<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult></MessageHeader>
<MessageBody><ProcessingResultStatus>1</ProcessingResultStatus>
<QualificationValidity>1</QualificationValidity>
<ResultList><ResultOfQualificationConfirmation><InsurerNumber>06139999</InsurerNumber>
</ResultOfQualificationConfirmation></ResultList></MessageBody></XmlMsg>)";

Error errorOf(std::string_view xml, const OqsXmlReadOptions& options = {})
{
    auto result = parseOqsResultXml(xml, options);
    REQUIRE_FALSE(result.has_value());
    return result.error();
}

QualificationResult fullResult()
{
    QualificationResult r;
    r.header.processExecutionTime = "20261126101500";
    r.header.qualificationConfirmationDate = "20261126";
    r.header.medicalInstitutionCode = "1399999999";
    r.header.arbitraryFileIdentifier = "UKT-000001";
    r.header.referenceClassification = "2";
    r.header.segmentOfResult = "1";
    r.body.processingResultStatus = "1";
    r.body.qualificationValidity = "1";
    r.body.qualificationConfirmSearchInfo.insurerNumber = "  138999";
    r.body.qualificationConfirmSearchInfo.insuredIdentificationNumber = "7001";
    ResultOfQualificationConfirmation p;
    p.insuredCardClassification = "01";
    p.insurerNumber = "  138999";
    p.insuredCardSymbol = "ウケ";
    p.insuredIdentificationNumber = "7001";
    p.insuredBranchNumber = "02";
    p.personalFamilyClassification = "2";
    p.insuredName = PatientName("𠮷田 一郎");
    p.name = PatientName("𠮷田 髙子 & <渡邉>");
    p.nameKana = PatientName("ﾖｼﾀﾞ ﾀｶｺ");
    p.sex1 = "2";
    p.birthdate = "19541001";
    p.elderlyRecipientCertificateDate = "20240901";
    p.elderlyRecipientValidStartDate = "20241101";
    p.elderlyRecipientValidEndDate = "20291031";
    p.elderlyRecipientContributionRatio = "020";
    p.limitApplicationCertificateRelatedConsFlg = "1";
    p.limitApplicationCertificateRelatedConsTime = "20261126101500";
    p.limitApplicationCertificateRelatedInfo.limitApplicationCertificateClassification = "01";
    p.limitApplicationCertificateRelatedInfo.limitApplicationCertificateClassificationFlag = "B04";
    p.specificDiseasesCertificateRelatedConsFlg = "1";
    SpecificDiseasesCertificateInfo disease;
    disease.specificDiseasesDiseaseCategory = "1";
    disease.specificDiseasesSelfPay = "10000";
    p.specificDiseasesCertificateList = {disease, disease};
    p.specificDiseasesCertificateList[1].specificDiseasesDiseaseCategory = "2";
    MedicalTicketInfo ticket;
    ticket.ticketType = "1";
    ticket.selfPayAmount = "0";
    p.publicExpenseResultList = {ticket};
    p.pharmacistsInfo = {"1", "20261126101500", "20261127101500"};
    p.diagnosisInfo.consFlg = "0";
    p.referenceNumber = "P-0042";
    p.otherElements = {OtherElement{"FutureThing", "x", {}},
                       OtherElement{"FutureGroup", {}, {OtherElement{"Inner", "y", {}}}}};
    r.body.resultList.push_back(p);
    return r;
}

} // namespace

TEST_CASE("parseOqsResultXml: the reconstructed face sample parses")
{
    auto result = parseOqsResultXml(fixture("face_sample.xml"));
    INFO((result ? std::string() : result.error().message));
    REQUIRE(result.has_value());
    CHECK(outcomeOf(*result) == Outcome::Valid);
    CHECK(result->header.arbitraryFileIdentifier == "QkFTRTY0LUZBS0U=");
    CHECK(result->header.characterCodeIdentifier == "0");
    const auto* who = person(*result);
    REQUIRE(who != nullptr);
    CHECK(who->insurerNumber == "06139999");
    CHECK(who->name.reveal() == "施術　花子");
    CHECK(who->nameKana.reveal() == "ｾｼﾞｭﾂ ﾊﾅｺ");
    CHECK(who->insurerName == "○○健康保険組合");
    CHECK(who->postNumber == "100-0013");
    CHECK(who->limitApplicationCertificateRelatedConsTime == "20260105091530");
    CHECK(who->specificHealthCheckupsInfo.consFlg == "1");
    CHECK(who->pharmacistsInfo.availableTime == "20260106091530");
    CHECK(who->diagnosisInfo.consFlg == "0");
    CHECK(who->otherElements.empty());
    CHECK(symbolNumberLine(*who) == "12・345（01）");
    CHECK(fullWidthKana(who->nameKana.reveal()) == "セジュツ ハナコ");
}

TEST_CASE("parseOqsResultXml: Shift_JIS (code page 932) with CharacterCodeIdentifier 1")
{
    auto result = parseOqsResultXml(fixture("face_sample_sjis.xml"));
    INFO((result ? std::string() : result.error().message));
    REQUIRE(result.has_value());
    const auto* who = person(*result);
    REQUIRE(who != nullptr);
    CHECK(who->name.reveal() == "髙﨑　花子");
    CHECK(who->nameKana.reveal() == "ﾀｶｻｷ ﾊﾅｺ");
    CHECK(who->insurerNumber == "  138999"); // leading spaces survive
    CHECK(parseOqsResultXml(fixture("face_sample_sjis.xml"),
                            OqsXmlReadOptions{XmlEncoding::ShiftJis, kMaxOqsXmlBytes}));
}

TEST_CASE("parseOqsResultXml: an encoding other than the configured one is refused")
{
    auto error = errorOf(fixture("face_sample_sjis.xml"),
                         OqsXmlReadOptions{XmlEncoding::Utf8, kMaxOqsXmlBytes});
    CHECK(error.code == Errc::BadReply);
    CHECK(error.message.find("configured UTF-8") != std::string::npos);
}

TEST_CASE("parseOqsResultXml: declaration and CharacterCodeIdentifier must agree")
{
    std::string sample = fixture("face_sample.xml");
    std::string lying = sample;
    lying.replace(lying.find("<CharacterCodeIdentifier>0"), 26, "<CharacterCodeIdentifier>1");
    CHECK(errorOf(lying).message.find("CharacterCodeIdentifier says Shift_JIS") !=
          std::string::npos);

    // Shift_JIS bytes declared as UTF-8 are not UTF-8.
    auto sjis = utf8ToShiftJis(sample);
    REQUIRE(sjis);
    CHECK(errorOf(*sjis).message.find("not well-formed") != std::string::npos);

    std::string latin = sample;
    latin.replace(latin.find("UTF-8"), 5, "ISO-8859-1");
    CHECK(errorOf(latin).message.find("unsupported encoding") != std::string::npos);
    CHECK(errorOf("\xFF\xFE<\0X\0").message.find("UTF-16") != std::string::npos);
}

TEST_CASE("parseOqsResultXml: elements are found by name, in any order")
{
    const char* shuffled = R"(<XmlMsg><MessageBody>
      <ResultList><ResultOfQualificationConfirmation>
        <Birthdate>19800101</Birthdate><InsurerNumber>  138999</InsurerNumber>
        <ElderlyRecipientCertificateInfo>
          <ElderlyRecipientContributionRatio>020</ElderlyRecipientContributionRatio>
        </ElderlyRecipientCertificateInfo>
      </ResultOfQualificationConfirmation></ResultList>
      <QualificationValidity>1</QualificationValidity>
      <ProcessingResultStatus>1</ProcessingResultStatus></MessageBody>
      <MessageHeader><SegmentOfResult>1</SegmentOfResult></MessageHeader></XmlMsg>)";
    auto result = parseOqsResultXml(shuffled);
    REQUIRE(result);
    CHECK(outcomeOf(*result) == Outcome::Valid);
    CHECK(person(*result)->insurerNumber == "  138999");
    CHECK(person(*result)->elderlyRecipientContributionRatio == "020");
}

TEST_CASE("parseOqsResultXml: two results are Ambiguous, never the first one")
{
    std::string two = kMinimal;
    const std::string record =
        "<ResultOfQualificationConfirmation><InsurerNumber>01130012</InsurerNumber>"
        "</ResultOfQualificationConfirmation>";
    two.insert(two.find("</ResultList>"), record);
    auto result = parseOqsResultXml(two);
    REQUIRE(result);
    CHECK(result->body.resultList.size() == 2);
    CHECK(outcomeOf(*result) == Outcome::Ambiguous);
    CHECK(person(*result) == nullptr);
}

TEST_CASE("parseOqsResultXml: a known element twice is refused")
{
    std::string twice = kMinimal;
    twice.insert(twice.find("</ResultOfQualificationConfirmation>"),
                 "<InsurerNumber>01130012</InsurerNumber>");
    CHECK(errorOf(twice).message.find("duplicate element InsurerNumber") != std::string::npos);

    std::string headers = kMinimal;
    headers.insert(headers.find("<MessageBody>"), "<MessageHeader></MessageHeader>");
    CHECK(errorOf(headers).message.find("duplicate element MessageHeader") != std::string::npos);

    std::string nested = kMinimal;
    nested.replace(nested.find("06139999"), 8, "<X>1</X>");
    CHECK(errorOf(nested).message.find("InsurerNumber holds elements") != std::string::npos);
}

TEST_CASE("parseOqsResultXml: unknown elements are kept, with their children")
{
    std::string extra = kMinimal;
    extra.insert(extra.find("</ResultOfQualificationConfirmation>"),
                 "<QualificationConfirmationKey>k</QualificationConfirmationKey>"
                 "<NewGroup><A>1</A><A>2</A></NewGroup>");
    extra.insert(extra.find("</MessageHeader>"), "<NewHeaderThing>h</NewHeaderThing>");
    auto result = parseOqsResultXml(extra);
    REQUIRE(result);
    const auto* who = person(*result);
    CHECK(who->qualificationConfirmationKey == "k");
    REQUIRE(who->otherElements.size() == 1);
    CHECK(who->otherElements[0].name == "NewGroup");
    REQUIRE(who->otherElements[0].children.size() == 2);
    CHECK(who->otherElements[0].children[1].text == "2");
    REQUIRE(result->header.otherElements.size() == 1);
    CHECK(result->header.otherElements[0].text == "h");

    // They survive writing XML and JSON.
    auto written = writeOqsResultXml(*result, XmlEncoding::Utf8);
    REQUIRE(written);
    CHECK(written->find("<NewGroup>") != std::string::npos);
    auto json = toJson(*result);
    CHECK(json["MessageBody"]["ResultList"][0]["NewGroup"]["A"] ==
          nlohmann::json::array({"1", "2"}));
    auto back = qualificationFromJson(json);
    REQUIRE(back);
    REQUIRE(person(*back)->otherElements.size() == 1);
    CHECK(person(*back)->otherElements[0].children.size() == 2);
}

TEST_CASE("parseOqsResultXml: billion laughs and external entities are refused unexpanded")
{
    const char* laughs = R"(<?xml version="1.0"?>
<!DOCTYPE XmlMsg [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<XmlMsg><MessageHeader><ErrorMessage>&d;</ErrorMessage></MessageHeader></XmlMsg>)";
    CHECK(errorOf(laughs).message.find("DOCTYPE") != std::string::npos);

    const char* external = R"(<?xml version="1.0"?>
<!DOCTYPE XmlMsg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<XmlMsg><MessageHeader><ErrorMessage>&x;</ErrorMessage></MessageHeader></XmlMsg>)";
    CHECK(errorOf(external).message.find("DOCTYPE") != std::string::npos);

    const char* publicDtd = R"(<?xml version="1.0"?>
<!DOCTYPE XmlMsg SYSTEM "http://192.0.2.1/oqs.dtd"><XmlMsg/>)";
    CHECK(errorOf(publicDtd).code == Errc::BadReply);

    // An undeclared entity is not well-formed: nothing is fetched or substituted.
    CHECK(errorOf("<XmlMsg><MessageHeader><ErrorMessage>&x;</ErrorMessage></MessageHeader>"
                  "<MessageBody/></XmlMsg>")
              .message.find("not well-formed") != std::string::npos);
}

TEST_CASE("parseOqsResultXml: huge, empty, truncated and foreign documents are refused")
{
    std::string huge = kMinimal;
    huge.insert(huge.find("</InsurerNumber>"), std::string(kMaxOqsXmlBytes, '9'));
    CHECK(errorOf(huge).message.find("over the limit") != std::string::npos);
    CHECK(errorOf(kMinimal, OqsXmlReadOptions{std::nullopt, 100}).code == Errc::BadReply);

    CHECK(errorOf("").code == Errc::BadReply);
    std::string truncated = kMinimal;
    truncated.resize(truncated.size() / 2);
    CHECK(errorOf(truncated).message.find("not well-formed") != std::string::npos);
    CHECK(errorOf("<Other/>").message.find("root element") != std::string::npos);
    CHECK(errorOf("<XmlMsg><MessageHeader/></XmlMsg>").message.find("lacks") !=
          std::string::npos);
    CHECK(errorOf("{\"MessageHeader\": {}}").code == Errc::BadReply);
}

TEST_CASE("writeOqsResultXml: a full result round-trips through UTF-8 and Shift_JIS")
{
    const QualificationResult original = fullResult();
    for (auto encoding : {XmlEncoding::Utf8, XmlEncoding::ShiftJis}) {
        INFO(encodingName(encoding));
        std::size_t substituted = 99;
        auto xml = writeOqsResultXml(original, encoding, &substituted);
        REQUIRE(xml);
        CHECK(xml->find(std::string("encoding=\"") + encodingName(encoding) + "\"") !=
              std::string::npos);
        auto back = parseOqsResultXml(*xml, OqsXmlReadOptions{encoding, kMaxOqsXmlBytes});
        INFO((back ? std::string() : back.error().message));
        REQUIRE(back);
        CHECK(back->header.characterCodeIdentifier == characterCode(encoding));
        // Everything else equal: compare through the JSON form, which names every field.
        auto expected = toJson(original);
        expected["MessageHeader"]["CharacterCodeIdentifier"] = characterCode(encoding);
        auto actual = toJson(*back);
        if (encoding == XmlEncoding::ShiftJis) {
            // 𠮷 is not in code page 932: it becomes 〓, once in each name.
            CHECK(substituted == 2);
            CHECK(actual["MessageBody"]["ResultList"][0]["Name"] == "〓田 髙子 & <渡邉>");
            actual["MessageBody"]["ResultList"][0].erase("Name");
            actual["MessageBody"]["ResultList"][0].erase("InsuredName");
            expected["MessageBody"]["ResultList"][0].erase("Name");
            expected["MessageBody"]["ResultList"][0].erase("InsuredName");
        } else {
            CHECK(substituted == 0);
        }
        CHECK(actual == expected);
    }
}

TEST_CASE("writeOqsResultXml: elements come out in OQS order, empty ones left out")
{
    auto xml = writeOqsResultXml(fullResult(), XmlEncoding::Utf8);
    REQUIRE(xml);
    CHECK(xml->rfind("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<XmlMsg>", 0) ==
          0);
    CHECK(xml->find("<InsurerNumber>  138999</InsurerNumber>") != std::string::npos);
    CHECK(xml->find("&amp; &lt;渡邉&gt;") != std::string::npos);
    CHECK(xml->find("<InsuredCardSymbol>") < xml->find("<Name>"));
    CHECK(xml->find("<MessageHeader>") < xml->find("<MessageBody>"));
    CHECK(xml->find("<ErrorCode>") == std::string::npos);
    CHECK(xml->find("<ElderlyRecipientCertificateInfo>") != std::string::npos);
    CHECK(xml->find("<SpecificDiseasesCertificateList>") != std::string::npos);
    // Characters XML 1.0 cannot hold are dropped rather than making the file unreadable.
    QualificationResult control;
    control.header.errorMessage = std::string("a\x01") + "b";
    auto cleaned = writeOqsResultXml(control, XmlEncoding::Utf8);
    REQUIRE(cleaned);
    CHECK(cleaned->find("<ErrorMessage>ab</ErrorMessage>") != std::string::npos);
}

TEST_CASE("parseOqsRequestXml: a request sample and a written request")
{
    auto sample = parseOqsRequestXml(fixture("request_sample.xml"));
    INFO((sample ? std::string() : sample.error().message));
    REQUIRE(sample);
    CHECK(sample->header.arbitraryFileIdentifier == "KIOSK-0001");
    CHECK(sample->header.medicalInstitutionCode == "1399999999");
    CHECK(sample->searchInfo.insurerNumber == "06139999");
    CHECK(sample->searchInfo.insuredBranchNumber == "01");
    CHECK(sample->searchInfo.limitApplicationCertificateRelatedConsFlg == "1");

    QualificationRequest request = *sample;
    request.searchInfo.insurerNumber = "  138999";
    request.searchInfo.insuredCardSymbol = "ウケ";
    for (auto encoding : {XmlEncoding::Utf8, XmlEncoding::ShiftJis}) {
        auto xml = writeOqsRequestXml(request, encoding);
        REQUIRE(xml);
        auto back = parseOqsRequestXml(*xml);
        REQUIRE(back);
        CHECK(back->searchInfo.insurerNumber == "  138999");
        CHECK(back->searchInfo.insuredCardSymbol == "ウケ");
        CHECK(back->header.qualificationConfirmationDate == "20260105");
        CHECK(declaredEncoding(*xml).value() == encoding);
    }
    CHECK_FALSE(parseOqsRequestXml(kMinimal).has_value()); // a result is not a request
}

// Found by fuzz_oqs_xml (tests/fuzz/corpus/fuzz_oqs_xml/request-empty-header): a request whose
// MessageHeader holds no field was read, but written without its MessageHeader (empty groups
// were left out), which the reader then refused.
TEST_CASE("parseOqsRequestXml: what it reads, written again, reads again")
{
    const std::string input =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<XmlMsg>\n"
        "  <MessageHeader>\n   tifier>\n  </MessageHeader>\n  <MessageBody>\n"
        "    <QualificationConfirmSearchInfo>\n"
        "      <InsurerNumber>0\n\n\n\n\n\n\n\n\n\n6139999</InsurerNumber>\n"
        "      <InsuredCardSymbol>12</InsuredCardSymbol>\n"
        "      <InsuredIdentificationNumber>345</InsuredIdentificationNumber>\n"
        "  nCertificateRelatedConsFlg>\n    </QualificationConfirmSearchInfo>\n"
        "  </MessageBody>\n</XmlMsg>\n";
    auto request = parseOqsRequestXml(input);
    INFO((request ? std::string() : request.error().message));
    REQUIRE(request);
    auto xml = writeOqsRequestXml(*request, XmlEncoding::Utf8);
    REQUIRE(xml);
    auto back = parseOqsRequestXml(*xml);
    INFO(*xml);
    INFO((back ? std::string() : back.error().message));
    REQUIRE(back);
    CHECK(back->searchInfo.insurerNumber == request->searchInfo.insurerNumber);
    CHECK(xml->find("<MessageHeader/>") != std::string::npos);
}

TEST_CASE("utf8ToShiftJis: code page 932 characters survive, others become 〓")
{
    std::size_t substituted = 0;
    auto sjis = utf8ToShiftJis("髙﨑邉①～𠮷", &substituted);
    REQUIRE(sjis);
    CHECK(substituted == 1);
    auto back = shiftJisToUtf8(*sjis);
    REQUIRE(back);
    CHECK(*back == "髙﨑邉①～〓");
    CHECK(shiftJisToUtf8("\x81").error().code == Errc::BadReply); // a lead byte alone
}

TEST_CASE("resultFileNameFor: req names map to res names")
{
    CHECK(singleRequestFileName("261126123456") == "OQSsiquc01req_261126123456.xml");
    CHECK(resultFileNameFor("OQSsiquc01req_261126123456.xml") ==
          std::string("OQSsiquc01res_261126123456.xml"));
    CHECK(resultFileNameFor("OQSmuquc02req_202609290001.xml") ==
          std::string("OQSmuquc02res_202609290001.xml"));
    CHECK_FALSE(resultFileNameFor("OQSsiquc01res_x.xml").has_value());
    CHECK_FALSE(resultFileNameFor("notes.txt").has_value());
    CHECK(isSingleRequestFileName("OQSsiquc01req_261126123456.xml"));
    CHECK_FALSE(isSingleRequestFileName(".OQSsiquc01req_261126123456.xml.tmp"));
    CHECK_FALSE(isSingleRequestFileName("OQSsiquc01req_../x.xml"));
}
