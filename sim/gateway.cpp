#include "sim/gateway.hpp"

#include "base/hex.hpp"
#include "base/log.hpp"
#include "base/time.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "hal/card.hpp"
#include "kiosk/model/json.hpp"
#include "sim/activation.hpp"
#include "sim/enrol.hpp"
#include "sim/personas.hpp"
#include "sim/pki.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <condition_variable>
#include <ctime>
#include <fstream>
#include <map>
#include <optional>
#include <mutex>
#include <set>
#include <span>
#include <sstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace uketsuke::sim {
namespace {

using nlohmann::json;
using std::chrono::steady_clock;
using std::chrono::system_clock;

const log::Category kLog("sim.gateway");

constexpr std::size_t kNonceBytes = 32;
constexpr std::size_t kChallengeIdBytes = 16;
constexpr std::size_t kMaxCertificateBytes = 16 * 1024;
constexpr std::size_t kMaxSignatureBytes = 1024;
constexpr std::size_t kMaxClinicCodeLength = 32;
constexpr std::size_t kMaxStaffIdLength = 32;
constexpr std::size_t kMaxBodyBytes = 64 * 1024;
constexpr std::time_t kJstOffset = 9 * 60 * 60;
// An enrolled terminal's certificate: from an hour ago (clocks differ) for 365 days, to the end
// of that Japanese calendar day as the PKI's other certificates.
constexpr auto kEnrolBackdate = std::chrono::hours(1);
constexpr auto kEnrolValidity = std::chrono::days(365);

// The protocol's error codes and their HTTP statuses: one table (docs/protocol/eligibility.md).
struct ErrorKind {
    const char* code;
    int status;
};
constexpr ErrorKind kBadRequest{"bad_request", 400};
constexpr ErrorKind kClientCertificateRequired{"client_certificate_required", 401};
constexpr ErrorKind kCsrInvalid{"csr_invalid", 400};
constexpr ErrorKind kActivationRefused{"activation_refused", 403};
constexpr ErrorKind kSignatureInvalid{"signature_invalid", 403};
constexpr ErrorKind kCertificateRejected{"certificate_rejected", 403};
constexpr ErrorKind kCertificateRevoked{"certificate_revoked", 403};
constexpr ErrorKind kChallengeUnknown{"challenge_unknown", 404};
constexpr ErrorKind kPersonUnknown{"person_unknown", 404};
constexpr ErrorKind kNotFound{"not_found", 404};
constexpr ErrorKind kChallengeExpired{"challenge_expired", 410};
constexpr ErrorKind kPayloadTooLarge{"payload_too_large", 413};
constexpr ErrorKind kInternal{"internal", 500};
constexpr ErrorKind kBusy{"busy", 503};

GatewayReply errorReply(const ErrorKind& kind, const std::string& message)
{
    return GatewayReply{kind.status,
                        json{{"error", json{{"code", kind.code}, {"message", message}}}}};
}

// The Japanese calendar time of `t` (Asia/Tokyo is UTC+9 all year: no daylight saving).
std::tm jstTime(system_clock::time_point t)
{
    std::time_t jst = system_clock::to_time_t(t) + kJstOffset;
    std::tm tm{};
    gmtime_r(&jst, &tm);
    return tm;
}

// YYYYMMDD
std::string jstDate(system_clock::time_point t)
{
    std::tm tm = jstTime(t);
    char text[32];
    return std::string(text, std::strftime(text, sizeof text, "%Y%m%d", &tm));
}

// YYYYMMDDhhmmss
std::string jstDateTime(system_clock::time_point t)
{
    std::tm tm = jstTime(t);
    char text[32];
    return std::string(text, std::strftime(text, sizeof text, "%Y%m%d%H%M%S", &tm));
}

// YYYY-MM-DD of the Japanese calendar day of a UTC time_t.
std::string jstIsoDate(std::time_t t)
{
    std::tm tm = jstTime(system_clock::from_time_t(t));
    char text[32];
    return std::string(text, std::strftime(text, sizeof text, "%Y-%m-%d", &tm));
}

// 2026-11-26T04:00:00Z
std::string isoUtc(system_clock::time_point t)
{
    std::time_t utc = system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&utc, &tm);
    char text[32];
    return std::string(text, std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm));
}

} // namespace

// The IMF-fixdate of RFC 9110 for the Date header, independent of the C locale.
std::string httpDate(system_clock::time_point t)
{
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t utc = system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&utc, &tm);
    char text[64];
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return text;
}

