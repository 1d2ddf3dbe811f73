#include "tests/support/test_card.hpp"

#include "crypto/crypto.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <unistd.h>

namespace uketsuke::test {
namespace {

using namespace std::chrono;

using KeyPtr = crypto::PkeyPtr;
using crypto::BioPtr;
using crypto::X509Ptr;

void check(bool condition, const char* what)
{
    if (!condition) {
        throw std::runtime_error(std::string("test_card: ") + what);
    }
}

KeyPtr generateRsa2048()
{
    KeyPtr key(EVP_RSA_gen(2048));
    check(key != nullptr, "RSA key generation failed");
    return key;
}

void addName(X509_NAME* name, const char* field, const std::string& value)
{
    check(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                     0) == 1,
          "X509_NAME_add_entry_by_txt failed");
}

void addExtension(X509* subject, X509* issuer, int nid, const char* value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, subject, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    check(extension != nullptr, "X509V3_EXT_conf_nid failed");
    X509_add_ext(subject, extension, -1);
    X509_EXTENSION_free(extension);
}

X509Ptr newCertificate(long serial, sys_seconds notBefore, sys_seconds notAfter, EVP_PKEY* key)
{
    X509Ptr x509(X509_new());
    check(x509 != nullptr, "X509_new failed");
    X509_set_version(x509.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x509.get()), serial);
    check(ASN1_TIME_set(X509_getm_notBefore(x509.get()),
                        static_cast<time_t>(notBefore.time_since_epoch().count())) != nullptr,
          "notBefore");
    check(ASN1_TIME_set(X509_getm_notAfter(x509.get()),
                        static_cast<time_t>(notAfter.time_since_epoch().count())) != nullptr,
          "notAfter");
    X509_set_pubkey(x509.get(), key);
    return x509;
}

// Test code: an encoding failure throws.
hal::Bytes toDer(X509* x509)
{
    auto der = crypto::toDer(x509);
    check(der.has_value(), "i2d_X509 failed");
    return std::move(*der);
}

std::string certificatePem(X509* x509)
{
    auto pem = crypto::certificateToPem(x509);
    check(pem.has_value(), "PEM_write_bio_X509 failed");
    return std::move(*pem);
}

std::string keyPem(EVP_PKEY* key)
{
    auto pem = crypto::privateKeyToPem(key);
    check(pem.has_value(), "PEM_write_bio_PrivateKey failed");
    return std::move(*pem);
}

// The CA and card keys. RSA-2048 generation takes seconds under ASan, and ctest runs every
// case in its own process, so the keys are made once per build tree and kept in a PEM file
// there (written to a temporary name, then renamed, so parallel tests never read half a file).
struct Keys {
    KeyPtr caKey;
    KeyPtr cardKey;
    X509Ptr ca;
};

std::filesystem::path keyCachePath()
{
#ifdef UKETSUKE_TEST_BINARY_DIR
    return std::filesystem::path(UKETSUKE_TEST_BINARY_DIR) / "tests" / "test_card_keys.pem";
#else
    return {};
#endif
}

bool loadCachedKeys(Keys& keys)
{
    const auto path = keyCachePath();
    if (path.empty()) {
        return false;
    }
    BioPtr bio(BIO_new_file(path.c_str(), "r"));
    if (!bio) {
        return false;
    }
    keys.caKey.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    keys.cardKey.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    return keys.caKey && keys.cardKey;
}

void storeCachedKeys(const Keys& keys)
{
    const auto path = keyCachePath();
    if (path.empty()) {
        return;
    }
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    const auto temporary = path.string() + "." + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << keyPem(keys.caKey.get()) << keyPem(keys.cardKey.get());
        if (!out) {
            return;
        }
    }
    std::filesystem::rename(temporary, path, ec);
}

Keys& keys()
{
    static std::once_flag once;
    static Keys shared;
    std::call_once(once, [] {
        if (!loadCachedKeys(shared)) {
            shared.caKey = generateRsa2048();
            shared.cardKey = generateRsa2048();
            storeCachedKeys(shared);
        }
        const auto from = sys_seconds{sys_days{2023y / July / 16}} + 1h + 1min + 4s;
        const auto until = sys_seconds{sys_days{2043y / July / 15}} + 14h + 59min + 59s;
        shared.ca = newCertificate(0x06D18006, from, until, shared.caKey.get());
        X509_NAME* name = X509_get_subject_name(shared.ca.get());
        addName(name, "C", "JP");
        addName(name, "O", "JPKI");
        addName(name, "OU", "JPKI for user authentication");
        addName(name, "OU", "Japan Agency for Local Authority Information Systems");
        X509_set_issuer_name(shared.ca.get(), name);
        addExtension(shared.ca.get(), shared.ca.get(), NID_basic_constraints, "critical,CA:TRUE");
        addExtension(shared.ca.get(), shared.ca.get(), NID_key_usage,
                     "critical,keyCertSign,cRLSign");
        check(X509_sign(shared.ca.get(), shared.caKey.get(), EVP_sha256()) > 0, "CA sign");
    });
    return shared;
}

