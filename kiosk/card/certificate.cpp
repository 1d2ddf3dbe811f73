#include "kiosk/card/certificate.hpp"

#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"

namespace uketsuke::kiosk::card {
namespace {

using namespace std::chrono;

constexpr hours kJstOffset{9};

} // namespace

Result<CertificateInfo> parseCertificate(hal::Bytes der)
{
    auto x509 = crypto::parseDerCertificate(der);
    if (!x509) {
        return fail(std::move(x509).error());
    }
    auto notBefore = crypto::notBefore(x509->get());
    if (!notBefore) {
        return fail(std::move(notBefore).error());
    }
    auto notAfter = crypto::notAfter(x509->get());
    if (!notAfter) {
        return fail(std::move(notAfter).error());
    }
    CertificateInfo info;
    info.notBefore = *notBefore;
    info.notAfter = *notAfter;
    info.subjectCommonName = crypto::subjectCommonName(x509->get());
    info.issuer = crypto::issuerOneLine(x509->get());
    info.serialHex = crypto::serialHex(x509->get());
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
