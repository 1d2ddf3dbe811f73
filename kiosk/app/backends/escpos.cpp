// ESC/POS receipt printers (hal/escpos): `printer = "escpos-tcp:HOST:PORT"` (port 9100 of a
// networked Epson TM or Star in ESC/POS mode) or `"escpos-usb:/dev/usb/lpN"` (the USB printer
// class device). `printer_width` picks the paper: 576 or 512 dots (80 mm), 384 (58 mm).

#include "hal/escpos/escpos_printer.hpp"
#include "kiosk/app/devices.hpp"

namespace uketsuke::kiosk::app {
namespace {

Result<PrinterParts> openEscpos(const std::string& target, const PrinterSettings& settings)
{
    auto options = hal::escpos::optionsForWidth(settings.widthDots, settings.font);
    if (!options) {
        return fail(std::move(options).error());
    }
    auto printer = hal::escpos::openPrinter(target, *options);
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
