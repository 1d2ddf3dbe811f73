#include "desk/app.hpp"

#include "desk/accounts.hpp"
#include "desk/auth.hpp"
#include "desk/pairing.hpp"
#include "desk/server.hpp"
#include "desk/store.hpp"
#include "base/files.hpp"
#include "base/log.hpp"
#include "base/service.hpp"
#include "base/signals.hpp"
#include "base/time.hpp"
#include "kiosk/model/pairing.hpp"
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

    auto zone = time::Zone::load(options.timeZone);
    if (!zone) {
        err << "uketsuke-desk: " << zone.error().message << std::endl;
        return kExitBadConfig;
    }
    auto store = DeskStore::open(
        (std::filesystem::path(options.dataDir) / "desk.sqlite3").string(), *zone);
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
    for (const auto& file : {settings.certFile, settings.keyFile, settings.caFile}) {
        if (!std::filesystem::exists(file)) {
            err << "uketsuke-desk: pki: " << file << " is missing" << std::endl;
            return kExitBadConfig;
        }
    }
    // Pairing (docs/pairing.md): the desk's own CA for terminals, trusted beside the clinic CA.
    auto pairing = PairingService::open(options.dataDir, settings.caFile, settings.caFile);
    if (!pairing) {
        err << "uketsuke-desk: pairing: " << pairing.error().message << std::endl;
        return pairing.error().code == Errc::ConfigInvalid ? kExitBadConfig : kExitCannotStart;
    }
    settings.caFile = (*pairing)->clientCaFile().string();
    settings.pairing = pairing->get();
    settings.exporting = options.exporting;
    settings.metricsAllow = options.metricsAllow;
    settings.terminalUpWithin = std::chrono::seconds(options.terminalUpSeconds);
    settings.retentionDays = options.retentionDays;
    settings.limits = options.limits;
    settings.assetsDir = options.assetsDir;
    settings.waitAlertMinutes = options.waitAlertMinutes;
    settings.terminalSilentSeconds = options.terminalSilentSeconds;
    settings.cardLeftSeconds = options.cardLeftSeconds;
    settings.recheck = options.recheck;
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
    const std::string url = uketsuke::options::httpsUrl(options.listenHost, *port);
    out << "listening " << url << std::endl;
    // systemd (Type=notify): started once it serves; nothing is sent outside systemd.
    auto notifier = service::systemdNotifier();
    notifier->notify("READY=1\nSTATUS=listening " + url);

    int signal = stopSignals.wait().value_or(0);
    UKETSUKE_LOG(kLog, Info) << "stopping on signal " << signal;
    notifier->notify("STOPPING=1");
    (*server)->stop();
    return 0;
}

int runExport(const DeskOptions& options, std::ostream& out, std::ostream& err)
{
    auto zone = time::Zone::load(options.timeZone);
    if (!zone) {
        err << "uketsuke-desk: " << zone.error().message << std::endl;
        return kExitBadConfig;
    }
    const auto file = std::filesystem::path(options.dataDir) / "desk.sqlite3";
    if (!std::filesystem::exists(file)) {
        err << "uketsuke-desk: data: no database " << file.string() << std::endl;
        return kExitCannotStart;
    }
    auto store = DeskStore::open(file.string(), *zone);
    if (!store) {
        err << "uketsuke-desk: data: " << store.error().message << std::endl;
        return kExitCannotStart;
    }
    Exporter exporter(options.exporting, *zone);
    auto count = exporter.exportDay(**store, options.exportDate);
    if (!count) {
        err << "uketsuke-desk: export: " << count.error().message << std::endl;
        return kExitCannotStart;
    }
    out << "exported " << *count << " check-ins of " << options.exportDate << " to "
        << options.exporting.dir.string() << std::endl;
    return 0;
}

int runPairCode(const DeskOptions& options, const std::string& terminalId, std::ostream& out,
                std::ostream& err)
{
    if (!isTerminalId(terminalId)) {
        err << "uketsuke-desk: pair-code: a terminal id is 1 to 32 of A-Z a-z 0-9 . _ -"
            << std::endl;
        return kExitBadConfig;
    }
    if (auto folder = files::ensurePrivateDir(options.dataDir); !folder) {
        err << "uketsuke-desk: data: " << folder.error().message << std::endl;
        return kExitBadConfig;
    }
    const ServerSettings settings = settingsForPki(options.pkiDir);
    auto pairing = PairingService::open(options.dataDir, settings.caFile, settings.caFile);
    if (!pairing) {
        err << "uketsuke-desk: pairing: " << pairing.error().message << std::endl;
        return pairing.error().code == Errc::ConfigInvalid ? kExitBadConfig : kExitCannotStart;
    }
    auto code = (*pairing)->makeCode(terminalId, time::Clock::now());
    if (!code) {
        err << "uketsuke-desk: pair-code: " << code.error().message << std::endl;
        return kExitCannotStart;
    }
    auto accounts =
        AccountStore::open(std::filesystem::path(options.dataDir) / "accounts.sqlite3");
    if (accounts) {
        (void)(*accounts)->audit(AuditEntry{time::isoUtc(time::Clock::now()), "", "cli",
                                            "pairing_code", "ok", "terminal=" + terminalId, ""});
    }
    out << "pairing code for " << terminalId << ": "
        << kiosk::model::groupCodeDigits(code->code) << " until "
        << time::isoUtc(code->expiresAt) << std::endl;
    return 0;
}

} // namespace uketsuke::desk
