// Simulated devices (hal/sim): `reader = "sim"` (the virtual My Number card of `sim.persona`)
// and `printer = "sim:DIR"` (text + PNG slips).

#include "hal/sim/persona_card.hpp"
#include "hal/sim/sim_printer.hpp"
#include "hal/sim/sim_reader.hpp"
#include "kiosk/app/devices.hpp"

namespace uketsuke::kiosk::app {
namespace {

Result<ReaderParts> openSimReader(const config::KioskConfig& config)
{
    // The persona's counters live in the data directory, as a card keeps them.
    auto card = hal::sim::loadPersonaCard(config.simPkiDir, config.simPersona,
                                          config.dataDir + "/card-" + config.simPersona +
                                              ".json");
    if (!card) {
        Error e = std::move(card).error();
        e.message = "sim.persona '" + config.simPersona + "': " + e.message;
        return fail(std::move(e));
    }
    auto reader = std::make_unique<hal::sim::SimCardReader>();
    reader->setPinPad(config.simPinPad);
    hal::sim::SimCardReader* sim = reader.get();
    std::shared_ptr<hal::sim::VirtualCard> virtualCard = std::move(*card);

    ReaderParts parts;
    parts.demo.insertCard = [sim, virtualCard] { sim->insert(virtualCard); };
    parts.demo.removeCard = [sim] { sim->remove(); };
    if (config.simPinPad) {
        parts.demo.typeOnPad = [sim](const std::string& digits) {
            Pin pin;
            for (char digit : digits) {
                pin.push(digit);
            }
            sim->typeOnPad(std::move(pin));
        };
        parts.demo.cancelOnPad = [sim] { sim->cancelOnPad(); };
    }
    parts.listReaders = [sim]() -> Result<std::vector<std::string>> {
        return std::vector<std::string>{sim->name()};
    };
    parts.reader = std::move(reader);
    return parts;
}

} // namespace

void registerSim(DeviceRegistry& registry)
{
    registry.addReader("sim", &openSimReader);
    registry.addPrinter("sim", [](const std::string& target, const PrinterSettings& settings)
                                   -> Result<std::unique_ptr<hal::ReceiptPrinter>> {
        auto printer = hal::sim::SimPrinter::open(target, settings.font);
        if (!printer) {
            return fail(std::move(printer).error());
        }
        return std::unique_ptr<hal::ReceiptPrinter>(std::move(*printer));
    });
}

} // namespace uketsuke::kiosk::app
