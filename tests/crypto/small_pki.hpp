#pragma once

// A throw-away TLS PKI for the crypto tests, made with crypto/ itself: a CA and a leaf with EC
// keys (fast), written as PEM into a fresh temporary folder. Test code only: failures throw.

#include "base/files.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "tests/support/files.hpp"

#include <chrono>
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

using uketsuke::tests::TempDir;

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
