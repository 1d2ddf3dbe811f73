#include "kiosk/card/certificate.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>

#include <ctime>
#include <limits>
#include <memory>

namespace uketsuke::kiosk::card {
namespace {

using namespace std::chrono;

constexpr hours kJstOffset{9};

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;

Result<sys_seconds> toSysSeconds(const ASN1_TIME* time)
{
    std::tm tm{};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1) {
        return fail(Errc::CertificateInvalid, "unreadable validity date");
    }
    const year_month_day date{year{tm.tm_year + 1900}, month{static_cast<unsigned>(tm.tm_mon + 1)},
                              day{static_cast<unsigned>(tm.tm_mday)}};
    if (!date.ok()) {
        return fail(Errc::CertificateInvalid, "invalid validity date");
    }
    return sys_days{date} + hours{tm.tm_hour} + minutes{tm.tm_min} + seconds{tm.tm_sec};
}

std::string commonName(X509_NAME* name)
{
    const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0) {
        return {};
    }
    ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    const int size = ASN1_STRING_to_UTF8(&utf8, value);
    if (size < 0 || !utf8) {
        return {};
    }
    std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(size));
    OPENSSL_free(utf8);
    return out;
}

std::string oneLine(X509_NAME* name)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) {
        return {};
    }
    // RFC 2253 order and escaping, but UTF-8 left as is (not \XX escapes).
    if (X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
        return {};
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return size > 0 && data ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

std::string serialHex(const ASN1_INTEGER* serial)
{
    BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
    if (!bn) {
        return {};
    }
    char* text = BN_bn2hex(bn.get());
    if (!text) {
        return {};
    }
    std::string out(text);
    OPENSSL_free(text);
    return out;
}

} // namespace

Result<CertificateInfo> parseCertificate(hal::Bytes der)
{
    if (der.empty() || der.size() > static_cast<std::size_t>(std::numeric_limits<long>::max())) {
        return fail(Errc::CertificateInvalid, "empty certificate");
    }
    const unsigned char* p = der.data();
    X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!x509) {
        return fail(Errc::CertificateInvalid, "not a DER X.509 certificate");
    }
    if (p != der.data() + der.size()) {
        return fail(Errc::CertificateInvalid, "bytes after the certificate");
    }
    CertificateInfo info;
    auto notBefore = toSysSeconds(X509_get0_notBefore(x509.get()));
    if (!notBefore) {
        return fail(std::move(notBefore).error());
    }
    auto notAfter = toSysSeconds(X509_get0_notAfter(x509.get()));
    if (!notAfter) {
        return fail(std::move(notAfter).error());
    }
    info.notBefore = *notBefore;
    info.notAfter = *notAfter;
    info.subjectCommonName = commonName(X509_get_subject_name(x509.get()));
    info.issuer = oneLine(X509_get_issuer_name(x509.get()));
    info.serialHex = serialHex(X509_get0_serialNumber(x509.get()));
    info.der = std::move(der);
    return info;
}

sys_seconds expiryWarningStart(sys_seconds notAfter)
{
    const auto local = notAfter + kJstOffset;
    const auto date = floor<days>(local);
    const auto timeOfDay = local - date;
    year_month_day ymd{date};
    ymd -= months{3};
    if (!ymd.ok()) {
        ymd = year_month_day_last{ymd.year(), month_day_last{ymd.month()}};
    }
    return sys_days{ymd} + timeOfDay - kJstOffset;
}

sys_seconds graceEnd(sys_seconds notAfter)
{
    const year_month_day ymd{floor<days>(notAfter + kJstOffset)};
    const year_month firstAfterGrace = year_month{ymd.year(), ymd.month()} + months{4};
    return sys_seconds{sys_days{firstAfterGrace / day{1}}} - kJstOffset;
}

CertificateStatus certificateStatus(const CertificateInfo& certificate, sys_seconds now)
{
    if (now < certificate.notBefore) {
        return CertificateStatus::NotYetValid;
    }
    if (now <= certificate.notAfter) {
        return now < expiryWarningStart(certificate.notAfter) ? CertificateStatus::Valid
                                                              : CertificateStatus::ExpiringSoon;
    }
    return now < graceEnd(certificate.notAfter) ? CertificateStatus::ExpiredInGrace
                                                : CertificateStatus::Expired;
}

} // namespace uketsuke::kiosk::card
