// uketsuke-kiosk: the thin shell. Reads the configuration, builds the terminal application
// (kiosk/app) and runs the frame loop (docs/programs/uketsuke-kiosk.md).

#include "base/log.hpp"
#include "base/service.hpp"
#include "base/signals.hpp"
#include "kiosk/app/app.hpp"
#include "kiosk/app/doctor.hpp"
#include "kiosk/app/enrolment.hpp"
#include "kiosk/app/pairing.hpp"
#include "kiosk/app/staff_command.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/voice/prepare.hpp"
#include "ui/host.hpp"
#include "ui/shell.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

const uketsuke::log::Category kLog("ui.main");

// Check-ins still waiting for the desk are kept in the outbox either way; a headless run waits
// this long for them to go out so that scripts and tests see them at the desk.
constexpr auto kHeadlessDrain = std::chrono::seconds(15);

// The exit status after "restart" in the staff menu: not 0, so that the log shows why; the unit's
// Restart=always starts the service again (EX_TEMPFAIL; docs/staff.md).
constexpr int kRestartStatus = 75;

// The staff menu over the app's console; "restart" ends the frame loop like SIGTERM does.
uketsuke::ui::StaffUi staffUi(uketsuke::kiosk::app::App& app)
{
    app.onRestartRequested([] { uketsuke::ui::requestQuit(); });
    uketsuke::ui::StaffUi staff;
    staff.console = &app.staff();
    staff.page = [&app](uketsuke::kiosk::staff::Section section) {
        return app.staffPage(section);
    };
    return staff;
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
    switch (config->action) {
    case kiosk::config::KioskConfig::Action::Help:
        std::fputs(kiosk::config::kioskUsage().c_str(), stdout);
        return 0;
    case kiosk::config::KioskConfig::Action::Version:
        std::printf("uketsuke-kiosk %s\n", UKETSUKE_VERSION);
        return 0;
    case kiosk::config::KioskConfig::Action::DoctorCard:
        return kiosk::app::doctorCard(*config, kiosk::app::builtinDevices(), std::cout,
                                      std::cerr);
    case kiosk::config::KioskConfig::Action::DoctorConfig:
        return kiosk::app::doctorConfig(*config, std::cout);
    case kiosk::config::KioskConfig::Action::DoctorPrinter:
        return kiosk::app::doctorPrinter(*config, kiosk::app::builtinDevices(), std::cout,
                                         std::cerr);
    case kiosk::config::KioskConfig::Action::StaffAdd:
    case kiosk::config::KioskConfig::Action::StaffPasswd:
    case kiosk::config::KioskConfig::Action::StaffDisable:
    case kiosk::config::KioskConfig::Action::StaffList:
        return kiosk::app::staffCommand(*config, std::cin, ::isatty(STDIN_FILENO) == 1,
                                        std::cout, std::cerr);
    case kiosk::config::KioskConfig::Action::Enrol:
        return kiosk::app::enrolCommand(*config, std::cin, ::isatty(STDIN_FILENO) == 1,
                                        std::cout, std::cerr);
    case kiosk::config::KioskConfig::Action::Pair:
        return kiosk::app::pairCommand(*config, std::cin, ::isatty(STDIN_FILENO) == 1, std::cout,
                                       std::cerr);
    case kiosk::config::KioskConfig::Action::Voice: {
        auto strings =
            kiosk::model::StringCatalog::load(config->assetsDir + "/i18n", config->language);
        if (!strings) {
            std::fprintf(stderr, "uketsuke-kiosk: %s\n", strings.error().message.c_str());
            return 2;
        }
        kiosk::voice::SynthOptions options;
        options.cacheDir = config->sound.cacheDir;
        return kiosk::voice::prepareVoices(*strings, options, std::cout, std::cerr);
    }
    case kiosk::config::KioskConfig::Action::Run:
        break;
    }

    // Before any thread starts: the environment SDL reads (ui::prepareEnvironment), and
    // SIGTERM (systemd) and SIGINT end the frame loop, then the workers stop and join.
    ui::prepareEnvironment();
    StopSignals stopSignals;
    stopSignals.onStop([](int signal) {
        UKETSUKE_LOG(kLog, Info) << "stopping on signal " << signal;
        ui::requestQuit();
    });
    auto notifier = service::systemdNotifier();

    auto app = kiosk::app::App::build(*config, ui::makeSdlWake());
    if (!app) {
        std::fprintf(stderr, "uketsuke-kiosk: %s\n", app.error().message.c_str());
        auto code = app.error().code;
        return code == Errc::ConfigInvalid || code == Errc::ConfigMissing ? 2 : 1;
    }
    // The watchdog pings while every worker is alive (none run in not-ready).
    std::optional<service::Watchdog> watchdog;
    if (auto interval = service::watchdogInterval()) {
        watchdog.emplace(*notifier, (*app)->heartbeats(), *interval);
    }
    if ((*app)->mode() == kiosk::app::BootMode::NotReady) {
        std::vector<std::string> missing;
        std::string status = "STATUS=not ready, missing:";
        for (const auto& check : (*app)->notReady()) {
            missing.push_back(check.key);
            status += " " + check.key;
        }
        notifier->notify("READY=1\n" + status);
        if (watchdog) {
            watchdog->start();
        }
        int result = ui::runNotReady(*config, (*app)->strings().defaultTable(), missing,
                                     staffUi(**app));
        notifier->notify("STOPPING=1");
        return (*app)->restartRequested() ? kRestartStatus : result;
    }
    (*app)->start();
    notifier->notify("READY=1\nSTATUS=running, terminal " + (*app)->terminalId());
    if (watchdog) {
        watchdog->start();
    }
    int status = ui::runKiosk(*config, (*app)->strings(), (*app)->terminal(),
                              (*app)->demoControls(), staffUi(**app));
    notifier->notify("STOPPING=1");
    if (config->headless) {
        int left = (*app)->drainOutbox(kHeadlessDrain);
        if (left != 0) {
            UKETSUKE_LOG(kLog, Warn) << left << " check-in(s) not yet delivered to the desk; "
                                     << "they stay in the outbox";
        }
    }
    if (watchdog) {
        watchdog->stop();
    }
    (*app)->stop();
    return (*app)->restartRequested() ? kRestartStatus : status;
}
