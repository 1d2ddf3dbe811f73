// Simulated devices (hal/sim): `reader = "sim"` (the virtual My Number card of `sim.persona`)
// and `printer = "sim:DIR"` (the ESC/POS simulator in this process on a loopback port, printed
// to by the real ESC/POS printer; its PNG and text dumps go to DIR).

#include "hal/sim/persona_card.hpp"
#include "hal/sim/loopback_printer.hpp"
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

Result<PrinterParts> openSimPrinter(const std::string& target, const PrinterSettings& settings)
{
    auto options = hal::escpos::optionsForWidth(settings.widthDots, settings.font);
    if (!options) {
        return fail(std::move(options).error());
    }
    auto printer = hal::sim::LoopbackPrinter::open(target, *options);
    if (!printer) {
        return fail(std::move(printer).error());
    }
    PrinterParts parts;
    hal::sim::LoopbackPrinter* sim = printer->get();
    // Faults accumulate until `ok`, as a real printer can be out of paper with its cover open.
    auto faults = std::make_shared<hal::sim::SimulatedFaults>();
    parts.setFault = [sim, faults](std::string_view name) -> Result<void> {
        if (auto applied = hal::sim::applyFaultName(name, *faults); !applied) {
            return applied;
        }
        sim->setFaults(*faults);
        return ok();
    };
    parts.printer = std::move(*printer);
    return parts;
}

} // namespace

void registerSim(DeviceRegistry& registry)
{
    registry.addReader("sim", &openSimReader);
    registry.addPrinter("sim", &openSimPrinter);
}

} // namespace uketsuke::kiosk::app
