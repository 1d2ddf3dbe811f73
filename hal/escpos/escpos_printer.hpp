#pragma once

// The real receipt printer: a hal::ReceiptPrinter that speaks ESC/POS over a Transport.
//
// print(slip): encode the slip (slip_layout), connect (again, if the connection dropped),
// read DLE EOT 1-4 and refuse to print when the cover is open, the paper is out, the printer
// is in error or offline; send the job followed by GS r 1, which the printer answers only when
// it has processed everything before it (the slip is printed and cut); then read DLE EOT 1-4
// again. Only then is the slip reported printed. A printer that stops mid-job (paper ran out)
// never answers GS r: after the print timeout its status decides the error. A slip that did
// not print is never reported as printed.
//
// Spec strings (kiosk.toml `printer`): "escpos-tcp:HOST:PORT" (HOST may be [v6]),
// "escpos-usb:/dev/usb/lp0"; connection is lazy, so a printer switched off at boot is a
// status, not a start-up failure.

#include "hal/escpos/slip_layout.hpp"
#include "hal/escpos/status.hpp"
#include "hal/escpos/transport.hpp"
#include "hal/printer.hpp"
#include "hal/text/text_renderer.hpp"

#include <memory>
#include <mutex>
#include <string_view>

namespace uketsuke::hal::escpos {

struct Timeouts {
    Millis connect{2000};
    Millis status{1500}; // per DLE EOT request (devices: 1-2 s)
    Millis print{15000}; // job written and GS r answered
};

struct PrinterOptions {
    LayoutConfig layout;
    text::FontConfig font;
    Timeouts timeouts;
};

class EscposPrinter : public ReceiptPrinter {
public:
    EscposPrinter(std::unique_ptr<Transport> transport, text::TextRenderer renderer,
                  PrinterOptions options);

    // The four DLE EOT replies. Thread: the printer worker.
    // Errors: PrinterOffline (cannot connect or no reply), Timeout, BadReply.
    Result<StatusReport> readStatus();

protected:
    // Errors: PrinterCoverOpen, PrinterPaperOut, PrinterError, PrinterOffline, Timeout (the
    // printer took the job but never said it finished and its status shows no cause),
    // InvalidArgument (a slip the layout refuses).
    Result<void> doPrint(const Slip& slip) override;
    Result<PrinterStatus> doStatus() override;
    // GS I 0x42 (maker) and 0x43 (model). A printer that is stopped (paper out, cover open)
    // does not process GS I and times out.
    Result<PrinterIdentity> doIdentity() override;

private:
    Result<void> ensureConnected();
    Result<StatusReport> readStatusLocked();
    Result<std::uint8_t> awaitReply(bool (*matches)(std::uint8_t), Millis timeout);
    Result<std::string> readIdentityBlock(std::uint8_t n);

    std::unique_ptr<Transport> m_transport;
    text::TextRenderer m_renderer;
    PrinterOptions m_options;
    std::mutex m_mutex;
};

// The options for paper `widthDots` wide (384, 512 or 576) and the name renderer's `font`, with
// the default timeouts. Errors: ConfigInvalid (another width).
Result<PrinterOptions> optionsForWidth(int widthDots, const text::FontConfig& font);

// Builds the printer a spec names: "escpos-tcp:HOST:PORT" or "escpos-usb:/dev/usb/lpN".
// Errors: ConfigInvalid (not such a spec, bad port), and text::TextRenderer::open's errors.
Result<std::unique_ptr<ReceiptPrinter>> openPrinter(std::string_view spec,
                                                    const PrinterOptions& options = {});

} // namespace uketsuke::hal::escpos
