// uketsuke-kiosk: the thin shell. Reads the configuration, builds the devices and services,
// runs the frame loop (ARCHITECTURE.md "Processes").

#include "base/log.hpp"
#include "hal/sim/persona_card.hpp"
#include "hal/sim/sim_reader.hpp"
#include "kiosk/card/doctor.hpp"
#include "kiosk/config/config.hpp"
#include "ui/app.hpp"
#include "ui/shell.hpp"

#if UKETSUKE_HAVE_PCSC
#include "hal/pcsc/pcsc_reader.hpp"
#endif

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

const uketsuke::log::Category kLog("ui.main");

// Check-ins still waiting for the desk are kept in the outbox either way; a headless run waits
// this long for them to go out so that scripts and tests see them at the desk.
constexpr auto kHeadlessDrain = std::chrono::seconds(15);

// `uketsuke-kiosk doctor card` (docs/doctor.md): the reader named by the configuration, the
// card diagnosis as JSON on stdout. Exit 0 when a My Number card was read completely.
int runDoctorCard(const uketsuke::kiosk::config::KioskConfig& config)
{
    using namespace uketsuke;
    kiosk::card::DoctorOptions options;
    options.waitForCard = std::chrono::seconds(config.doctorWaitSeconds);
    options.now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    nlohmann::json report;
    if (config.readerKind == "pcsc") {
#if UKETSUKE_HAVE_PCSC
        hal::pcsc::PcscReaderOptions readerOptions;
        readerOptions.readerName = config.readerName;
        hal::pcsc::PcscReader reader(readerOptions);
        if (auto readers = reader.listReaders(); readers) {
            options.readers = *readers;
        } else {
            options.readersError = readers.error();
        }
        report = kiosk::card::doctorCard(reader, options);
#else
        std::fprintf(stderr, "uketsuke-kiosk: reader \"pcsc\" is not in this build\n");
        return 2;
#endif
    } else {
        // The demo's virtual card, with its counters in the data directory as the terminal
        // keeps them.
        auto card = hal::sim::loadPersonaCard(config.simPkiDir, config.simPersona,
                                              config.dataDir + "/card-" + config.simPersona +
                                                  ".json");
        if (!card) {
            std::fprintf(stderr, "uketsuke-kiosk: sim.persona '%s': %s\n",
                         config.simPersona.c_str(), card.error().message.c_str());
            return 2;
        }
        hal::sim::SimCardReader reader;
        reader.insert(*card);
        options.readers = {reader.name()};
        report = kiosk::card::doctorCard(reader, options);
    }
    std::cout << report.dump(2) << std::endl;
    return report["ok"] == true ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    using namespace uketsuke;
    std::vector<std::string> args(argv + 1, argv + argc);
    auto config = kiosk::config::parseKioskArgs(args);
    if (!config) {
        std::fprintf(stderr, "uketsuke-kiosk: %s\n", config.error().message.c_str());
        return 2;
    }
    if (config->action == kiosk::config::KioskConfig::Action::Help) {
        std::fputs(kiosk::config::kioskUsage().c_str(), stdout);
        return 0;
    }
    if (config->action == kiosk::config::KioskConfig::Action::Version) {
        std::printf("uketsuke-kiosk %s\n", UKETSUKE_VERSION);
        return 0;
    }
    if (config->action == kiosk::config::KioskConfig::Action::DoctorCard) {
        return runDoctorCard(*config);
    }

    auto app = ui::App::build(*config, ui::makeSdlWake());
    if (!app) {
        std::fprintf(stderr, "uketsuke-kiosk: %s\n", app.error().message.c_str());
        auto code = app.error().code;
        return code == Errc::ConfigInvalid || code == Errc::ConfigMissing ? 2 : 1;
    }
    (*app)->start();
    int status = ui::runKiosk(*config, (*app)->strings(), (*app)->terminal(),
                              (*app)->demoControls());
    if (config->headless) {
        int left = (*app)->drainOutbox(kHeadlessDrain);
        if (left != 0) {
            UKETSUKE_LOG(kLog, Warn) << left << " check-in(s) not yet delivered to the desk; "
                                     << "they stay in the outbox";
        }
    }
    (*app)->stop();
    return status;
}
