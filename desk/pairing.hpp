#pragma once

// Pairing terminals with the desk, and revoking them (docs/pairing.md, protocol: docs/protocol/
// desk.md "Pairing"). The desk runs a CA of its own, the pairing CA (DATA/pairing/ca.pem and
// ca.key, 0600, made at the first start), that issues terminals' desk client certificates:
//
//  - An administrator makes a one-time pairing code for a terminal id (the admin page's
//    端末を追加, or `uketsuke-desk pair-code ID`): 12 digits, valid for kCodeValidity, usable
//    once. The pairing database (DATA/pairing.sqlite3) keeps SHA-256(code), the key of the
//    proofs, never the code.
//  - The terminal sends POST /api/v1/pair {csr, proof} without a client certificate; pair()
//    finds the open code whose key proves the CSR, consumes it (exactly one request wins),
//    issues a certificate for the code's terminal id and answers it with the pairing CA, the
//    CA bundle of the desk's own server certificate and a proof of its own.
//  - Revoking a terminal id refuses, from the next request on, every certificate the desk
//    issued to it and any other certificate with that CN (one of the clinic CA's). A pairing
//    after the revocation issues a new certificate that is admitted: a replaced terminal pairs
//    again with a new code, the lost one stays refused.
//
// The server trusts, for terminals, the clinic CA and the pairing CA: clientCaFile() is both in
// one file, written at open(). Thread: any (one mutex; the revocations are also kept in memory,
// so admits() reads no disk). Every call but admits() blocks on the disk.

#include "base/result.hpp"
#include "crypto/crypto.hpp"
#include "kiosk/model/pairing.hpp"
#include "storage/database.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::desk {

// 1-32 of A-Z a-z 0-9 . _ -, not starting with '.': a CN that is also a safe file name.
bool isTerminalId(std::string_view id);

struct PairingCode {
    std::string code; // 12 digits: shown once, never stored
    std::string terminalId;
    std::chrono::sys_seconds expiresAt;
};

struct PairedTerminal {
    std::string terminalId;
    std::string serial;  // of its latest certificate from the desk; empty: none
    std::string pairedAt; // ISO 8601 UTC of that certificate; empty: none
    std::string notAfter; // ISO 8601 UTC
    std::string revokedAt; // ISO 8601 UTC; empty: not revoked
};

enum class PairRefusal {
    None,
    BadRequest, // 400 bad_request: not a pairing request (the message says why)
    BadCsr,     // 400 csr_invalid
    Refused,    // 403 pairing_refused: no open code proves it (unknown, used or expired)
};

struct PairOutcome {
    PairRefusal refusal = PairRefusal::None;
    std::string message;           // a refusal's reason, for the log and the answer
    kiosk::model::PairReply reply; // None
};

class PairingService {
public:
    static constexpr std::chrono::minutes kCodeValidity{10};
    static constexpr std::chrono::days kCertificateValidity{365};

    // Opens DATA/pairing.sqlite3 and the pairing CA in DATA/pairing/ (made when missing), reads
    // `serverCaFile` (the CA bundle of the desk's server certificate, answered to terminals) and
    // `clinicCaFile` (the CA the desk already trusts for terminals), and writes both CAs for the
    // server into clientCaFile(). `clinicCaFile` may be the same file as `serverCaFile`.
    // Errors: StorageError, StorageCorrupt, ConfigInvalid (a CA file that does not read).
    static Result<std::unique_ptr<PairingService>> open(const std::filesystem::path& dataDir,
                                                        const std::filesystem::path& serverCaFile,
                                                        const std::filesystem::path& clinicCaFile);

    // A new code for `terminalId`, valid kCodeValidity from `now`. Errors: InvalidArgument
    // (not a terminal id), StorageError, Internal.
    Result<PairingCode> makeCode(std::string_view terminalId,
                                 std::chrono::system_clock::time_point now);

    // Answers POST /api/v1/pair's body. A refusal is a value; Errors: StorageError, Internal.
    Result<PairOutcome> pair(std::string_view body, std::chrono::system_clock::time_point now);

    // Revokes `terminalId` (again: nothing changes). Errors: InvalidArgument, StorageError.
    Result<void> revoke(std::string_view terminalId, std::string_view by,
                        std::chrono::system_clock::time_point now);

    // Whether a verified client certificate (its CN and serial, net::Request) may use the
    // terminal API. Memory only.
    bool admits(std::string_view terminalId, std::string_view serial) const;

    // Every terminal paired or revoked, by id.
    Result<std::vector<PairedTerminal>> list();

    // The CA file the server trusts for terminals: the clinic CA and the pairing CA.
    const std::filesystem::path& clientCaFile() const { return m_clientCaFile; }
    // The pairing CA's certificate (tests).
    X509* caCertificate() const { return m_caCert.get(); }

private:
    PairingService(storage::Database db, crypto::X509Ptr caCert, crypto::PkeyPtr caKey,
                   std::string caPem, std::string serverCaPem, std::filesystem::path clientCaFile);
    Result<void> loadRevocations();

    mutable std::mutex m_mutex;
    storage::Database m_db;
    crypto::X509Ptr m_caCert;
    crypto::PkeyPtr m_caKey;
    std::string m_caPem;
    std::string m_serverCaPem;
    std::filesystem::path m_clientCaFile;
    // Under m_mutex: revoked terminal ids; the serials issued by pairing and not revoked, with
    // their terminal id (admitted also for a revoked id); every serial the desk issued.
    std::set<std::string, std::less<>> m_revokedIds;
    std::map<std::string, std::string, std::less<>> m_liveSerials;
    std::set<std::string, std::less<>> m_issuedSerials;
};

} // namespace uketsuke::desk