namespace {

// The first second of the Japanese calendar month `months` after the month of `t`, as UTC.
std::time_t startOfJstMonthAfter(std::time_t t, int months)
{
    std::tm day{};
    std::time_t jst = t + kJstOffset;
    gmtime_r(&jst, &day);
    std::tm start{};
    start.tm_year = day.tm_year;
    start.tm_mon = day.tm_mon + months;
    start.tm_mday = 1;
    return timegm(&start) - kJstOffset; // timegm normalises months past December
}

// The same Japanese calendar time `months` earlier (the day clamped to the month's length).
std::time_t jstMonthsBefore(std::time_t t, int months)
{
    std::tm day{};
    std::time_t jst = t + kJstOffset;
    gmtime_r(&jst, &day);
    std::tm first = day;
    first.tm_mon -= months;
    first.tm_mday = 1;
    std::time_t monthStart = timegm(&first);
    std::tm normal{};
    gmtime_r(&monthStart, &normal);
    std::tm next = normal;
    next.tm_mon += 1;
    const int length = static_cast<int>((timegm(&next) - monthStart) / 86400);
    normal.tm_mday = std::min(day.tm_mday, length);
    normal.tm_hour = day.tm_hour;
    normal.tm_min = day.tm_min;
    normal.tm_sec = day.tm_sec;
    return timegm(&normal) - kJstOffset;
}

// Reads a required string field of a JSON object; nullptr when absent or not a string.
const std::string* stringField(const json& object, const char* key)
{
    auto it = object.find(key);
    if (it == object.end() || !it->is_string()) {
        return nullptr;
    }
    return &it->get_ref<const std::string&>();
}

bool isPrintableAscii(std::string_view text)
{
    for (char c : text) {
        if (c < 0x20 || c > 0x7e) {
            return false;
        }
    }
    return true;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// GatewayService

struct GatewayService::Impl {
    struct OpenChallenge {
        hal::Bytes nonce;
        std::string terminalId;
        steady_clock::time_point expiresAt;
    };

    // Where a card certificate stands on the gateway's clock.
    enum class CardStatus { Valid, Expiring, Grace };
    struct CardCheck {
        std::string error; // empty when accepted
        CardStatus status = CardStatus::Valid;
        std::time_t notAfter = 0;
        std::time_t graceUntil = 0; // last second of the grace (Grace only)
    };

    GatewayOptions options;
    std::vector<Persona> personas;
    // One store per trusted CA: CA generations share one DN, and a card certificate without an
    // authorityKeyIdentifier makes OpenSSL pick its issuer by name alone and stop at the first
    // one whose signature fails. Trying each CA on its own finds the one that signed it.
    std::vector<crypto::X509StorePtr> trustStores;

    mutable std::mutex mutex;
    std::map<std::string, OpenChallenge> challenges; // guarded by mutex

    // Enrolment: the TLS CA that signs terminals' certificates (both null when the PKI has no
    // tls/ca.key: enrolment then answers 500), and the activation codes.
    crypto::X509Ptr terminalCa;
    crypto::PkeyPtr terminalCaKey;
    std::mutex signMutex; // one signature with the CA key at a time
    std::filesystem::path activationDir;

    // The revocation list, re-read when the file's modification time changes.
    std::filesystem::path revokedFile; // empty: no list
    std::mutex revokedMutex;
    std::set<std::string> revoked;                   // guarded by revokedMutex
    std::filesystem::file_time_type revokedModified; // guarded by revokedMutex

    steady_clock::time_point steadyNow() const
    {
        return options.steadyNow ? options.steadyNow() : steady_clock::now();
    }
    system_clock::time_point wallNow() const
    {
        return options.wallNow ? options.wallNow() : system_clock::now();
    }

    // Drops challenges long past expiry. Expired ones are kept for a while so that a late
    // confirm hears "challenge_expired" rather than "challenge_unknown". Needs mutex.
    void pruneLocked(steady_clock::time_point now)
    {
        const auto keep = std::max<steady_clock::duration>(options.challengeLifetime,
                                                           std::chrono::minutes(5));
        for (auto it = challenges.begin(); it != challenges.end();) {
            if (now - it->second.expiresAt > keep) {
                it = challenges.erase(it);
            } else {
                ++it;
            }
        }
    }

    // Parses a revocation list: one serial (hex) per line, '#' starts a comment.
    static Result<std::set<std::string>> parseRevoked(const std::filesystem::path& file)
    {
        std::ifstream in(file);
        if (!in) {
            return fail(Errc::ConfigMissing, "cannot read revocation list " + file.string());
        }
        std::set<std::string> serials;
        std::string line;
        for (int number = 1; std::getline(in, line); ++number) {
            if (auto hash = line.find('#'); hash != std::string::npos) {
                line.erase(hash);
            }
            const auto first = line.find_first_not_of(" \t\r");
            if (first == std::string::npos) {
                continue;
            }
            const auto last = line.find_last_not_of(" \t\r");
            std::string serial = crypto::normaliseSerialHex(line.substr(first, last - first + 1));
            if (serial.empty()) {
                return fail(Errc::ConfigInvalid, file.string() + " line " +
                                                     std::to_string(number) +
                                                     ": not a hexadecimal serial number");
            }
            serials.insert(std::move(serial));
        }
        return serials;
    }

    // True when the serial is on the list; re-reads the list when the file changed. A list
    // that became unreadable or invalid keeps the previous one (and says so in the log).
    bool isRevoked(const std::string& serial)
    {
        if (revokedFile.empty()) {
            return false;
        }
        std::lock_guard lock(revokedMutex);
        std::error_code error;
        auto modified = std::filesystem::last_write_time(revokedFile, error);
        if (!error && modified != revokedModified) {
            auto fresh = parseRevoked(revokedFile);
            if (fresh) {
                revoked = std::move(*fresh);
                revokedModified = modified;
                UKETSUKE_LOG(kLog, Info) << "revocation list reloaded: " << revoked.size()
                                         << " serial(s)";
            } else {
                UKETSUKE_LOG(kLog, Warn) << "revocation list not reloaded, keeping the old one: "
                                         << fresh.error().message;
            }
        }
        return revoked.count(serial) > 0;
    }

    // Verifies the chain to the JPKI trust anchors at `when`. Empty when it verifies, else
    // the reason; `expiredLeaf` tells that only the card certificate's own notAfter failed.
    std::string verifyAt(X509* certificate, std::time_t when, bool& expiredLeaf) const
    {
        // The reason to report when no CA accepts the card: from a CA whose signature matched
        // (e.g. "certificate has expired"), else the first CA's.
        std::string reason;
        bool reasonFromIssuer = false;
        for (const auto& store : trustStores) {
            bool expired = false;
            int error = X509_V_OK;
            if (auto failed = verifyWith(store.get(), certificate, when, expired, error);
                !failed.empty()) {
                const bool notIssuer = error == X509_V_ERR_CERT_SIGNATURE_FAILURE ||
                                       error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
                                       error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT;
                if (reason.empty() || (!notIssuer && !reasonFromIssuer)) {
                    reason = std::move(failed);
                    reasonFromIssuer = !notIssuer;
                    expiredLeaf = expired;
                }
                continue;
            }
            expiredLeaf = false;
            return {};
        }
        return reason.empty() ? std::string("no JPKI trust anchor") : reason;
    }

    static std::string verifyWith(X509_STORE* store, X509* certificate, std::time_t when,
                                  bool& expiredLeaf, int& error)
    {
        expiredLeaf = false;
        crypto::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
        if (!ctx || X509_STORE_CTX_init(ctx.get(), store, certificate, nullptr) != 1) {
            return "verification set-up failed: " + crypto::opensslError();
        }
        X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), when);
        if (X509_verify_cert(ctx.get()) != 1) {
            ERR_clear_error();
            error = X509_STORE_CTX_get_error(ctx.get());
            expiredLeaf = error == X509_V_ERR_CERT_HAS_EXPIRED &&
                          X509_STORE_CTX_get_error_depth(ctx.get()) == 0;
            return X509_verify_cert_error_string(error);
        }
        return {};
    }

