#include "kiosk/model/json.hpp"

#include <utility>

namespace uketsuke::kiosk::model {
namespace {

using nlohmann::json;

// One table per struct: the OQS element name and the member. Reading and writing both walk it,
// so the two directions cannot drift apart.
template <class T>
using Field = std::pair<const char*, std::string T::*>;

const Field<MessageHeader> kHeaderFields[] = {
    {"ProcessExecutionTime", &MessageHeader::processExecutionTime},
    {"QualificationConfirmationDate", &MessageHeader::qualificationConfirmationDate},
    {"MedicalInstitutionCode", &MessageHeader::medicalInstitutionCode},
    {"ArbitraryFileIdentifier", &MessageHeader::arbitraryFileIdentifier},
    {"ReferenceClassification", &MessageHeader::referenceClassification},
    {"SegmentOfResult", &MessageHeader::segmentOfResult},
    {"ErrorCode", &MessageHeader::errorCode},
    {"ErrorMessage", &MessageHeader::errorMessage},
    {"CharacterCodeIdentifier", &MessageHeader::characterCodeIdentifier},
};

const Field<MessageBody> kBodyFields[] = {
    {"ProcessingResultStatus", &MessageBody::processingResultStatus},
    {"ProcessingResultCode", &MessageBody::processingResultCode},
    {"ProcessingResultMessage", &MessageBody::processingResultMessage},
    {"QualificationValidity", &MessageBody::qualificationValidity},
};

using Person = ResultOfQualificationConfirmation;
const Field<Person> kPersonFields[] = {
    {"InsuredCardClassification", &Person::insuredCardClassification},
    {"InsurerNumber", &Person::insurerNumber},
    {"InsurerName", &Person::insurerName},
    {"InsuredCardSymbol", &Person::insuredCardSymbol},
    {"InsuredIdentificationNumber", &Person::insuredIdentificationNumber},
    {"InsuredBranchNumber", &Person::insuredBranchNumber},
    {"PersonalFamilyClassification", &Person::personalFamilyClassification},
    {"InsuredName", &Person::insuredName},
    {"Name", &Person::name},
    {"NameKana", &Person::nameKana},
    {"Sex1", &Person::sex1},
    {"Birthdate", &Person::birthdate},
    {"QualificationDate", &Person::qualificationDate},
    {"DisqualificationDate", &Person::disqualificationDate},
    {"InsuredCardValidDate", &Person::insuredCardValidDate},
    {"InsuredCardExpirationDate", &Person::insuredCardExpirationDate},
    {"InsuredPartialContributionRatio", &Person::insuredPartialContributionRatio},
    {"PreschoolClassification", &Person::preschoolClassification},
    {"ReasonOfLoss", &Person::reasonOfLoss},
    {"ElderlyRecipientContributionRatio", &Person::elderlyRecipientContributionRatio},
    {"ElderlyRecipientValidStartDate", &Person::elderlyRecipientValidStartDate},
    {"ElderlyRecipientValidEndDate", &Person::elderlyRecipientValidEndDate},
};

template <class T, std::size_t N>
json writeFields(const T& object, const Field<T> (&fields)[N])
{
    json out = json::object();
    for (const auto& [key, member] : fields) {
        if (!(object.*member).empty()) {
            out[key] = object.*member;
        }
    }
    return out;
}

// Unknown keys are accepted (new OQS elements appear); a known key of the wrong type is not.
template <class T, std::size_t N>
Result<T> readFields(const json& in, const Field<T> (&fields)[N], const char* where)
{
    if (!in.is_object()) {
        return fail(Errc::BadReply, std::string(where) + " is not an object");
    }
    T object{};
    for (const auto& [key, member] : fields) {
        auto it = in.find(key);
        if (it == in.end() || it->is_null()) {
            continue;
        }
        if (!it->is_string()) {
            return fail(Errc::BadReply, std::string(where) + "." + key + " is not a string");
        }
        object.*member = it->template get<std::string>();
    }
    return object;
}

} // namespace

json toJson(const QualificationResult& result)
{
    json body = writeFields(result.body, kBodyFields);
    json list = json::array();
    for (const auto& person : result.body.resultList) {
        list.push_back(writeFields(person, kPersonFields));
    }
    body["ResultList"] = std::move(list);
    return json{{"MessageHeader", writeFields(result.header, kHeaderFields)},
                {"MessageBody", std::move(body)}};
}

Result<QualificationResult> qualificationFromJson(const json& in)
{
    if (!in.is_object() || !in.contains("MessageHeader") || !in.contains("MessageBody")) {
        return fail(Errc::BadReply, "result lacks MessageHeader or MessageBody");
    }
    auto header = readFields(in["MessageHeader"], kHeaderFields, "MessageHeader");
    if (!header) {
        return fail(std::move(header).error());
    }
    auto body = readFields(in["MessageBody"], kBodyFields, "MessageBody");
    if (!body) {
        return fail(std::move(body).error());
    }
    const json& bodyJson = in["MessageBody"];
    if (auto it = bodyJson.find("ResultList"); it != bodyJson.end() && !it->is_null()) {
        if (!it->is_array()) {
            return fail(Errc::BadReply, "MessageBody.ResultList is not an array");
        }
        for (const auto& item : *it) {
            auto person = readFields(item, kPersonFields, "ResultOfQualificationConfirmation");
            if (!person) {
                return fail(std::move(person).error());
            }
            body->resultList.push_back(std::move(*person));
        }
    }
    return QualificationResult{std::move(*header), std::move(*body)};
}

json toJson(const CheckIn& checkIn)
{
    json out{{"idempotency_key", checkIn.idempotencyKey}, {"terminal_id", checkIn.terminalId},
             {"receipt_number", checkIn.receiptNumber}, {"checked_at", checkIn.checkedAt},
             {"method", checkIn.method},                {"outcome", checkIn.outcome}};
    out["qualification"] = checkIn.qualification ? toJson(*checkIn.qualification) : json(nullptr);
    return out;
}

Result<CheckIn> checkInFromJson(const json& in)
{
    if (!in.is_object()) {
        return fail(Errc::BadReply, "check-in is not an object");
    }
    CheckIn out;
    const std::pair<const char*, std::string CheckIn::*> required[] = {
        {"idempotency_key", &CheckIn::idempotencyKey}, {"terminal_id", &CheckIn::terminalId},
        {"receipt_number", &CheckIn::receiptNumber},   {"checked_at", &CheckIn::checkedAt},
        {"method", &CheckIn::method},                  {"outcome", &CheckIn::outcome},
    };
    for (const auto& [key, member] : required) {
        auto it = in.find(key);
        if (it == in.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
            return fail(Errc::BadReply, std::string("check-in.") + key + " missing or not a string");
        }
        out.*member = it->get<std::string>();
    }
    if (auto it = in.find("qualification"); it != in.end() && !it->is_null()) {
        auto result = qualificationFromJson(*it);
        if (!result) {
            return fail(std::move(result).error());
        }
        out.qualification = std::move(*result);
    }
    return out;
}

} // namespace uketsuke::kiosk::model
