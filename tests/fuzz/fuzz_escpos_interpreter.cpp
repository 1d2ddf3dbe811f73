// Arbitrary bytes into the simulated printer's ESC/POS interpreter, in chunks, with faults
// switched on and off by the first byte: it must never crash, read out of bounds or grow
// without limit, and every reply byte must be a DLE EOT or GS r/GS I reply.

#include "hal/sim/escpos_interpreter.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    using uketsuke::hal::sim::EscposInterpreter;
    EscposInterpreter printer;
    const std::uint8_t control = data[0];
    std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::size_t chunk = 1 + (control & 0x3F);
    for (std::size_t i = 0; i < bytes.size(); i += chunk) {
        uketsuke::hal::sim::PrinterFaults faults;
        faults.paperOut = (control & 0x40) != 0 && (i / chunk) % 2 == 0;
        faults.nearEnd = (control & 0x80) != 0;
        printer.setFaults(faults);
        printer.feed(bytes.substr(i, chunk));
        for (const auto& page : printer.takePages()) {
            if (page.blocks.size() > EscposInterpreter::kMaxBlocksPerPage ||
                page.dump.size() != page.blocks.size()) {
                __builtin_trap();
            }
        }
    }
    printer.setFaults({});
    printer.feed({});
    if (printer.currentPage().blocks.size() > EscposInterpreter::kMaxBlocksPerPage) {
        __builtin_trap();
    }
    return 0;
}
