#include "desk/server.hpp"

#include "desk/page.hpp"
#include "base/log.hpp"
#include "kiosk/model/json.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <filesystem>
#include <optional>

namespace uketsuke::desk {
namespace {

const log::Category kLog("desk.server");

constexpr char kSessionContext[] = "uketsuke-desk";
constexpr std::size_t kMaxIdempotencyKey = 128;

struct X509Deleter {
    void operator()(X509* cert) const { X509_free(cert); }
};

std::string openSslError()
{
    unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) {
        return "unknown OpenSSL error";
    }
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    return buffer;
}

// The CN of the client certificate, if the client presented one and it verified against the
// clinic CA. A certificate that does not verify already failed the handshake (SSL_VERIFY_PEER);
// the verify result is checked again so this never trusts more than the handshake did.
std::optional<std::string> verifiedClientName(const SSL* ssl)
{
    if (ssl == nullptr) {
        return std::nullopt;
    }
    std::unique_ptr<X509, X509Deleter> cert(SSL_get1_peer_certificate(ssl));
    if (!cert || SSL_get_verify_result(ssl) != X509_V_OK) {
        return std::nullopt;
    }
    X509_NAME* subject = X509_get_subject_name(cert.get());
    int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (index < 0) {
        return std::nullopt;
    }
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
    unsigned char* utf8 = nullptr;
    int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) {
        return std::nullopt;
    }
    std::string name(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
    OPENSSL_free(utf8);
    return name;
}

void sendJson(httplib::Response& res, int status, const nlohmann::json& body)
{
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

void sendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message)
{
    sendJson(res, status, {{"error", {{"code", code}, {"message", message}}}});
}

bool isApiPath(const std::string& path)
{
    return path.rfind("/api/", 0) == 0;
}

std::string errorCodeForStatus(int status)
{
    switch (status) {
    case 400:
        return "bad_request";
    case 403:
        return "forbidden";
    case 404:
        return "not_found";
    case 405:
        return "method_not_allowed";
    case 413:
        return "payload_too_large";
    case 500:
        return "internal";
    default:
        return "http_" + std::to_string(status);
    }
}

} // namespace

bool isLoopbackAddress(std::string_view address)
{
    std::string text(address);
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
        const unsigned char* b = v6.s6_addr;
        bool zeroPrefix = true;
        for (int i = 0; i < 10; ++i) {
            zeroPrefix = zeroPrefix && b[i] == 0;
        }
        if (zeroPrefix && b[10] == 0 && b[11] == 0) {
            bool loopback = b[15] == 1;
            for (int i = 12; i < 15; ++i) {
                loopback = loopback && b[i] == 0;
            }
            return loopback; // ::1
        }
        return zeroPrefix && b[10] == 0xff && b[11] == 0xff && b[12] == 127; // ::ffff:127.x.x.x
    }
    return false;
}

