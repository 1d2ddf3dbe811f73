#pragma once

// Real-time status replies to DLE EOT n (10 04 n; docs/printer.md "Status"). Each reply is one
// byte with bit 1 and bit 4 set and bits 0 and 7 clear, so (b & 0x93) == 0x12.

#include "base/result.hpp"
#include "hal/printer.hpp"

#include <cstdint>

namespace uketsuke::hal::escpos {

// What the four requests said. A request not yet answered leaves its fields false.
struct StatusReport {
    // n = 1, printer status
    bool drawerHigh = false; // bit 2
    bool offline = false;    // bit 3
    // n = 2, offline cause
    bool coverOpen = false;     // bit 2
    bool feedButton = false;    // bit 3
    bool paperEndStop = false;  // bit 5: printing stopped because the paper ran out
    bool errorOccurred = false; // bit 6
    // n = 3, error cause
    bool mechanicalError = false;     // bit 2
    bool autocutterError = false;     // bit 3
    bool unrecoverableError = false;  // bit 5
    bool autoRecoverableError = false; // bit 6 (head too hot, cover opened while printing)
    // n = 4, roll paper sensor
    bool paperNearEnd = false; // bits 2 and 3
    bool paperEnd = false;     // bits 5 and 6

    // The seam's view: offline for any reason, paper out, paper low, cover open, error.
    PrinterStatus summary() const;
};

// True for a byte that has the fixed bits of a DLE EOT reply.
bool isStatusReply(std::uint8_t b);

// Folds the reply `b` to DLE EOT `n` (1..4) into `report`.
// Errors: InvalidArgument (n outside 1..4), BadReply (b is not a DLE EOT reply).
Result<void> applyStatusReply(std::uint8_t n, std::uint8_t b, StatusReport& report);

// The error a print must fail with for this status, or Errc{} (0) when the printer can print:
// cover open -> PrinterCoverOpen, paper end -> PrinterPaperOut, an error -> PrinterError,
// offline for another reason -> PrinterOffline. Paper near end is not an error.
Errc blockingError(const StatusReport& report);

} // namespace uketsuke::hal::escpos
