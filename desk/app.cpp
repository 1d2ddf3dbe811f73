#include "desk/app.hpp"

#include "desk/accounts.hpp"
#include "desk/auth.hpp"
#include "desk/server.hpp"
#include "desk/store.hpp"
#include "base/files.hpp"
#include "base/log.hpp"
#include "base/signals.hpp"
#include "kiosk/model/strings.hpp"

#include <filesystem>

namespace uketsuke::desk {
namespace {

const log::Category kLog("desk");

constexpr int kExitCannotStart = 1;
constexpr int kExitBadConfig = 2;

} // namespace

int runDesk(const DeskOptions& options, std::ostream& out, std::ostream& err)
{
    // Signals are taken synchronously with wait() below; every thread started from here
    // inherits the mask, so none of them is interrupted.
    StopSignals stopSignals;

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

    // Staff accounts live in a file of their own (desk/accounts.hpp).
    auto accounts =
        AccountStore::open(std::filesystem::path(options.dataDir) / "accounts.sqlite3");
    if (!accounts) {
        err << "uketsuke-desk: data: " << accounts.error().message << std::endl;
        return kExitCannotStart;
    }
    StaffAuth auth(**accounts, options.staff);

    ServerSettings settings = settingsForPki(options.pkiDir);
    settings.retentionDays = options.retentionDays;
    settings.limits = options.limits;
    auto server = DeskServer::create(std::move(settings), **store, auth, std::move(*strings));
    if (!server) {
        err << "uketsuke-desk: pki: " << server.error().message << std::endl;
        return kExitBadConfig;
    }
    auto port = (*server)->start(options.listenHost, options.listenPort);
    if (!port) {
        err << "uketsuke-desk: listen: " << port.error().message << std::endl;
        return kExitCannotStart;
    }
    out << "listening " << uketsuke::options::httpsUrl(options.listenHost, *port) << std::endl;

    int signal = stopSignals.wait().value_or(0);
    UKETSUKE_LOG(kLog, Info) << "stopping on signal " << signal;
    (*server)->stop();
    return 0;
}

} // namespace uketsuke::desk
