#include "desk/queue.hpp"

#include "kiosk/model/codes.hpp"
#include "kiosk/model/derived.hpp"
#include "kiosk/model/json.hpp"

#include <array>
#include <utility>

namespace uketsuke::desk {
namespace {

using nlohmann::json;
namespace model = kiosk::model;

constexpr std::array<std::pair<QueueStatus, std::string_view>, 4> kStatusNames = {{
    {QueueStatus::Waiting, "waiting"},
    {QueueStatus::Called, "called"},
    {QueueStatus::Done, "done"},
    {QueueStatus::NoShow, "no_show"},
}};

std::string stringMember(const json& object, const char* key)
{
    if (!object.is_object()) {
        return {};
    }
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The one person of the result: ResultList with exactly one entry.
const json* onePerson(const json& checkIn)
{
    auto q = checkIn.find("qualification");
    if (q == checkIn.end() || !q->is_object()) {
        return nullptr;
    }
    auto body = q->find("MessageBody");
    if (body == q->end() || !body->is_object()) {
        return nullptr;
    }
    auto list = body->find("ResultList");
    if (list == body->end() || !list->is_array() || list->size() != 1 ||
        !(*list)[0].is_object()) {
        return nullptr;
    }
    return &(*list)[0];
}

// {"code", "label"} of an OQS code, the label when the table knows it.
json codeJson(model::CodeTable table, const std::string& code)
{
    json out{{"code", code}};
    if (auto label = model::codeLabel(table, code)) {
        out["label"] = std::string(*label);
    }
    return out;
}

void addIfSet(json& out, const char* key, const std::string& value)
{
    if (!value.empty()) {
        out[key] = value;
    }
}

json personDetail(const model::ResultOfQualificationConfirmation& p, const std::string& date)
{
    json out = json::object();
    addIfSet(out, "insurer_number", p.insurerNumber);
    addIfSet(out, "insurer_name", p.insurerName);
    addIfSet(out, "symbol", p.insuredCardSymbol);
    addIfSet(out, "number", p.insuredIdentificationNumber);
    addIfSet(out, "branch", p.insuredBranchNumber);
    out["symbol_number"] = model::symbolNumberLine(p);
    const model::CopayRatio copay = model::copayRatio(p, date);
    out["copay"] = {{"percent", copay.percent},
                    {"source", model::copaySourceName(copay.source)},
                    {"element", std::string(copay.element)}};
    addIfSet(out, "birthdate", p.birthdate);
    addIfSet(out, "qualification_date", p.qualificationDate);
    addIfSet(out, "disqualification_date", p.disqualificationDate);
    addIfSet(out, "card_valid_date", p.insuredCardValidDate);
    addIfSet(out, "card_expiration_date", p.insuredCardExpirationDate);
    if (!p.personalFamilyClassification.empty()) {
        out["family"] = codeJson(model::CodeTable::PersonalFamilyClassification,
                                 p.personalFamilyClassification);
    }
    if (!p.reasonOfLoss.empty()) {
        out["reason_of_loss"] = codeJson(model::CodeTable::ReasonOfLoss, p.reasonOfLoss);
    }
    const auto& limit = p.limitApplicationCertificateRelatedInfo;
    if (!limit.limitApplicationCertificateClassificationFlag.empty() ||
        !limit.limitApplicationCertificateClassification.empty()) {
        json l = json::object();
        if (!limit.limitApplicationCertificateClassification.empty()) {
            l["classification"] = codeJson(model::CodeTable::LimitApplicationClassification,
                                           limit.limitApplicationCertificateClassification);
        }
        if (!limit.limitApplicationCertificateClassificationFlag.empty()) {
            l["flag"] = codeJson(model::CodeTable::LimitApplicationClassificationFlag,
                                 limit.limitApplicationCertificateClassificationFlag);
        }
        addIfSet(l, "valid_start_date", limit.limitApplicationCertificateValidStartDate);
        addIfSet(l, "valid_end_date", limit.limitApplicationCertificateValidEndDate);
        out["limit"] = std::move(l);
    }
    // The consents given at the reader, each only when the result carries it.
    json consents = json::array();
    auto consent = [&consents](const char* name, model::CodeTable table, const std::string& flag) {
        if (!flag.empty()) {
            json c = codeJson(table, flag);
            c["name"] = name;
            consents.push_back(std::move(c));
        }
    };
    consent("limit", model::CodeTable::LimitApplicationConsent,
            p.limitApplicationCertificateRelatedConsFlg);
    consent("specific_diseases", model::CodeTable::SpecificDiseasesConsent,
            p.specificDiseasesCertificateRelatedConsFlg);
    consent("specific_health_checkups", model::CodeTable::ViewingConsent,
            p.specificHealthCheckupsInfo.consFlg);
    consent("pharmacists", model::CodeTable::ViewingConsent, p.pharmacistsInfo.consFlg);
    consent("diagnosis", model::CodeTable::ViewingConsent, p.diagnosisInfo.consFlg);
    consent("operation", model::CodeTable::ViewingConsent, p.operationInfo.consFlg);
    if (!consents.empty()) {
        out["consents"] = std::move(consents);
    }
    return out;
}

// What a re-check of `checkIn` would ask: the confirmed person's numbers, else what the patient
// typed (a lookup that found nobody), else nothing (a card check-in without an answer: staff
// type it from the patient's 資格確認書 or 資格情報のお知らせ). 国保 numbers without their padding.
json recheckQuery(const model::CheckIn& checkIn)
{
    auto trimmed = [](std::string text) {
        const auto first = text.find_first_not_of(' ');
        return first == std::string::npos ? std::string() : text.substr(first);
    };
    json out{{"insurer_number", ""}, {"symbol", ""}, {"number", ""}, {"branch", ""},
             {"birthdate", ""}};
    if (!checkIn.qualification) {
        return out;
    }
    if (const auto* p = model::person(*checkIn.qualification)) {
        out = {{"insurer_number", trimmed(p->insurerNumber)},
               {"symbol", p->insuredCardSymbol},
               {"number", p->insuredIdentificationNumber},
               {"branch", p->insuredBranchNumber},
               {"birthdate", p->birthdate}};
        return out;
    }
    const auto& typed = checkIn.qualification->body.qualificationConfirmSearchInfo;
    out = {{"insurer_number", trimmed(typed.insurerNumber)},
           {"symbol", typed.insuredCardSymbol},
           {"number", typed.insuredIdentificationNumber},
           {"branch", typed.insuredBranchNumber},
           {"birthdate", typed.birthdate}};
    return out;
}

} // namespace

std::string_view queueStatusName(QueueStatus status)
{
    for (const auto& [value, name] : kStatusNames) {
        if (value == status) {
            return name;
        }
    }
    return "waiting";
}

std::optional<QueueStatus> queueStatusFromName(std::string_view name)
{
    for (const auto& [value, known] : kStatusNames) {
        if (known == name) {
            return value;
        }
    }
    return std::nullopt;
}

json queueSummary(const json& checkIn)
{
    json out{{"receipt_number", stringMember(checkIn, "receipt_number")},
             {"terminal_id", stringMember(checkIn, "terminal_id")},
             {"method", stringMember(checkIn, "method")},
             {"outcome", stringMember(checkIn, "outcome")},
             {"name", ""},
             {"kana", ""}};
    const std::string problem = stringMember(checkIn, "problem");
    if (!problem.empty()) {
        out["problem"] = problem;
    }
    if (const json* person = onePerson(checkIn)) {
        out["name"] = stringMember(*person, "Name");
        out["kana"] = model::fullWidthKana(stringMember(*person, "NameKana"));
    }
    out["attention"] = out["outcome"] != "valid" || !problem.empty();
    return out;
}

std::string queueRowJson(const QueueEntry& entry, const std::string& summary)
{
    json row{{"id", entry.id},
             {"local_date", entry.localDate},
             {"local_time", entry.localTime},
             {"checked_at", entry.checkedAt},
             {"status", entry.status},
             {"status_at", entry.statusAt},
             {"duplicate_receipt", entry.duplicateReceipt},
             {"summary", nullptr}};
    if (!entry.recheckState.empty()) {
        row["recheck"] = {{"state", entry.recheckState},
                          {"outcome", entry.recheckOutcome},
                          {"error", entry.recheckError},
                          {"by", entry.recheckBy},
                          {"at", entry.recheckAt}};
    }
    std::string text = row.dump();
    // nlohmann sorts keys: "summary" is last, so its null is the end of the object.
    const std::string tail = "\"summary\":null}";
    text.replace(text.size() - tail.size(), tail.size(), "\"summary\":" + summary + "}");
    return text;
}

json recheckDetail(const RecheckRecord& record)
{
    json out{{"state", record.state},
             {"outcome", record.outcome},
             {"error", record.error},
             {"by", record.staff},
             {"requested_at", record.requestedAt},
             {"finished_at", record.finishedAt}};
    if (record.result.empty()) {
        return out;
    }
    auto result = model::qualificationFromJson(json::parse(record.result, nullptr, false));
    if (!result) {
        return out;
    }
    const std::string& date = result->header.qualificationConfirmationDate;
    if (const auto* person = model::person(*result)) {
        out["person"] = personDetail(*person, date);
    }
    addIfSet(out, "notice", model::serviceNotice(*result));
    return out;
}

std::optional<json> queueDetail(const std::string& body)
{
    json raw = json::parse(body, nullptr, false);
    if (raw.is_discarded()) {
        return std::nullopt;
    }
    auto checkIn = model::checkInFromJson(raw);
    if (!checkIn) {
        return std::nullopt;
    }
    json out = queueSummary(raw);
    out["checked_at"] = checkIn->checkedAt;
    out["recheck_query"] = recheckQuery(*checkIn);
    if (auto it = raw.find("consent"); it != raw.end() && it->is_object()) {
        out["consent_answers"] = *it; // answers the terminal asked for, as it sent them
    }
    addIfSet(out, "staff_id", checkIn->staffId); // who confirmed a visual check-in
    if (!checkIn->qualification) {
        return out;
    }
    const model::QualificationResult& result = *checkIn->qualification;
    const std::string& date = result.header.qualificationConfirmationDate;
    addIfSet(out, "confirmation_date", date);
    if (const auto* person = model::person(result)) {
        out["person"] = personDetail(*person, date);
    }
    addIfSet(out, "notice", model::serviceNotice(result));
    if (checkIn->outcome != model::Outcome::Valid) {
        addIfSet(out, "error_code", result.header.errorCode);
        addIfSet(out, "processing_result_code", result.body.processingResultCode);
        const auto& typed = result.body.qualificationConfirmSearchInfo;
        json t = json::object();
        addIfSet(t, "insurer_number", typed.insurerNumber);
        addIfSet(t, "symbol", typed.insuredCardSymbol);
        addIfSet(t, "number", typed.insuredIdentificationNumber);
        addIfSet(t, "branch", typed.insuredBranchNumber);
        addIfSet(t, "birthdate", typed.birthdate);
        if (!t.empty()) {
            out["typed"] = std::move(t);
        }
    }
    return out;
}

} // namespace uketsuke::desk
