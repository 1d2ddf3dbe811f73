#include "kiosk/model/json.hpp"
#include "kiosk/model/oqs_xml.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace uketsuke;
using namespace uketsuke::kiosk::model;
using nlohmann::json;

TEST_CASE("toJson: a qualification result round-trips with OQS element names")
{
    QualificationResult r;
    r.header.segmentOfResult = "1";
    r.header.qualificationConfirmationDate = "20261126";
    r.body.processingResultStatus = "1";
    r.body.qualificationValidity = "1";
    ResultOfQualificationConfirmation p;
    p.insurerNumber = "  138999"; // 国保: space-padded, must survive
    p.name = PatientName("𠮷田 髙子");
    p.insuredBranchNumber = "02";
    r.body.resultList.push_back(p);

    json j = toJson(r);
    CHECK(j["MessageBody"]["ResultList"][0]["InsurerNumber"] == "  138999");
    CHECK(j["MessageHeader"]["QualificationConfirmationDate"] == "20261126");

    auto back = qualificationFromJson(json::parse(j.dump()));
    REQUIRE(back.has_value());
    REQUIRE(back->body.resultList.size() == 1);
    CHECK(back->body.resultList[0].insurerNumber == "  138999");
    CHECK(back->body.resultList[0].name.reveal() == "𠮷田 髙子");
    CHECK(back->body.resultList[0].insuredBranchNumber == "02");
    CHECK(outcomeOf(*back) == Outcome::Valid);
}

TEST_CASE("qualificationFromJson: unknown elements are accepted")
{
    auto j = json::parse(R"({"MessageHeader":{"SegmentOfResult":"1","NewThing":"x"},
        "MessageBody":{"ProcessingResultStatus":"1","QualificationValidity":"4"}})");
    auto r = qualificationFromJson(j);
    REQUIRE(r.has_value());
    CHECK(outcomeOf(*r) == Outcome::NotFound);
}

TEST_CASE("qualificationFromJson: malformed input is a BadReply naming the key")
{
    CHECK(qualificationFromJson(json::array()).error().code == Errc::BadReply);
    CHECK(qualificationFromJson(json::parse(R"({"MessageHeader":{}})")).error().code ==
          Errc::BadReply);
    auto numeric = qualificationFromJson(json::parse(
        R"({"MessageHeader":{"SegmentOfResult":1},"MessageBody":{}})"));
    REQUIRE_FALSE(numeric.has_value());
    CHECK(numeric.error().message.find("SegmentOfResult") != std::string::npos);
    auto list = qualificationFromJson(
        json::parse(R"({"MessageHeader":{},"MessageBody":{"ResultList":{}}})"));
    CHECK(list.error().code == Errc::BadReply);
}

namespace {

// An unknown element "X" with `below` levels of elements under it. With `repeats`, every level
// also holds a leaf of the same name as its deeper child, which JSON writes as an array.
OtherElement unknownChain(int below, bool repeats)
{
    OtherElement leaf{"a", "x", {}};
    OtherElement element = leaf;
    for (int level = 0; level < below; ++level) {
        OtherElement parent{"a", {}, {std::move(element)}};
        if (repeats) {
            parent.children.push_back(leaf);
        }
        element = std::move(parent);
    }
    element.name = "X";
    return element;
}

QualificationResult resultWithUnknown(int below, bool repeats)
{
    QualificationResult r;
    r.header.segmentOfResult = "1";
    r.body.processingResultStatus = "1";
    r.header.otherElements.push_back(unknownChain(below, repeats));
    return r;
}

int depthBelow(const OtherElement& element)
{
    int deepest = 0;
    for (const auto& child : element.children) {
        deepest = std::max(deepest, 1 + depthBelow(child));
    }
    return deepest;
}

} // namespace

