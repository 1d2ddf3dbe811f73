#include "sim/pki.hpp"

#include "base/log.hpp"
#include "base/files.hpp"
#include "crypto/crypto.hpp"
#include "sim/personas.hpp"

#include <openssl/err.h>

#include <algorithm>
#include <system_error>
#include <vector>

namespace uketsuke::sim {
namespace {

const log::Category kLog("sim.pki");

constexpr int kRsaBits = 2048;
constexpr std::time_t kDay = 24 * 60 * 60;
constexpr std::time_t kJstOffset = 9 * 60 * 60;
constexpr int kCaYears = 10;
constexpr int kLeafDays = 825;

using NameEntries = std::vector<std::pair<std::string, std::string>>;

struct Extension {
    int nid;
    std::string value; // OpenSSL extension syntax, e.g. "critical,CA:TRUE"
};

struct Signer {
    X509* certificate; // nullptr: self-signed
    EVP_PKEY* key;
};

struct CertificateSpec {
    NameEntries subject;
    std::time_t notBefore = 0;
    std::time_t notAfter = 0;
    std::vector<Extension> extensions;
    std::string policyOid;       // certificatePolicies with this one policy; empty: none
    crypto::Bytes issuerAltNameDer; // empty: none
    bool rsa = true;             // false: an EC P-256 key (the TLS part)
};

struct KeyPair {
    crypto::X509Ptr certificate;
    crypto::PkeyPtr key;
};

crypto::Bytes fromHex(std::string_view hex)
{
    auto nibble = [](char c) -> std::uint8_t {
        if (c >= '0' && c <= '9') {
            return static_cast<std::uint8_t>(c - '0');
        }
        return static_cast<std::uint8_t>((c | 0x20) - 'a' + 10);
    };
    crypto::Bytes out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<std::uint8_t>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
    }
    return out;
}

Result<crypto::X509NamePtr> makeName(const NameEntries& entries)
{
    crypto::X509NamePtr name(X509_NAME_new());
    if (!name) {
        return fail(Errc::Internal, "X509_NAME_new: " + crypto::opensslError());
    }
    for (const auto& [field, value] : entries) {
        if (X509_NAME_add_entry_by_txt(name.get(), field.c_str(), MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                                       -1, 0) != 1) {
            return fail(Errc::Internal, "name entry " + field + ": " + crypto::opensslError());
        }
    }
    return name;
}

Result<void> setRandomSerial(X509* certificate)
{
    // 64 random bits with the top bit clear: positive, non-zero with overwhelming probability,
    // and unique enough that regenerated PKIs never repeat a serial.
    crypto::BignumPtr serial(BN_new());
    if (!serial || BN_rand(serial.get(), 63, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1 ||
        BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate)) == nullptr) {
        return fail(Errc::Internal, "serial: " + crypto::opensslError());
    }
    return ok();
}

