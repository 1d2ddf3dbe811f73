#include "sim/printer_command.hpp"

#include "hal/sim/escpos_server.hpp"
#include "sim/cli.hpp"

#include <csignal>
#include <pthread.h>
#include <thread>

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
    // Stop signals go to one waiter thread (as for the gateway); SIGUSR1 wakes it at the end.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGUSR1);
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &signals, &previous);
    auto server = hal::sim::EscposServer::open(std::move(options), command.port);
    if (!server) {
        pthread_sigmask(SIG_SETMASK, &previous, nullptr);
        err << "uketsuke-sim printer: " << server.error().message << "\n";
        return server.error().code == Errc::ConfigInvalid ? kExitUsage : kExitFailure;
    }
    out << "listening 127.0.0.1:" << (*server)->port() << std::endl;
    hal::sim::EscposServer& printer = **server;
    std::thread waiter([&printer, signals] {
        int signal = 0;
        sigwait(&signals, &signal);
        printer.stop();
    });
    auto ran = printer.run();
    pthread_kill(waiter.native_handle(), SIGUSR1);
    waiter.join();
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (!ran) {
        err << "uketsuke-sim printer: " << ran.error().message << "\n";
        return kExitFailure;
    }
    return kExitOk;
}

} // namespace uketsuke::sim
