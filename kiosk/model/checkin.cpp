#include "kiosk/model/checkin.hpp"

#include <iterator>

namespace uketsuke::kiosk::model {

template <>
std::span<const WireName<Method>> wireNames<Method>()
{
    static constexpr WireName<Method> kNames[] = {
        {Method::Pin, "pin"},
        {Method::Visual, "visual"},
        {Method::InsuranceCard, "insurance_card"},
    };
    return kNames;
}

template <>
std::span<const WireName<Problem>> wireNames<Problem>()
{
    static constexpr WireName<Problem> kNames[] = {
        {Problem::PinLocked, "pin_locked"},
        {Problem::PinForgotten, "pin_forgotten"},
        {Problem::CertificateExpired, "certificate_expired"},
        {Problem::CertificateRevoked, "certificate_revoked"},
        {Problem::CardError, "card_error"},
        {Problem::ServiceUnreachable, "service_unreachable"},
        {Problem::ServiceError, "service_error"},
    };
    return kNames;
}

template <>
std::span<const WireName<ConsentTopic>> wireNames<ConsentTopic>()
{
    static constexpr WireName<ConsentTopic> kNames[] = {
        {ConsentTopic::DiagnosisPharmacists, "diagnosis_pharmacists"},
        {ConsentTopic::SpecificHealthCheckups, "specific_health_checkups"},
        {ConsentTopic::Operation, "operation"},
        {ConsentTopic::LimitApplication, "limit_application"},
    };
    static_assert(std::size(kNames) == kConsentTopicCount);
    return kNames;
}

std::optional<bool> consentAnswer(const std::vector<ConsentAnswer>& answers, ConsentTopic topic)
{
    for (const auto& answer : answers) {
        if (answer.topic == topic) {
            return answer.agreed;
        }
    }
    return std::nullopt;
}

} // namespace uketsuke::kiosk::model