    // The card certificate on the gateway's clock: chains to a trusted JPKI CA, has key usage
    // digitalSignature, and is in validity, expiring within 3 months, or expired but within the
    // qualification-only grace (to the end of the third month after notAfter, JST).
    CardCheck checkCard(X509* certificate) const
    {
        CardCheck check;
        std::tm notAfterTm{};
        if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &notAfterTm) != 1) {
            ERR_clear_error();
            check.error = "unreadable notAfter";
            return check;
        }
        check.notAfter = timegm(&notAfterTm);
        const std::time_t now = system_clock::to_time_t(wallNow());
        bool expiredLeaf = false;
        std::string reason = verifyAt(certificate, now, expiredLeaf);
        if (!reason.empty() && expiredLeaf) {
            check.graceUntil = startOfJstMonthAfter(check.notAfter, 4) - 1;
            if (now > check.graceUntil) {
                check.error = reason + " (past the 3-month grace)";
                return check;
            }
            // In grace: the chain must have been good while the card was still valid.
            reason = verifyAt(certificate, check.notAfter - 1, expiredLeaf);
            check.status = CardStatus::Grace;
        } else if (reason.empty() && now >= jstMonthsBefore(check.notAfter, 3)) {
            check.status = CardStatus::Expiring;
        }
        if (!reason.empty()) {
            check.error = reason;
            return check;
        }
        if ((X509_get_key_usage(certificate) & KU_DIGITAL_SIGNATURE) == 0 ||
            (X509_get_extension_flags(certificate) & EXFLAG_KUSAGE) == 0) {
            check.error = "key usage lacks digitalSignature";
        }
        return check;
    }

    // A terminal's client certificate from the TLS CA (enrolment), in PEM.
    struct Issued {
        std::string pem;
        std::string serial;
        std::chrono::sys_seconds notAfter;
    };
    Result<Issued> issueCertificate(const std::string& terminalId, EVP_PKEY* key,
                                    system_clock::time_point now)
    {
        TerminalCertificateSpec spec;
        spec.ca = terminalCa.get();
        spec.caKey = terminalCaKey.get();
        spec.subjectKey = key;
        spec.terminalId = terminalId;
        spec.notBefore = now - kEnrolBackdate;
        spec.notAfter = system_clock::from_time_t(endOfJstDay(now + kEnrolValidity));
        crypto::X509Ptr certificate;
        {
            std::lock_guard lock(signMutex);
            auto made = issueTerminalCertificate(spec);
            if (!made) {
                return fail(std::move(made).error());
            }
            certificate = std::move(*made);
        }
        auto pem = crypto::certificateToPem(certificate.get());
        if (!pem) {
            return fail(std::move(pem).error());
        }
        auto notAfter = crypto::notAfter(certificate.get());
        if (!notAfter) {
            return fail(std::move(notAfter).error());
        }
        return Issued{std::move(*pem), crypto::serialHex(certificate.get()), *notAfter};
    }

    static bool verifySignature(X509* certificate, const hal::Bytes& message,
                                const hal::Bytes& signature)
    {
        EVP_PKEY* key = X509_get0_pubkey(certificate);
        if (key == nullptr || EVP_PKEY_is_a(key, "RSA") != 1) {
            ERR_clear_error();
            return false;
        }
        crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
        // RSA keys verify with PKCS#1 v1.5 padding by default.
        bool good = ctx &&
                    EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                     message.data(), message.size()) == 1;
        ERR_clear_error();
        return good;
    }
};

