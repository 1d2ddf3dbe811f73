#include "tests/net/robustness.hpp"

#include "tests/desk/pki_fixture.hpp"

#include <openssl/ssl.h>

#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <fstream>
#include <stdexcept>

namespace uketsuke::tests {

Crowd::Crowd(const std::string& host, int port, const ClientTls& tls, int idle, int trickling,
             const std::string& path, std::chrono::milliseconds interval, int perAddress)
{
    for (int i = 0; i < idle; ++i) {
        const std::string source = "127.0.1." + std::to_string(1 + i / perAddress);
        int fd = connectTcp(host, port, source);
        if (fd < 0) {
            throw std::runtime_error("idle connection " + std::to_string(i) + " failed");
        }
        m_idle.push_back(fd);
    }
    for (int i = 0; i < trickling; ++i) {
        const std::string source = "127.0.2." + std::to_string(1 + i / perAddress);
        std::string error;
        auto client = TlsClient::connect(host, port, tls, &error, source);
        if (!client || !client->write("POST " + path + " HTTP/1.1\r\n")) {
            throw std::runtime_error("trickling connection failed: " + error);
        }
        m_trickling.push_back(std::move(client));
    }
    m_trickler = std::thread([this, interval] { trickle(interval); });
}

Crowd::~Crowd()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_trickler.join();
    for (int fd : m_idle) {
        ::close(fd);
    }
}

void Crowd::trickle(std::chrono::milliseconds interval)
{
    std::unique_lock lock(m_mutex);
    for (int line = 0; !m_stop; ++line) {
        // The pace of the attack, not a synchronisation: wake early only to stop.
        if (m_changed.wait_for(lock, interval, [this] { return m_stop; })) {
            break;
        }
        lock.unlock();
        for (auto& client : m_trickling) {
            client->write("X-Trickle-" + std::to_string(line) + ": x\r\n");
        }
        lock.lock();
        ++m_rounds;
        m_changed.notify_all();
    }
}

void Crowd::waitForRounds(int rounds)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this, rounds] { return m_rounds >= rounds || m_stop; });
}

std::vector<RefusalCase> refusalMatrix(const std::filesystem::path& dir,
                                       const std::string& serverName)
{
    writeRefusedClientCertificates(dir);
    const auto tls = dir / "tls";
    auto with = [&](const std::string& name) {
        ClientTls files;
        files.caFile = (tls / "ca.pem").string();
        if (!name.empty()) {
            files.certFile = (tls / (name + ".pem")).string();
            files.keyFile = (tls / (name + ".key")).string();
        }
        return files;
    };
    std::vector<RefusalCase> cases = {
        {"no client certificate", with("")},
        {"a client certificate from another CA", with("refused-other-ca")},
        {"an expired client certificate", with("refused-expired")},
        {"a client certificate not yet valid", with("refused-not-yet-valid")},
        {"a certificate for servers only (extendedKeyUsage serverAuth)",
         with("refused-server-usage")},
        {"a client certificate whose keyUsage cannot sign (keyEncipherment only)",
         with("refused-key-usage")},
        {"a client certificate whose keyUsage cannot sign (keyAgreement only)",
         with("refused-key-agreement")},
        {"the server's own certificate as a client certificate", with(serverName)},
        {"the CA's own certificate as a client certificate (keyUsage keyCertSign, cRLSign)",
         with("ca")},
    };
    for (const auto& [name, version] :
         {std::pair{"TLS 1.0", TLS1_VERSION}, std::pair{"TLS 1.1", TLS1_1_VERSION}}) {
        ClientTls old = with("terminal");
        old.minVersion = version;
        old.maxVersion = version;
        old.legacy = true;
        cases.push_back({std::string(name) + " with a good certificate", old});
    }
    return cases;
}

bool refused(const std::string& host, int port, const ClientTls& tls, const std::string& path)
{
    auto client = TlsClient::connect(host, port, tls);
    if (!client) {
        return true; // the handshake failed
    }
    // TLS 1.3: the client may finish its side before the server refuses the certificate; the
    // request then finds the connection closed.
    auto answer = client->request("POST", path, "{}");
    return !answer || answer->status == 403;
}

std::string gzipBomb(std::size_t inflated)
{
    z_stream stream{};
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        throw std::runtime_error("deflateInit2 failed");
    }
    const std::string zeros(1 << 20, '\0');
    std::string out;
    char buffer[1 << 16];
    std::size_t left = inflated;
    int flush = Z_NO_FLUSH;
    while (flush != Z_FINISH) {
        const std::size_t chunk = std::min(left, zeros.size());
        left -= chunk;
        flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
        stream.avail_in = static_cast<uInt>(chunk);
        do {
            stream.next_out = reinterpret_cast<Bytef*>(buffer);
            stream.avail_out = sizeof buffer;
            deflate(&stream, flush);
            out.append(buffer, sizeof buffer - stream.avail_out);
        } while (stream.avail_out == 0);
    }
    deflateEnd(&stream);
    return out;
}

long residentKiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::atol(line.c_str() + 6);
        }
    }
    return 0;
}

std::size_t ensureOpenFiles(std::size_t wanted)
{
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < wanted) {
        limit.rlim_cur = std::min<rlim_t>(wanted, limit.rlim_max);
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return static_cast<std::size_t>(limit.rlim_cur);
}

} // namespace uketsuke::tests
