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

} // namespace uketsuke::kiosk::model