std::atomic<long> g_serial{1000};
std::atomic<int> g_tempCounter{0};

} // namespace

TestCard makeTestCard(const std::string& commonName, sys_seconds notBefore, sys_seconds notAfter)
{
    Keys& k = keys();
    X509Ptr leaf = newCertificate(g_serial++, notBefore, notAfter, k.cardKey.get());
    X509_NAME* name = X509_get_subject_name(leaf.get());
    addName(name, "C", "JP");
    addName(name, "CN", commonName);
    X509_set_issuer_name(leaf.get(), X509_get_subject_name(k.ca.get()));
    addExtension(leaf.get(), k.ca.get(), NID_key_usage, "critical,digitalSignature");
    check(X509_sign(leaf.get(), k.caKey.get(), EVP_sha256()) > 0, "leaf sign");

    TestCard card;
    card.certificateDer = toDer(leaf.get());
    card.keyPem = keyPem(k.cardKey.get());
    card.caDer = toDer(k.ca.get());
    card.caPem = certificatePem(k.ca.get());
    return card;
}

const TestCard& defaultTestCard()
{
    static std::once_flag once;
    static TestCard card;
    std::call_once(once, [] {
        const auto now = floor<seconds>(system_clock::now());
        card = makeTestCard("UKTEST0000000000000001", now - days{400}, now + days{1400});
    });
    return card;
}

hal::sim::VirtualCardConfig virtualCardConfig(const TestCard& card, std::string pin,
                                              int triesLeft)
{
    hal::sim::VirtualCardConfig config;
    config.authCertificate = card.certificateDer;
    config.authCaCertificate = card.caDer;
    config.authKeyPem = card.keyPem;
    config.authPin = std::move(pin);
    config.authPinTriesLeft = triesLeft;
    return config;
}

bool verifySha256Signature(const hal::Bytes& certificateDer, std::span<const std::uint8_t> message,
                           std::span<const std::uint8_t> signature)
{
    const unsigned char* p = certificateDer.data();
    X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(certificateDer.size())));
    if (!x509) {
        return false;
    }
    EVP_PKEY* key = X509_get0_pubkey(x509.get());
    crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!key || !ctx ||
        EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
        return false;
    }
    return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                            message.size()) == 1;
}

TempDir::TempDir()
{
    const auto base = std::filesystem::temp_directory_path();
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = base / ("uketsuke-test-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(g_tempCounter++));
        std::error_code ec;
        if (std::filesystem::create_directory(candidate, ec)) {
            m_path = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

void writeFile(const std::filesystem::path& path, std::span<const std::uint8_t> bytes)
{
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    check(static_cast<bool>(out), "cannot write a test file");
}

void writeFile(const std::filesystem::path& path, const std::string& text)
{
    writeFile(path, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

CountingChannel::CountingChannel(std::unique_ptr<hal::CardChannel> inner)
    : hal::CardChannel(inner->atr()), m_inner(std::move(inner))
{
}

Result<hal::Bytes> CountingChannel::doTransmit(std::span<const std::uint8_t> command)
{
    auto parsed = hal::parseCommandApdu(command);
    if (!parsed) {
        return fail(std::move(parsed).error());
    }
    const auto& c = *parsed;
    if (c.extended || c.data.size() > 255) {
        return fail(Errc::InvalidArgument, "CountingChannel passes short APDUs only");
    }
    const std::size_t index = m_headers.size();
    m_headers.push_back(Header{c.cla, c.ins, c.p1, c.p2, c.data.size()});
    if (m_hook) {
        m_hook(index, c);
    }
    hal::Apdu apdu;
    apdu.cla = c.cla;
    apdu.ins = c.ins;
    apdu.p1 = c.p1;
    apdu.p2 = c.p2;
    apdu.data.assign(c.data.begin(), c.data.end());
    apdu.le = c.hasLe ? static_cast<int>(c.ne & 0xFF) : -1;
    apdu.sensitive = c.ins == 0x20 && !c.data.empty();
    auto response = m_inner->transmit(std::move(apdu));
    if (!response) {
        return fail(std::move(response).error());
    }
    hal::Bytes raw = std::move(response->data);
    raw.push_back(response->sw1());
    raw.push_back(response->sw2());
    return raw;
}

ScriptedChannel::ScriptedChannel(std::vector<Result<hal::Bytes>> replies)
    : hal::CardChannel(hal::Bytes{0x3B, 0x00}), m_replies(std::move(replies))
{
}

Result<hal::Bytes> ScriptedChannel::doTransmit(std::span<const std::uint8_t> command)
{
    const std::size_t index = m_sent.size();
    m_sent.emplace_back(command.begin(), command.end());
    if (index >= m_replies.size()) {
        return fail(Errc::CardRemoved, "script exhausted");
    }
    return m_replies[index];
}

} // namespace uketsuke::test
