#include "tests/net/tls_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace uketsuke::tests {

int connectTcp(const std::string& host, int port, const std::string& source)
{
    // OpenSSL writes with write(): a server that closed first must not kill the test.
    ::signal(SIGPIPE, SIG_IGN);
    const bool v6 = host.find(':') != std::string::npos;
    int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    if (v6) {
        sockaddr_in6 addr{};
        addr.sin6_family = AF_INET6;
        addr.sin6_port = htons(static_cast<uint16_t>(port));
        inet_pton(AF_INET6, host.c_str(), &addr.sin6_addr);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(fd);
            return -1;
        }
        return fd;
    }
    if (!source.empty()) {
        sockaddr_in local{};
        local.sin_family = AF_INET;
        inet_pton(AF_INET, source.c_str(), &local.sin_addr);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
            ::close(fd);
            return -1;
        }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

std::unique_ptr<TlsClient> TlsClient::connect(const std::string& host, int port,
                                              const ClientTls& tls, std::string* error,
                                              const std::string& source)
{
    auto failed = [error](const std::string& why) {
        if (error != nullptr) {
            char buffer[256] = {};
            ERR_error_string_n(ERR_get_error(), buffer, sizeof buffer);
            *error = why + ": " + buffer;
        }
        ERR_clear_error();
        return nullptr;
    };
    std::unique_ptr<TlsClient> client(new TlsClient());
    client->m_ctx = SSL_CTX_new(TLS_client_method());
    if (client->m_ctx == nullptr ||
        SSL_CTX_load_verify_locations(client->m_ctx, tls.caFile.c_str(), nullptr) != 1) {
        return failed("CA");
    }
    SSL_CTX_set_verify(client->m_ctx, SSL_VERIFY_PEER, nullptr);
    if (tls.legacy) {
        SSL_CTX_set_security_level(client->m_ctx, 0);
    }
    if (tls.minVersion != 0) {
        SSL_CTX_set_min_proto_version(client->m_ctx, tls.minVersion);
    }
    if (tls.maxVersion != 0) {
        SSL_CTX_set_max_proto_version(client->m_ctx, tls.maxVersion);
    }
    if (!tls.tls12Ciphers.empty() &&
        SSL_CTX_set_cipher_list(client->m_ctx, tls.tls12Ciphers.c_str()) != 1) {
        return failed("ciphers");
    }
    if (!tls.certFile.empty() &&
        (SSL_CTX_use_certificate_chain_file(client->m_ctx, tls.certFile.c_str()) != 1 ||
         SSL_CTX_use_PrivateKey_file(client->m_ctx, tls.keyFile.c_str(), SSL_FILETYPE_PEM) != 1)) {
        return failed("client certificate");
    }
    client->m_fd = connectTcp(host, port, source);
    if (client->m_fd < 0) {
        return failed("connect");
    }
    client->m_ssl = SSL_new(client->m_ctx);
    SSL_set_fd(client->m_ssl, client->m_fd);
    SSL_set1_host(client->m_ssl, "localhost");
    timeval timeout{10, 0};
    ::setsockopt(client->m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (SSL_connect(client->m_ssl) != 1) {
        return failed("handshake");
    }
    return client;
}

TlsClient::~TlsClient()
{
    if (m_ssl != nullptr) {
        SSL_free(m_ssl);
    }
    if (m_ctx != nullptr) {
        SSL_CTX_free(m_ctx);
    }
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

bool TlsClient::write(std::string_view bytes)
{
    while (!bytes.empty()) {
        int n = SSL_write(m_ssl, bytes.data(), static_cast<int>(bytes.size()));
        if (n <= 0) {
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool TlsClient::fill(std::chrono::milliseconds timeout)
{
    if (SSL_pending(m_ssl) == 0) {
        pollfd fd{m_fd, POLLIN, 0};
        if (::poll(&fd, 1, static_cast<int>(timeout.count())) <= 0) {
            return false;
        }
    }
    char buffer[16384];
    int n = SSL_read(m_ssl, buffer, sizeof buffer);
    if (n <= 0) {
        ERR_clear_error();
        return false;
    }
    m_buffer.append(buffer, static_cast<std::size_t>(n));
    return true;
}

std::optional<HttpAnswer> TlsClient::readAnswer(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto left = [deadline] {
        return std::max(std::chrono::milliseconds(0),
                        std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now()));
    };
    std::size_t end;
    while ((end = m_buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!fill(left())) {
            return std::nullopt;
        }
    }
    HttpAnswer answer;
    const std::string head = m_buffer.substr(0, end);
    m_buffer.erase(0, end + 4);
    const auto space = head.find(' ');
    if (space == std::string::npos) {
        return std::nullopt;
    }
    answer.status = std::atoi(head.c_str() + space + 1);
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos) {
        const std::size_t next = head.find("\r\n", pos + 2);
        const std::string line = head.substr(pos + 2, next == std::string::npos
                                                           ? std::string::npos
                                                           : next - pos - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string name = line.substr(0, colon);
            for (char& c : name) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            answer.headers[name] = value;
        }
        pos = next;
    }
    std::size_t length = 0;
    if (auto found = answer.headers.find("content-length"); found != answer.headers.end()) {
        length = static_cast<std::size_t>(std::stoul(found->second));
    }
    while (m_buffer.size() < length) {
        if (!fill(left())) {
            return std::nullopt;
        }
    }
    answer.body = m_buffer.substr(0, length);
    m_buffer.erase(0, length);
    return answer;
}

std::optional<HttpAnswer> TlsClient::request(const std::string& method, const std::string& path,
                                             const std::string& body,
                                             const std::string& extraHeaders,
                                             const std::string& contentType)
{
    std::string text = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n";
    if (!body.empty() || method == "POST") {
        text += "Content-Type: " + contentType + "\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n";
    }
    text += extraHeaders + "\r\n" + body;
    if (!write(text)) {
        return std::nullopt;
    }
    return readAnswer();
}

std::string TlsClient::readSome(std::chrono::milliseconds timeout)
{
    if (m_buffer.empty() && !fill(timeout)) {
        return {};
    }
    return std::exchange(m_buffer, {});
}

bool TlsClient::closedByPeer(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd fd{m_fd, POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (::poll(&fd, 1, static_cast<int>(std::max<long>(left.count(), 0))) <= 0) {
            return false;
        }
        char buffer[4096];
        int n = SSL_read(m_ssl, buffer, sizeof buffer);
        if (n <= 0) {
            ERR_clear_error();
            return true;
        }
    }
    return false;
}

std::string HttpAnswer::header(std::string_view name) const
{
    std::string lower(name);
    for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    auto found = headers.find(lower);
    return found == headers.end() ? std::string() : found->second;
}

bool HttpAnswer::hasHeader(std::string_view name) const
{
    std::string lower(name);
    for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return headers.count(lower) > 0;
}

HttpsTestClient::HttpsTestClient(std::string host, int port, ClientTls tls)
    : m_host(std::move(host)), m_port(port), m_tls(std::move(tls))
{
}

std::optional<HttpAnswer> HttpsTestClient::post(const std::string& path, const std::string& body,
                                                const std::string& contentType)
{
    return send("POST", path, body, contentType);
}

std::optional<HttpAnswer> HttpsTestClient::get(const std::string& path)
{
    return send("GET", path, {}, {});
}

std::optional<HttpAnswer> HttpsTestClient::del(const std::string& path)
{
    return send("DELETE", path, {}, {});
}

std::optional<HttpAnswer> HttpsTestClient::send(const std::string& method, const std::string& path,
                                                const std::string& body,
                                                const std::string& contentType)
{
    auto connection = TlsClient::connect(m_host, m_port, m_tls);
    if (!connection) {
        return std::nullopt;
    }
    return connection->request(method, path, body, {}, contentType);
}

LegacyTlsServer::LegacyTlsServer(const std::string& certFile, const std::string& keyFile,
                                 int minVersion, int maxVersion)
{
    m_ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_security_level(m_ctx, 0);
    SSL_CTX_set_min_proto_version(m_ctx, minVersion);
    SSL_CTX_set_max_proto_version(m_ctx, maxVersion);
    if (SSL_CTX_use_certificate_chain_file(m_ctx, certFile.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(m_ctx, keyFile.c_str(), SSL_FILETYPE_PEM) != 1) {
        throw std::runtime_error("legacy TLS server: bad certificate or key");
    }
    m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    if (m_listener < 0 || ::bind(m_listener, reinterpret_cast<sockaddr*>(&addr), length) != 0 ||
        ::listen(m_listener, 16) != 0 ||
        ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
        throw std::runtime_error("legacy TLS server: cannot listen");
    }
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] {
        while (true) {
            int fd = ::accept(m_listener, nullptr, nullptr);
            if (fd < 0) {
                return; // the listener was shut down
            }
            SSL* ssl = SSL_new(m_ctx);
            SSL_set_fd(ssl, fd);
            SSL_accept(ssl); // fails for a modern client: that is the point
            ERR_clear_error();
            SSL_free(ssl);
            ::close(fd);
        }
    });
}

LegacyTlsServer::~LegacyTlsServer()
{
    ::shutdown(m_listener, SHUT_RDWR);
    m_thread.join();
    ::close(m_listener);
    SSL_CTX_free(m_ctx);
}

} // namespace uketsuke::tests
