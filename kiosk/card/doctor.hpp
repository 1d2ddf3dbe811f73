#pragma once

// `uketsuke-kiosk doctor card` (docs/doctor.md): what staff and integrators need to know about
// the reader and the card on it, as JSON, without ever asking for a PIN. It lists the readers,
// waits (with a bound) for a card, connects, and reports the ATR, whether the reader has a PIN
// pad, whether the card is a My Number card (by the JPKI AID, never by the ATR), EF 0006's
// token label, the user-authentication certificate (subject, issuer, validity, status) and the
// PIN tries left (the empty VERIFY, which spends no try).
//
// APDUs sent: SELECT JPKI AP; SELECT 0006 + READ BINARY 32 bytes; SELECT 000A + the certificate
// reads; SELECT 0018 + VERIFY without data. Nothing else: no VERIFY with data, no other AP, no
// write.

#include "hal/card.hpp"
#include "base/result.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace uketsuke::kiosk::card {

struct DoctorOptions {
    // The readers the back end knows (PcscReader::listReaders()); reported as is.
    std::vector<std::string> readers;
    // An error met while listing them (e.g. pcscd not running), reported in "errors".
    std::optional<Error> readersError;
    // How long to wait for a card when none is on the reader.
    std::chrono::milliseconds waitForCard{0};
    // "Now", for the certificate status.
    std::chrono::sys_seconds now{};
};

// Runs the checks. Never fails as a call: every problem is a JSON entry in "errors"
// ({"step", "code", "message"}) and "ok" is false. Blocks on the reader; thread: the caller's
// (it owns the reader while this runs).
//
// Fields: ok, reader, readers[], card_present, atr (hex), secure_pin_entry, my_number_card,
// token_label, certificate {subject, issuer, serial, not_before, not_after, status},
// pin_tries_left, pin_status ("ok", "last_try", "blocked"), errors[].
nlohmann::json doctorCard(hal::CardReader& reader, const DoctorOptions& options);

} // namespace uketsuke::kiosk::card
