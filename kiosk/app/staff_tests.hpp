#pragma once

// The staff menu's device tests (docs/staff.md "Device tests"): read the card on the reader
// with `doctor card`'s logic, print a test slip, a round trip to the gateway and the desk. Each
// returns what the devices page shows: a result key, an error code, and rows of facts (never
// personal data: no name, no certificate subject of a patient, no PIN; a PIN is never asked).
// They block on their device and run on the staff console's worker (the printer test on the
// terminal's printer worker), never on the main thread.

#include "hal/printer.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/runner/staff_console.hpp"
#include "net/https_client.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <vector>

namespace uketsuke::kiosk::app {

// The card test's result from a `doctor card` report (doctorCardReport): the reader, the ATR,
// whether the reader has a PIN pad, whether the card is a My Number card, the certificate's
// status and the PIN tries left (the empty VERIFY, which spends none). Pure.
runner::StaffTestResult cardTestResult(const nlohmann::json& report);

// Prints `slip` (doctorTestSlip) and reads the status back: paper, cover, online. Blocks on
// the printer; thread: the printer worker (Terminal::onPrinterWorker).
runner::StaffTestResult printerTest(hal::ReceiptPrinter& printer, const hal::Slip& slip);

// A round trip to each peer the configuration names: GET <gateway.url>/v1/health (the gateway
// must answer 200: it also checks the client certificate) when the eligibility source uses the
// gateway, and GET <desk.url>/api/v1/display on the desk (any HTTP answer means it was reached
// through TLS with the clinic's CA). Shows each one's latency (connection, TLS and answer) and
// the expiry dates of the server's and the terminal's client certificates; one that expires
// within 30 days of `now` is drawn as a problem. Blocks up to twice the total timeout; thread:
// any (its clients are its own).
runner::StaffTestResult networkTest(const config::KioskConfig& config,
                                    std::chrono::system_clock::time_point now);

// The last day of the terminal's own client certificates, for the menu's home page: one row
// when the gateway and the desk use the same file (the usual case, or no gateway), else one
// each. A certificate that expires within 30 days of `now`, or a file that cannot be read, is
// a problem: time to enrol again. Reads the PEM files; thread: any.
std::vector<runner::StaffRow> clientCertificateRows(const config::KioskConfig& config,
                                                    std::chrono::system_clock::time_point now);

// What the enrolment page says about a failed enrolment (kiosk/app/enrolment.hpp): the
// staff.enrol.* key for the error (a refused code, the gateway unreachable, a TLS failure, a
// reply it could not use, the files not writable, the configuration's files not set, ...) and
// the error's code as the detail (the protocol's code when the gateway answered one:
// "activation_refused"). Pure.
runner::StaffEnrolResult enrolFailure(const Error& error);
// The same for the pairing page (kiosk/app/pairing.hpp): staff.pair.* keys, "pairing_refused"
// for a code the desk refused.
runner::StaffEnrolResult pairFailure(const Error& error);

} // namespace uketsuke::kiosk::app
