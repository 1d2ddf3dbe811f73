#pragma once

// The My Number card's JPKI application (公的個人認証AP) as the terminal uses it
// (docs/card.md): identify the card, read the user-authentication certificate,
// read the PIN tries left, VERIFY the PIN the patient just typed and sign. Nothing else: it
// never selects the 券面事項入力補助AP or the 券面AP, never reads EF 0001, never uses the
// signing key or password.
//
// A check-in's card part, with one JpkiCard per connection:
//   selectJpki()           SELECT AP                                 1 APDU
//   readAuthCertificate()  SELECT 000A, 256-byte chunks              1 + ceil(len / 256)
//   pinTriesLeft()         SELECT 0018, empty VERIFY                 2
//   verifyAndSign()        VERIFY, SELECT 0017, COMPUTE SIGNATURE    3
// JpkiCard remembers the EF it selected last, so verifyAndSign() right after pinTriesLeft()
// sends no second SELECT 0018. That is ceil(len / 256) + 7 APDUs, the minimum for short APDUs
// (issue 3's benchmark): the first chunk also carries the DER header, so no header read.
//
// Every reply is treated as untrusted: short, long or garbage answers give an error, never
// undefined behaviour. Status words are mapped by hal/status_words.hpp.
//
// Thread: the card worker (the thread that owns the channel). Every call blocks on the card.
// A transport error (CardRemoved, ReaderRemoved, ReaderServiceDown, ReaderError,
// CardMalformedReply) is returned unchanged by every call.

#include "hal/card.hpp"
#include "base/result.hpp"
#include "base/secret.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>

namespace uketsuke::kiosk::card {

// Certificates larger than this are refused (project choice, docs/card.md): an RSA-2048
// JPKI certificate is about 1-1.5 KB.
inline constexpr std::size_t kMaxCertificateBytes = 8192;

// The size (header + contents) of the DER SEQUENCE that `bytes` starts with: tag 30, then a
// short-form length (< 80) or 81..84 and a big-endian length in minimal form. Returns nullopt
// while `bytes` ends inside the header (more bytes are needed to tell). Pure; any thread.
// Errors: CertificateInvalid (another tag, indefinite length 30 80, a non-minimal length, or a
// size above kMaxCertificateBytes).
Result<std::optional<std::size_t>> derTotalLength(std::span<const std::uint8_t> bytes);

// The SHA-256 DigestInfo of `message` (51 bytes), the input of COMPUTE DIGITAL SIGNATURE.
hal::Bytes sha256DigestInfo(std::span<const std::uint8_t> message);

// The card refused the PIN (63 Cx, 63 C0, 69 84, 69 83): the tries left, 0 when the PIN is now
// blocked. A refusal is an answer, not a failure, so it is a value of its own.
struct PinRefused {
    int triesLeft = 0;
};
// What a VERIFY-then-sign gives: the signature, or the refusal with the tries left.
using SignOutcome = std::variant<hal::Bytes, PinRefused>;

class JpkiCard {
public:
    // Borrows the channel for the lifetime of this object.
    explicit JpkiCard(hal::CardChannel& channel);

    // SELECT the JPKI AID. The card is identified by this answer, never by its ATR.
    // Errors: NotMyNumberCard for any status word other than 90 00 (6A 82 on a card without
    // the application; native = SW), transport errors.
    Result<void> selectJpki();

    // Reads the user-authentication certificate from EF 000A in ceil(len / 256) READ BINARYs:
    // 256 bytes at offset 0 (Le=00), whose first bytes are the DER header that gives the length
    // (derTotalLength), then 256-byte chunks at 256, 512, ... only as far as that length, the
    // last asking for the exact remainder. The EF is larger than the certificate; only the DER
    // is returned (padding read with the first chunk is dropped). A chunk answered with 62 82
    // (partial data at the end of the EF) or 6B 00 ends the read; the result is accepted when
    // the bytes received complete the DER. A chunk shorter than asked with 90 00 is kept and the
    // next read starts where it ended.
    // Errors: CardFileNotFound (no EF 000A), CertificateInvalid (not a DER SEQUENCE, or a
    // length above kMaxCertificateBytes; nothing more is read), CardEndOfFile (the EF ends
    // before the DER, or its header, does), CardMalformedReply (more bytes than asked, or none
    // with 90 00), other card errors from the status-word table (native = SW), transport
    // errors.
    Result<hal::Bytes> readAuthCertificate();

