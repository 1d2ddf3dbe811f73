#pragma once

// Test helpers: a temporary folder, and a TLS test PKI written with the OpenSSL C API in the
// layout `uketsuke-sim pki` uses (DIR/tls/ca.pem, ca.key, desk.pem, desk.key, terminal.pem,
// terminal.key), so desk and delivery tests need no other program. Failures throw
// std::runtime_error (test code only).

#include <filesystem>
#include <string>

namespace uketsuke::tests {

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// Writes a CA, the desk's server certificate (SAN localhost, 127.0.0.1, ::1) and the terminal's
// client certificate (CN=KIOSK-0001) under dir/tls/. P-256 keys, valid from an hour ago for
// thirty days.
void writeTestPki(const std::filesystem::path& dir);

// Writes dir/tls/<name>.pem and <name>.key: another client certificate with `commonName`,
// issued by dir/tls/ca.pem, or by a throw-away CA of its own when `foreignCa` is true.
void writeClientCertificate(const std::filesystem::path& dir, const std::string& name,
                            const std::string& commonName, bool foreignCa = false);

} // namespace uketsuke::tests