namespace {

// The consents of a confirm request (docs/protocol/eligibility.md §2.3): each member optional,
// a boolean. Errors: the name of the bad member.
struct Consents {
    bool limitApplication = false;
    bool specificDiseases = false;
    bool specificHealthCheckups = false;
    bool pharmacists = false;
    bool diagnosis = false;
    bool operation = false;
};

std::optional<Consents> readConsents(const json& request, std::string& problem)
{
    Consents consents;
    auto it = request.find("consents");
    if (it == request.end() || it->is_null()) {
        return consents;
    }
    if (!it->is_object()) {
        problem = "consents must be an object";
        return std::nullopt;
    }
    const std::pair<const char*, bool Consents::*> members[] = {
        {"limit_application", &Consents::limitApplication},
        {"specific_diseases", &Consents::specificDiseases},
        {"specific_health_checkups", &Consents::specificHealthCheckups},
        {"pharmacists", &Consents::pharmacists},
        {"diagnosis", &Consents::diagnosis},
        {"operation", &Consents::operation},
    };
    for (const auto& [key, member] : members) {
        auto value = it->find(key);
        if (value == it->end() || value->is_null()) {
            continue;
        }
        if (!value->is_boolean()) {
            problem = std::string("consents.") + key + " must be true or false";
            return std::nullopt;
        }
        consents.*member = value->get<bool>();
    }
    return consents;
}

// Writes the consents given at the terminal into each record, as the reader would: a flag
// with its time, and for the viewing consents the end of the 24-hour window. During the
// qualification-only grace no medical information is shared, so viewing consents are 0.
void applyConsents(kiosk::model::QualificationResult& result, const Consents& consents,
                   system_clock::time_point now, bool qualificationOnly)
{
    const std::string at = jstDateTime(now);
    const std::string until = jstDateTime(now + std::chrono::hours(24));
    auto viewing = [&](kiosk::model::ViewingConsent& consent, bool given) {
        given = given && !qualificationOnly;
        consent.consFlg = given ? "1" : "0";
        consent.consTime = given ? at : std::string();
        consent.availableTime = given ? until : std::string();
    };
    for (auto& person : result.body.resultList) {
        person.limitApplicationCertificateRelatedConsFlg = consents.limitApplication ? "1" : "0";
        person.limitApplicationCertificateRelatedConsTime =
            consents.limitApplication ? at : std::string();
        person.specificDiseasesCertificateRelatedConsFlg = consents.specificDiseases ? "1" : "0";
        person.specificDiseasesCertificateRelatedConsTime =
            consents.specificDiseases ? at : std::string();
        viewing(person.specificHealthCheckupsInfo, consents.specificHealthCheckups);
        viewing(person.pharmacistsInfo, consents.pharmacists);
        viewing(person.diagnosisInfo, consents.diagnosis);
        viewing(person.operationInfo, consents.operation);
    }
}

// "2027年2月28日"
std::string jstJapaneseDate(std::time_t t)
{
    std::tm tm = jstTime(system_clock::from_time_t(t));
    return std::to_string(tm.tm_year + 1900) + "年" + std::to_string(tm.tm_mon + 1) + "月" +
           std::to_string(tm.tm_mday) + "日";
}

} // namespace