    // Reads the tries left of the user-authentication PIN: SELECT 0018 and VERIFY with no data,
    // which spends no try. Returns 0..3; 0 means blocked (63 C0, 69 84 or 69 83). 90 00 (PIN
    // already verified) returns 3, since a correct PIN resets the counter.
    // Errors: CardFileNotFound, card errors from the table (native = SW), transport errors.
    Result<int> pinTriesLeft();

    // VERIFY `pin` against EF 0018 (selecting it unless it is the EF selected last), then
    // SELECT key EF 0017 and COMPUTE DIGITAL SIGNATURE over the SHA-256 DigestInfo of
    // `message`. The application is not re-selected in between. The PIN is sent once and never
    // retried; its bytes are wiped from the APDU buffers after sending.
    // Returns the signature, or PinRefused{tries left} when the card refused the PIN (63 C1..63
    // CF; 0 for 63 C0, 69 84, 69 83: blocked).
    // Errors: PinFormat (not exactly 4 digits; nothing is sent), CardSecurityStatus (69 82 on
    // the signature), CardMalformedReply (a signature that is empty or longer than 512 bytes),
    // other card errors from the table, transport errors. A transport error during VERIFY
    // leaves it unknown whether a try was spent: read pinTriesLeft() on the next connection.
    Result<SignOutcome> verifyAndSign(const Pin& pin, std::span<const std::uint8_t> message);

    // Whether the reader has its own PIN pad (PC/SC secure PIN entry, docs/pcsc.md). When it
    // has, the flow can ask the patient to type the PIN on the reader and call
    // verifyOnReaderAndSign() instead of showing the on-screen keypad. Does not block.
    bool readerHasPinPad() const;

    // As verifyAndSign(), but the patient types the PIN on the reader's keypad: the reader
    // sends the VERIFY 00 20 00 80 04 <PIN> itself, so the PIN never enters this process. Then
    // SELECT key EF 0017 and COMPUTE DIGITAL SIGNATURE as in verifyAndSign(). `timeout` is how
    // long the reader waits for the PIN (at most 255 s). Blocks until the patient finishes.
    // Errors: NotSupported (no PIN pad; nothing is sent), Timeout (no PIN typed in time; no try
    // spent), Cancelled (Cancel pressed on the reader; no try spent), PinFormat (too few or
    // too many digits typed), then as verifyAndSign(): a PinRefused outcome, or
    // CardSecurityStatus, CardMalformedReply, card and transport errors.
    Result<SignOutcome> verifyOnReaderAndSign(std::span<const std::uint8_t> message,
                                             std::chrono::seconds timeout =
                                                 std::chrono::seconds(30));

    // Reads the label at the start of EF 0006 ("JPKIAPICCTOKEN2" on a マイナンバーカード),
    // trailing spaces and NULs removed; non-printable bytes end the label. Not part of a
    // check-in (two extra APDUs): for diagnostics (`uketsuke-kiosk doctor card`).
    // Errors: CardFileNotFound, card errors from the table, transport errors.
    Result<std::string> readTokenLabel();

private:
    Result<hal::ApduResponse> transmit(hal::Apdu apdu);
    Result<void> selectEf(std::uint16_t fid);
    // After a VERIFY answered `sw`: map a failure, or SELECT 0017 and sign `message`.
    Result<SignOutcome> signAfterVerify(std::uint16_t sw, std::span<const std::uint8_t> message);

    hal::CardChannel& m_channel;
    // The EF this object selected last with 90 00; cleared by any failure or AP selection.
    std::optional<std::uint16_t> m_currentEf;
};

} // namespace uketsuke::kiosk::card
