#include "crypto/certificate.hpp"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <ctime>
#include <utility>
#include <vector>

namespace uketsuke::crypto {
namespace {

using namespace std::chrono;

std::string oneLine(const X509_NAME* name)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    // RFC 2253 order and escaping, but UTF-8 left as is (not \XX escapes).
    if (!bio || name == nullptr ||
        X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
        ERR_clear_error();
        return {};
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return size > 0 && data != nullptr ? std::string(data, static_cast<std::size_t>(size))
                                       : std::string();
}

Result<sys_seconds> toSysSeconds(const ASN1_TIME* time)
{
    std::tm tm{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
        ERR_clear_error();
        return fail(Errc::CertificateInvalid, "unreadable validity date");
    }
    const year_month_day date{year{tm.tm_year + 1900}, month{static_cast<unsigned>(tm.tm_mon + 1)},
                              day{static_cast<unsigned>(tm.tm_mday)}};
    if (!date.ok()) {
        return fail(Errc::CertificateInvalid, "invalid validity date");
    }
    return sys_days{date} + hours{tm.tm_hour} + minutes{tm.tm_min} + seconds{tm.tm_sec};
}

} // namespace

std::string subjectCommonName(const X509* certificate)
{
    return certificate != nullptr ? commonName(X509_get_subject_name(certificate)) : std::string();
}

std::string subjectOneLine(const X509* certificate)
{
    return certificate != nullptr ? oneLine(X509_get_subject_name(certificate)) : std::string();
}

std::string issuerOneLine(const X509* certificate)
{
    return certificate != nullptr ? oneLine(X509_get_issuer_name(certificate)) : std::string();
}

Result<sys_seconds> notBefore(const X509* certificate)
{
    return toSysSeconds(certificate != nullptr ? X509_get0_notBefore(certificate) : nullptr);
}

Result<sys_seconds> notAfter(const X509* certificate)
{
    return toSysSeconds(certificate != nullptr ? X509_get0_notAfter(certificate) : nullptr);
}

bool isTlsClientCertificate(X509* certificate)
{
    if (certificate == nullptr || X509_check_purpose(certificate, X509_PURPOSE_SSL_CLIENT, 0) != 1) {
        return false;
    }
    const std::uint32_t usage = X509_get_key_usage(certificate); // UINT32_MAX: no extension
    return (usage & KU_DIGITAL_SIGNATURE) != 0;
}

Result<X509StorePtr> makeTrustStore(std::span<const X509Ptr> trusted)
{
    X509StorePtr store(X509_STORE_new());
    if (!store) {
        return fail(Errc::Internal, "X509_STORE_new: " + opensslError());
    }
    for (const X509Ptr& certificate : trusted) {
        // X509_STORE_add_cert takes its own reference.
        if (X509_STORE_add_cert(store.get(), certificate.get()) != 1) {
            return fail(Errc::Internal, "X509_STORE_add_cert: " + opensslError());
        }
    }
    return store;
}

Result<void> verifyCertificate(X509* certificate, X509_STORE* store,
                               std::optional<system_clock::time_point> at)
{
    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store, certificate, nullptr) != 1) {
        return fail(Errc::Internal, "verification set-up: " + opensslError());
    }
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    if (at) {
        X509_VERIFY_PARAM_set_time(param, system_clock::to_time_t(*at));
    } else {
        X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
    }
    if (X509_verify_cert(ctx.get()) != 1) {
        ERR_clear_error();
        const int error = X509_STORE_CTX_get_error(ctx.get());
        return fail(Errc::CertificateInvalid, X509_verify_cert_error_string(error), error);
    }
    return ok();
}

