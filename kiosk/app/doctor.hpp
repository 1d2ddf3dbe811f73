#pragma once

// The `uketsuke-kiosk doctor ...` commands (docs/doctor.md), built from the configuration
// through the same device registry as the terminal.

#include "base/result.hpp"
#include "hal/printer.hpp"
#include "kiosk/app/devices.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/model/strings.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ostream>

namespace uketsuke::kiosk::app {

// `doctor card`: the reader named by the configuration, the card diagnosis as JSON on `out`.
// The simulated reader has its virtual card placed first. Returns the exit status: 0 when a My
// Number card was read completely, 1 otherwise, 2 when the reader cannot be built (one line on
// `err`).
int doctorCard(const config::KioskConfig& config, const DeviceRegistry& devices,
               std::ostream& out, std::ostream& err);

// The report doctorCard() prints (kiosk/card/doctor.hpp's fields), on a reader of its own built
// from `config` (the simulated one with its virtual card placed), waiting up to `wait` for a
// card. Never asks for a PIN. Also the staff menu's card test (kiosk/app/staff_tests.hpp).
// Blocks on the reader; thread: any but the card worker's (the reader is a new one).
// Errors: the registry's when the reader cannot be built (ConfigInvalid "reader: ...").
Result<nlohmann::json> doctorCardReport(const config::KioskConfig& config,
                                        const DeviceRegistry& devices,
                                        std::chrono::milliseconds wait);

} // namespace uketsuke::kiosk::app

namespace uketsuke::kiosk::app {

// `doctor config`: the start-up checks as JSON on `out` (startupChecksJson). Returns the exit
// status: 0 ready to run, 1 not ready (something is missing), 2 a file is there but wrong.
int doctorConfig(const config::KioskConfig& config, std::ostream& out);

} // namespace uketsuke::kiosk::app

namespace uketsuke::kiosk::app {

// `doctor printer [--test-slip]`: the printer named by `printer`, its identity (ESC/POS GS I;
// null when the printer cannot say) and status as JSON on `out`; with config.doctorTestSlip a
// test slip (words from the string table, Japanese text, a raster line and a QR code) is
// printed too. Returns the exit status: 0 when the printer can print (and the test slip was
// confirmed), 1 otherwise, 2 when the printer cannot be built (one line on `err`).
int doctorPrinter(const config::KioskConfig& config, const DeviceRegistry& devices,
                  std::ostream& out, std::ostream& err);

// The test slip of `doctor printer --test-slip`, also printed by the staff menu's printer test:
// the title, the time in the clinic's zone, the terminal, kanji the printer's font may lack and
// a QR code (words from `strings`).
hal::Slip doctorTestSlip(const model::StringTable& strings, const config::KioskConfig& config);

} // namespace uketsuke::kiosk::app
