#include "sim/gateway_server.hpp"

#include "base/log.hpp"
#include "base/options.hpp"
#include "net/tls_context.hpp"
#include "sim/pki.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace uketsuke::sim {
namespace {

using nlohmann::json;

const log::Category kLog("sim.gateway");

constexpr std::size_t kMaxBodyBytes = 64 * 1024;
// Injected delays hold a handler thread each; a few threads keep the others answering.
constexpr int kHandlerThreads = 4;

net::Response toResponse(const GatewayReply& reply, const std::string& date = {})
{
    net::Response response = net::Response::json(
        reply.status, reply.body.dump(-1, ' ', false, json::error_handler_t::replace));
    if (!date.empty()) {
        response.headers.emplace_back("Date", date);
    }
    return response;
}

} // namespace

struct GatewayServer::Impl {
    std::unique_ptr<GatewayService> service;
    net::TlsSettings tls;
    net::Limits limits;
    bool allowFaultControl = false;
    FaultInjector faults;
    std::atomic<int> challengeRequests{0};
    std::atomic<int> confirmRequests{0};
    std::atomic<int> enrolRequests{0};
    // stop() wakes run() and injected delays, so a server never outlives its stop by a delay.
    std::mutex stopMutex;
    std::condition_variable stopWake;
    bool stopRequested = false;
    // Last, so it stops (joining its handlers) before the members they use go.
    std::unique_ptr<net::Server> server;

    // One protocol request, with the faults in force. Thread: a handler of the server.
    net::Response serve(FaultTarget endpoint, const net::Request& request)
    {
        (endpoint == FaultTarget::Challenge ? challengeRequests : confirmRequests)++;
        const std::string date = httpDate(service->wallNow());
        auto fault = faults.take(endpoint);
        if (fault) {
            UKETSUKE_LOG(kLog, Info) << "injecting fault " << faultKindName(fault->kind) << " on "
                                     << request.path;
        }
        if (fault && fault->kind == FaultKind::Delay) {
            std::unique_lock lock(stopMutex);
            stopWake.wait_for(lock, fault->delay, [this] { return stopRequested; });
        }
        if (fault && fault->kind == FaultKind::ServerError) {
            GatewayReply reply = protocolErrorReply(fault->status, "injected fault");
            return toResponse(reply, date);
        }
        if (fault && fault->kind == FaultKind::MalformedJson) {
            net::Response response = net::Response::json(200, "{\"challenge_id\": \"5f0c2a9e");
            response.headers.emplace_back("Date", date);
            return response;
        }
        // These routes need a client certificate: the server let only verified ones through.
        const std::string terminal = request.clientName.value_or(std::string());
        GatewayReply reply =
            endpoint == FaultTarget::Challenge
                ? service->challenge(terminal, request.body,
                                     fault && fault->kind == FaultKind::ExpiredChallenge
                                         ? ChallengeMode::Expired
                                         : ChallengeMode::Normal)
                : service->confirm(terminal, request.body);
        if (fault && fault->kind == FaultKind::DropConnection) {
            net::Response dropped;
            dropped.dropConnection = true; // processed, but the answer never arrives
            return dropped;
        }
        return toResponse(reply, date);
    }

    net::Response control(const net::Request& request, bool set)
    {
        const std::string date = httpDate(service->wallNow());
        if (!net::isLoopbackAddress(request.peerAddress)) {
            UKETSUKE_LOG(kLog, Warn) << "fault control refused for a non-loopback peer";
            return toResponse(protocolErrorReply(404, "no such endpoint"), date);
        }
        if (!set) {
            faults.clear();
            return toResponse(GatewayReply{200, json{{"faults", 0}}}, date);
        }
        auto rules = faultsFromJson(json::parse(request.body, nullptr, false));
        if (!rules) {
            return toResponse(protocolErrorReply(400, rules.error().message), date);
        }
        const std::size_t count = rules->size();
        faults.set(std::move(*rules));
        UKETSUKE_LOG(kLog, Info) << "fault rules set: " << count;
        return toResponse(GatewayReply{200, json{{"faults", count}}}, date);
    }

