#pragma once

// What the reception slip says, for every outcome: built from the string tables (no words in
// code) and the qualification result, then handed to whichever printer is configured.

#include "base/time.hpp"
#include "hal/printer.hpp"
#include "kiosk/card/certificate.hpp"
#include "kiosk/model/checkin.hpp"
#include "kiosk/model/qualification.hpp"
#include "kiosk/model/strings.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace uketsuke::kiosk::runner {

// How the patient is named on the slip (config `slip.name`, docs/slip.md).
enum class SlipName {
    Full,     // "full": the name from the result (the kana when there is no kanji name)
    Initials, // "initials": "Y.T." from the kana reading (model::nameInitials)
    None,     // "none": no name at all
};

// The clinic's choices for every slip (kiosk.toml; docs/config/kiosk.md).
struct SlipSettings {
    std::string clinicName; // clinic_name: the header line; empty = none
    SlipName name = SlipName::Full; // slip.name
    // slip.eligibility_summary: on a confirmed check-in, the insurer's name and number and the
    // 負担割合, for staff who take the slip.
    bool eligibilitySummary = false;
    // slip.window: where a patient goes when the check-in was not confirmed ("2番窓口"),
    // printed as written in every language; empty = the table's word for the reception desk.
    std::string window;
};

// "full", "initials" or "none"; nullopt for anything else.
std::optional<SlipName> slipNameFromString(std::string_view text);

struct SlipInput {
    std::string receiptNumber;
    model::Outcome outcome = model::Outcome::Error;
    std::optional<model::QualificationResult> qualification;
    std::chrono::system_clock::time_point when;
    SlipSettings settings;
    // Expiring within 3 months or in the qualification-only grace: the slip says to renew.
    card::CertificateStatus certificateStatus = card::CertificateStatus::Valid;
    // The clinic's time zone: the slip's date and time, and the day in the QR code.
    time::Zone zone = time::Zone::tokyo();
    // The check-in's id as the outbox and the desk know it (model::CheckIn::idempotencyKey):
    // the QR code carries it so staff can scan the slip to open the check-in. Empty (or not
    // 1-64 of A-Z a-z 0-9 . _ : -): no QR code.
    std::string checkInId;
    // Why an unconfirmed check-in is unconfirmed: the slip's heading and next steps follow it.
    std::optional<model::Problem> problem;
};

hal::Slip buildSlip(const model::StringTable& strings, const SlipInput& input);

} // namespace uketsuke::kiosk::runner
