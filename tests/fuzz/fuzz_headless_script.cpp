// Fuzz target: arbitrary bytes as a headless script (ui/headless.hpp parseScript), which the
// terminal reads from a path given on the command line. It must be accepted or refused with a
// message naming the line, never crash; what it accepts has at least one command, and typed
// digits are marked secret so that no failure message repeats them.

#include "base/log.hpp"
#include "ui/headless_script.hpp"

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
    auto script = uketsuke::ui::parseScript(text);
    if (!script) {
        if (script.error().message.empty()) {
            std::abort();
        }
        return 0;
    }
    if (script->commands.empty()) {
        std::abort();
    }
    for (const auto& command : script->commands) {
        if (command.kind == uketsuke::ui::ScriptCommand::Kind::PadType && !command.secret) {
            std::abort();
        }
    }
    return 0;
}
