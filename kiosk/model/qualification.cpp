#include "kiosk/model/qualification.hpp"

#include <algorithm>
#include <cctype>

namespace uketsuke::kiosk::model {

Outcome outcomeOf(const QualificationResult& result)
{
    const auto& segment = result.header.segmentOfResult;
    if (segment == "2") {
        return Outcome::Pending;
    }
    if (segment != "1" || result.body.processingResultStatus != "1") {
        return Outcome::Error;
    }
    if (result.body.resultList.size() > 1) {
        return Outcome::Ambiguous;
    }
    const auto& validity = result.body.qualificationValidity;
    if (validity == "1") {
        return result.body.resultList.size() == 1 ? Outcome::Valid : Outcome::Error;
    }
    if (validity == "2" || validity == "3") {
        return Outcome::Lost;
    }
    if (validity == "4") {
        return Outcome::NotFound;
    }
    if (validity == "5") {
        return Outcome::Ambiguous;
    }
    return Outcome::Error;
}

template <>
std::span<const WireName<Outcome>> wireNames<Outcome>()
{
    static constexpr WireName<Outcome> kNames[] = {
        {Outcome::Valid, "valid"},         {Outcome::Pending, "pending"},
        {Outcome::Lost, "lost"},           {Outcome::NotFound, "not_found"},
        {Outcome::Ambiguous, "ambiguous"}, {Outcome::Error, "error"},
        {Outcome::Unconfirmed, "unconfirmed"},
    };
    return kNames;
}

const ResultOfQualificationConfirmation* person(const QualificationResult& result)
{
    return result.body.resultList.size() == 1 ? &result.body.resultList.front() : nullptr;
}

std::string serviceNotice(const QualificationResult& result)
{
    if (outcomeOf(result) != Outcome::Valid) {
        return {};
    }
    const std::string& code = result.body.processingResultCode;
    const std::string& message = result.body.processingResultMessage;
    if (code.empty() || message.empty()) {
        return code + message;
    }
    return code + " " + message;
}

std::string patientNoticeKey(const QualificationResult& result, const StringTable& strings)
{
    if (serviceNotice(result).empty()) {
        return {};
    }
    const std::string& code = result.body.processingResultCode;
    bool plain = !code.empty() && std::all_of(code.begin(), code.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
    });
    std::string key = "notice." + code;
    return plain && strings.has(key) ? key : "notice.other";
}

bool confirmsDate(const QualificationResult& result, const std::string& date)
{
    return !date.empty() && result.header.qualificationConfirmationDate == date;
}

} // namespace uketsuke::kiosk::model
