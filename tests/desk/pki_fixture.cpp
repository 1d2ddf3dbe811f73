#include "tests/desk/pki_fixture.hpp"

#include "base/files.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <utility>

namespace uketsuke::tests {
namespace {

using namespace std::chrono;

template <class T>
T check(Result<T> result, const char* what)
{
    if (!result) {
        throw std::runtime_error(std::string("test PKI: ") + what + ": " +
                                 result.error().message);
    }
    return std::move(*result);
}

void check(Result<void> result, const char* what)
{
    if (!result) {
        throw std::runtime_error(std::string("test PKI: ") + what + ": " +
                                 result.error().message);
    }
}

crypto::PkeyPtr newKey()
{
    return check(crypto::generateEcKey(), "EC key generation");
}

// Valid from an hour ago for thirty days (or from `notBefore` to `notAfter`). issuer ==
// nullptr: a self-signed CA.
crypto::X509Ptr makeCertificate(EVP_PKEY* key, const std::string& commonName, X509* issuer,
                                EVP_PKEY* issuerKey, const char* extendedKeyUsage = nullptr,
                                const char* subjectAltName = "",
                                system_clock::time_point notBefore = system_clock::now() - hours(1),
                                system_clock::time_point notAfter = system_clock::now() +
                                                                    hours(30 * 24),
                                const char* keyUsage = "critical,digitalSignature")
{
    crypto::IssueSpec spec;
    spec.commonName = commonName;
    spec.organisation = "Uketsuke test";
    spec.subjectKey = key;
    spec.issuer = issuer;
    spec.issuerKey = issuer != nullptr ? issuerKey : key;
    spec.notBefore = notBefore;
    spec.notAfter = notAfter;
    spec.isCa = extendedKeyUsage == nullptr;
    spec.keyUsage = keyUsage;
    spec.extendedKeyUsage = extendedKeyUsage != nullptr ? extendedKeyUsage : "";
    spec.subjectAltName = subjectAltName;
    return check(crypto::issueCertificate(spec), "issue certificate");
}

void writeFiles(const std::filesystem::path& tls, const std::string& name, X509* cert,
                EVP_PKEY* key)
{
    check(files::writeFile(tls / (name + ".pem"),
                           check(crypto::certificateToPem(cert), "certificate PEM"), 0644),
          "write certificate");
    check(files::writeFile(tls / (name + ".key"), check(crypto::privateKeyToPem(key), "key PEM")),
          "write key");
}

constexpr const char* kClientUsage = "clientAuth";

} // namespace

void writeTestPki(const std::filesystem::path& dir)
{
    const auto tls = dir / "tls";
    std::filesystem::create_directories(tls);
    auto caKey = newKey();
    auto ca = makeCertificate(caKey.get(), "Uketsuke Test TLS CA", nullptr, nullptr);
    writeFiles(tls, "ca", ca.get(), caKey.get());

    auto deskKey = newKey();
    auto desk = makeCertificate(deskKey.get(), "localhost", ca.get(), caKey.get(), "serverAuth",
                                "DNS:localhost,IP:127.0.0.1,IP:::1");
    writeFiles(tls, "desk", desk.get(), deskKey.get());

    auto terminalKey = newKey();
    auto terminal =
        makeCertificate(terminalKey.get(), "KIOSK-0001", ca.get(), caKey.get(), kClientUsage);
    writeFiles(tls, "terminal", terminal.get(), terminalKey.get());
}

void writeClientCertificate(const std::filesystem::path& dir, const std::string& name,
                            const std::string& commonName, bool foreignCa)
{
    const auto tls = dir / "tls";
    auto caKey = foreignCa ? newKey() : check(crypto::readPemPrivateKey(tls / "ca.key"), "CA key");
    auto ca = foreignCa ? makeCertificate(caKey.get(), "Uketsuke Test TLS CA", nullptr, nullptr)
                        : check(crypto::readPemCertificate(tls / "ca.pem"), "CA certificate");
    auto key = newKey();
    auto cert = makeCertificate(key.get(), commonName, ca.get(), caKey.get(), kClientUsage);
    writeFiles(tls, name, cert.get(), key.get());
}

void writeRefusedClientCertificates(const std::filesystem::path& dir)
{
    const auto tls = dir / "tls";
    auto caKey = check(crypto::readPemPrivateKey(tls / "ca.key"), "CA key");
    auto ca = check(crypto::readPemCertificate(tls / "ca.pem"), "CA certificate");
    const auto now = system_clock::now();
    auto write = [&](const std::string& name, const char* usage, system_clock::time_point from,
                     system_clock::time_point until,
                     const char* keyUsage = "critical,digitalSignature") {
        auto key = newKey();
        auto cert = makeCertificate(key.get(), "KIOSK-0001", ca.get(), caKey.get(), usage, "",
                                    from, until, keyUsage);
        writeFiles(tls, name, cert.get(), key.get());
    };
    write("refused-expired", kClientUsage, now - hours(48), now - hours(1));
    write("refused-not-yet-valid", kClientUsage, now + hours(24), now + hours(48));
    write("refused-server-usage", "serverAuth", now - hours(1), now + hours(24));
    // extendedKeyUsage clientAuth, but a keyUsage that cannot sign the handshake: OpenSSL's
    // sslclient purpose refuses keyEncipherment, but lets keyAgreement through.
    write("refused-key-usage", kClientUsage, now - hours(1), now + hours(24),
          "critical,keyEncipherment");
    write("refused-key-agreement", kClientUsage, now - hours(1), now + hours(24),
          "critical,keyAgreement");
    writeClientCertificate(dir, "refused-other-ca", "KIOSK-0001", true);
}

} // namespace uketsuke::tests
