// The back ends compiled into this build. CMake writes backends.inc with one line per back end
// (kiosk/app/CMakeLists.txt: UKETSUKE_BACKEND(Sim), UKETSUKE_BACKEND(Pcsc), ...); each one's
// register function lives in kiosk/app/backends/<name>.cpp.

#include "kiosk/app/devices.hpp"

namespace uketsuke::kiosk::app {

#define UKETSUKE_BACKEND(Name) void register##Name(DeviceRegistry& registry);
#include "backends.inc"
#undef UKETSUKE_BACKEND

DeviceRegistry builtinDevices()
{
    DeviceRegistry registry;
#define UKETSUKE_BACKEND(Name) register##Name(registry);
#include "backends.inc"
#undef UKETSUKE_BACKEND
    return registry;
}

} // namespace uketsuke::kiosk::app
