#pragma once

// Certificates, certificate requests and chains on top of crypto/crypto.hpp's handles: what a
// certificate says (subject CN, issuer, validity, serial), whether it chains to a CA, and the
// CSR a terminal sends when it enrols. Pure computations on memory; any thread.

#include "base/result.hpp"
#include "crypto/crypto.hpp"

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace uketsuke::crypto {

// The subject's first commonName as UTF-8; empty when there is none.
std::string subjectCommonName(const X509* certificate);
// The subject or issuer in the RFC 2253 one-line form with UTF-8 left as is
// ("CN=KIOSK-0001,O=Clinic,C=JP"); empty when it cannot be printed.
std::string subjectOneLine(const X509* certificate);
std::string issuerOneLine(const X509* certificate);

// The validity period, to the second. Errors: CertificateInvalid (unreadable date).
Result<std::chrono::sys_seconds> notBefore(const X509* certificate);
Result<std::chrono::sys_seconds> notAfter(const X509* certificate);

// Whether a TLS client may present `certificate`: its extended key usage allows clientAuth
// (OpenSSL's sslclient purpose) and its key usage, when present, includes digitalSignature.
bool isTlsClientCertificate(X509* certificate);

// A store trusting exactly these certificates. Errors: Internal.
Result<X509StorePtr> makeTrustStore(std::span<const X509Ptr> trusted);

// Checks that `certificate` chains to `store` (signatures, CA flags, key usage as OpenSSL
// checks them). `at`: the time the chain must be valid at; nullopt checks no dates at all
// (a device whose clock is not set yet can still tell a wrong CA from a right one).
// Errors: CertificateInvalid with OpenSSL's reason ("unable to get local issuer
// certificate", "certificate has expired"), Internal.
Result<void> verifyCertificate(X509* certificate, X509_STORE* store,
                               std::optional<std::chrono::system_clock::time_point> at);

// What issueCertificate() puts in a certificate.
struct IssueSpec {
    std::string commonName;
    EVP_PKEY* subjectKey = nullptr;      // the public key certified
    X509* issuer = nullptr;              // nullptr: self-signed by issuerKey (a root CA)
    EVP_PKEY* issuerKey = nullptr;       // signs, SHA-256
    std::chrono::system_clock::time_point notBefore;
    std::chrono::system_clock::time_point notAfter;
    bool isCa = false;                   // basicConstraints CA:TRUE, keyCertSign; else a TLS leaf
    std::string organisation;            // O=, before the CN; empty: none
    std::string keyUsage = "critical,digitalSignature";     // leaf only (OpenSSL's syntax)
    std::string extendedKeyUsage = "serverAuth,clientAuth"; // leaf only (OpenSSL's syntax)
    std::string subjectAltName;          // "DNS:localhost,IP:127.0.0.1"; empty: none
};

// A v3 certificate with a random 64-bit serial, subject and authority key identifiers,
// basicConstraints and keyUsage (the spec's for a leaf), and for a leaf the
// extendedKeyUsage and subjectAltName of the spec. Errors: InvalidArgument (no CN or keys),
// Internal.
Result<X509Ptr> issueCertificate(const IssueSpec& spec);

// A certificate signing request for `key` with subject CN=`commonName` (and O=`organisation`
// when not empty), signed with SHA-256. Errors: InvalidArgument (empty CN), Internal.
Result<X509ReqPtr> createCsr(EVP_PKEY* key, std::string_view commonName,
                             std::string_view organisation = {});
// Errors: Internal.
Result<std::string> csrToPem(X509_REQ* request);
// Errors: CertificateInvalid (no PEM certificate request in the text).
Result<X509ReqPtr> parsePemCsr(std::string_view pem);
// The request's subject CN; empty when there is none.
std::string csrCommonName(const X509_REQ* request);
// True when the request is signed by the key it carries (proof of possession).
bool csrSignatureValid(X509_REQ* request);
// The public key of a certificate request that a CA of ours certifies (the gateway's enrolment,
// the desk's pairing): PEM PKCS#10, signed by its own key, the key EC P-256 or RSA of 2048
// bits or more. Outside bytes (fuzzed by tests/fuzz/fuzz_enrol_request.cpp). Errors:
// CertificateInvalid saying which.
Result<PkeyPtr> checkCsrForIssue(std::string_view pem);

} // namespace uketsuke::crypto
