// The pcsc-lite reader (hal/pcsc): `reader = "pcsc"`, `reader_name` picks one by substring.

#include "hal/pcsc/pcsc_reader.hpp"
#include "kiosk/app/devices.hpp"

namespace uketsuke::kiosk::app {

void registerPcsc(DeviceRegistry& registry)
{
    registry.addReader("pcsc", [](const config::KioskConfig& config) -> Result<ReaderParts> {
        hal::pcsc::PcscReaderOptions options;
        options.readerName = config.readerName;
        auto reader = std::make_unique<hal::pcsc::PcscReader>(options);
        hal::pcsc::PcscReader* pcsc = reader.get();
        ReaderParts parts;
        parts.listReaders = [pcsc] { return pcsc->listReaders(); };
        parts.reader = std::move(reader);
        return parts;
    });
}

} // namespace uketsuke::kiosk::app
