// Fuzz target: arbitrary bytes as a personas file (sim/personas.hpp), which the simulators read
// from a path an integrator or a tester gives. It must be accepted or refused with an error
// naming the problem, never crash; an id that is not a safe file name is refused.

#include "base/log.hpp"
#include "sim/personas.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    uketsuke::log::configure("*:off");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto personas = uketsuke::sim::parsePersonas(text);
    if (!personas) {
        if (personas.error().message.empty()) {
            std::abort(); // a refusal says why
        }
        return 0;
    }
    for (const auto& persona : *personas) {
        // Persona ids become file names ("<id>.der") in the PKI's cards folder.
        if (persona.id.empty() || persona.id.size() > 64 ||
            persona.id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                         "0123456789._-") != std::string::npos) {
            std::abort();
        }
    }
    return 0;
}