GatewayService::GatewayService(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
GatewayService::~GatewayService() = default;

Result<std::unique_ptr<GatewayService>> GatewayService::create(GatewayOptions options)
{
    auto impl = std::make_unique<Impl>();
    const PkiLayout layout(options.pkiDir);
    const auto personasFile =
        options.personasFile.empty() ? layout.personas() : options.personasFile;
    auto personas = loadPersonas(personasFile);
    if (!personas) {
        return fail(std::move(personas).error());
    }
    impl->personas = std::move(*personas);

    std::vector<std::filesystem::path> anchors{layout.authCa()};
    anchors.insert(anchors.end(), options.trustCaFiles.begin(), options.trustCaFiles.end());
    for (const auto& file : anchors) {
        auto certificates = crypto::readPemCertificates(file);
        if (!certificates) {
            auto error = std::move(certificates).error();
            // A CA file is configuration: missing or not PEM is a configuration error.
            error.code =
                error.code == Errc::StorageError ? Errc::ConfigMissing : Errc::ConfigInvalid;
            return fail(std::move(error));
        }
        for (const auto& certificate : *certificates) {
            auto store = crypto::makeTrustStore(std::span<const crypto::X509Ptr>(&certificate, 1));
            if (!store) {
                return fail(std::move(store).error());
            }
            impl->trustStores.push_back(std::move(*store));
        }
    }

    std::error_code exists;
    impl->revokedFile = options.revokedFile;
    if (impl->revokedFile.empty() &&
        std::filesystem::is_regular_file(layout.revokedSerials(), exists)) {
        impl->revokedFile = layout.revokedSerials();
    }
    if (!impl->revokedFile.empty()) {
        auto serials = Impl::parseRevoked(impl->revokedFile);
        if (!serials) {
            return fail(std::move(serials).error());
        }
        impl->revoked = std::move(*serials);
        impl->revokedModified = std::filesystem::last_write_time(impl->revokedFile, exists);
    }
    if (std::filesystem::is_regular_file(layout.tlsCaKey(), exists)) {
        auto ca = crypto::readPemCertificate(layout.tlsCa());
        auto caKey = crypto::readPemPrivateKey(layout.tlsCaKey());
        if (!ca || !caKey) {
            Error error = ca ? std::move(caKey).error() : std::move(ca).error();
            error.code =
                error.code == Errc::StorageError ? Errc::ConfigMissing : Errc::ConfigInvalid;
            return fail(std::move(error));
        }
        if (!crypto::keyMatchesCertificate(ca->get(), caKey->get())) {
            return fail(Errc::ConfigInvalid, layout.tlsCaKey().string() + " is not the key of " +
                                                 layout.tlsCa().string());
        }
        impl->terminalCa = std::move(*ca);
        impl->terminalCaKey = std::move(*caKey);
    } else {
        UKETSUKE_LOG(kLog, Warn) << "no " << layout.tlsCaKey().string()
                                 << ": enrolment (POST /v1/enrol) cannot issue certificates";
    }
    impl->activationDir = layout.activationDir();
    impl->options = std::move(options);
    UKETSUKE_LOG(kLog, Info) << "loaded " << impl->personas.size() << " personas, "
                             << anchors.size() << " JPKI trust file(s), " << impl->revoked.size()
                             << " revoked serial(s)";
    return std::unique_ptr<GatewayService>(new GatewayService(std::move(impl)));
}

GatewayReply GatewayService::challenge(std::string_view terminalId, std::string_view body,
                                       ChallengeMode mode)
{
    json request = json::parse(body, nullptr, false);
    if (request.is_discarded() || !request.is_object()) {
        return errorReply(kBadRequest, "body must be a JSON object");
    }
    if (terminalId.empty()) {
        return errorReply(kClientCertificateRequired, "no client certificate CN");
    }
    auto nonce = crypto::randomBytes(kNonceBytes);
    auto id = crypto::randomBytes(kChallengeIdBytes);
    if (!nonce || !id) {
        return errorReply(kInternal, "no randomness");
    }
    const std::string challengeId = hex(*id, HexCase::Lower);
    const auto now = m_impl->steadyNow();
    const bool expired = mode == ChallengeMode::Expired;
    const auto lifetime = expired ? std::chrono::milliseconds(0)
                                  : m_impl->options.challengeLifetime;
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->pruneLocked(now);
        if (m_impl->challenges.size() >= m_impl->options.maxOpenChallenges) {
            UKETSUKE_LOG(kLog, Warn) << "challenge refused: busy";
            return errorReply(kBusy, "too many open challenges");
        }
        m_impl->challenges[challengeId] =
            Impl::OpenChallenge{*nonce, std::string(terminalId), now + lifetime};
    }
    const auto expiresAt = expired ? wallNow() - std::chrono::seconds(1) : wallNow() + lifetime;
    UKETSUKE_LOG(kLog, Info) << "challenge " << challengeId << " issued to terminal "
                             << terminalId << (expired ? " (already expired: fault)" : "");
    return GatewayReply{200, json{{"challenge_id", challengeId},
                                  {"nonce", crypto::base64Encode(*nonce)},
                                  {"expires_in_ms", lifetime.count()},
                                  {"expires_at", isoUtc(expiresAt)}}};
}

