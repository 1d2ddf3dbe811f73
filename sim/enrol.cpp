#include "sim/enrol.hpp"

#include "crypto/certificate.hpp"
#include "sim/activation.hpp"

#include <nlohmann/json.hpp>
#include <openssl/err.h>
#include <openssl/objects.h>

namespace uketsuke::sim {
namespace {

using nlohmann::json;

constexpr int kMinRsaBits = 2048;

const std::string* stringMember(const json& object, const char* name)
{
    auto it = object.find(name);
    return it != object.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

bool isP256(EVP_PKEY* key)
{
    char group[64] = {};
    std::size_t length = 0;
    const bool named = EVP_PKEY_get_group_name(key, group, sizeof group, &length) == 1;
    ERR_clear_error();
    return named && OBJ_txt2nid(group) == NID_X9_62_prime256v1;
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

Result<crypto::PkeyPtr> checkEnrolCsr(std::string_view pem)
{
    auto request = crypto::parsePemCsr(pem);
    if (!request) {
        return fail(Errc::CertificateInvalid, "csr is not a PEM certificate request");
    }
    if (!crypto::csrSignatureValid(request->get())) {
        return fail(Errc::CertificateInvalid, "csr is not signed by its own key");
    }
    crypto::PkeyPtr key(X509_REQ_get_pubkey(request->get()));
    if (!key) {
        ERR_clear_error();
        return fail(Errc::CertificateInvalid, "csr has no readable public key");
    }
    const bool rsa = EVP_PKEY_is_a(key.get(), "RSA") == 1;
    const bool ec = EVP_PKEY_is_a(key.get(), "EC") == 1;
    if (!(rsa && EVP_PKEY_get_bits(key.get()) >= kMinRsaBits) && !(ec && isP256(key.get()))) {
        return fail(Errc::CertificateInvalid,
                    "csr key must be EC P-256 or RSA of 2048 bits or more");
    }
    return key;
}

} // namespace uketsuke::sim
