#pragma once

// The simulated receipt printer of `printer = "sim:DIR"`: the ESC/POS simulator (EscposServer)
// listening on a free loopback port inside this process, and the real EscposPrinter printing to
// it over the TCP transport. So the demo and every headless run send real ESC/POS bytes, read
// real DLE EOT status back, and the simulator writes what it made of them to DIR:
// slip-NNNN.png and slip-NNNN.txt (docs/printer.md "The simulated printer").
//
// Faults are set on the simulator (setFaults): the printer then meets them exactly as it meets
// a real printer's, through status bytes, silence and dropped connections.

#include "hal/escpos/escpos_printer.hpp"
#include "hal/sim/escpos_server.hpp"

#include <filesystem>
#include <memory>
#include <string_view>
#include <thread>

namespace uketsuke::hal::sim {

class LoopbackPrinter final : public escpos::EscposPrinter {
public:
    // `target` is the config value "sim:DIR"; DIR is created 0700 if missing. `options` are
    // the real printer's (paper width, font, timeouts). Starts the simulator's thread.
    // Errors: ConfigInvalid (not "sim:DIR", a width the layout refuses), StorageError (DIR),
    // NetworkError (no loopback port), and the renderer's errors.
    static Result<std::unique_ptr<LoopbackPrinter>> open(std::string_view target,
                                                         const escpos::PrinterOptions& options);
    // Stops the simulator and joins its thread.
    ~LoopbackPrinter() override;

    // What the simulated printer gets wrong from now on. Thread: any; takes effect on the
    // simulator's next read.
    void setFaults(const SimulatedFaults& faults);
    // Pages written so far; waits up to `timeout` for at least `count`. Thread: any.
    int waitForPages(int count, std::chrono::milliseconds timeout);
    const std::filesystem::path& directory() const { return m_directory; }

private:
    LoopbackPrinter(std::unique_ptr<EscposServer> server, std::filesystem::path directory,
                    text::TextRenderer renderer, const escpos::PrinterOptions& options);

    std::unique_ptr<EscposServer> m_server;
    std::filesystem::path m_directory;
    std::thread m_thread;
};

} // namespace uketsuke::hal::sim
