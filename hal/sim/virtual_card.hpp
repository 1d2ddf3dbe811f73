#pragma once

// The virtual My Number card: one model that answers real APDUs, used in-process by
// SimCardReader (hal/sim/sim_reader.hpp) and behind pcscd through vpcd by `uketsuke-sim card`.
// It is described in docs/card.md: the JPKI AP with its EFs, PINs and keys,
// the 券面事項入力補助AP and 券面AP holding dummy data (so tests can prove the terminal never
// touches them), a real card's status words and security state, and an access log of every
// SELECT, READ BINARY, VERIFY and signature (never a PIN value).
//
// Thread safety: every public member may be called from any thread; calls are serialised by an
// internal mutex.

#include "hal/apdu.hpp"
#include "hal/card.hpp"
#include "base/result.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace uketsuke::hal::sim {

struct VirtualCardConfig {
    // Which applications the card holds. MyNumber: JPKI, 入力補助, 券面 and the two other APs.
    // Foreign: a card that is not a My Number card; it has one application, `foreignAid`, and
    // answers 6A 82 to the JPKI AID.
    enum class Kind { MyNumber, Foreign };
    Kind kind = Kind::MyNumber;
    Bytes foreignAid{0xD2, 0x76, 0x00, 0x01, 0x24, 0x01}; // OpenPGP, as an example

    // The ATR (never used to identify the card, docs/card.md). Default: the contact ATR
    // OpenSC's jpki driver knows.
    Bytes atr{jpki::kContactAtr.begin(), jpki::kContactAtr.end()};
    // The label at the start of EF 0006 (padded with spaces to 32 bytes in a 160-byte
    // CK_TOKEN_INFO). "JPKIAPICCTOKEN" presents an old 住基カード.
    std::string tokenLabel{jpki::kMyNumberTokenLabel};

    // 利用者証明用: certificate (DER) for EF 000A, its CA (DER) for EF 000B, and the private key
    // (PEM, RSA) for key EF 0017. Required for Kind::MyNumber; the key must match the
    // certificate.
    Bytes authCertificate;
    Bytes authCaCertificate;
    std::string authKeyPem;
    // The 4-digit PIN of EF 0018 and its tries left when no state file says otherwise (0..3).
    std::string authPin = "1234";
    int authPinTriesLeft = jpki::kAuthPinMaxTries;

    // 署名用 (optional): EF 0001, EF 0002, key EF 001A, password EF 001B (5 tries). Without a
    // certificate or key the EFs hold a dummy and a signature with 001A answers 6A 88.
    Bytes signCertificate;
    Bytes signCaCertificate;
    std::string signKeyPem;
    std::string signPassword = "ABC123";
    int signPasswordTriesLeft = jpki::kSignPinMaxTries;

    // Size of the certificate EFs: the DER is padded with 00 up to this size, as on a real card
    // (the EF is larger than the certificate). 0 picks the DER size rounded up to a multiple of
    // 256, plus 256. Smaller than the DER: the EF holds the DER unpadded.
    std::size_t certificateEfSize = 0;

    // Optional JSON file that keeps the PIN counters (non-volatile on a real card) across runs.
    // Read at create(); written (to a temporary file, then renamed) after every change. A
    // counter found there wins over authPinTriesLeft / signPasswordTriesLeft.
    std::string stateFile;
};

// One entry of the access log: what the terminal asked for, never a PIN value.
struct CardAccess {
    enum class Kind { SelectAid, SelectEf, ReadBinary, Verify, ChangeReference, Sign };
    Kind kind = Kind::SelectAid;
    // SelectAid: the AID asked for. Every other kind: the AID of the application that was
    // current (empty before any application was selected).
    Bytes aid;
    // The EF concerned (SelectEf: the FID asked for; ReadBinary: the EF read; Verify and
    // ChangeReference: the PIN EF; Sign: the key EF). 0 for SelectAid.
    std::uint16_t fid = 0;
    // Verify: true when the command carried a PIN (false for the tries query).
    bool withData = false;
    // The status word the card answered.
    std::uint16_t sw = 0;
};

// "select-aid D392F000260100000001 -> 9000", "verify 0018 (pin) in D392F0... -> 63C2".
std::string describe(const CardAccess& access);

class VirtualCard {
public:
    // Builds the card. Errors: ConfigInvalid (a key that does not parse or does not match its
    // certificate, a missing certificate for Kind::MyNumber, tries out of range, a PIN that is
    // not 4 digits), StorageCorrupt (a state file that is not ours).
    static Result<std::shared_ptr<VirtualCard>> create(VirtualCardConfig config);

    // A new card holding what this one holds now: its files, PIN counters and current
    // selection, sharing its private keys (read-only), with an empty access log and no state
    // file. For the fuzz target, where every input needs a card as created and reading the PEM
    // keys again would take most of the time.
    std::shared_ptr<VirtualCard> copy() const;

    ~VirtualCard();
    VirtualCard(const VirtualCard&) = delete;
    VirtualCard& operator=(const VirtualCard&) = delete;

    // Processes one command APDU and returns the response: data followed by SW1 SW2, always at
    // least 2 bytes. Never fails: a malformed command gets a status word (67 00, 6E 00, ...).
    Bytes process(std::span<const std::uint8_t> command);

    // Power-off (vpcd 00) and warm reset (vpcd 02): clear the volatile state (current
    // application, current EF, verified PINs). The PIN counters are non-volatile and survive.
    void powerOff();
    void reset();

    const Bytes& atr() const;

    // Tries left of the user-authentication PIN (EF 0018) and of the signing password (001B).
    int authPinTriesLeft() const;
    int signPasswordTriesLeft() const;

    // A copy of the access log, oldest first, and a way to start a fresh one. It keeps the
    // latest accesses only, at most kAccessLogLimit and at least half that many (a check-in
    // makes about a dozen): a card that stays in a terminal for thousands of check-ins (the
    // soak, a demo left running) must not grow.
    static constexpr std::size_t kAccessLogLimit = 1024;
    std::vector<CardAccess> accessLog() const;
    void clearAccessLog();
    // The number of command APDUs processed since create() or the last clearAccessLog().
    std::size_t commandCount() const;

private:
    struct State;
    explicit VirtualCard(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace uketsuke::hal::sim
