#include "net/https_client.hpp"

#include "base/log.hpp"
#include "base/time.hpp"

#include <curl/curl.h>

#include <array>
#include <chrono>
#include <ctime>
#include <optional>
#include <mutex>
#include <string_view>

namespace uketsuke::net {

std::optional<std::chrono::system_clock::time_point> dateFromHeaderLine(std::string_view line)
{
    constexpr std::string_view kName = "date:";
    if (line.size() <= kName.size()) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < kName.size(); ++i) {
        const char c = line[i];
        if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kName[i]) {
            return std::nullopt;
        }
    }
    std::string value(line.substr(kName.size()));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) {
        value.pop_back();
    }
    // curl_getdate reads a C string: a NUL inside the header ends it early, which is harmless.
    const std::time_t parsed = curl_getdate(value.c_str(), nullptr);
    // A date before 1678 or after 2261 does not fit the clock (fuzz_gateway_reply found
    // curl_getdate reading a year two million, whose conversion overflowed). No real server
    // sends one: such a header is no date at all.
    if (parsed == -1) {
        return std::nullopt;
    }
    return time::clockTimeOf(parsed);
}
namespace {

const log::Category kLog("kiosk.net");

// A reply larger than this is not one of ours: the transfer is aborted.
constexpr std::size_t kMaxReplyBytes = 1024 * 1024;

// CURLcode -> Errc: the one table (docs/architecture.md). Codes not listed are NetworkError.
struct CurlMapping {
    CURLcode curl;
    Errc errc;
};
constexpr CurlMapping kCurlTable[] = {
    {CURLE_OPERATION_TIMEDOUT, Errc::Timeout},
    {CURLE_COULDNT_RESOLVE_HOST, Errc::NetworkUnreachable},
    {CURLE_COULDNT_RESOLVE_PROXY, Errc::NetworkUnreachable},
    {CURLE_COULDNT_CONNECT, Errc::NetworkUnreachable},
    {CURLE_SSL_CONNECT_ERROR, Errc::TlsFailure},
    {CURLE_PEER_FAILED_VERIFICATION, Errc::TlsFailure},
    {CURLE_SSL_CERTPROBLEM, Errc::TlsFailure},
    {CURLE_SSL_CIPHER, Errc::TlsFailure},
    {CURLE_SSL_CACERT_BADFILE, Errc::TlsFailure},
    {CURLE_SSL_ENGINE_NOTFOUND, Errc::TlsFailure},
    {CURLE_SSL_ENGINE_SETFAILED, Errc::TlsFailure},
    {CURLE_SSL_ENGINE_INITFAILED, Errc::TlsFailure},
    {CURLE_SSL_CRL_BADFILE, Errc::TlsFailure},
    {CURLE_SSL_ISSUER_ERROR, Errc::TlsFailure},
    {CURLE_SSL_PINNEDPUBKEYNOTMATCH, Errc::TlsFailure},
    {CURLE_SSL_INVALIDCERTSTATUS, Errc::TlsFailure},
    {CURLE_SSL_SHUTDOWN_FAILED, Errc::TlsFailure},
    {CURLE_SSL_CLIENTCERT, Errc::TlsFailure},
    {CURLE_USE_SSL_FAILED, Errc::TlsFailure},
};

Errc mapCurlCode(CURLcode code, std::string_view detail)
{
    for (const auto& entry : kCurlTable) {
        if (entry.curl == code) {
            return entry.errc;
        }
    }
    // TLS 1.3 finishes the client's side of the handshake before the server has checked the
    // client certificate; the server's refusal then arrives as an alert on the first read or
    // write. That is still a TLS failure, not a network one.
    if ((code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR) &&
        detail.find("alert") != std::string_view::npos) {
        return Errc::TlsFailure;
    }
    return Errc::NetworkError;
}

std::once_flag g_curlInit;

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

SlistPtr makeHeaders(std::initializer_list<const char*> lines)
{
    curl_slist* list = nullptr;
    for (const char* line : lines) {
        curl_slist* next = curl_slist_append(list, line);
        if (next == nullptr) {
            curl_slist_free_all(list);
            return nullptr;
        }
        list = next;
    }
    return SlistPtr(list);
}

} // namespace