bool isValidIdempotencyKey(std::string_view key)
{
    if (key.empty() || key.size() > kMaxIdempotencyKey) {
        return false;
    }
    for (char c : key) {
        bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == ':' || c == '-';
        if (!allowed) {
            return false;
        }
    }
    return true;
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

DeskServer::DeskServer(ServerSettings settings, DeskStore& store, kiosk::model::StringTable strings)
    : m_settings(std::move(settings)), m_store(store), m_strings(std::move(strings))
{
}

Result<std::unique_ptr<DeskServer>> DeskServer::create(ServerSettings settings, DeskStore& store,
                                                       kiosk::model::StringTable strings)
{
    for (const std::string* file : {&settings.certFile, &settings.keyFile, &settings.caFile}) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(*file, ec)) {
            return fail(Errc::ConfigMissing, "TLS file " + *file + " is missing");
        }
    }
    std::unique_ptr<DeskServer> server(
        new DeskServer(std::move(settings), store, std::move(strings)));
    const ServerSettings& s = server->m_settings;

    std::string setupError;
    auto setup = [&s, &setupError](SSL_CTX& ctx) {
        ERR_clear_error();
        SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
        SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
        if (SSL_CTX_use_certificate_chain_file(&ctx, s.certFile.c_str()) != 1) {
            setupError = s.certFile + ": " + openSslError();
            return false;
        }
        if (SSL_CTX_use_PrivateKey_file(&ctx, s.keyFile.c_str(), SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_check_private_key(&ctx) != 1) {
            setupError = s.keyFile + ": " + openSslError();
            return false;
        }
        STACK_OF(X509_NAME)* caNames = SSL_load_client_CA_file(s.caFile.c_str());
        if (caNames == nullptr ||
            SSL_CTX_load_verify_locations(&ctx, s.caFile.c_str(), nullptr) != 1) {
            if (caNames != nullptr) {
                sk_X509_NAME_pop_free(caNames, X509_NAME_free);
            }
            setupError = s.caFile + ": " + openSslError();
            return false;
        }
        SSL_CTX_set_client_CA_list(&ctx, caNames);
        // Request a client certificate and verify it when given, but let a client without one
        // finish the handshake: the terminal API refuses it, the loopback page does not need it.
        SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
        SSL_CTX_set_session_id_context(&ctx,
                                       reinterpret_cast<const unsigned char*>(kSessionContext),
                                       sizeof kSessionContext - 1);
        return true;
    };
    server->m_server = std::make_unique<httplib::SSLServer>(setup);
    if (!server->m_server->is_valid()) {
        return fail(Errc::ConfigInvalid,
                    setupError.empty() ? "cannot set up TLS" : "cannot load " + setupError);
    }

    DeskServer* self = server.get();
    httplib::SSLServer& http = *server->m_server;
    // httplib's default sets SO_REUSEPORT, which would let a second desk bind the same port and
    // share its connections. Only SO_REUSEADDR: a port in use is an error.
    http.set_socket_options([](socket_t sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        // httplib writes an answer's headers and body separately; with Nagle's algorithm the
        // body waits for the terminal's delayed ACK (~40 ms a delivery). Accepted sockets
        // inherit this from the listening one.
        ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    });
    http.set_payload_max_length(s.maxBodyBytes);
    http.set_keep_alive_timeout(2);
    http.set_read_timeout(10);
    http.set_write_timeout(10);
    http.set_default_headers({{"Cache-Control", "no-store"},
                              {"X-Content-Type-Options", "nosniff"},
                              {"Referrer-Policy", "no-referrer"}});

    http.Post("/api/v1/checkins", [self](const httplib::Request& req, httplib::Response& res) {
        auto clientName = verifiedClientName(req.ssl);
        if (!clientName) {
            sendError(res, 403, "client_certificate_required",
                      "the terminal API needs a client certificate issued by the clinic CA");
            return;
        }
        auto json = nlohmann::json::parse(req.body, nullptr, false);
        if (json.is_discarded()) {
            sendError(res, 400, "bad_request", "body is not JSON");
            return;
        }
        auto checkIn = kiosk::model::checkInFromJson(json);
        if (!checkIn) {
            sendError(res, 400, "bad_request", checkIn.error().message);
            return;
        }
        if (!isValidIdempotencyKey(checkIn->idempotencyKey)) {
            sendError(res, 400, "bad_request",
                      "idempotency_key must be 1-128 characters of A-Z a-z 0-9 . _ : -");
            return;
        }
        if (checkIn->terminalId != *clientName) {
            UKETSUKE_LOG(kLog, Warn) << "refused check-in: terminal_id differs from the "
                                        "certificate CN "
                                     << *clientName;
            sendError(res, 403, "terminal_mismatch",
                      "terminal_id does not match the client certificate");
            return;
        }
        auto stored = self->m_store.ingest(*checkIn);
        if (!stored) {
            if (stored.error().code == Errc::InvalidArgument) {
                sendError(res, 400, "bad_request", stored.error().message);
            } else {
                UKETSUKE_LOG(kLog, Error) << "cannot store check-in: " << stored.error().message;
                sendError(res, 500, "storage_error", "the desk cannot store the check-in");
            }
            return;
        }
        switch (stored->status) {
        case IngestStatus::Stored:
            UKETSUKE_LOG(kLog, Info)
                << "stored check-in id=" << stored->id << " terminal=" << *clientName;
            sendJson(res, 201, {{"status", "stored"}, {"id", stored->id}});
            break;
        case IngestStatus::Duplicate:
            UKETSUKE_LOG(kLog, Info)
                << "duplicate check-in id=" << stored->id << " terminal=" << *clientName;
            sendJson(res, 200, {{"status", "duplicate"}, {"id", stored->id}});
            break;
        case IngestStatus::Conflict:
            UKETSUKE_LOG(kLog, Warn)
                << "idempotency key of id=" << stored->id << " reused by terminal=" << *clientName;
            sendError(res, 409, "idempotency_conflict",
                      "idempotency_key is already stored for another terminal");
            break;
        }
    });

    http.Get("/api/v1/checkins", [self](const httplib::Request& req, httplib::Response& res) {
        if (!isLoopbackAddress(req.remote_addr)) {
            sendError(res, 403, "loopback_only", "this list answers only on the desk computer");
            return;
        }
        std::string date =
            req.has_param("date") ? req.get_param_value("date") : self->m_settings.today();
        if (!isIsoDate(date)) {
            sendError(res, 400, "bad_request", "date must be YYYY-MM-DD");
            return;
        }
        auto rows = self->m_store.listByLocalDate(date);
        if (!rows) {
            UKETSUKE_LOG(kLog, Error) << "cannot list check-ins: " << rows.error().message;
            sendError(res, 500, "storage_error", "the desk cannot read its check-ins");
            return;
        }
        nlohmann::json list = nlohmann::json::array();
        for (const auto& row : *rows) {
            list.push_back({{"id", row.id},
                            {"local_date", row.localDate},
                            {"local_time", row.localTime},
                            {"received_at", row.receivedAt},
                            {"checkin", kiosk::model::toJson(row.checkIn)}});
        }
        sendJson(res, 200, {{"date", date}, {"checkins", std::move(list)}});
    });

    http.Get("/", [self](const httplib::Request& req, httplib::Response& res) {
        if (!isLoopbackAddress(req.remote_addr)) {
            res.status = 403;
            res.set_content(self->m_strings.tr("desk.page.loopback_only") + "\n",
                            "text/plain; charset=utf-8");
            return;
        }
        const std::string date = self->m_settings.today();
        auto rows = self->m_store.listByLocalDate(date);
        if (!rows) {
            UKETSUKE_LOG(kLog, Error) << "cannot list check-ins: " << rows.error().message;
            res.status = 500;
            res.set_content(self->m_strings.tr("desk.page.storage_error") + "\n",
                            "text/plain; charset=utf-8");
            return;
        }
        res.set_header("Content-Security-Policy",
                       "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        res.set_content(
            renderCheckInPage(self->m_strings, date, *rows, self->m_settings.pageRefresh),
            "text/html; charset=utf-8");
    });

    // Fills the body of error answers that have none (unknown path, body too large): JSON under
    // /api/, text elsewhere. Answers that already carry a body are left as they are.
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const httplib::Request& req, httplib::Response& res) {
            if (!res.body.empty()) {
                return httplib::Server::HandlerResponse::Unhandled;
            }
            if (isApiPath(req.path)) {
                sendError(res, res.status, errorCodeForStatus(res.status),
                          "HTTP status " + std::to_string(res.status));
            } else {
                res.set_content("HTTP status " + std::to_string(res.status) + "\n",
                                "text/plain; charset=utf-8");
            }
            return httplib::Server::HandlerResponse::Handled;
        }));
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
            UKETSUKE_LOG(kLog, Error) << "exception in a request handler";
            sendError(res, 500, "internal", "internal error");
        });
    return server;
}

