#include "sim/pki.hpp"

#include "base/files.hpp"
#include "crypto/crypto.hpp"
#include "tests/sim/support.hpp"

#include <catch2/catch.hpp>
#include <openssl/x509v3.h>

#include <sys/stat.h>

#include <ctime>
#include <string>
#include <utility>
#include <vector>

namespace {

using uketsuke::Errc;
using namespace uketsuke::sim;
using uketsuke::sim::testing::ScratchDir;
namespace crypto = uketsuke::crypto;
namespace files = uketsuke::files;

// 2026-01-05T10:00:00Z, 19:00 in Japan.
constexpr std::time_t kNow = 1767607200;

const char* const kTwoPersonas = R"({"format": 1, "personas": [
  {"id": "valid", "card": {"cn": "UKTEST-PKI-1", "pin": "1234", "pin_tries_left": 3,
     "not_before_days": -400, "not_after_days": 1400},
   "qualification": {"MessageHeader": {"SegmentOfResult": "1"}, "MessageBody": {}}},
  {"id": "expired", "card": {"cn": "UKTEST-PKI-2", "pin": "1234", "pin_tries_left": 3,
     "not_before_days": -2000, "not_after_days": -200},
   "qualification": {"MessageHeader": {"SegmentOfResult": "1"}, "MessageBody": {}}}]})";

struct GeneratedPki {
    ScratchDir scratch;
    PkiLayout layout{scratch.path() / "pki"};

    GeneratedPki()
    {
        const auto personas = scratch.path() / "personas.json";
        REQUIRE(files::writeFile(personas, kTwoPersonas));
        PkiOptions options;
        options.outDir = layout.root();
        options.personasFile = personas;
        options.now = std::chrono::system_clock::from_time_t(kNow);
        auto made = generatePki(options);
        INFO((made ? std::string() : made.error().message));
        REQUIRE(made);
    }
};

crypto::X509Ptr loadPem(const std::filesystem::path& file)
{
    auto certificate = crypto::readPemCertificate(file);
    INFO(file.string());
    REQUIRE(certificate);
    return std::move(*certificate);
}

crypto::X509Ptr loadDer(const std::filesystem::path& file)
{
    auto certificate = crypto::parseDerCertificate(uketsuke::sim::testing::readBytes(file));
    INFO(file.string());
    REQUIRE(certificate);
    return std::move(*certificate);
}

// X509_V_OK when `certificate` chains to the CA file at time `at`, else the verify error.
int verifyAt(X509* certificate, const std::filesystem::path& caFile, std::time_t at,
             int purpose = 0)
{
    crypto::X509StorePtr store(X509_STORE_new());
    auto ca = loadPem(caFile);
    REQUIRE(X509_STORE_add_cert(store.get(), ca.get()) == 1);
    crypto::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    REQUIRE(X509_STORE_CTX_init(ctx.get(), store.get(), certificate, nullptr) == 1);
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), at);
    if (purpose != 0) {
        X509_STORE_CTX_set_purpose(ctx.get(), purpose);
    }
    X509_verify_cert(ctx.get());
    return X509_STORE_CTX_get_error(ctx.get());
}

std::vector<std::pair<std::string, std::string>> nameEntries(const X509_NAME* name)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
        const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
        int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
        const ASN1_STRING* value = X509_NAME_ENTRY_get_data(entry);
        out.emplace_back(OBJ_nid2sn(nid),
                         std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                                     static_cast<std::size_t>(ASN1_STRING_length(value))));
    }
    return out;
}

bool isCritical(X509* certificate, int nid)
{
    int index = X509_get_ext_by_NID(certificate, nid, -1);
    REQUIRE(index >= 0);
    return X509_EXTENSION_get_critical(X509_get_ext(certificate, index)) == 1;
}

std::tm timeOf(const ASN1_TIME* time)
{
    std::tm tm{};
    REQUIRE(ASN1_TIME_to_tm(time, &tm) == 1);
    return tm;
}

std::time_t epochOf(const ASN1_TIME* time)
{
    std::tm tm = timeOf(time);
    return timegm(&tm);
}

