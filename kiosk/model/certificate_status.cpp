#include "kiosk/model/certificate_status.hpp"

namespace uketsuke::kiosk::model {

std::string_view certificateStatusName(CertificateStatus status)
{
    switch (status) {
    case CertificateStatus::Valid:
        return "valid";
    case CertificateStatus::ExpiringSoon:
        return "expiring_soon";
    case CertificateStatus::ExpiredInGrace:
        return "expired_in_grace";
    case CertificateStatus::Expired:
        return "expired";
    case CertificateStatus::NotYetValid:
        return "not_yet_valid";
    }
    return "unknown";
}

} // namespace uketsuke::kiosk::model
