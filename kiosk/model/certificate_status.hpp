#pragma once

// Where the card's user-authentication certificate stands on the day of the check-in. The card
// code computes it (kiosk/card/certificate.hpp); the flow, the result screen and the slip act
// on it, so it lives in the model that all of them may see.

#include <string_view>

namespace uketsuke::kiosk::model {

// Valid; expiring within 3 months; expired but within the qualification-only grace (the end of
// the third month after expiry); expired beyond it; not yet valid.
enum class CertificateStatus { Valid, ExpiringSoon, ExpiredInGrace, Expired, NotYetValid };

// "valid", "expiring_soon", "expired_in_grace", "expired", "not_yet_valid".
std::string_view certificateStatusName(CertificateStatus status);

} // namespace uketsuke::kiosk::model