Result<X509Ptr> issueCertificate(const IssueSpec& spec)
{
    if (spec.commonName.empty() || spec.subjectKey == nullptr || spec.issuerKey == nullptr) {
        return fail(Errc::InvalidArgument, "a certificate needs a CN, a key and a signer");
    }
    X509Ptr certificate(X509_new());
    X509NamePtr name(X509_NAME_new());
    auto serial = randomBytes(8);
    BignumPtr number(serial ? BN_bin2bn(serial->data(), static_cast<int>(serial->size()), nullptr)
                            : nullptr);
    if (!certificate || !name || !number ||
        X509_set_version(certificate.get(), X509_VERSION_3) != 1 ||
        BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(certificate.get())) == nullptr) {
        return fail(Errc::Internal, "X509_new: " + opensslError());
    }
    if ((!spec.organisation.empty() &&
         X509_NAME_add_entry_by_txt(
             name.get(), "O", MBSTRING_UTF8,
             reinterpret_cast<const unsigned char*>(spec.organisation.data()),
             static_cast<int>(spec.organisation.size()), -1, 0) != 1) ||
        X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(spec.commonName.data()),
                                   static_cast<int>(spec.commonName.size()), -1, 0) != 1 ||
        X509_set_subject_name(certificate.get(), name.get()) != 1 ||
        X509_set_issuer_name(certificate.get(), spec.issuer != nullptr
                                                    ? X509_get_subject_name(spec.issuer)
                                                    : name.get()) != 1 ||
        ASN1_TIME_set(X509_getm_notBefore(certificate.get()),
                      system_clock::to_time_t(spec.notBefore)) == nullptr ||
        ASN1_TIME_set(X509_getm_notAfter(certificate.get()),
                      system_clock::to_time_t(spec.notAfter)) == nullptr ||
        X509_set_pubkey(certificate.get(), spec.subjectKey) != 1) {
        return fail(Errc::Internal, "certificate fields: " + opensslError());
    }
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, spec.issuer != nullptr ? spec.issuer : certificate.get(),
                   certificate.get(), nullptr, nullptr, 0);
    std::vector<std::pair<const char*, std::string>> extensions = {
        {"subjectKeyIdentifier", "hash"},
    };
    if (spec.issuer != nullptr) {
        extensions.emplace_back("authorityKeyIdentifier", "keyid:always");
    }
    if (spec.isCa) {
        extensions.emplace_back("basicConstraints", "critical,CA:TRUE");
        extensions.emplace_back("keyUsage", "critical,keyCertSign,cRLSign");
    } else {
        extensions.emplace_back("basicConstraints", "critical,CA:FALSE");
        extensions.emplace_back("keyUsage", spec.keyUsage);
        if (!spec.extendedKeyUsage.empty()) {
            extensions.emplace_back("extendedKeyUsage", spec.extendedKeyUsage);
        }
        if (!spec.subjectAltName.empty()) {
            extensions.emplace_back("subjectAltName", spec.subjectAltName);
        }
    }
    for (const auto& [field, value] : extensions) {
        X509ExtensionPtr extension(X509V3_EXT_nconf(nullptr, &context, field, value.c_str()));
        if (!extension || X509_add_ext(certificate.get(), extension.get(), -1) != 1) {
            return fail(Errc::Internal, std::string(field) + ": " + opensslError());
        }
    }
    if (X509_sign(certificate.get(), spec.issuerKey, EVP_sha256()) <= 0) {
        return fail(Errc::Internal, "X509_sign: " + opensslError());
    }
    return certificate;
}

Result<X509ReqPtr> createCsr(EVP_PKEY* key, std::string_view commonName,
                             std::string_view organisation)
{
    if (commonName.empty()) {
        return fail(Errc::InvalidArgument, "a certificate request needs a CN");
    }
    X509ReqPtr request(X509_REQ_new());
    X509NamePtr name(X509_NAME_new());
    if (!request || !name || X509_REQ_set_version(request.get(), X509_REQ_VERSION_1) != 1) {
        return fail(Errc::Internal, "X509_REQ_new: " + opensslError());
    }
    const auto add = [&](const char* field, std::string_view value) {
        return X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                          reinterpret_cast<const unsigned char*>(value.data()),
                                          static_cast<int>(value.size()), -1, 0) == 1;
    };
    if ((!organisation.empty() && !add("O", organisation)) || !add("CN", commonName)) {
        return fail(Errc::Internal, "request subject: " + opensslError());
    }
    if (X509_REQ_set_subject_name(request.get(), name.get()) != 1 ||
        X509_REQ_set_pubkey(request.get(), key) != 1) {
        return fail(Errc::Internal, "request fields: " + opensslError());
    }
    if (X509_REQ_sign(request.get(), key, EVP_sha256()) <= 0) {
        return fail(Errc::Internal, "X509_REQ_sign: " + opensslError());
    }
    return request;
}

Result<std::string> csrToPem(X509_REQ* request)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509_REQ(bio.get(), request) != 1) {
        return fail(Errc::Internal, "PEM_write_bio_X509_REQ: " + opensslError());
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return size > 0 && data != nullptr ? std::string(data, static_cast<std::size_t>(size))
                                       : std::string();
}

Result<X509ReqPtr> parsePemCsr(std::string_view pem)
{
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    X509ReqPtr request(bio ? PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr)
                           : nullptr);
    if (!request) {
        ERR_clear_error();
        return fail(Errc::CertificateInvalid, "no PEM certificate request");
    }
    return request;
}

std::string csrCommonName(const X509_REQ* request)
{
    return request != nullptr ? commonName(X509_REQ_get_subject_name(request)) : std::string();
}

bool csrSignatureValid(X509_REQ* request)
{
    EVP_PKEY* key = request != nullptr ? X509_REQ_get0_pubkey(request) : nullptr;
    const bool valid = key != nullptr && X509_REQ_verify(request, key) == 1;
    ERR_clear_error();
    return valid;
}

namespace {

constexpr int kMinRsaBits = 2048;

bool isP256(EVP_PKEY* key)
{
    char group[64] = {};
    std::size_t length = 0;
    const bool named = EVP_PKEY_get_group_name(key, group, sizeof group, &length) == 1;
    ERR_clear_error();
    return named && OBJ_txt2nid(group) == NID_X9_62_prime256v1;
}

} // namespace

Result<PkeyPtr> checkCsrForIssue(std::string_view pem)
{
    auto request = parsePemCsr(pem);
    if (!request) {
        return fail(Errc::CertificateInvalid, "csr is not a PEM certificate request");
    }
    if (!csrSignatureValid(request->get())) {
        return fail(Errc::CertificateInvalid, "csr is not signed by its own key");
    }
    PkeyPtr key(X509_REQ_get_pubkey(request->get()));
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

} // namespace uketsuke::crypto
