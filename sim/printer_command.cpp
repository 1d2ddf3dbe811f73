#include "sim/printer_command.hpp"

#include "base/signals.hpp"
#include "hal/sim/escpos_server.hpp"
#include "sim/cli.hpp"

namespace uketsuke::sim {

int runPrinterCommand(const PrinterCommand& command, std::ostream& out, std::ostream& err)
{
    hal::sim::EscposServerOptions options;
    options.outDir = command.outDir;
    options.widthDots = command.widthDots;
    hal::sim::SimulatedFaults faults;
    faults.slow = command.slow;
    for (const std::string& fault : command.faults) {
        if (auto known = hal::sim::applyFaultName(fault, faults); !known) {
            err << "uketsuke-sim printer: --fault: " << known.error().message << "\n";
            return kExitUsage;
        }
    }
    options.faults = faults.status;
    options.disconnect = faults.disconnect;
    options.slow = faults.slow;
    // Before the server's thread starts (base/signals.hpp).
    StopSignals stopSignals;
    auto server = hal::sim::EscposServer::open(std::move(options), command.port);
    if (!server) {
        err << "uketsuke-sim printer: " << server.error().message << "\n";
        return server.error().code == Errc::ConfigInvalid ? kExitUsage : kExitFailure;
    }
    out << "listening 127.0.0.1:" << (*server)->port() << std::endl;
    auto ran = stopSignals.run(**server);
    if (!ran) {
        err << "uketsuke-sim printer: " << ran.error().message << "\n";
        return kExitFailure;
    }
    return kExitOk;
}

} // namespace uketsuke::sim