TEST_CASE("Unknown elements: the JSON and the XML readers keep the same depth")
{
    // Found by fuzz_result_json: JSON kept unknown members 32 levels deep, counting arrays, and
    // the XML reader 16, so a gateway's result nested 17 deep was accepted, then written as XML
    // (the export, the OQS files) that no reader took back.
    for (const bool repeats : {false, true}) {
        INFO("repeated names (JSON arrays): " << repeats);
        const auto deepest = resultWithUnknown(kMaxOtherDepth, repeats);
        auto fromJson = qualificationFromJson(json::parse(toJson(deepest).dump()));
        REQUIRE(fromJson);
        REQUIRE(fromJson->header.otherElements.size() == 1);
        CHECK(depthBelow(fromJson->header.otherElements[0]) == kMaxOtherDepth);
        auto xml = writeOqsResultXml(*fromJson, XmlEncoding::Utf8);
        REQUIRE(xml);
        auto fromXml = parseOqsResultXml(*xml);
        REQUIRE(fromXml);
        CHECK(depthBelow(fromXml->header.otherElements[0]) == kMaxOtherDepth);

        const auto tooDeep = resultWithUnknown(kMaxOtherDepth + 1, repeats);
        auto refusedJson = qualificationFromJson(json::parse(toJson(tooDeep).dump()));
        REQUIRE_FALSE(refusedJson);
        CHECK(refusedJson.error().code == Errc::BadReply);
        CHECK(refusedJson.error().message.find("nests too deep") != std::string::npos);
        auto tooDeepXml = writeOqsResultXml(tooDeep, XmlEncoding::Utf8);
        REQUIRE(tooDeepXml);
        auto refusedXml = parseOqsResultXml(*tooDeepXml);
        REQUIRE_FALSE(refusedXml);
        CHECK(refusedXml.error().message.find("nests too deep") != std::string::npos);
    }
}

namespace {

CheckIn checkInWithoutResult()
{
    CheckIn c;
    c.idempotencyKey = "k1";
    c.terminalId = "KIOSK-0001";
    c.receiptNumber = "0001";
    c.checkedAt = "2026-11-26T01:00:00Z";
    return c;
}

} // namespace

TEST_CASE("checkInFromJson: required fields are checked")
{
    CheckIn c = checkInWithoutResult();
    c.outcome = Outcome::Valid;
    auto back = checkInFromJson(toJson(c));
    REQUIRE(back.has_value());
    CHECK(back->receiptNumber == "0001");
    CHECK_FALSE(back->qualification.has_value());

    auto j = toJson(c);
    j.erase("idempotency_key");
    CHECK(checkInFromJson(j).error().code == Errc::BadReply);
    j = toJson(c);
    j["terminal_id"] = 5;
    CHECK(checkInFromJson(j).error().code == Errc::BadReply);
}

TEST_CASE("checkInFromJson: method and outcome become enums, and toJson writes the same bytes")
{
    // The wire form of protocol version 1 (docs/protocol/desk.md), as the terminal sends it.
    const std::string wire =
        R"({"checked_at":"2026-11-26T01:00:00Z","idempotency_key":"k1","method":"insurance_card",)"
        R"("outcome":"not_found","qualification":null,"receipt_number":"0001",)"
        R"("terminal_id":"KIOSK-0001"})";
    auto back = checkInFromJson(json::parse(wire));
    REQUIRE(back.has_value());
    CHECK(back->method == Method::InsuranceCard);
    CHECK(back->outcome == Outcome::NotFound);
    CHECK(toJson(*back).dump() == wire);

    for (const auto& [method, name] : wireNames<Method>()) {
        CheckIn c = *back;
        c.method = method;
        CHECK(toJson(c)["method"] == std::string(name));
        CHECK(checkInFromJson(toJson(c))->method == method);
    }
    CHECK(wireName(Method::Pin) == "pin");
    CHECK(wireName(Method::Visual) == "visual");
}

TEST_CASE("checkInFromJson: a method or outcome this program does not know is kept as it came")
{
    auto j = toJson(checkInWithoutResult());
    j["method"] = "face";
    j["outcome"] = "card_removed";
    auto back = checkInFromJson(j);
    REQUIRE(back.has_value());
    CHECK_FALSE(back->method.known().has_value());
    CHECK_FALSE(back->outcome.known().has_value());
    CHECK_FALSE(back->outcome == Outcome::Error);
    CHECK(back->method.name() == "face");
    CHECK(back->outcome.name() == "card_removed");
    CHECK(toJson(*back) == j);

    j["outcome"] = "";
    CHECK(checkInFromJson(j).error().code == Errc::BadReply);
}