Result<crypto::X509Ptr> issue(const CertificateSpec& spec, EVP_PKEY* subjectKey,
                              const Signer& signer)
{
    crypto::X509Ptr certificate(X509_new());
    if (!certificate || X509_set_version(certificate.get(), X509_VERSION_3) != 1) {
        return fail(Errc::Internal, "X509_new: " + crypto::opensslError());
    }
    if (auto serial = setRandomSerial(certificate.get()); !serial) {
        return fail(std::move(serial).error());
    }
    auto subject = makeName(spec.subject);
    if (!subject) {
        return fail(std::move(subject).error());
    }
    X509* issuerCertificate = signer.certificate ? signer.certificate : certificate.get();
    if (X509_set_subject_name(certificate.get(), subject->get()) != 1 ||
        X509_set_issuer_name(certificate.get(), signer.certificate
                                                    ? X509_get_subject_name(signer.certificate)
                                                    : subject->get()) != 1 ||
        ASN1_TIME_set(X509_getm_notBefore(certificate.get()), spec.notBefore) == nullptr ||
        ASN1_TIME_set(X509_getm_notAfter(certificate.get()), spec.notAfter) == nullptr ||
        X509_set_pubkey(certificate.get(), subjectKey) != 1) {
        return fail(Errc::Internal, "certificate fields: " + crypto::opensslError());
    }
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuerCertificate, certificate.get(), nullptr, nullptr, 0);
    for (const auto& extension : spec.extensions) {
        crypto::X509ExtensionPtr ext(
            X509V3_EXT_nconf_nid(nullptr, &ctx, extension.nid, extension.value.c_str()));
        if (!ext || X509_add_ext(certificate.get(), ext.get(), -1) != 1) {
            return fail(Errc::Internal, std::string("extension ") + OBJ_nid2sn(extension.nid) +
                                            ": " + crypto::opensslError());
        }
    }
    if (!spec.policyOid.empty()) {
        // Built as a structure: X509V3_EXT_nconf wants a config database for policies.
        using PoliciesPtr =
            std::unique_ptr<CERTIFICATEPOLICIES, crypto::OpensslDeleter<CERTIFICATEPOLICIES_free>>;
        PoliciesPtr policies(CERTIFICATEPOLICIES_new());
        POLICYINFO* info = POLICYINFO_new();
        if (!policies || info == nullptr) {
            POLICYINFO_free(info);
            return fail(Errc::Internal, "certificatePolicies: " + crypto::opensslError());
        }
        ASN1_OBJECT_free(info->policyid);
        info->policyid = OBJ_txt2obj(spec.policyOid.c_str(), 1);
        if (info->policyid == nullptr || sk_POLICYINFO_push(policies.get(), info) <= 0) {
            POLICYINFO_free(info);
            return fail(Errc::Internal, "certificatePolicies: " + crypto::opensslError());
        }
        if (X509_add1_ext_i2d(certificate.get(), NID_certificate_policies, policies.get(), 0,
                              X509V3_ADD_DEFAULT) != 1) {
            return fail(Errc::Internal, "certificatePolicies: " + crypto::opensslError());
        }
    }
    if (!spec.issuerAltNameDer.empty()) {
        // Given as DER: OpenSSL's config syntax would double-encode the UTF-8 of the dirName.
        crypto::Asn1OctetStringPtr value(ASN1_OCTET_STRING_new());
        if (!value || ASN1_OCTET_STRING_set(value.get(), spec.issuerAltNameDer.data(),
                                            static_cast<int>(spec.issuerAltNameDer.size())) != 1) {
            return fail(Errc::Internal, "issuerAltName: " + crypto::opensslError());
        }
        crypto::X509ExtensionPtr ext(
            X509_EXTENSION_create_by_NID(nullptr, NID_issuer_alt_name, 0, value.get()));
        if (!ext || X509_add_ext(certificate.get(), ext.get(), -1) != 1) {
            return fail(Errc::Internal, "issuerAltName: " + crypto::opensslError());
        }
    }
    if (X509_sign(certificate.get(), signer.key, EVP_sha256()) <= 0) {
        return fail(Errc::Internal, "X509_sign: " + crypto::opensslError());
    }
    return certificate;
}

Result<KeyPair> makeKeyPair(const CertificateSpec& spec, const KeyPair* issuer)
{
    auto key = spec.rsa ? crypto::generateRsaKey(kRsaBits) : crypto::generateEcKey();
    if (!key) {
        return fail(std::move(key).error());
    }
    Signer signer{issuer ? issuer->certificate.get() : nullptr,
                  issuer ? issuer->key.get() : key->get()};
    auto certificate = issue(spec, key->get(), signer);
    if (!certificate) {
        return fail(std::move(certificate).error());
    }
    return KeyPair{std::move(*certificate), std::move(*key)};
}

Result<void> writePemPair(const KeyPair& pair, const std::filesystem::path& certFile,
                          const std::filesystem::path& keyFile)
{
    auto pem = crypto::certificateToPem(pair.certificate.get());
    if (!pem) {
        return fail(std::move(pem).error());
    }
    if (auto written = files::writeFile(certFile, *pem, 0644); !written) {
        return written;
    }
    auto keyPem = crypto::privateKeyToPem(pair.key.get());
    if (!keyPem) {
        return fail(std::move(keyPem).error());
    }
    return files::writeFile(keyFile, *keyPem);
}

Result<void> writeDer(X509* certificate, const std::filesystem::path& file)
{
    auto der = crypto::toDer(certificate);
    if (!der) {
        return fail(std::move(der).error());
    }
    const std::string_view bytes(reinterpret_cast<const char*>(der->data()), der->size());
    return files::writeFile(file, bytes, 0644);
}

Result<void> makeDirectories(const PkiLayout& layout)
{
    std::error_code error;
    // Stale cards of personas that no longer exist must not survive a regeneration.
    std::filesystem::remove_all(layout.cardsDir(), error);
    for (const auto& dir : {layout.tlsDir(), layout.cardsDir()}) {
        std::filesystem::create_directories(dir, error);
        if (error) {
            return fail(Errc::StorageError,
                        "cannot create " + dir.string() + ": " + error.message(), error.value());
        }
    }
    return ok();
}

