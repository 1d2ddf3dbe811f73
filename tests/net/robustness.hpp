#pragma once

// What the robustness tests of the desk and the gateway share (issue 8): a crowd of
// connections that hold a server's sockets without ever finishing a request, a gzip bomb, and
// this process's RSS.

#include "tests/net/tls_client.hpp"

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace uketsuke::tests {

// `idle` plain TCP connections that never send a byte, from 127.0.1.1, 127.0.1.2, ... and
// `trickling` TLS connections (with `tls`'s client certificate) that send the first line of a
// request to `path` and then one more header line every `interval`, from 127.0.2.x; at most
// `perAddress` connections from one address, to stay under a server's per-peer cap. All are held
// open until destruction (or until the server closes them).
class Crowd {
public:
    Crowd(const std::string& host, int port, const ClientTls& tls, int idle, int trickling,
          const std::string& path, std::chrono::milliseconds interval, int perAddress = 50);
    ~Crowd();
    Crowd(const Crowd&) = delete;
    Crowd& operator=(const Crowd&) = delete;

    int idleOpen() const { return static_cast<int>(m_idle.size()); }
    int tricklingOpen() const { return static_cast<int>(m_trickling.size()); }
    // Blocks until the trickler has sent `rounds` header lines to every connection.
    void waitForRounds(int rounds);

private:
    void trickle(std::chrono::milliseconds interval);

    std::vector<int> m_idle;
    std::vector<std::unique_ptr<TlsClient>> m_trickling;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_rounds = 0;
    bool m_stop = false;
    std::thread m_trickler;
};

// One way a client must be refused by a server that wants terminals' client certificates.
struct RefusalCase {
    std::string name;
    ClientTls tls;
};

// The refusal matrix over a PKI in `dir` (tls/ca.pem, ca.key, and the server's own certificate
// tls/<serverName>.pem/.key): no client certificate, another CA, expired, not yet valid, a
// server-only extended key usage, a key usage that cannot sign, the server's own certificate,
// the CA's own certificate, and TLS 1.0 and 1.1 with a good certificate. Writes the certificates it needs (writeRefusedClientCertificates).
std::vector<RefusalCase> refusalMatrix(const std::filesystem::path& dir,
                                       const std::string& serverName);

// True when `tls` gets nowhere with POST `path`: the handshake fails, the connection is closed
// without an answer, or the server answers 403 itself.
bool refused(const std::string& host, int port, const ClientTls& tls, const std::string& path);

// A gzip stream of `inflated` zero bytes (about 1/1000 of that in size).
std::string gzipBomb(std::size_t inflated);

// This process's resident set size in KiB (VmRSS).
long residentKiB();

// Raises RLIMIT_NOFILE to at least `wanted` (up to the hard limit); returns the soft limit.
std::size_t ensureOpenFiles(std::size_t wanted);

} // namespace uketsuke::tests
