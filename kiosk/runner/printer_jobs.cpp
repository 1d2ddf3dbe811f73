#include "kiosk/runner/terminal_impl.hpp"

// The printer worker's job: the slip, in the language the patient chose on screen.

#include "kiosk/runner/slip.hpp"

namespace uketsuke::kiosk::runner {

// Thread: main (builds the input), then the printer worker (prints).
void Terminal::Impl::printSlip(const flow::PrintSlip& command)
{
    SlipInput input{command.receiptNumber, command.outcome, command.qualification,
                    clock.wallNow(),       options.slip,    command.certificateStatus,
                    options.zone,          command.checkInId};
    printerWorker.push([this, input, lang = command.language] {
        auto printed = devices.printer.print(buildSlip(strings.table(lang), input));
        if (printed) {
            post(flow::Printed{});
        } else {
            post(flow::PrintFailed{std::move(printed).error()});
        }
    });
}

} // namespace uketsuke::kiosk::runner