std::time_t plusDays(std::time_t t, long long days)
{
    return t + static_cast<std::time_t>(days) * kDay;
}

NameEntries testPkiName(const std::string& commonName)
{
    return {{"C", "JP"}, {"O", "Uketsuke Test PKI"}, {"CN", commonName}};
}

// A leaf of the TLS part: a server certificate (serverAuth, loopback names) or a terminal's
// client certificate (clientAuth), as docs/pki.md lists them.
CertificateSpec tlsLeafSpec(const std::string& commonName, bool server, std::time_t notBefore,
                            std::time_t notAfter)
{
    CertificateSpec spec;
    spec.rsa = false;
    spec.subject = testPkiName(commonName);
    spec.notBefore = notBefore;
    spec.notAfter = notAfter;
    spec.extensions = {{NID_basic_constraints, "CA:FALSE"},
                       {NID_subject_key_identifier, "hash"},
                       {NID_authority_key_identifier, "keyid:always"},
                       {NID_key_usage, "critical,digitalSignature"}};
    if (server) {
        spec.extensions.push_back({NID_ext_key_usage, "serverAuth"});
        spec.extensions.push_back({NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"});
    } else {
        spec.extensions.push_back({NID_ext_key_usage, "clientAuth"});
    }
    return spec;
}

Result<void> writeTlsPart(const PkiLayout& layout, const PkiOptions& options, std::time_t now)
{
    CertificateSpec caSpec;
    caSpec.subject = testPkiName("Uketsuke Test TLS CA");
    caSpec.notBefore = plusDays(now, -1);
    caSpec.notAfter = endOfJstDay(options.now + std::chrono::days(365 * kCaYears));
    caSpec.extensions = {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                         {NID_key_usage, "critical,keyCertSign,cRLSign"},
                         {NID_subject_key_identifier, "hash"}};
    caSpec.rsa = false;
    auto ca = makeKeyPair(caSpec, nullptr);
    if (!ca) {
        return fail(std::move(ca).error());
    }
    if (auto written = writePemPair(*ca, layout.tlsCa(), layout.tlsCaKey()); !written) {
        return written;
    }

    auto leaf = [&](const std::string& commonName, bool server) {
        return makeKeyPair(tlsLeafSpec(commonName, server, plusDays(now, -1),
                                       endOfJstDay(options.now + std::chrono::days(kLeafDays))),
                           &*ca);
    };
    struct Leaf {
        std::string commonName;
        bool server;
        std::filesystem::path cert;
        std::filesystem::path key;
    };
    const Leaf leaves[] = {
        {"uketsuke-gateway", true, layout.gatewayCert(), layout.gatewayKey()},
        {"uketsuke-desk", true, layout.deskCert(), layout.deskKey()},
        {options.terminalId, false, layout.terminalCert(), layout.terminalKey()},
    };
    for (const auto& item : leaves) {
        auto pair = leaf(item.commonName, item.server);
        if (!pair) {
            return fail(std::move(pair).error());
        }
        if (auto written = writePemPair(*pair, item.cert, item.key); !written) {
            return written;
        }
    }
    return ok();
}

Result<void> writeJpkiPart(const PkiLayout& layout, const PkiOptions& options,
                           const std::vector<Persona>& personas, std::time_t now)
{
    // The root covers every card it signs, even the expired and not-yet-valid ones, so that
    // only the card's own dates decide whether a card is in validity.
    std::time_t caNotBefore = plusDays(now, -1);
    auto caNotAfterPoint = options.now + std::chrono::days(365 * kCaYears);
    for (const auto& persona : personas) {
        if (persona.card.foreign) {
            continue;
        }
        caNotBefore = std::min(caNotBefore, plusDays(now, persona.card.notBeforeDays - 1LL));
        caNotAfterPoint = std::max(caNotAfterPoint,
                                   options.now + std::chrono::days(persona.card.notAfterDays + 1));
    }
    CertificateSpec caSpec;
    for (const auto& [field, value] : kJpkiAuthCaDn) {
        caSpec.subject.emplace_back(field, value);
    }
    caSpec.notBefore = caNotBefore;
    caSpec.notAfter = endOfJstDay(caNotAfterPoint);
    caSpec.extensions = {{NID_basic_constraints, "critical,CA:TRUE"},
                         {NID_key_usage, "critical,keyCertSign,cRLSign"},
                         {NID_subject_key_identifier, "hash"}};
    auto ca = makeKeyPair(caSpec, nullptr);
    if (!ca) {
        return fail(std::move(ca).error());
    }
    if (auto written = writePemPair(*ca, layout.authCa(), layout.authCaKey()); !written) {
        return written;
    }
    if (auto written = writeDer(ca->certificate.get(), layout.authCaDer()); !written) {
        return written;
    }

    const crypto::Bytes issuerAltName = fromHex(kJpkiIssuerAltNameHex);
    std::string revoked =
        "# Serial numbers (hex) of revoked card certificates; read by `uketsuke-sim gateway`.\n";
    for (const auto& persona : personas) {
        if (persona.card.foreign) {
            continue; // not a My Number card: no certificate
        }
        CertificateSpec spec;
        spec.subject = {{"C", "JP"}, {"CN", persona.card.cn}};
        spec.notBefore = plusDays(now, persona.card.notBeforeDays);
        spec.notAfter =
            endOfJstDay(options.now + std::chrono::days(persona.card.notAfterDays));
        spec.extensions = {{NID_key_usage, "critical,digitalSignature"},
                           {NID_subject_key_identifier, "hash"},
                           {NID_authority_key_identifier, "keyid:always"}};
        spec.policyOid = kJpkiAuthPolicyOid;
        spec.issuerAltNameDer = issuerAltName;
        auto card = makeKeyPair(spec, &*ca);
        if (!card) {
            return fail(std::move(card).error());
        }
        if (auto written = writeDer(card->certificate.get(), layout.cardCertificate(persona.id));
            !written) {
            return written;
        }
        auto keyPem = crypto::privateKeyToPem(card->key.get());
        if (!keyPem) {
            return fail(std::move(keyPem).error());
        }
        if (auto written = files::writeFile(layout.cardKey(persona.id), *keyPem); !written) {
            return written;
        }
        if (persona.card.revoked) {
            revoked += crypto::serialHex(card->certificate.get()) + "\n";
        }
        UKETSUKE_LOG(kLog, Debug) << "card certificate for persona " << persona.id;
    }
    return files::writeFile(layout.revokedSerials(), revoked, 0644);
}

} // namespace

std::time_t endOfJstDay(std::chrono::system_clock::time_point t)
{
    std::time_t jst = std::chrono::system_clock::to_time_t(t) + kJstOffset;
    std::tm day{};
    gmtime_r(&jst, &day);
    day.tm_hour = 23;
    day.tm_min = 59;
    day.tm_sec = 59;
    return timegm(&day) - kJstOffset;
}

Result<crypto::X509Ptr> issueTerminalCertificate(const TerminalCertificateSpec& spec)
{
    if (spec.ca == nullptr || spec.caKey == nullptr || spec.subjectKey == nullptr ||
        spec.terminalId.empty()) {
        return fail(Errc::InvalidArgument, "a terminal certificate needs a CA, keys and an id");
    }
    const CertificateSpec leaf = tlsLeafSpec(
        spec.terminalId, false, std::chrono::system_clock::to_time_t(spec.notBefore),
        std::chrono::system_clock::to_time_t(spec.notAfter));
    return issue(leaf, spec.subjectKey, Signer{spec.ca, spec.caKey});
}

Result<void> generatePki(const PkiOptions& options)
{
    if (options.outDir.empty()) {
        return fail(Errc::InvalidArgument, "no output directory");
    }
    auto personasText = files::readFile(options.personasFile);
    if (!personasText) {
        return fail(Errc::ConfigMissing, personasText.error().message);
    }
    auto personas = parsePersonas(*personasText);
    if (!personas) {
        return fail(Errc::ConfigInvalid,
                    options.personasFile.string() + ": " + personas.error().message);
    }
    const PkiLayout layout(options.outDir);
    if (auto made = makeDirectories(layout); !made) {
        return made;
    }
    const std::time_t now = std::chrono::system_clock::to_time_t(options.now);
    if (auto tls = writeTlsPart(layout, options, now); !tls) {
        return tls;
    }
    if (auto jpki = writeJpkiPart(layout, options, *personas, now); !jpki) {
        return jpki;
    }
    if (auto copied = files::writeFile(layout.personas(), *personasText, 0644); !copied) {
        return copied;
    }
    UKETSUKE_LOG(kLog, Info) << "test PKI written to " << layout.root().string() << " ("
                             << personas->size() << " cards)";
    return ok();
}

} // namespace uketsuke::sim
