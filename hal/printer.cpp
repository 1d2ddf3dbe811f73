#include "hal/printer.hpp"

#include "base/log.hpp"

namespace uketsuke::hal {
namespace {
const log::Category kLog("hal.printer");
}

Result<void> ReceiptPrinter::print(const Slip& slip)
{
    if (slip.lines.empty()) {
        return fail(Errc::InvalidArgument, "empty slip");
    }
    auto result = doPrint(slip);
    if (result) {
        UKETSUKE_LOG(kLog, Info) << "printed slip " << slip.id;
    } else {
        UKETSUKE_LOG(kLog, Warn) << "slip " << slip.id
                                 << " not printed: " << errcName(result.error().code);
    }
    return result;
}

} // namespace uketsuke::hal
