#include "kiosk/runner/terminal_impl.hpp"

// The printer worker's jobs: the slip, in the language the patient chose on screen, with the
// printer's status read before and after it; and the status read while idle (every
// TerminalOptions::printerPoll). A slip is reported Printed only when the printer confirmed it.

#include "base/log.hpp"
#include "kiosk/runner/slip.hpp"

namespace uketsuke::kiosk::runner {
namespace {

const log::Category kLog("kiosk.printer");

// Why a printer with this status cannot print; Errc{} when it can.
Error blockingError(const Result<hal::PrinterStatus>& status)
{
    if (!status) {
        return status.error();
    }
    if (status->coverOpen) {
        return {Errc::PrinterCoverOpen, 0, "cover open"};
    }
    if (status->paperOut) {
        return {Errc::PrinterPaperOut, 0, "paper out"};
    }
    if (status->error) {
        return {Errc::PrinterError, 0, "printer error"};
    }
    if (!status->online) {
        return {Errc::PrinterOffline, 0, "printer offline"};
    }
    return {Errc{}, 0, ""};
}

} // namespace

Error Terminal::Impl::checkPrinter()
{
    auto status = devices.printer.status();
    Error blocking = blockingError(status);
    std::optional<hal::PrinterStatus> seen;
    if (status) {
        seen = *status;
    }
    const bool available = blocking.code == Errc{};
    const bool first = !lastPrinter.has_value();
    const bool wasAvailable = first || (lastPrinter->has_value() &&
                                        blockingError(**lastPrinter).code == Errc{});
    const bool wasLow = !first && lastPrinter->has_value() && (*lastPrinter)->paperLow;
    if (available != wasAvailable) {
        if (available) {
            UKETSUKE_LOG(kLog, Info) << "printer available again";
        } else {
            UKETSUKE_LOG(kLog, Warn) << "printer unavailable: " << errcName(blocking.code);
        }
        post(flow::PrinterStatus{available});
    }
    if (seen && seen->paperLow && !wasLow) {
        // For staff (the log and the desk's terminal list), never for the patient.
        UKETSUKE_LOG(kLog, Warn) << "printer paper near end";
    }
    lastPrinter = seen;
    if (options.onPrinterStatus) {
        options.onPrinterStatus(seen);
    }
    return blocking;
}

// Thread: main (builds the input), then the printer worker (prints).
void Terminal::Impl::printSlip(const flow::PrintSlip& command)
{
    SlipInput input{command.receiptNumber, command.outcome, command.qualification,
                    clock.wallNow(),       options.slip,    command.certificateStatus,
                    options.zone,          command.checkInId,   command.problem};
    printerWorker.push([this, input, lang = command.language] {
        if (Error before = checkPrinter(); before.code != Errc{}) {
            // Not even tried: the check-in is saved, the screen shows the number instead.
            post(flow::PrintFailed{std::move(before)});
            return;
        }
        auto printed = devices.printer.print(buildSlip(strings.table(lang), input));
        checkPrinter();
        if (printed) {
            post(flow::Printed{});
        } else {
            post(flow::PrintFailed{std::move(printed).error()});
        }
    });
}

} // namespace uketsuke::kiosk::runner
