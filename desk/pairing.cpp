#include "desk/pairing.hpp"

#include "base/files.hpp"
#include "base/hex.hpp"
#include "base/log.hpp"
#include "base/time.hpp"
#include "crypto/certificate.hpp"

#include <array>
#include <cstdint>
#include <span>

namespace uketsuke::desk {
namespace {

namespace fs = std::filesystem;
using std::chrono::system_clock;
using kiosk::model::PairReply;

const log::Category kLog("desk.pairing");

constexpr std::size_t kMaxTerminalId = 32;
// The pairing CA's certificate: long-lived, since every paired terminal pins it.
constexpr auto kCaValidity = std::chrono::days(20 * 365);
// A terminal's certificate starts an hour ago: clocks differ.
constexpr auto kBackdate = std::chrono::hours(1);
constexpr const char* kCaName = "Uketsuke desk pairing CA";

// The schema by version (storage/database.hpp: only append).
constexpr std::array<std::string_view, 1> kMigrations = {
    R"sql(
CREATE TABLE codes (
    key         TEXT PRIMARY KEY,  -- hex SHA-256 of the code: the proofs' key
    terminal_id TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,  -- Unix seconds
    used_at     TEXT
);
CREATE TABLE certificates (
    serial      TEXT PRIMARY KEY,
    terminal_id TEXT NOT NULL,
    paired_at   TEXT NOT NULL,
    not_after   TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX certificates_terminal ON certificates(terminal_id);
CREATE TABLE revocations (
    terminal_id TEXT PRIMARY KEY,
    revoked_at  TEXT NOT NULL,
    revoked_by  TEXT NOT NULL
);
)sql",
};

std::span<const std::uint8_t> bytesOf(std::string_view text)
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// The proofs' key: the lower-case hex of SHA-256(code), as ASCII (kiosk/model/pairing.hpp).
Result<std::string> codeKey(std::string_view code)
{
    auto digest = crypto::sha256(bytesOf(code));
    if (!digest) {
        return fail(std::move(digest).error());
    }
    return hex(*digest, HexCase::Lower);
}

Result<std::string> proofHex(std::string_view key, std::string_view text)
{
    auto mac = crypto::hmacSha256(bytesOf(key), text);
    if (!mac) {
        return fail(std::move(mac).error());
    }
    return hex(*mac, HexCase::Lower);
}

std::int64_t unixSeconds(system_clock::time_point at)
{
    return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

// The pairing CA of DATA/pairing/, made when both files are missing.
Result<std::pair<crypto::X509Ptr, crypto::PkeyPtr>> loadOrMakeCa(const fs::path& dir)
{
    const fs::path certFile = dir / "ca.pem";
    const fs::path keyFile = dir / "ca.key";
    std::error_code error;
    const bool haveCert = fs::exists(certFile, error);
    const bool haveKey = fs::exists(keyFile, error);
    if (haveCert != haveKey) {
        return fail(Errc::ConfigInvalid, "the pairing CA in " + dir.string() +
                                             " has only one of ca.pem and ca.key");
    }
    if (!haveCert) {
        auto key = crypto::generateEcKey();
        if (!key) {
            return fail(std::move(key).error());
        }
        crypto::IssueSpec spec;
        spec.commonName = kCaName;
        spec.subjectKey = key->get();
        spec.issuerKey = key->get();
        spec.isCa = true;
        spec.notBefore = system_clock::now() - kBackdate;
        spec.notAfter = system_clock::now() + kCaValidity;
        auto cert = crypto::issueCertificate(spec);
        auto certPem = cert ? crypto::certificateToPem(cert->get())
                            : Result<std::string>(fail(cert.error()));
        auto keyPem = crypto::privateKeyToPem(key->get());
        if (!certPem || !keyPem) {
            return fail(Errc::Internal, "cannot make the pairing CA");
        }
        // The key first: a certificate without its key is refused above at the next start.
        if (auto written = files::publishFile(keyFile, *keyPem); !written) {
            return fail(std::move(written).error());
        }
        if (auto written = files::publishFile(certFile, *certPem); !written) {
            return fail(std::move(written).error());
        }
        UKETSUKE_LOG(kLog, Info) << "made the pairing CA " << certFile.string();
    }
    auto cert = crypto::readPemCertificate(certFile);
    auto key = crypto::readPemPrivateKey(keyFile);
    if (!cert || !key) {
        return fail(Errc::ConfigInvalid, "the pairing CA in " + dir.string() + ": " +
                                             (!cert ? cert.error() : key.error()).message);
    }
    if (!crypto::keyMatchesCertificate(cert->get(), key->get())) {
        return fail(Errc::ConfigInvalid,
                    "the pairing CA in " + dir.string() + ": ca.key is not the key of ca.pem");
    }
    return std::pair{std::move(*cert), std::move(*key)};
}

Result<std::string> readCaFile(const fs::path& file)
{
    auto text = files::readFile(file);
    if (!text) {
        return fail(Errc::ConfigInvalid, text.error().message);
    }
    if (!crypto::parsePemCertificates(*text, file.string())) {
        return fail(Errc::ConfigInvalid, file.string() + ": no PEM certificate in it");
    }
    return text;
}

std::string endWithNewline(std::string text)
{
    if (!text.empty() && text.back() != '\n') {
        text.push_back('\n');
    }
    return text;
}

} // namespace

bool isTerminalId(std::string_view id)
{
    return id.size() <= kMaxTerminalId && files::isPlainName(id);
}

Result<std::unique_ptr<PairingService>> PairingService::open(const fs::path& dataDir,
                                                             const fs::path& serverCaFile,
                                                             const fs::path& clinicCaFile)
{
    // The CA files first: a desk without its PKI makes no pairing CA.
    auto serverCa = readCaFile(serverCaFile);
    auto clinicCa = readCaFile(clinicCaFile);
    if (!serverCa || !clinicCa) {
        return fail(!serverCa ? serverCa.error() : clinicCa.error());
    }
    const fs::path dir = dataDir / "pairing";
    if (auto made = files::ensurePrivateDir(dir); !made) {
        return fail(std::move(made).error());
    }
    auto ca = loadOrMakeCa(dir);
    if (!ca) {
        return fail(std::move(ca).error());
    }
    auto caPem = crypto::certificateToPem(ca->first.get());
    if (!caPem) {
        return fail(std::move(caPem).error());
    }
    const fs::path clientCaFile = dir / "client-cas.pem";
    if (auto written = files::publishFile(clientCaFile, endWithNewline(*clinicCa) + *caPem);
        !written) {
        return fail(std::move(written).error());
    }
    storage::OpenOptions options;
    options.name = "pairing database";
    options.migrations = kMigrations;
    auto db = storage::Database::open(dataDir / "pairing.sqlite3", options);
    if (!db) {
        return fail(std::move(db).error());
    }
    std::unique_ptr<PairingService> service(
        new PairingService(std::move(*db), std::move(ca->first), std::move(ca->second),
                           std::move(*caPem), std::move(*serverCa), clientCaFile));
    if (auto loaded = service->loadRevocations(); !loaded) {
        return fail(std::move(loaded).error());
    }
    return service;
}

PairingService::PairingService(storage::Database db, crypto::X509Ptr caCert,
                               crypto::PkeyPtr caKey, std::string caPem, std::string serverCaPem,
                               fs::path clientCaFile)
    : m_db(std::move(db)), m_caCert(std::move(caCert)), m_caKey(std::move(caKey)),
      m_caPem(std::move(caPem)), m_serverCaPem(std::move(serverCaPem)),
      m_clientCaFile(std::move(clientCaFile))
{
}

Result<void> PairingService::loadRevocations()
{
    std::lock_guard lock(m_mutex);
    auto ids = m_db.prepare("SELECT terminal_id FROM revocations");
    if (!ids) {
        return fail(std::move(ids).error());
    }
    if (auto read = ids->forEachRow([this](const storage::Statement& s) {
            m_revokedIds.insert(s.text(0));
        });
        !read) {
        return read;
    }
    auto serials =
        m_db.prepare("SELECT serial, terminal_id, revoked_at IS NULL FROM certificates");
    if (!serials) {
        return fail(std::move(serials).error());
    }
    return serials->forEachRow([this](const storage::Statement& s) {
        m_issuedSerials.insert(s.text(0));
        if (s.integer(2) != 0) {
            m_liveSerials.emplace(s.text(0), s.text(1));
        }
    });
}

Result<PairingCode> PairingService::makeCode(std::string_view terminalId,
                                             system_clock::time_point now)
{
    if (!isTerminalId(terminalId)) {
        return fail(Errc::InvalidArgument,
                    "a terminal id is 1 to 32 of A-Z a-z 0-9 . _ - (not starting with '.')");
    }
    auto code = crypto::randomDigits(kiosk::model::kPairingCodeDigits);
    auto key = code ? codeKey(*code) : Result<std::string>(fail(code.error()));
    if (!key) {
        return fail(std::move(key).error());
    }
    const auto expires = std::chrono::floor<std::chrono::seconds>(now + kCodeValidity);
    std::lock_guard lock(m_mutex);
    auto insert = m_db.prepare(
        "INSERT INTO codes (key, terminal_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)");
    if (!insert) {
        return fail(std::move(insert).error());
    }
    if (auto run = insert->bind(1, *key)
                       .bind(2, terminalId)
                       .bind(3, time::isoUtc(now))
                       .bind(4, unixSeconds(expires))
                       .run();
        !run) {
        return fail(std::move(run).error());
    }
    // Codes a day past their end are of no more use, not even to the log.
    if (auto old = m_db.prepare("DELETE FROM codes WHERE expires_at < ?1"); old) {
        (void)old->bind(1, unixSeconds(now - std::chrono::hours(24))).run();
    }
    UKETSUKE_LOG(kLog, Info) << "pairing code made for terminal " << terminalId << " until "
                             << time::isoUtc(expires);
    return PairingCode{std::move(*code), std::string(terminalId), expires};
}

Result<PairOutcome> PairingService::pair(std::string_view body, system_clock::time_point now)
{
    auto request = kiosk::model::parsePairRequest(body);
    if (!request) {
        return PairOutcome{PairRefusal::BadRequest, request.error().message, {}};
    }
    auto csrKey = crypto::checkCsrForIssue(request->csr);
    if (!csrKey) {
        return PairOutcome{PairRefusal::BadCsr, csrKey.error().message, {}};
    }

    std::lock_guard lock(m_mutex);
    // The open code whose key proves this request: there are few open codes at a time.
    auto open = m_db.prepare(
        "SELECT key, terminal_id FROM codes WHERE used_at IS NULL AND expires_at > ?1");
    if (!open) {
        return fail(std::move(open).error());
    }
    std::string key;
    std::string terminalId;
    auto walked = open->bind(1, unixSeconds(now)).forEachRow([&](const storage::Statement& s) -> Result<void> {
        const std::string candidate = s.text(0);
        auto mac = proofHex(candidate, request->csr);
        if (!mac) {
            return fail(std::move(mac).error());
        }
        if (key.empty() && crypto::equalConstantTime(bytesOf(*mac), bytesOf(request->proof))) {
            key = candidate;
            terminalId = s.text(1);
        }
        return ok();
    });
    if (!walked) {
        return fail(std::move(walked).error());
    }
    if (key.empty()) {
        UKETSUKE_LOG(kLog, Warn) << "pairing refused: no open code proves the request";
        return PairOutcome{PairRefusal::Refused,
                           "no open pairing code matches (unknown, used or expired)", {}};
    }

    crypto::IssueSpec spec;
    spec.commonName = terminalId;
    spec.subjectKey = csrKey->get();
    spec.issuer = m_caCert.get();
    spec.issuerKey = m_caKey.get();
    spec.notBefore = now - kBackdate;
    spec.notAfter = now + kCertificateValidity;
    spec.extendedKeyUsage = "clientAuth";
    auto certificate = crypto::issueCertificate(spec);
    auto certificatePem = certificate ? crypto::certificateToPem(certificate->get())
                                      : Result<std::string>(fail(certificate.error()));
    if (!certificatePem) {
        return fail(std::move(certificatePem).error());
    }
    const std::string serial = crypto::serialHex(certificate->get());

    PairReply reply{terminalId, *certificatePem, m_caPem, m_serverCaPem, {}};
    auto proof = proofHex(key, kiosk::model::replyProofText(reply));
    if (!proof) {
        return fail(std::move(proof).error());
    }
    reply.proof = std::move(*proof);

    // The code is spent and the certificate recorded in one transaction: a request that lost
    // the race (the code was used meanwhile) changes nothing.
    auto stored = m_db.transaction([&]() -> Result<bool> {
        auto use = m_db.prepare("UPDATE codes SET used_at = ?2 WHERE key = ?1 AND used_at IS NULL");
        if (!use) {
            return fail(std::move(use).error());
        }
        if (auto run = use->bind(1, key).bind(2, time::isoUtc(now)).run(); !run) {
            return fail(std::move(run).error());
        }
        if (m_db.changes() != 1) {
            return false;
        }
        auto record = m_db.prepare(
            "INSERT INTO certificates (serial, terminal_id, paired_at, not_after) "
            "VALUES (?1, ?2, ?3, ?4)");
        if (!record) {
            return fail(std::move(record).error());
        }
        if (auto run = record->bind(1, serial)
                           .bind(2, terminalId)
                           .bind(3, time::isoUtc(now))
                           .bind(4, time::isoUtc(spec.notAfter))
                           .run();
            !run) {
            return fail(std::move(run).error());
        }
        return true;
    });
    if (!stored) {
        return fail(std::move(stored).error());
    }
    if (!*stored) {
        return PairOutcome{PairRefusal::Refused, "the pairing code was used meanwhile", {}};
    }
    m_issuedSerials.insert(serial);
    m_liveSerials.emplace(serial, terminalId);
    UKETSUKE_LOG(kLog, Info) << "paired terminal " << terminalId << ", certificate " << serial;
    return PairOutcome{PairRefusal::None, {}, std::move(reply)};
}

Result<void> PairingService::revoke(std::string_view terminalId, std::string_view by,
                                    system_clock::time_point now)
{
    if (!isTerminalId(terminalId)) {
        return fail(Errc::InvalidArgument, "not a terminal id");
    }
    std::lock_guard lock(m_mutex);
    auto done = m_db.transaction([&]() -> Result<void> {
        auto mark = m_db.prepare(
            "INSERT INTO revocations (terminal_id, revoked_at, revoked_by) VALUES (?1, ?2, ?3) "
            "ON CONFLICT(terminal_id) DO UPDATE SET revoked_at = ?2, revoked_by = ?3");
        if (!mark) {
            return fail(std::move(mark).error());
        }
        if (auto run = mark->bind(1, terminalId).bind(2, time::isoUtc(now)).bind(3, by).run();
            !run) {
            return run;
        }
        auto certificates = m_db.prepare(
            "UPDATE certificates SET revoked_at = ?2 WHERE terminal_id = ?1 AND revoked_at IS NULL");
        if (!certificates) {
            return fail(std::move(certificates).error());
        }
        return certificates->bind(1, terminalId).bind(2, time::isoUtc(now)).run();
    });
    if (!done) {
        return done;
    }
    // In memory as on disk: every certificate of this id is revoked now.
    m_revokedIds.insert(std::string(terminalId));
    std::erase_if(m_liveSerials, [&](const auto& live) { return live.second == terminalId; });
    UKETSUKE_LOG(kLog, Info) << "revoked terminal " << terminalId;
    return ok();
}

bool PairingService::admits(std::string_view terminalId, std::string_view serial) const
{
    std::lock_guard lock(m_mutex);
    if (m_issuedSerials.contains(serial)) {
        return m_liveSerials.contains(serial);
    }
    return !m_revokedIds.contains(terminalId);
}

Result<std::vector<PairedTerminal>> PairingService::list()
{
    std::lock_guard lock(m_mutex);
    std::vector<PairedTerminal> out;
    // The latest certificate of each terminal, and its revocation.
    auto rows = m_db.prepare(R"sql(
SELECT ids.terminal_id,
       COALESCE(c.serial, ''), COALESCE(c.paired_at, ''), COALESCE(c.not_after, ''),
       COALESCE(r.revoked_at, '')
FROM (SELECT terminal_id FROM certificates UNION SELECT terminal_id FROM revocations) AS ids
LEFT JOIN certificates AS c ON c.serial = (
    SELECT serial FROM certificates WHERE terminal_id = ids.terminal_id
    ORDER BY paired_at DESC, rowid DESC LIMIT 1)
LEFT JOIN revocations AS r ON r.terminal_id = ids.terminal_id
ORDER BY ids.terminal_id)sql");
    if (!rows) {
        return fail(std::move(rows).error());
    }
    auto read = rows->forEachRow([&](const storage::Statement& s) {
        PairedTerminal t{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4)};
        // A revocation older than the latest certificate was undone by pairing again.
        if (!t.revokedAt.empty() && !t.pairedAt.empty() && t.pairedAt > t.revokedAt) {
            t.revokedAt.clear();
        }
        out.push_back(std::move(t));
    });
    if (!read) {
        return fail(std::move(read).error());
    }
    return out;
}

} // namespace uketsuke::desk