TEST_CASE("checkInFromJson: an unconfirmed check-in carries its problem, absent when there is none")
{
    CheckIn c = checkInWithoutResult();
    c.outcome = Outcome::Unconfirmed;
    c.problem = Problem::ServiceUnreachable;
    auto j = toJson(c);
    CHECK(j["outcome"] == "unconfirmed");
    CHECK(j["problem"] == "service_unreachable");
    auto back = checkInFromJson(j);
    REQUIRE(back.has_value());
    CHECK(back->outcome == Outcome::Unconfirmed);
    REQUIRE(back->problem.has_value());
    CHECK(*back->problem == Problem::ServiceUnreachable);

    for (const auto& [problem, name] : wireNames<Problem>()) {
        c.problem = problem;
        CHECK(toJson(c)["problem"] == std::string(name));
        CHECK(checkInFromJson(toJson(c))->problem == WireEnum<Problem>(problem));
    }
    CHECK(wireName(Problem::PinLocked) == "pin_locked");
    CHECK(wireName(Problem::PinForgotten) == "pin_forgotten");
    CHECK(wireName(Problem::CertificateExpired) == "certificate_expired");
    CHECK(wireName(Problem::CertificateRevoked) == "certificate_revoked");
    CHECK(wireName(Problem::CardError) == "card_error");
    CHECK(wireName(Problem::ServiceError) == "service_error");

    c.problem.reset();
    CHECK_FALSE(toJson(c).contains("problem"));
    CHECK_FALSE(checkInFromJson(toJson(c))->problem.has_value());
}

TEST_CASE("checkInFromJson: a problem this program does not know is kept, a bad one refused")
{
    auto j = toJson(checkInWithoutResult());
    j["problem"] = "face_not_matched";
    auto back = checkInFromJson(j);
    REQUIRE(back.has_value());
    REQUIRE(back->problem.has_value());
    CHECK_FALSE(back->problem->known().has_value());
    CHECK(toJson(*back) == j);

    j["problem"] = 3;
    CHECK(checkInFromJson(j).error().code == Errc::BadReply);
    j["problem"] = "";
    CHECK(checkInFromJson(j).error().code == Errc::BadReply);
    j["problem"] = nullptr;
    CHECK_FALSE(checkInFromJson(j)->problem.has_value());
}

TEST_CASE("checkInFromJson: the consent answers travel as an object, absent when none were asked")
{
    CheckIn c = checkInWithoutResult();
    CHECK_FALSE(toJson(c).contains("consent"));

    c.consent = {{ConsentTopic::DiagnosisPharmacists, true}, {ConsentTopic::Operation, false}};
    auto j = toJson(c);
    CHECK(j["consent"] ==
          json::parse(R"({"diagnosis_pharmacists":"agreed","operation":"declined"})"));
    auto back = checkInFromJson(j);
    REQUIRE(back.has_value());
    CHECK(consentAnswer(back->consent, ConsentTopic::DiagnosisPharmacists) == true);
    CHECK(consentAnswer(back->consent, ConsentTopic::Operation) == false);
    CHECK_FALSE(consentAnswer(back->consent, ConsentTopic::LimitApplication).has_value());
    CHECK(toJson(*back) == j);

    // A question a newer terminal asks is kept as it came.
    j["consent"]["dental"] = "agreed";
    back = checkInFromJson(j);
    REQUIRE(back.has_value());
    CHECK(toJson(*back) == j);

    j["consent"]["operation"] = true;
    CHECK(checkInFromJson(j).error().code == Errc::BadReply);
    j["consent"] = "yes";
    CHECK(checkInFromJson(j).error().code == Errc::BadReply);
}

TEST_CASE("checkInFromJson: a visual check-in carries the staff id, absent when there is none")
{
    CheckIn c = checkInWithoutResult();
    CHECK_FALSE(toJson(c).contains("staff_id"));

    c.method = Method::Visual;
    c.staffId = "s01";
    auto j = toJson(c);
    CHECK(j["method"] == "visual");
    CHECK(j["staff_id"] == "s01");
    auto back = checkInFromJson(j);
    REQUIRE(back.has_value());
    CHECK(back->method == Method::Visual);
    CHECK(back->staffId == "s01");
    CHECK(toJson(*back) == j);

    j["staff_id"] = 7;
    CHECK(checkInFromJson(j).error().code == Errc::BadReply);
}

TEST_CASE("wireNames<ConsentTopic>: one name per question")
{
    CHECK(wireNames<ConsentTopic>().size() == kConsentTopicCount);
    CHECK(wireName(ConsentTopic::DiagnosisPharmacists) == "diagnosis_pharmacists");
    CHECK(wireName(ConsentTopic::SpecificHealthCheckups) == "specific_health_checkups");
    CHECK(wireName(ConsentTopic::Operation) == "operation");
    CHECK(wireName(ConsentTopic::LimitApplication) == "limit_application");
}