TEST_CASE("generatePki: writes every documented file, keys private")
{
    GeneratedPki pki;
    const PkiLayout& l = pki.layout;
    for (const auto& file :
         {l.tlsCa(), l.tlsCaKey(), l.gatewayCert(), l.gatewayKey(), l.deskCert(), l.deskKey(),
          l.terminalCert(), l.terminalKey(), l.authCa(), l.authCaKey(), l.authCaDer(),
          l.cardCertificate("valid"), l.cardKey("valid"), l.cardCertificate("expired"),
          l.cardKey("expired"), l.personas()}) {
        INFO(file.string());
        CHECK(std::filesystem::is_regular_file(file));
    }
    for (const auto& key : {l.tlsCaKey(), l.gatewayKey(), l.deskKey(), l.terminalKey(),
                            l.authCaKey(), l.cardKey("valid")}) {
        struct stat info {};
        REQUIRE(::stat(key.c_str(), &info) == 0);
        INFO(key.string());
        CHECK((info.st_mode & 0777) == 0600);
    }
    auto copy = files::readFile(l.personas());
    REQUIRE(copy);
    CHECK(*copy == kTwoPersonas);
}

TEST_CASE("generatePki: the auth CA is a JPKI-shaped root with the exact DN")
{
    GeneratedPki pki;
    auto ca = loadPem(pki.layout.authCa());
    const std::vector<std::pair<std::string, std::string>> dn = {
        {"C", "JP"},
        {"O", "JPKI"},
        {"OU", "JPKI for user authentication"},
        {"OU", "Japan Agency for Local Authority Information Systems"},
    };
    CHECK(nameEntries(X509_get_subject_name(ca.get())) == dn);
    CHECK(nameEntries(X509_get_issuer_name(ca.get())) == dn);
    CHECK(verifyAt(ca.get(), pki.layout.authCa(), kNow) == X509_V_OK);
    CHECK(X509_get_signature_nid(ca.get()) == NID_sha256WithRSAEncryption);
    CHECK(EVP_PKEY_get_bits(X509_get0_pubkey(ca.get())) == 2048);
    CHECK(EVP_PKEY_is_a(X509_get0_pubkey(ca.get()), "RSA") == 1);
    CHECK((X509_get_extension_flags(ca.get()) & EXFLAG_CA) != 0);
    CHECK(isCritical(ca.get(), NID_basic_constraints));
    CHECK(isCritical(ca.get(), NID_key_usage));
    CHECK(X509_get_key_usage(ca.get()) == (KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    std::tm end = timeOf(X509_get0_notAfter(ca.get()));
    CHECK((end.tm_hour == 14 && end.tm_min == 59 && end.tm_sec == 59));

    auto der = loadDer(pki.layout.authCaDer());
    CHECK(X509_cmp(der.get(), ca.get()) == 0);
}

TEST_CASE("generatePki: a card certificate is JPKI-shaped and chains to the auth CA")
{
    GeneratedPki pki;
    auto ca = loadPem(pki.layout.authCa());
    auto card = loadDer(pki.layout.cardCertificate("valid"));

    using Entries = std::vector<std::pair<std::string, std::string>>;
    CHECK(nameEntries(X509_get_subject_name(card.get())) == Entries{{"C", "JP"},
                                                                    {"CN", "UKTEST-PKI-1"}});
    CHECK(X509_NAME_cmp(X509_get_issuer_name(card.get()), X509_get_subject_name(ca.get())) == 0);
    CHECK(verifyAt(card.get(), pki.layout.authCa(), kNow) == X509_V_OK);
    CHECK(X509_get_signature_nid(card.get()) == NID_sha256WithRSAEncryption);
    CHECK(EVP_PKEY_get_bits(X509_get0_pubkey(card.get())) == 2048);

    // Key usage: critical digitalSignature and nothing else; not a CA.
    CHECK(isCritical(card.get(), NID_key_usage));
    CHECK(X509_get_key_usage(card.get()) == KU_DIGITAL_SIGNATURE);
    CHECK((X509_get_extension_flags(card.get()) & EXFLAG_CA) == 0);

    // IssuerAltName: exactly the DER of docs/pki.md.
    int index = X509_get_ext_by_NID(card.get(), NID_issuer_alt_name, -1);
    REQUIRE(index >= 0);
    const ASN1_OCTET_STRING* ian = X509_EXTENSION_get_data(X509_get_ext(card.get(), index));
    std::string hex;
    for (int i = 0; i < ASN1_STRING_length(ian); ++i) {
        char pair[3];
        std::snprintf(pair, sizeof pair, "%02X", ASN1_STRING_get0_data(ian)[i]);
        hex += pair;
    }
    CHECK(hex == kJpkiIssuerAltNameHex);

    // Certificate policy: user authentication, class 30.
    auto* policies = static_cast<CERTIFICATEPOLICIES*>(
        X509_get_ext_d2i(card.get(), NID_certificate_policies, nullptr, nullptr));
    REQUIRE(policies != nullptr);
    REQUIRE(sk_POLICYINFO_num(policies) == 1);
    char oid[64];
    OBJ_obj2txt(oid, sizeof oid, sk_POLICYINFO_value(policies, 0)->policyid, 1);
    CHECK(std::string(oid) == kJpkiAuthPolicyOid);
    CERTIFICATEPOLICIES_free(policies);

    // Validity: from 400 days before "now" to 23:59:59 JST (14:59:59Z) 1400 days after.
    CHECK(epochOf(X509_get0_notBefore(card.get())) == kNow - 400 * 86400);
    std::tm end = timeOf(X509_get0_notAfter(card.get()));
    CHECK(end.tm_year + 1900 == 2029);
    CHECK(end.tm_mon + 1 == 11);
    CHECK(end.tm_mday == 5);
    CHECK((end.tm_hour == 14 && end.tm_min == 59 && end.tm_sec == 59));

    // The private key belongs to the certificate.
    auto key = crypto::readPemPrivateKey(pki.layout.cardKey("valid"));
    REQUIRE(key);
    CHECK(X509_check_private_key(card.get(), key->get()) == 1);
}

TEST_CASE("generatePki: an expired persona's certificate fails verification as expired")
{
    GeneratedPki pki;
    auto card = loadDer(pki.layout.cardCertificate("expired"));
    CHECK(verifyAt(card.get(), pki.layout.authCa(), kNow) == X509_V_ERR_CERT_HAS_EXPIRED);
    // ... and was valid during its own validity period.
    CHECK(verifyAt(card.get(), pki.layout.authCa(), kNow - 1000 * 86400) == X509_V_OK);
}

TEST_CASE("generatePki: TLS certificates chain to the TLS CA with server and client usages")
{
    GeneratedPki pki;
    const PkiLayout& l = pki.layout;
    for (const auto& file : {l.gatewayCert(), l.deskCert()}) {
        INFO(file.string());
        auto server = loadPem(file);
        CHECK(verifyAt(server.get(), l.tlsCa(), kNow, X509_PURPOSE_SSL_SERVER) == X509_V_OK);
        CHECK(X509_check_host(server.get(), "localhost", 0, 0, nullptr) == 1);
        CHECK(X509_check_ip_asc(server.get(), "127.0.0.1", 0) == 1);
        CHECK(X509_check_ip_asc(server.get(), "::1", 0) == 1);
        CHECK(X509_check_host(server.get(), "example.com", 0, 0, nullptr) == 0);
        CHECK(X509_check_purpose(server.get(), X509_PURPOSE_SSL_CLIENT, 0) == 0);
    }
    auto terminal = loadPem(l.terminalCert());
    CHECK(crypto::commonName(X509_get_subject_name(terminal.get())) == "KIOSK-0001");
    CHECK(verifyAt(terminal.get(), l.tlsCa(), kNow, X509_PURPOSE_SSL_CLIENT) == X509_V_OK);
    CHECK((X509_get_extended_key_usage(terminal.get()) & XKU_SSL_CLIENT) != 0);
    CHECK((X509_get_extended_key_usage(terminal.get()) & XKU_SSL_SERVER) == 0);
    auto key = crypto::readPemPrivateKey(l.terminalKey());
    REQUIRE(key);
    CHECK(X509_check_private_key(terminal.get(), key->get()) == 1);

    // The JPKI CA is not a TLS CA and vice versa.
    CHECK(verifyAt(terminal.get(), l.authCa(), kNow) != X509_V_OK);
}

TEST_CASE("issueTerminalCertificate: a client certificate shaped as terminal.pem for another key")
{
    GeneratedPki pki;
    const PkiLayout& l = pki.layout;
    auto ca = loadPem(l.tlsCa());
    auto caKey = crypto::readPemPrivateKey(l.tlsCaKey());
    REQUIRE(caKey);
    auto key = crypto::generateEcKey();
    REQUIRE(key);
    TerminalCertificateSpec spec;
    spec.ca = ca.get();
    spec.caKey = caKey->get();
    spec.subjectKey = key->get();
    spec.terminalId = "KIOSK-0002";
    spec.notBefore = std::chrono::system_clock::from_time_t(kNow - 3600);
    spec.notAfter = std::chrono::system_clock::from_time_t(kNow + 86400);
    auto issued = issueTerminalCertificate(spec);
    INFO((issued ? std::string() : issued.error().message));
    REQUIRE(issued);
    X509* certificate = issued->get();

    // The same DN as the PKI's own terminal certificate but for the CN.
    using Entries = std::vector<std::pair<std::string, std::string>>;
    CHECK(nameEntries(X509_get_subject_name(certificate)) ==
          Entries{{"C", "JP"}, {"O", "Uketsuke Test PKI"}, {"CN", "KIOSK-0002"}});
    auto terminal = loadPem(l.terminalCert());
    CHECK(nameEntries(X509_get_subject_name(terminal.get())) ==
          Entries{{"C", "JP"}, {"O", "Uketsuke Test PKI"}, {"CN", "KIOSK-0001"}});
    CHECK(verifyAt(certificate, l.tlsCa(), kNow, X509_PURPOSE_SSL_CLIENT) == X509_V_OK);
    CHECK(X509_check_private_key(certificate, key->get()) == 1);
    CHECK(X509_get_extended_key_usage(certificate) == XKU_SSL_CLIENT);
    CHECK(X509_get_key_usage(certificate) == KU_DIGITAL_SIGNATURE);
    CHECK(isCritical(certificate, NID_key_usage));
    CHECK((X509_get_extension_flags(certificate) & EXFLAG_CA) == 0);
    CHECK(epochOf(X509_get0_notBefore(certificate)) == kNow - 3600);
    CHECK(epochOf(X509_get0_notAfter(certificate)) == kNow + 86400);

    spec.terminalId.clear();
    auto nameless = issueTerminalCertificate(spec);
    REQUIRE_FALSE(nameless);
    CHECK(nameless.error().code == Errc::InvalidArgument);
}

TEST_CASE("generatePki: a bad personas file fails before anything is written")
{
    ScratchDir scratch;
    const auto personas = scratch.path() / "personas.json";
    REQUIRE(files::writeFile(personas, R"({"format": 1, "personas": [{"id": "x"}]})"));
    PkiOptions options;
    options.outDir = scratch.path() / "pki";
    options.personasFile = personas;
    auto made = generatePki(options);
    REQUIRE_FALSE(made);
    CHECK(made.error().code == Errc::ConfigInvalid);
    CHECK_FALSE(std::filesystem::exists(options.outDir));

    options.personasFile = scratch.path() / "missing.json";
    auto missing = generatePki(options);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::ConfigMissing);
}

TEST_CASE("endOfJstDay: ends at 14:59:59Z on the Japanese calendar day")
{
    using std::chrono::system_clock;
    // 10:00Z is 19:00 JST on the same day.
    CHECK(endOfJstDay(system_clock::from_time_t(kNow)) == kNow + 4 * 3600 + 59 * 60 + 59);
    // 16:00Z is already 01:00 JST the next day.
    CHECK(endOfJstDay(system_clock::from_time_t(kNow + 6 * 3600)) ==
          kNow + 86400 + 4 * 3600 + 59 * 60 + 59);
    // 14:59:59Z is the last second of the JST day.
    const std::time_t last = kNow + 4 * 3600 + 59 * 60 + 59;
    CHECK(endOfJstDay(system_clock::from_time_t(last)) == last);
}

} // namespace
