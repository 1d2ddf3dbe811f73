#pragma once

// A throw-away TLS PKI for the crypto tests, made with crypto/ itself: a CA and a leaf with EC
// keys (fast), written as PEM into a fresh temporary folder. Test code only: failures throw.

#include "base/files.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace uketsuke::crypto::testing {

template <class T>
T orThrow(Result<T> result, const char* what)
{
    if (!result) {
        throw std::runtime_error(std::string(what) + ": " + result.error().message);
    }
    return std::move(*result);
}

inline void orThrow(Result<void> result, const char* what)
{
    if (!result) {
        throw std::runtime_error(std::string(what) + ": " + result.error().message);
    }
}

struct KeyAndCertificate {
    PkeyPtr key;
    X509Ptr certificate;
};

inline KeyAndCertificate makeCa(const std::string& cn)
{
    using namespace std::chrono;
    KeyAndCertificate out;
    out.key = orThrow(generateEcKey(), "CA key");
    IssueSpec spec;
    spec.commonName = cn;
    spec.subjectKey = out.key.get();
    spec.issuerKey = out.key.get();
    spec.notBefore = system_clock::now() - hours(24 * 30);
    spec.notAfter = system_clock::now() + hours(24 * 365);
    spec.isCa = true;
    out.certificate = orThrow(issueCertificate(spec), "CA certificate");
    return out;
}

inline KeyAndCertificate makeLeaf(const KeyAndCertificate& ca, const std::string& cn,
                                  std::chrono::system_clock::time_point notBefore,
                                  std::chrono::system_clock::time_point notAfter)
{
    KeyAndCertificate out;
    out.key = orThrow(generateEcKey(), "leaf key");
    IssueSpec spec;
    spec.commonName = cn;
    spec.subjectKey = out.key.get();
    spec.issuer = ca.certificate.get();
    spec.issuerKey = ca.key.get();
    spec.notBefore = notBefore;
    spec.notAfter = notAfter;
    out.certificate = orThrow(issueCertificate(spec), "leaf certificate");
    return out;
}

// A fresh folder, removed with its content.
class TempDir {
public:
    TempDir()
    {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "uketsuke-crypto-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = pattern;
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

inline void writeCertificate(const std::filesystem::path& file, X509* certificate)
{
    orThrow(files::writeFile(file, orThrow(certificateToPem(certificate), "PEM"), 0644),
            "write certificate");
}

inline void writeKey(const std::filesystem::path& file, EVP_PKEY* key)
{
    orThrow(files::writeFile(file, orThrow(privateKeyToPem(key), "PEM")), "write key");
}

} // namespace uketsuke::crypto::testing
