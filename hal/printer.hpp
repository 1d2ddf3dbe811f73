#pragma once

// The receipt printer seam. A Slip is what to print, already translated; the printer decides
// how (ESC/POS bytes, which the simulated printer interprets too). Names are drawn as images by
// the one name renderer, so the slip and the screen never disagree about a name.

#include "base/result.hpp"

#include <string>
#include <vector>

namespace uketsuke::hal {

struct SlipLine {
    enum class Size { Normal, Large, Huge };
    std::string text; // UTF-8, any Unicode (names beyond the BMP too)
    Size size = Size::Normal;
    bool center = false;
};

struct Slip {
    std::string id; // file-name-safe id, e.g. the receipt number "0007"
    std::vector<SlipLine> lines;
    std::string qrPayload; // optional; empty = no QR code
};

struct PrinterStatus {
    bool online = true;
    bool paperOut = false;
    bool paperLow = false;
    bool coverOpen = false;
    bool error = false; // mechanical, autocutter or head error (ESC/POS DLE EOT 3)
};

// Who the printer says it is (ESC/POS GS I: "_EPSON", "_TM-T88VI"), without the '_'.
struct PrinterIdentity {
    std::string maker;
    std::string model;
};

class ReceiptPrinter {
public:
    virtual ~ReceiptPrinter() = default;

    // Prints the slip and cuts. Blocks until the printer has taken it.
    // Thread: the printer worker. Errors: PrinterOffline, PrinterPaperOut, PrinterCoverOpen,
    // PrinterError, Timeout.
    Result<void> print(const Slip& slip);

    // Reads the status back. Thread: the printer worker.
    Result<PrinterStatus> status() { return doStatus(); }

    // Asks the printer who it is. Thread: the printer worker (or a doctor command).
    // Errors: NotSupported (this printer cannot say), PrinterOffline, Timeout.
    Result<PrinterIdentity> identity() { return doIdentity(); }

protected:
    virtual Result<void> doPrint(const Slip& slip) = 0;
    virtual Result<PrinterStatus> doStatus() = 0;
    virtual Result<PrinterIdentity> doIdentity()
    {
        return fail(Errc::NotSupported, "this printer cannot tell who it is");
    }
};

} // namespace uketsuke::hal
