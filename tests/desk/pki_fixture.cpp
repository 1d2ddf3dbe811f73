#include "tests/desk/pki_fixture.hpp"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace uketsuke::tests {
namespace {

struct KeyDeleter {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertDeleter {
    void operator()(X509* cert) const { X509_free(cert); }
};
struct FileDeleter {
    void operator()(std::FILE* file) const { std::fclose(file); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using Cert = std::unique_ptr<X509, CertDeleter>;

void check(bool okay, const char* what)
{
    if (!okay) {
        throw std::runtime_error(std::string("test PKI: ") + what);
    }
}

Key newKey()
{
    Key key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EC key generation");
    return key;
}

void addExtension(X509* cert, X509* issuer, int nid, const char* value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
    check(ext != nullptr, value);
    check(X509_add_ext(cert, ext, -1) == 1, "add extension");
    X509_EXTENSION_free(ext);
}

// issuer == nullptr: self-signed CA.
Cert makeCertificate(EVP_PKEY* key, const std::string& commonName, X509* issuer,
                     EVP_PKEY* issuerKey, const std::vector<std::pair<int, const char*>>& exts)
{
    Cert cert(X509_new());
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert.get(), X509_VERSION_3) == 1, "version");
    unsigned char serial[16];
    check(RAND_bytes(serial, sizeof serial) == 1, "serial");
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    check(bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr,
          "serial");
    BN_free(bn);
    check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600) != nullptr, "notAfter");
    X509_NAME* name = X509_get_subject_name(cert.get());
    check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>("Uketsuke test"), -1,
                                     -1, 0) == 1,
          "O");
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(commonName.c_str()), -1,
                                     -1, 0) == 1,
          "CN");
    check(X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name) == 1,
          "issuer");
    check(X509_set_pubkey(cert.get(), key) == 1, "pubkey");
    X509* extIssuer = issuer ? issuer : cert.get();
    addExtension(cert.get(), extIssuer, NID_subject_key_identifier, "hash");
    if (issuer) {
        addExtension(cert.get(), extIssuer, NID_authority_key_identifier, "keyid:always");
    }
    for (const auto& [nid, value] : exts) {
        addExtension(cert.get(), extIssuer, nid, value);
    }
    check(X509_sign(cert.get(), issuer ? issuerKey : key, EVP_sha256()) > 0, "sign");
    return cert;
}

void writeFiles(const std::filesystem::path& tls, const std::string& name, X509* cert,
                EVP_PKEY* key)
{
    std::unique_ptr<std::FILE, FileDeleter> pem(std::fopen((tls / (name + ".pem")).c_str(), "w"));
    check(pem != nullptr && PEM_write_X509(pem.get(), cert) == 1, "write certificate");
    std::unique_ptr<std::FILE, FileDeleter> keyFile(
        std::fopen((tls / (name + ".key")).c_str(), "w"));
    check(keyFile != nullptr &&
              PEM_write_PrivateKey(keyFile.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "write key");
    std::filesystem::permissions(tls / (name + ".key"), std::filesystem::perms::owner_read |
                                                            std::filesystem::perms::owner_write);
}

const std::vector<std::pair<int, const char*>> kCaExtensions = {
    {NID_basic_constraints, "critical,CA:TRUE"},
    {NID_key_usage, "critical,keyCertSign,cRLSign"},
};

const std::vector<std::pair<int, const char*>> kClientExtensions = {
    {NID_basic_constraints, "critical,CA:FALSE"},
    {NID_key_usage, "critical,digitalSignature"},
    {NID_ext_key_usage, "clientAuth"},
};

Key readKey(const std::filesystem::path& file)
{
    std::unique_ptr<std::FILE, FileDeleter> in(std::fopen(file.c_str(), "r"));
    check(in != nullptr, "open CA key");
    Key key(PEM_read_PrivateKey(in.get(), nullptr, nullptr, nullptr));
    check(key != nullptr, "read CA key");
    return key;
}

Cert readCert(const std::filesystem::path& file)
{
    std::unique_ptr<std::FILE, FileDeleter> in(std::fopen(file.c_str(), "r"));
    check(in != nullptr, "open CA certificate");
    Cert cert(PEM_read_X509(in.get(), nullptr, nullptr, nullptr));
    check(cert != nullptr, "read CA certificate");
    return cert;
}

} // namespace

TempDir::TempDir()
{
    std::string pattern =
        (std::filesystem::temp_directory_path() / "uketsuke-test-XXXXXX").string();
    check(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
    m_path = pattern;
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

void writeTestPki(const std::filesystem::path& dir)
{
    const auto tls = dir / "tls";
    std::filesystem::create_directories(tls);
    Key caKey = newKey();
    Cert ca = makeCertificate(caKey.get(), "Uketsuke Test TLS CA", nullptr, nullptr, kCaExtensions);
    writeFiles(tls, "ca", ca.get(), caKey.get());

    Key deskKey = newKey();
    Cert desk = makeCertificate(deskKey.get(), "localhost", ca.get(), caKey.get(),
                                {{NID_basic_constraints, "critical,CA:FALSE"},
                                 {NID_key_usage, "critical,digitalSignature"},
                                 {NID_ext_key_usage, "serverAuth"},
                                 {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"}});
    writeFiles(tls, "desk", desk.get(), deskKey.get());

    Key terminalKey = newKey();
    Cert terminal =
        makeCertificate(terminalKey.get(), "KIOSK-0001", ca.get(), caKey.get(), kClientExtensions);
    writeFiles(tls, "terminal", terminal.get(), terminalKey.get());
}

void writeClientCertificate(const std::filesystem::path& dir, const std::string& name,
                            const std::string& commonName, bool foreignCa)
{
    const auto tls = dir / "tls";
    Key caKey = foreignCa ? newKey() : readKey(tls / "ca.key");
    Cert ca = foreignCa ? makeCertificate(caKey.get(), "Uketsuke Test TLS CA", nullptr, nullptr,
                                          kCaExtensions)
                        : readCert(tls / "ca.pem");
    Key key = newKey();
    Cert cert = makeCertificate(key.get(), commonName, ca.get(), caKey.get(), kClientExtensions);
    writeFiles(tls, name, cert.get(), key.get());
}

} // namespace uketsuke::tests