DeskServer::~DeskServer()
{
    stop();
}

Result<int> DeskServer::start(const std::string& host, int port)
{
    if (m_listener.joinable()) {
        return fail(Errc::InvalidArgument, "the desk server is already started");
    }
    int bound = port;
    if (port == 0) {
        bound = m_server->bind_to_any_port(host);
    } else if (!m_server->bind_to_port(host, port)) {
        bound = -1;
    }
    if (bound <= 0) {
        return fail(Errc::NetworkError, "cannot listen on " + host + ":" + std::to_string(port));
    }
    // The socket listens from here on: connections queue until the accept loop runs.
    m_listener = std::thread([this] {
        m_server->listen_after_bind();
        m_listenerDone = true;
    });
    m_maintenance = std::thread([this] { maintain(); });
    UKETSUKE_LOG(kLog, Info) << "listening on " << host << ":" << bound;
    return bound;
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
    if (m_listener.joinable()) {
        // httplib's stop() only acts once the accept loop has begun, which follows start() by
        // moments; wait for that (or for the loop to have ended) before stopping it.
        while (!m_server->is_running() && !m_listenerDone) {
            std::this_thread::yield();
        }
        m_server->stop();
        m_listener.join();
    }
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
        lock.lock();
        m_wake.wait_for(lock, m_settings.purgeInterval, [this] { return m_stopping; });
    }
}

} // namespace uketsuke::desk