    net::Router routes()
    {
        net::Router router;
        router.add("POST", "/v1/challenge", [this](const net::Request& request) {
            return serve(FaultTarget::Challenge, request);
        });
        router.add("POST", "/v1/confirm", [this](const net::Request& request) {
            return serve(FaultTarget::Confirm, request);
        });
        router.add("GET", "/v1/health", [this](const net::Request&) {
            return toResponse(GatewayReply{200, json{{"status", "ok"}, {"protocol", "v1"}}},
                              httpDate(service->wallNow()));
        });
        // The one route a terminal reaches without a client certificate: it has none yet.
        router.add(
            "POST", "/v1/enrol",
            [this](const net::Request& request) {
                enrolRequests++;
                const std::string date = httpDate(service->wallNow());
                return toResponse(service->enrol(request.body), date);
            },
            net::RouteOptions{false});
        if (allowFaultControl) {
            router.add("POST", "/control/faults",
                       [this](const net::Request& request) { return control(request, true); });
            router.add("DELETE", "/control/faults",
                       [this](const net::Request& request) { return control(request, false); });
            UKETSUKE_LOG(kLog, Warn) << "fault injection enabled (/control/faults, loopback only)";
        }
        // Statuses the server decides itself (unknown route, body too large, no client
        // certificate) get our error body and the Date header.
        router.setErrorBody([this](int status, std::string_view code, const net::Request&) {
            return toResponse(serverErrorReply(status, code), httpDate(service->wallNow()));
        });
        return router;
    }
};

GatewayServer::GatewayServer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

GatewayServer::~GatewayServer()
{
    stop();
}

net::Limits GatewayServer::defaultLimits()
{
    net::Limits limits;
    limits.maxBodyBytes = kMaxBodyBytes;
    return limits;
}

Result<std::unique_ptr<GatewayServer>> GatewayServer::create(GatewayOptions options,
                                                             net::Limits limits)
{
    const PkiLayout layout(options.pkiDir);
    for (const auto& file : {layout.gatewayCert(), layout.gatewayKey(), layout.tlsCa()}) {
        std::error_code error;
        if (!std::filesystem::is_regular_file(file, error)) {
            return fail(Errc::ConfigMissing, "missing " + file.string() +
                                                 " (create it with `uketsuke-sim pki --out DIR`)");
        }
    }
    auto impl = std::make_unique<Impl>();
    impl->allowFaultControl = options.allowFaultControl;
    impl->limits = limits;
    impl->tls.certFile = layout.gatewayCert().string();
    impl->tls.keyFile = layout.gatewayKey().string();
    impl->tls.caFile = layout.tlsCa().string();
    // A client certificate is asked for: one that does not chain to the TLS CA or lacks
    // clientAuth fails the handshake. A client without one (a terminal not enrolled yet) reaches
    // POST /v1/enrol only; every other route answers it 403 client_certificate_required.
    impl->tls.clientAuth = net::ClientAuth::Optional;
    impl->tls.requireClientAuthPurpose = true;
    impl->tls.sessionContext = "uketsuke-gateway";
    auto service = GatewayService::create(std::move(options));
    if (!service) {
        return fail(std::move(service).error());
    }
    impl->service = std::move(*service);
    auto context = net::makeServerContext(impl->tls);
    if (!context) {
        return fail(Errc::ConfigInvalid, "TLS set-up failed: " + context.error().message);
    }
    return std::unique_ptr<GatewayServer>(new GatewayServer(std::move(impl)));
}

Result<int> GatewayServer::bind(const std::string& host, int port)
{
    if (m_impl->server) {
        return fail(Errc::InvalidArgument, "the gateway is already bound");
    }
    net::raiseOpenFileLimit();
    net::ServerSettings settings;
    settings.handlerThreads = kHandlerThreads;
    settings.limits = m_impl->limits;
    m_impl->server = std::make_unique<net::Server>(settings);
    auto bound = m_impl->server->listen(host, port, m_impl->tls, m_impl->routes());
    if (!bound) {
        return fail(Errc::NetworkError, bound.error().message, bound.error().native);
    }
    UKETSUKE_LOG(kLog, Info) << "listening on " << options::httpsUrl(host, *bound);
    return *bound;
}

Result<void> GatewayServer::run()
{
    if (!m_impl->server) {
        return fail(Errc::InvalidArgument, "run() before bind()");
    }
    std::unique_lock lock(m_impl->stopMutex);
    if (m_impl->stopRequested) {
        return ok();
    }
    m_impl->server->start();
    m_impl->stopWake.wait(lock, [this] { return m_impl->stopRequested; });
    lock.unlock();
    m_impl->server->stop();
    UKETSUKE_LOG(kLog, Info) << "stopped";
    return ok();
}

void GatewayServer::stop()
{
    {
        std::lock_guard lock(m_impl->stopMutex);
        m_impl->stopRequested = true;
    }
    m_impl->stopWake.notify_all();
}

GatewayService& GatewayServer::service()
{
    return *m_impl->service;
}

FaultInjector& GatewayServer::faults()
{
    return m_impl->faults;
}

int GatewayServer::challengeRequests() const
{
    return m_impl->challengeRequests.load();
}

int GatewayServer::confirmRequests() const
{
    return m_impl->confirmRequests.load();
}

int GatewayServer::enrolRequests() const
{
    return m_impl->enrolRequests.load();
}

net::ServerStats GatewayServer::stats() const
{
    return m_impl->server ? m_impl->server->stats() : net::ServerStats{};
}

} // namespace uketsuke::sim
