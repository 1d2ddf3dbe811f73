#include "desk/server.hpp"

#include "base/log.hpp"
#include "net/tls_context.hpp"

#include <filesystem>

namespace uketsuke::desk {
namespace {

const log::Category kLog("desk.server");

net::TlsSettings tlsSettings(const ServerSettings& s)
{
    net::TlsSettings tls;
    tls.certFile = s.certFile;
    tls.keyFile = s.keyFile;
    tls.caFile = s.caFile;
    // Ask every client for a certificate and verify it when given, but let a client without one
    // finish the handshake: the terminal API refuses it, staff at a reception PC log in
    // instead (desk/auth.hpp).
    tls.clientAuth = net::ClientAuth::Optional;
    tls.sessionContext = "uketsuke-desk";
    return tls;
}

} // namespace

net::Limits ServerSettings::defaultLimits()
{
    net::Limits limits;
    limits.maxBodyBytes = 256 * 1024;
    return limits;
}

ServerSettings settingsForPki(const std::string& pkiDir)
{
    ServerSettings settings;
    const std::filesystem::path tls = std::filesystem::path(pkiDir) / "tls";
    settings.certFile = (tls / "desk.pem").string();
    settings.keyFile = (tls / "desk.key").string();
    settings.caFile = (tls / "ca.pem").string();
    return settings;
}

DeskServer::DeskServer(ServerSettings settings, DeskStore& store, StaffAuth& auth,
                       kiosk::model::StringTable strings, std::unique_ptr<RecheckWorker> recheck)
    : m_settings(std::move(settings)), m_store(store), m_auth(auth), m_strings(std::move(strings)),
      m_recheck(std::move(recheck))
{
    if (!m_settings.exporting.dir.empty()) {
        m_exporter = std::make_unique<Exporter>(m_settings.exporting, m_store.zone());
    }
}

Result<std::unique_ptr<DeskServer>> DeskServer::create(ServerSettings settings, DeskStore& store,
                                                       StaffAuth& auth,
                                                       kiosk::model::StringTable strings)
{
    // Load the TLS files once now, so a bad file is a start-up error and not a bind-time one.
    auto context = net::makeServerContext(tlsSettings(settings));
    if (!context) {
        return fail(std::move(context).error());
    }
    std::unique_ptr<RecheckWorker> recheck;
    if (settings.recheck.enabled()) {
        auto worker = RecheckWorker::create(settings.recheck, store);
        if (!worker) {
            return fail(std::move(worker).error());
        }
        recheck = std::move(*worker);
    }
    return std::unique_ptr<DeskServer>(new DeskServer(std::move(settings), store, auth,
                                                      std::move(strings), std::move(recheck)));
}

DeskServer::~DeskServer()
{
    stop();
}

Result<int> DeskServer::start(const std::string& host, int port)
{
    if (m_server) {
        return fail(Errc::InvalidArgument, "the desk server is already started");
    }
    net::raiseOpenFileLimit();
    net::ServerSettings settings;
    settings.limits = m_settings.limits;
    settings.handlerThreads = m_settings.handlerThreads;
    m_server = std::make_unique<net::Server>(settings);
    RouteSettings routeSettings;
    routeSettings.pageRefresh = m_settings.pageRefresh;
    routeSettings.today = m_settings.today;
    routeSettings.exporter = m_exporter.get();
    routeSettings.metrics = &m_metrics;
    routeSettings.metricsAllow = m_settings.metricsAllow;
    routeSettings.terminalUpWithin = m_settings.terminalUpWithin;
    routeSettings.assetsDir = m_settings.assetsDir;
    routeSettings.waitAlertMinutes = m_settings.waitAlertMinutes;
    routeSettings.terminalSilentSeconds = m_settings.terminalSilentSeconds;
    routeSettings.cardLeftSeconds = m_settings.cardLeftSeconds;
    routeSettings.recheck = m_recheck.get();
    routeSettings.pairing = m_settings.pairing;
    auto bound = m_server->listen(host, port, tlsSettings(m_settings),
                                  deskRoutes(m_store, m_auth, m_strings, std::move(routeSettings)));
    if (!bound) {
        return fail(std::move(bound).error());
    }
    m_server->start();
    m_maintenance = std::thread([this] { maintain(); });
    UKETSUKE_LOG(kLog, Info) << "listening on " << host << ":" << *bound;
    return *bound;
}

void DeskServer::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_maintenance.joinable()) {
        m_maintenance.join();
    }
    if (m_recheck) {
        m_recheck->stop();
    }
    if (m_server) {
        m_server->stop();
    }
}

net::ServerStats DeskServer::stats() const
{
    return m_server ? m_server->stats() : net::ServerStats{};
}

void DeskServer::maintain()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        lock.unlock();
        auto purged = m_store.purgeOlderThan(m_settings.retentionDays);
        if (!purged) {
            UKETSUKE_LOG(kLog, Error) << "cannot purge old check-ins: " << purged.error().message;
        } else if (*purged > 0) {
            UKETSUKE_LOG(kLog, Info) << "purged " << *purged << " check-ins older than "
                                     << m_settings.retentionDays << " days";
        }
        if (m_exporter) {
            auto files = m_exporter->purgeOlderThan(m_settings.retentionDays);
            if (!files) {
                UKETSUKE_LOG(kLog, Error) << "cannot purge old export files: "
                                          << files.error().message;
            } else if (*files > 0) {
                UKETSUKE_LOG(kLog, Info) << "purged " << *files << " export files older than "
                                         << m_settings.retentionDays << " days";
            }
        }
        lock.lock();
        m_wake.wait_for(lock, m_settings.purgeInterval, [this] { return m_stopping; });
    }
}

} // namespace uketsuke::desk
