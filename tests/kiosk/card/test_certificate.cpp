#include "kiosk/card/certificate.hpp"

#include "tests/support/test_card.hpp"

#include <catch2/catch.hpp>

namespace {

using namespace std::chrono;
using uketsuke::Errc;
using uketsuke::hal::Bytes;
using uketsuke::kiosk::card::CertificateInfo;
using uketsuke::kiosk::model::CertificateStatus;
using uketsuke::kiosk::card::certificateStatus;
using uketsuke::kiosk::card::certificateStatusName;
using uketsuke::kiosk::card::expiryWarningStart;
using uketsuke::kiosk::card::graceEnd;
using uketsuke::kiosk::card::parseCertificate;
namespace test = uketsuke::test;

sys_seconds at(year_month_day date, hours h, minutes m = 0min, seconds s = 0s)
{
    return sys_days{date} + h + m + s;
}

TEST_CASE("parseCertificate: reads subject CN, issuer, serial and validity")
{
    const auto notBefore = at(2024y / April / 1, 3h);
    const auto notAfter = at(2029y / March / 31, 14h, 59min, 59s);
    const auto card = test::makeTestCard("UKTEST0000000000000042", notBefore, notAfter);
    auto info = parseCertificate(card.certificateDer);
    REQUIRE(info);
    CHECK(info->subjectCommonName == "UKTEST0000000000000042");
    CHECK(info->issuer.find("O=JPKI") != std::string::npos);
    CHECK(info->issuer.find("OU=JPKI for user authentication") != std::string::npos);
    CHECK_FALSE(info->serialHex.empty());
    CHECK(info->serialHex.find_first_not_of("0123456789ABCDEF") == std::string::npos);
    CHECK(info->notBefore == notBefore);
    CHECK(info->notAfter == notAfter);
    CHECK(info->der == card.certificateDer);
}

TEST_CASE("parseCertificate: garbage is CertificateInvalid")
{
    const Bytes& der = test::defaultTestCard().certificateDer;
    for (const Bytes& bad :
         {Bytes{}, Bytes{0x30, 0x82, 0x01, 0x00}, Bytes(300, 0xFF),
          Bytes(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(der.size() / 2))}) {
        auto info = parseCertificate(bad);
        REQUIRE_FALSE(info);
        CHECK(info.error().code == Errc::CertificateInvalid);
    }
    // EF padding after the DER is refused: the reader must return the DER only.
    Bytes padded = der;
    padded.resize(der.size() + 16, 0x00);
    auto info = parseCertificate(padded);
    REQUIRE_FALSE(info);
    CHECK(info.error().code == Errc::CertificateInvalid);
}

CertificateInfo validity(sys_seconds notBefore, sys_seconds notAfter)
{
    CertificateInfo info;
    info.notBefore = notBefore;
    info.notAfter = notAfter;
    return info;
}

TEST_CASE("certificateStatus: boundaries of expiring soon and the grace period")
{
    // notAfter 2025-10-19 23:59:59 JST, as the 2015 CA generation's certificates end.
    const auto notAfter = at(2025y / October / 19, 14h, 59min, 59s);
    const auto info = validity(at(2020y / October / 20, 0h), notAfter);

    // Warning from 3 months before, same JST time of day.
    const auto warning = at(2025y / July / 19, 14h, 59min, 59s);
    CHECK(expiryWarningStart(notAfter) == warning);
    CHECK(certificateStatus(info, warning - 1s) == CertificateStatus::Valid);
    CHECK(certificateStatus(info, warning) == CertificateStatus::ExpiringSoon);
    CHECK(certificateStatus(info, notAfter) == CertificateStatus::ExpiringSoon);

    // Grace until the end of January 2026 (October + 3), JST: 2026-02-01 00:00 JST.
    const auto end = at(2026y / January / 31, 15h);
    CHECK(graceEnd(notAfter) == end);
    CHECK(certificateStatus(info, notAfter + 1s) == CertificateStatus::ExpiredInGrace);
    CHECK(certificateStatus(info, end - 1s) == CertificateStatus::ExpiredInGrace);
    CHECK(certificateStatus(info, end) == CertificateStatus::Expired);

    CHECK(certificateStatus(info, at(2020y / October / 19, 23h, 59min, 59s)) ==
          CertificateStatus::NotYetValid);
    CHECK(certificateStatus(info, at(2020y / October / 20, 0h)) == CertificateStatus::Valid);
}

TEST_CASE("certificateStatus: months are counted on the JST calendar")
{
    // 2025-12-31 15:30Z is already 2026-01-01 00:30 JST: the grace runs to the end of April.
    const auto notAfter = at(2025y / December / 31, 15h, 30min);
    CHECK(graceEnd(notAfter) == at(2026y / April / 30, 15h));
    // The warning starts on 2025-10-01 00:30 JST.
    CHECK(expiryWarningStart(notAfter) == at(2025y / September / 30, 15h, 30min));
}

TEST_CASE("certificateStatus: a day missing 3 months earlier falls back to the month's end")
{
    // 2026-05-31 JST minus 3 months: 2026-02-28 (no 31 February).
    const auto notAfter = at(2026y / May / 31, 14h, 59min, 59s);
    CHECK(expiryWarningStart(notAfter) == at(2026y / February / 28, 14h, 59min, 59s));
    // Grace: the end of August 2026.
    CHECK(graceEnd(notAfter) == at(2026y / August / 31, 15h));
}

TEST_CASE("certificateStatusName: stable names for logs and JSON")
{
    CHECK(certificateStatusName(CertificateStatus::Valid) == "valid");
    CHECK(certificateStatusName(CertificateStatus::ExpiringSoon) == "expiring_soon");
    CHECK(certificateStatusName(CertificateStatus::ExpiredInGrace) == "expired_in_grace");
    CHECK(certificateStatusName(CertificateStatus::Expired) == "expired");
    CHECK(certificateStatusName(CertificateStatus::NotYetValid) == "not_yet_valid");
}

} // namespace
