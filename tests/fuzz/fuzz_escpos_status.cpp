// Arbitrary status bytes into hal/escpos's DLE EOT parser: pairs of (n, reply) folded into one
// report. A reply is accepted exactly when it has the fixed bits, and the summary never says
// "online" while blockingError() names a fault.

#include "hal/escpos/status.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace uketsuke::hal::escpos;
    StatusReport report;
    for (std::size_t i = 0; i + 1 < size; i += 2) {
        const std::uint8_t n = data[i];
        const std::uint8_t b = data[i + 1];
        auto applied = applyStatusReply(n, b, report);
        const bool valid = n >= 1 && n <= 4 && isStatusReply(b);
        if (applied.has_value() != valid) {
            __builtin_trap();
        }
        const auto summary = report.summary();
        if (summary.online && blockingError(report) != uketsuke::Errc{}) {
            __builtin_trap();
        }
    }
    return 0;
}
