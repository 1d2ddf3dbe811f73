#pragma once

// The test PKI of `uketsuke-sim pki` (docs/pki.md): a TLS CA with server certificates for the
// gateway and the desk and a client certificate for the terminal, and a JPKI-shaped
// user-authentication CA with one card certificate per persona. Built with the OpenSSL 3 C API.

#include "base/result.hpp"
#include "crypto/crypto.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

namespace uketsuke::sim {

// The documented file names under a PKI directory. Every program that reads a PKI directory
// (`--pki DIR`) uses these names; docs/pki.md lists them.
class PkiLayout {
public:
    explicit PkiLayout(std::filesystem::path root) : m_root(std::move(root)) {}

    const std::filesystem::path& root() const { return m_root; }
    std::filesystem::path tlsDir() const { return m_root / "tls"; }
    std::filesystem::path tlsCa() const { return tlsDir() / "ca.pem"; }
    std::filesystem::path tlsCaKey() const { return tlsDir() / "ca.key"; }
    std::filesystem::path gatewayCert() const { return tlsDir() / "gateway.pem"; }
    std::filesystem::path gatewayKey() const { return tlsDir() / "gateway.key"; }
    std::filesystem::path deskCert() const { return tlsDir() / "desk.pem"; }
    std::filesystem::path deskKey() const { return tlsDir() / "desk.key"; }
    std::filesystem::path terminalCert() const { return tlsDir() / "terminal.pem"; }
    std::filesystem::path terminalKey() const { return tlsDir() / "terminal.key"; }
    // The gateway's activation codes for enrolment (sim/activation.hpp), one file per code.
    std::filesystem::path activationDir() const { return tlsDir() / "activation"; }
    std::filesystem::path jpkiDir() const { return m_root / "jpki"; }
    std::filesystem::path authCa() const { return jpkiDir() / "auth-ca.pem"; }
    std::filesystem::path authCaKey() const { return jpkiDir() / "auth-ca.key"; }
    // The same certificate in DER, as a card's EF 000B holds it.
    std::filesystem::path authCaDer() const { return jpkiDir() / "auth-ca.der"; }
    std::filesystem::path cardsDir() const { return jpkiDir() / "cards"; }
    std::filesystem::path cardCertificate(std::string_view personaId) const
    {
        return cardsDir() / (std::string(personaId) + ".der");
    }
    std::filesystem::path cardKey(std::string_view personaId) const
    {
        return cardsDir() / (std::string(personaId) + ".key.pem");
    }
    // Serial numbers (hex) of the revoked card certificates, one per line: the personas with
    // "card": {"revoked": true}. The gateway reads it unless told otherwise (--revoked).
    std::filesystem::path revokedSerials() const { return jpkiDir() / "revoked.txt"; }
    std::filesystem::path personas() const { return m_root / "personas.json"; }

private:
    std::filesystem::path m_root;
};

// The exact DN of the JPKI user-authentication CA (docs/pki.md), in order.
inline constexpr std::pair<const char*, const char*> kJpkiAuthCaDn[] = {
    {"C", "JP"},
    {"O", "JPKI"},
    {"OU", "JPKI for user authentication"},
    {"OU", "Japan Agency for Local Authority Information Systems"},
};

// The IssuerAltName of JPKI end-entity certificates, DER of GeneralNames:
// [4] { C=JP (PrintableString), O=公的個人認証サービス (UTF8String) } (docs/pki.md).
inline constexpr std::string_view kJpkiIssuerAltNameHex =
    "303AA4383036310B3009060355040613024A5031273025060355040A0C1EE585ACE79A84E5808BE4BABAE8AA8D"
    "E8A8BCE382B5E383BCE38393E382B9";

// certificatePolicies OID of the user-authentication certificate, class 30.
inline constexpr const char* kJpkiAuthPolicyOid = "1.2.392.200149.8.5.1.3.30";

inline constexpr const char* kDefaultTerminalId = "KIOSK-0001";

struct PkiOptions {
    std::filesystem::path outDir;
    std::filesystem::path personasFile; // copied to outDir/personas.json
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
    std::string terminalId = kDefaultTerminalId; // CN of the terminal's client certificate
};

// Creates outDir and writes every file of PkiLayout, overwriting what is there. Keys are
// written with mode 0600. Blocks: about a dozen RSA-2048 key generations and file writes.
// Errors: ConfigMissing / ConfigInvalid (the personas file), StorageError (cannot write),
// Internal (OpenSSL failure).
Result<void> generatePki(const PkiOptions& options);

// What issueTerminalCertificate() certifies.
struct TerminalCertificateSpec {
    X509* ca = nullptr;             // the TLS CA (tls/ca.pem)
    EVP_PKEY* caKey = nullptr;      // its key (tls/ca.key)
    EVP_PKEY* subjectKey = nullptr; // the terminal's public key
    std::string terminalId;         // the CN
    std::chrono::system_clock::time_point notBefore;
    std::chrono::system_clock::time_point notAfter;
};

// A terminal's client certificate shaped as tls/terminal.pem (docs/pki.md): subject
// C=JP, O=Uketsuke Test PKI, CN=<terminal id>; CA:FALSE, critical keyUsage digitalSignature,
// extendedKeyUsage clientAuth only, SKI and AKI; a random serial; signed by the CA with SHA-256.
// The gateway's enrolment (POST /v1/enrol) issues these. Errors: InvalidArgument (a missing
// key, CA or id), Internal (OpenSSL failure).
Result<crypto::X509Ptr> issueTerminalCertificate(const TerminalCertificateSpec& spec);

// 23:59:59 JST (14:59:59Z) of the Japanese calendar day that contains `t`, as a UTC time_t.
// JPKI certificates end at that second.
std::time_t endOfJstDay(std::chrono::system_clock::time_point t);

} // namespace uketsuke::sim
