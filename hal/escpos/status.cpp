#include "hal/escpos/status.hpp"

namespace uketsuke::hal::escpos {
namespace {

bool bit(std::uint8_t b, int n)
{
    return (b & (1u << n)) != 0;
}

} // namespace

bool isStatusReply(std::uint8_t b)
{
    return (b & 0x93) == 0x12;
}

Result<void> applyStatusReply(std::uint8_t n, std::uint8_t b, StatusReport& report)
{
    if (n < 1 || n > 4) {
        return fail(Errc::InvalidArgument, "DLE EOT n must be 1..4", n);
    }
    if (!isStatusReply(b)) {
        return fail(Errc::BadReply, "not a DLE EOT reply", b);
    }
    switch (n) {
    case 1:
        report.drawerHigh = bit(b, 2);
        report.offline = bit(b, 3);
        break;
    case 2:
        report.coverOpen = bit(b, 2);
        report.feedButton = bit(b, 3);
        report.paperEndStop = bit(b, 5);
        report.errorOccurred = bit(b, 6);
        break;
    case 3:
        report.mechanicalError = bit(b, 2);
        report.autocutterError = bit(b, 3);
        report.unrecoverableError = bit(b, 5);
        report.autoRecoverableError = bit(b, 6);
        break;
    default:
        report.paperNearEnd = bit(b, 2) || bit(b, 3);
        report.paperEnd = bit(b, 5) || bit(b, 6);
        break;
    }
    return ok();
}

PrinterStatus StatusReport::summary() const
{
    PrinterStatus s;
    s.paperOut = paperEnd || paperEndStop;
    s.paperLow = paperNearEnd;
    s.coverOpen = coverOpen;
    s.error = errorOccurred || mechanicalError || autocutterError || unrecoverableError ||
              autoRecoverableError;
    s.online = !offline && !s.paperOut && !s.coverOpen && !s.error;
    return s;
}

Errc blockingError(const StatusReport& report)
{
    if (report.coverOpen) {
        return Errc::PrinterCoverOpen;
    }
    if (report.paperEnd || report.paperEndStop) {
        return Errc::PrinterPaperOut;
    }
    if (report.errorOccurred || report.mechanicalError || report.autocutterError ||
        report.unrecoverableError || report.autoRecoverableError) {
        return Errc::PrinterError;
    }
    if (report.offline) {
        return Errc::PrinterOffline;
    }
    return Errc{};
}

} // namespace uketsuke::hal::escpos