struct HttpsClient::Impl {
    CURL* curl = nullptr;
    SlistPtr jsonHeaders;
    SlistPtr getHeaders;
    std::array<char, CURL_ERROR_SIZE> errorBuffer{};
    std::string reply;
    bool replyTooLarge = false;
    bool keepCertificate = false;
    std::optional<std::chrono::system_clock::time_point> date;
    // Set when the handle could not be configured; every call then fails with it.
    CURLcode setupError = CURLE_OK;
    TlsFiles tls;

    ~Impl()
    {
        if (curl != nullptr) {
            curl_easy_cleanup(curl);
        }
    }

    template <class T>
    void set(CURLoption option, T value)
    {
        CURLcode code = curl_easy_setopt(curl, option, value);
        if (code != CURLE_OK && setupError == CURLE_OK) {
            setupError = code;
        }
    }

    static std::size_t onData(char* data, std::size_t size, std::size_t count, void* user)
    {
        auto* self = static_cast<Impl*>(user);
        const std::size_t bytes = size * count;
        if (self->reply.size() + bytes > kMaxReplyBytes) {
            self->replyTooLarge = true;
            return 0; // aborts the transfer with CURLE_WRITE_ERROR
        }
        self->reply.append(data, bytes);
        return bytes;
    }

    // Keeps the Date header of the final response (a new status line starts a new response).
    static std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user)
    {
        auto* self = static_cast<Impl*>(user);
        const std::size_t bytes = size * count;
        std::string_view line(data, bytes);
        if (line.rfind("HTTP/", 0) == 0) {
            self->date.reset();
        } else if (auto date = dateFromHeaderLine(line)) {
            self->date = date;
        }
        return bytes;
    }

    // The leaf certificate of the last handshake as PEM (CURLOPT_CERTINFO's "Cert:" entry of
    // the first certificate); empty when curl has none.
    std::string serverCertificate()
    {
        curl_certinfo* info = nullptr;
        if (curl_easy_getinfo(curl, CURLINFO_CERTINFO, &info) != CURLE_OK || info == nullptr ||
            info->num_of_certs < 1) {
            return {};
        }
        constexpr std::string_view kCert = "Cert:";
        for (curl_slist* entry = info->certinfo[0]; entry != nullptr; entry = entry->next) {
            std::string_view line(entry->data);
            if (line.substr(0, kCert.size()) == kCert) {
                return std::string(line.substr(kCert.size()));
            }
        }
        return {};
    }

    Result<HttpResponse> perform(const std::string& url, const std::string* body)
    {
        if (curl == nullptr) {
            return fail(Errc::Internal, "curl_easy_init failed");
        }
        if (setupError != CURLE_OK) {
            return fail(Errc::Internal,
                        std::string("curl set-up: ") + curl_easy_strerror(setupError),
                        setupError);
        }
        reply.clear();
        replyTooLarge = false;
        date.reset();
        errorBuffer[0] = '\0';
        set(CURLOPT_URL, url.c_str());
        if (body != nullptr) {
            set(CURLOPT_POST, 1L);
            set(CURLOPT_POSTFIELDS, body->data());
            set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
            set(CURLOPT_HTTPHEADER, jsonHeaders.get());
        } else {
            set(CURLOPT_HTTPGET, 1L);
            set(CURLOPT_HTTPHEADER, getHeaders.get());
        }
        if (setupError != CURLE_OK) {
            return fail(Errc::Internal,
                        std::string("curl request set-up: ") + curl_easy_strerror(setupError),
                        setupError);
        }

        CURLcode code = curl_easy_perform(curl);
        // Borrowed pointers must not outlive this call.
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, nullptr);

        long connects = 0;
        curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
        if (code != CURLE_OK) {
            std::string detail = errorBuffer[0] != '\0' ? std::string(errorBuffer.data())
                                                        : std::string(curl_easy_strerror(code));
            if (replyTooLarge) {
                detail = "reply larger than " + std::to_string(kMaxReplyBytes) + " bytes";
            }
            Errc errc = mapCurlCode(code, detail);
            UKETSUKE_LOG(kLog, Warn) << (body ? "POST " : "GET ") << url << " failed: "
                                     << errcName(errc) << " (curl " << static_cast<int>(code)
                                     << ": " << detail << ")";
            return fail(errc, detail, code);
        }
        HttpResponse response;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
        curl_off_t micros = 0;
        curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &micros);
        UKETSUKE_LOG(kLog, Debug) << (body ? "POST " : "GET ") << url << " -> "
                                  << response.status << " in " << micros / 1000 << " ms"
                                  << (connects == 0 ? " (reused connection)" : " (new connection)");
        response.body = std::move(reply);
        response.date = date;
        response.newConnection = connects != 0;
        if (keepCertificate && connects != 0) {
            response.serverCertificatePem = serverCertificate();
        }
        reply = {};
        return response;
    }
};

