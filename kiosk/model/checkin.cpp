#include "kiosk/model/checkin.hpp"

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

} // namespace uketsuke::kiosk::model