GatewayReply GatewayService::confirm(std::string_view terminalId, std::string_view body)
{
    auto refuse = [&](const ErrorKind& kind, const std::string& challengeId,
                      const std::string& reason) {
        UKETSUKE_LOG(kLog, Info) << "confirm " << (challengeId.empty() ? "-" : challengeId)
                                 << " from terminal " << terminalId << " refused: " << kind.code
                                 << " (" << reason << ")";
        return errorReply(kind, reason);
    };

    json request = json::parse(body, nullptr, false);
    if (request.is_discarded() || !request.is_object()) {
        return refuse(kBadRequest, {}, "body must be a JSON object");
    }
    if (terminalId.empty()) {
        return refuse(kClientCertificateRequired, {}, "no client certificate CN");
    }
    const std::string* challengeId = stringField(request, "challenge_id");
    if (challengeId == nullptr || challengeId->empty()) {
        return refuse(kBadRequest, {}, "challenge_id missing or not a string");
    }
    const std::string id = isPrintableAscii(*challengeId) && challengeId->size() <= 64
                               ? *challengeId
                               : std::string("(malformed)");

    // Single use: the challenge is consumed here, whatever happens next.
    Impl::OpenChallenge open;
    {
        std::lock_guard lock(m_impl->mutex);
        auto it = m_impl->challenges.find(*challengeId);
        // A challenge belongs to the terminal that asked for it; others cannot even burn it.
        if (it == m_impl->challenges.end() || it->second.terminalId != terminalId) {
            return refuse(kChallengeUnknown, id, "no such open challenge for this terminal");
        }
        open = std::move(it->second);
        m_impl->challenges.erase(it);
    }
    if (m_impl->steadyNow() >= open.expiresAt) {
        return refuse(kChallengeExpired, id, "challenge expired");
    }

    const std::string* certificateText = stringField(request, "certificate");
    const std::string* signatureText = stringField(request, "signature");
    const std::string* method = stringField(request, "method");
    const std::string* clinicCode = stringField(request, "clinic_code");
    const std::string* staffId = stringField(request, "staff_id");
    if (certificateText == nullptr || method == nullptr || clinicCode == nullptr) {
        return refuse(kBadRequest, id, "certificate, method and clinic_code must be strings");
    }
    const bool visual = *method == "visual";
    if (*method != "pin" && !visual) {
        return refuse(kBadRequest, id, "method must be \"pin\" or \"visual\"");
    }
    if (!visual && signatureText == nullptr) {
        return refuse(kBadRequest, id, "method \"pin\" needs a signature");
    }
    if (visual && (staffId == nullptr || staffId->empty() ||
                   staffId->size() > kMaxStaffIdLength || !isPrintableAscii(*staffId))) {
        return refuse(kBadRequest, id,
                      "method \"visual\" needs a staff_id (printable ASCII, 1-32)");
    }
    if (request.contains("signature") && !request["signature"].is_null() &&
        signatureText == nullptr) {
        return refuse(kBadRequest, id, "signature must be a string");
    }
    if (clinicCode->size() > kMaxClinicCodeLength || !isPrintableAscii(*clinicCode)) {
        return refuse(kBadRequest, id, "clinic_code must be printable ASCII, at most 32");
    }
    std::string consentProblem;
    auto consents = readConsents(request, consentProblem);
    if (!consents) {
        return refuse(kBadRequest, id, consentProblem);
    }
    auto certificateDer = crypto::base64Decode(*certificateText);
    if (!certificateDer || certificateDer->size() > kMaxCertificateBytes) {
        return refuse(kBadRequest, id, "certificate must be base64 of at most 16 KiB");
    }
    hal::Bytes signature;
    if (signatureText != nullptr && !(visual && signatureText->empty())) {
        auto decoded = crypto::base64Decode(*signatureText);
        if (!decoded || decoded->empty() || decoded->size() > kMaxSignatureBytes) {
            return refuse(kBadRequest, id, "signature must be base64 of 1-1024 bytes");
        }
        signature = std::move(*decoded);
    }

    auto certificate = crypto::parseDerCertificate(*certificateDer);
    if (!certificate) {
        ERR_clear_error();
        return refuse(kCertificateRejected, id, "certificate is not DER X.509");
    }
    const Impl::CardCheck card = m_impl->checkCard(certificate->get());
    if (!card.error.empty()) {
        return refuse(kCertificateRejected, id, card.error);
    }
    if (m_impl->isRevoked(crypto::serialHex(certificate->get()))) {
        return refuse(kCertificateRevoked, id, "certificate is on the revocation list");
    }
    // With "visual" staff compared the card's photo and no PIN was entered, so the card could
    // not sign; a signature that is sent anyway must still be right.
    if (!signature.empty()) {
        hal::Bytes signedBytes = open.nonce;
        signedBytes.insert(signedBytes.end(), terminalId.begin(), terminalId.end());
        if (!Impl::verifySignature(certificate->get(), signedBytes, signature)) {
            return refuse(kSignatureInvalid, id,
                          "signature does not verify over nonce || terminal id");
        }
    }
    const Persona* persona = findPersonaByCardCn(
        m_impl->personas, crypto::commonName(X509_get_subject_name(certificate->get())));
    if (persona == nullptr) {
        return refuse(kPersonUnknown, id, "no person for this certificate");
    }

    kiosk::model::QualificationResult result = persona->qualification;
    const auto now = m_impl->wallNow();
    result.header.processExecutionTime = jstDateTime(now);
    result.header.qualificationConfirmationDate = jstDate(now);
    if (!clinicCode->empty()) {
        result.header.medicalInstitutionCode = *clinicCode;
    }
    const bool grace = card.status == Impl::CardStatus::Grace;
    applyConsents(result, *consents, now, grace);
    const char* cardStatus = grace ? "grace"
                             : card.status == Impl::CardStatus::Expiring ? "expiring"
                                                                          : "valid";
    if (card.status != Impl::CardStatus::Valid && result.body.processingResultCode.empty() &&
        kiosk::model::outcomeOf(result) == kiosk::model::Outcome::Valid) {
        result.body.processingResultCode =
            grace ? kResultCodeCertificateGrace : kResultCodeCertificateExpiring;
        result.body.processingResultMessage =
            grace ? "利用者証明用電子証明書の有効期限が切れています。資格確認のみ" +
                        jstJapaneseDate(card.graceUntil) + "まで利用できます。更新してください。"
                  : "利用者証明用電子証明書の有効期限は" + jstJapaneseDate(card.notAfter) +
                        "までです。更新してください。";
    }
    json cardJson{{"certificate_status", cardStatus}, {"not_after", jstIsoDate(card.notAfter)}};
    if (grace) {
        cardJson["grace_until"] = jstIsoDate(card.graceUntil);
    }
    UKETSUKE_LOG(kLog, Info) << "confirm " << id << " from terminal " << terminalId << " ("
                             << *method << (visual ? " by staff " + *staffId : std::string())
                             << "): persona " << persona->id << ", certificate " << cardStatus
                             << ", outcome "
                             << kiosk::model::wireName(kiosk::model::outcomeOf(result));
    return GatewayReply{200, json{{"result", kiosk::model::toJson(result)},
                                  {"card", std::move(cardJson)}}};
}

