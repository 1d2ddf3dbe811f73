#pragma once

// The user-authentication certificate read from the card: the few fields the terminal looks at
// before asking for the PIN, and its validity status (docs/card.md, issue 3):
//   NotYetValid     now < notBefore
//   Valid           notBefore <= now < expiryWarningStart(notAfter)
//   ExpiringSoon    expiryWarningStart(notAfter) <= now <= notAfter (the last 3 months): warn
//                   and explain renewal
//   ExpiredInGrace  notAfter < now < graceEnd(notAfter), i.e. until the end of the month 3
//                   months after expiry: qualification only
//   Expired         now >= graceEnd(notAfter): go to the desk
// Months are counted on the Japanese calendar date (JST, UTC+9) of notAfter: a JPKI
// certificate ends at 23:59:59 JST (14:59:59Z), and "the end of the month" is a JST month.
//
// The certificate's subject is an opaque identifier (a JPKI authentication certificate holds
// no personal data); still, it is not logged.

#include "hal/card.hpp"
#include "base/result.hpp"
#include "kiosk/model/certificate_status.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace uketsuke::kiosk::card {

struct CertificateInfo {
    hal::Bytes der;
    std::string subjectCommonName; // UTF-8; empty when the subject has no CN
    std::string issuer;            // RFC 2253 one-line form, UTF-8
    std::string serialHex;         // upper-case hex, no separators
    std::chrono::sys_seconds notBefore{};
    std::chrono::sys_seconds notAfter{};
};

// Parses a DER X.509 certificate with OpenSSL. The whole input must be one certificate: trailing
// bytes (EF padding) are refused. Pure; thread: any.
// Errors: CertificateInvalid (not DER X.509, trailing bytes, unreadable validity dates).
Result<CertificateInfo> parseCertificate(hal::Bytes der);

using model::CertificateStatus; // kiosk/model/certificate_status.hpp

// The status at `now` (see the table above). Pure; thread: any.
CertificateStatus certificateStatus(const CertificateInfo& certificate,
                                    std::chrono::sys_seconds now);

// The first instant of the "expiring soon" window: notAfter's JST date minus 3 months (the
// last day of the month when that day does not exist), at the same time of day.
std::chrono::sys_seconds expiryWarningStart(std::chrono::sys_seconds notAfter);

// The first instant after the grace period: 00:00 JST on the first day of the fourth month
// after the JST month of notAfter (i.e. the end of the month 3 months after expiry).
std::chrono::sys_seconds graceEnd(std::chrono::sys_seconds notAfter);

using model::certificateStatusName;

} // namespace uketsuke::kiosk::card
