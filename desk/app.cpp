#include "desk/app.hpp"

#include "desk/server.hpp"
#include "desk/store.hpp"
#include "base/files.hpp"
#include "base/log.hpp"
#include "kiosk/model/strings.hpp"

#include <csignal>
#include <filesystem>
#include <pthread.h>

namespace uketsuke::desk {
namespace {

const log::Category kLog("desk");

constexpr int kExitCannotStart = 1;
constexpr int kExitBadConfig = 2;

} // namespace

int runDesk(const DeskOptions& options, std::ostream& out, std::ostream& err)
{
    // Signals are taken synchronously with sigwait() below; every thread started from here
    // inherits the mask, so none of them is interrupted.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto strings = kiosk::model::StringTable::load(options.assetsDir + "/i18n", "ja");
    if (!strings) {
        err << "uketsuke-desk: assets: " << strings.error().message << std::endl;
        return kExitBadConfig;
    }

    // The folder holds personal data: only the desk's user may read it, also when it existed.
    if (auto folder = files::ensurePrivateDir(options.dataDir); !folder) {
        err << "uketsuke-desk: data: " << folder.error().message << std::endl;
        return kExitBadConfig;
    }

    auto store =
        DeskStore::open((std::filesystem::path(options.dataDir) / "desk.sqlite3").string());
    if (!store) {
        err << "uketsuke-desk: data: " << store.error().message << std::endl;
        return kExitCannotStart;
    }

    ServerSettings settings = settingsForPki(options.pkiDir);
    settings.retentionDays = options.retentionDays;
    auto server = DeskServer::create(std::move(settings), **store, std::move(*strings));
    if (!server) {
        err << "uketsuke-desk: pki: " << server.error().message << std::endl;
        return kExitBadConfig;
    }
    auto port = (*server)->start(options.listenHost, options.listenPort);
    if (!port) {
        err << "uketsuke-desk: listen: " << port.error().message << std::endl;
        return kExitCannotStart;
    }
    out << "listening " << httpsUrl(options.listenHost, *port) << std::endl;

    int signal = 0;
    sigwait(&signals, &signal);
    UKETSUKE_LOG(kLog, Info) << "stopping on signal " << signal;
    (*server)->stop();
    return 0;
}

} // namespace uketsuke::desk
