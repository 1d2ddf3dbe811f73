#pragma once

// What the reception slip says, for every outcome: built from the string tables (no words in
// code) and the qualification result, then handed to whichever printer is configured.

#include "base/time.hpp"
#include "hal/printer.hpp"
#include "kiosk/card/certificate.hpp"
#include "kiosk/model/qualification.hpp"
#include "kiosk/model/strings.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace uketsuke::kiosk::runner {

struct SlipInput {
    std::string receiptNumber;
    model::Outcome outcome = model::Outcome::Error;
    std::optional<model::QualificationResult> qualification;
    std::chrono::system_clock::time_point when;
    std::string clinicName; // optional header line
    // Expiring within 3 months or in the qualification-only grace: the slip says to renew.
    card::CertificateStatus certificateStatus = card::CertificateStatus::Valid;
    // The clinic's time zone: the slip's date and time, and the day in the QR code.
    time::Zone zone = time::Zone::tokyo();
};

hal::Slip buildSlip(const model::StringTable& strings, const SlipInput& input);

} // namespace uketsuke::kiosk::runner
