#include "sim/enrol.hpp"

#include "sim/activation.hpp"

#include <nlohmann/json.hpp>

namespace uketsuke::sim {
namespace {

using nlohmann::json;

const std::string* stringMember(const json& object, const char* name)
{
    auto it = object.find(name);
    return it != object.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

} // namespace

Result<EnrolRequest> parseEnrolRequest(std::string_view body)
{
    const json request = json::parse(body, nullptr, false);
    if (request.is_discarded() || !request.is_object()) {
        return fail(Errc::InvalidArgument, "body must be a JSON object");
    }
    const std::string* clinicCode = stringMember(request, "clinic_code");
    const std::string* activationCode = stringMember(request, "activation_code");
    const std::string* csr = stringMember(request, "csr");
    if (clinicCode == nullptr || !isClinicCode(*clinicCode)) {
        return fail(Errc::InvalidArgument, "clinic_code must be a string of 10 digits");
    }
    if (activationCode == nullptr || !isActivationCode(*activationCode)) {
        return fail(Errc::InvalidArgument, "activation_code must be a string of 12 digits");
    }
    if (csr == nullptr) {
        return fail(Errc::InvalidArgument, "csr must be a string (a PEM certificate request)");
    }
    return EnrolRequest{*clinicCode, *activationCode, *csr};
}

} // namespace uketsuke::sim
