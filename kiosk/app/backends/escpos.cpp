// ESC/POS receipt printers (hal/escpos): `printer = "escpos-tcp:HOST:PORT"` (port 9100 of a
// networked Epson TM or Star in ESC/POS mode) or `"escpos-usb:/dev/usb/lpN"` (the USB printer
// class device). `printer_width` picks the paper: 576 or 512 dots (80 mm), 384 (58 mm).

#include "hal/escpos/escpos_printer.hpp"
#include "hal/escpos/slip_layout.hpp"
#include "kiosk/app/devices.hpp"

namespace uketsuke::kiosk::app {
namespace {

Result<PrinterParts> openEscpos(const std::string& target, const PrinterSettings& settings)
{
    auto layout = hal::escpos::layoutForWidth(settings.widthDots);
    if (!layout) {
        return fail(std::move(layout).error());
    }
    hal::escpos::PrinterOptions options;
    options.layout = *layout;
    options.font = settings.font;
    auto printer = hal::escpos::openPrinter(target, options);
    if (!printer) {
        return fail(std::move(printer).error());
    }
    return PrinterParts{std::move(*printer), {}};
}

} // namespace

void registerEscpos(DeviceRegistry& registry)
{
    registry.addPrinter("escpos-tcp", &openEscpos);
    registry.addPrinter("escpos-usb", &openEscpos);
}

} // namespace uketsuke::kiosk::app