GatewayReply GatewayService::enrol(std::string_view body)
{
    // Logs name the terminal (once the code tells which) and the outcome: never the activation
    // code and never the certificate request.
    auto refuse = [](const ErrorKind& kind, const std::string& terminalId,
                     const std::string& reason, const std::string& message) {
        UKETSUKE_LOG(kLog, Info) << "enrol"
                                 << (terminalId.empty() ? std::string()
                                                        : " of terminal " + terminalId)
                                 << " refused: " << kind.code << " (" << reason << ")";
        return errorReply(kind, message);
    };

    auto request = parseEnrolRequest(body);
    if (!request) {
        const std::string& reason = request.error().message;
        return refuse(kBadRequest, {}, reason, reason);
    }
    auto key = crypto::checkCsrForIssue(request->csr);
    if (!key) {
        const std::string& reason = key.error().message;
        return refuse(kCsrInvalid, {}, reason, reason);
    }
    const auto now = m_impl->wallNow();
    const ActivationStore codes(m_impl->activationDir);
    const ActivationStore::Check code =
        codes.check(request->activationCode, request->clinicCode, now);
    if (code.state == CodeState::Unreadable) {
        UKETSUKE_LOG(kLog, Error) << "enrol failed: an activation code's file: " << code.problem;
        return errorReply(kInternal, "activation codes cannot be read");
    }
    // One answer for an unknown, used, expired or other clinic's code: a guesser learns nothing.
    const std::string refused = "activation code refused";
    if (code.state != CodeState::Open) {
        return refuse(kActivationRefused, code.activation.terminalId,
                      std::string("code ") + codeStateName(code.state), refused);
    }
    const std::string& terminalId = code.activation.terminalId;
    if (!m_impl->terminalCa) {
        UKETSUKE_LOG(kLog, Error) << "enrol of terminal " << terminalId
                                  << " failed: no TLS CA key (tls/ca.key)";
        return errorReply(kInternal, "this gateway cannot issue certificates");
    }

    // Everything that can fail comes before the code is redeemed, so a failure keeps it.
    auto issued = m_impl->issueCertificate(terminalId, key->get(), now);
    if (!issued) {
        UKETSUKE_LOG(kLog, Error) << "enrol of terminal " << terminalId
                                  << " failed: " << issued.error().message;
        return errorReply(kInternal, "certificate not issued");
    }
    auto redeemed = codes.consume(request->activationCode);
    if (!redeemed) {
        UKETSUKE_LOG(kLog, Error) << "enrol of terminal " << terminalId
                                  << " failed: " << redeemed.error().message;
        return errorReply(kInternal, "activation code not redeemed");
    }
    if (!*redeemed) {
        return refuse(kActivationRefused, terminalId, "code used by a concurrent request",
                      refused);
    }
    UKETSUKE_LOG(kLog, Info) << "enrol of terminal " << terminalId << " at clinic "
                             << request->clinicCode << ": certificate serial " << issued->serial
                             << " until " << time::isoUtc(issued->notAfter);
    return GatewayReply{200, json{{"terminal_id", terminalId},
                                  {"certificate", std::move(issued->pem)},
                                  {"not_after", time::isoUtc(issued->notAfter)}}};
}

std::size_t GatewayService::openChallenges() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->challenges.size();
}

system_clock::time_point GatewayService::wallNow() const
{
    return m_impl->wallNow();
}

GatewayReply protocolErrorReply(int status, const std::string& message)
{
    const ErrorKind& kind = status == 404   ? kNotFound
                            : status == 413 ? kPayloadTooLarge
                            : status == 503 ? kBusy
                            : status >= 500 ? kInternal
                                            : kBadRequest;
    GatewayReply reply = errorReply(kind, message);
    reply.status = status;
    return reply;
}

GatewayReply serverErrorReply(int status, std::string_view code)
{
    if (code != kClientCertificateRequired.code) {
        return protocolErrorReply(status, "HTTP " + std::to_string(status));
    }
    GatewayReply reply =
        errorReply(kClientCertificateRequired, "this route needs a verified client certificate");
    reply.status = status;
    return reply;
}

} // namespace uketsuke::sim