HttpsClient::HttpsClient(TlsFiles tls, Timeouts timeouts) : m_impl(std::make_unique<Impl>())
{
    std::call_once(g_curlInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    Impl& impl = *m_impl;
    impl.tls = std::move(tls);
    impl.curl = curl_easy_init();
    if (impl.curl == nullptr) {
        return;
    }
    impl.jsonHeaders = makeHeaders(
        {"Content-Type: application/json", "Accept: application/json", "Expect:"});
    impl.getHeaders = makeHeaders({"Accept: application/json"});
    if (!impl.jsonHeaders || !impl.getHeaders) {
        impl.setupError = CURLE_OUT_OF_MEMORY;
        return;
    }
    impl.set(CURLOPT_ERRORBUFFER, impl.errorBuffer.data());
    impl.set(CURLOPT_WRITEFUNCTION, &Impl::onData);
    impl.set(CURLOPT_WRITEDATA, &impl);
    impl.set(CURLOPT_HEADERFUNCTION, &Impl::onHeader);
    impl.set(CURLOPT_HEADERDATA, &impl);
    impl.set(CURLOPT_NOSIGNAL, 1L);
    impl.set(CURLOPT_PROTOCOLS_STR, "https");
    impl.set(CURLOPT_FOLLOWLOCATION, 0L);
    impl.set(CURLOPT_TCP_KEEPALIVE, 1L);
    impl.set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeouts.connect.count()));
    impl.set(CURLOPT_TIMEOUT_MS, static_cast<long>(timeouts.total.count()));
    // TLS 1.2 or newer, the server verified against our CA file only (no system CAs).
    impl.set(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    if (impl.tls.verifyServer) {
        impl.set(CURLOPT_SSL_VERIFYPEER, 1L);
        impl.set(CURLOPT_SSL_VERIFYHOST, 2L);
        impl.set(CURLOPT_CAINFO, impl.tls.caFile.c_str());
    } else {
        impl.set(CURLOPT_SSL_VERIFYPEER, 0L);
        impl.set(CURLOPT_SSL_VERIFYHOST, 0L);
    }
    impl.set(CURLOPT_CAPATH, static_cast<const char*>(nullptr));
    if (!impl.tls.certFile.empty()) {
        impl.set(CURLOPT_SSLCERTTYPE, "PEM");
        impl.set(CURLOPT_SSLCERT, impl.tls.certFile.c_str());
    }
    if (!impl.tls.keyFile.empty()) {
        impl.set(CURLOPT_SSLKEYTYPE, "PEM");
        impl.set(CURLOPT_SSLKEY, impl.tls.keyFile.c_str());
    }
}

HttpsClient::~HttpsClient() = default;

Result<HttpResponse> HttpsClient::postJson(const std::string& url, const std::string& body)
{
    return m_impl->perform(url, &body);
}

Result<HttpResponse> HttpsClient::get(const std::string& url)
{
    return m_impl->perform(url, nullptr);
}

void HttpsClient::keepServerCertificate(bool on)
{
    m_impl->keepCertificate = on;
    m_impl->set(CURLOPT_CERTINFO, on ? 1L : 0L);
}

} // namespace uketsuke::net
