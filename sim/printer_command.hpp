#pragma once

// `uketsuke-sim printer`: the simulated ESC/POS printer on loopback TCP (hal/sim/escpos_server).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace uketsuke::sim {

struct PrinterCommand {
    std::uint16_t port = 9100; // 0 picks a free port
    std::filesystem::path outDir;
    int widthDots = 576;
    // paper-out, near-end, cover-open, offline, disconnect
    std::vector<std::string> faults;
    std::chrono::milliseconds slow{0};
};

// Prints "listening 127.0.0.1:PORT" once bound, serves until SIGINT/SIGTERM. Returns the exit
// status (0, 1 failure, 2 bad options).
int runPrinterCommand(const PrinterCommand& command, std::ostream& out, std::ostream& err);

} // namespace uketsuke::sim
