#pragma once

// The `uketsuke-kiosk doctor ...` commands (docs/doctor.md), built from the configuration
// through the same device registry as the terminal.

#include "kiosk/app/devices.hpp"
#include "kiosk/config/config.hpp"

#include <ostream>

namespace uketsuke::kiosk::app {

// `doctor card`: the reader named by the configuration, the card diagnosis as JSON on `out`.
// The simulated reader has its virtual card placed first. Returns the exit status: 0 when a My
// Number card was read completely, 1 otherwise, 2 when the reader cannot be built (one line on
// `err`).
int doctorCard(const config::KioskConfig& config, const DeviceRegistry& devices,
               std::ostream& out, std::ostream& err);

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

} // namespace uketsuke::kiosk::app
