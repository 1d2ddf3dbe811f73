#include "kiosk/app/doctor.hpp"

#include "kiosk/app/startup_checks.hpp"
#include "kiosk/card/doctor.hpp"

#include <chrono>

namespace uketsuke::kiosk::app {

int doctorCard(const config::KioskConfig& config, const DeviceRegistry& devices,
               std::ostream& out, std::ostream& err)
{
    auto reader = devices.makeReader(config);
    if (!reader) {
        err << "uketsuke-kiosk: " << reader.error().message << "\n";
        return 2;
    }
    card::DoctorOptions options;
    options.waitForCard = std::chrono::seconds(config.doctorWaitSeconds);
    options.now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    if (reader->listReaders) {
        if (auto readers = reader->listReaders(); readers) {
            options.readers = *readers;
        } else {
            options.readersError = readers.error();
        }
    } else {
        options.readers = {reader->reader->name()};
    }
    if (reader->demo.insertCard) {
        reader->demo.insertCard(); // the simulated reader: its virtual card is on it
    }
    nlohmann::json report = card::doctorCard(*reader->reader, options);
    out << report.dump(2) << std::endl;
    return report["ok"] == true ? 0 : 1;
}

} // namespace uketsuke::kiosk::app

namespace uketsuke::kiosk::app {

int doctorConfig(const config::KioskConfig& config, std::ostream& out)
{
    auto checks = runStartupChecks(config);
    out << startupChecksJson(checks).dump(2) << std::endl;
    if (firstInvalid(checks) != nullptr) {
        return 2;
    }
    return missing(checks).empty() ? 0 : 1;
}

} // namespace uketsuke::kiosk::app
