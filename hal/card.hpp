#pragma once

// The card seam: CardReader (presence, hot-plug) and CardChannel (one connected card).
// Public calls are non-virtual: the base checks state and logs, then calls a protected doXxx()
// that only does I/O (libcamera's queueRequest()/queueRequestDevice()).
// Implementations: hal/sim (in-process virtual My Number card), hal/pcsc (pcsc-lite).

#include "base/bytes.hpp"
#include "base/result.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace uketsuke::hal {

using Bytes = uketsuke::Bytes;

// A short ISO 7816-4 command APDU. Build it with the helpers in hal/apdu.hpp.
struct Apdu {
    std::uint8_t cla = 0;
    std::uint8_t ins = 0;
    std::uint8_t p1 = 0;
    std::uint8_t p2 = 0;
    Bytes data;            // Lc is data.size() (1..255); empty = no Lc
    int le = -1;           // -1 = no Le; 0..255, where 0 means 256
    bool sensitive = false; // data is a PIN: never logged, wiped after transmit
};

struct ApduResponse {
    Bytes data;
    std::uint16_t sw = 0;
    std::uint8_t sw1() const { return static_cast<std::uint8_t>(sw >> 8); }
    std::uint8_t sw2() const { return static_cast<std::uint8_t>(sw & 0xff); }
};

// Encodes a command APDU to bytes (case 1-4, short form).
Bytes encodeApdu(const Apdu& apdu);
// Splits raw response bytes into data + SW; CardMalformedReply if fewer than 2 bytes.
Result<ApduResponse> decodeResponse(std::span<const std::uint8_t> raw);

// What a connected reader can do beyond carrying APDUs (a missing ability
// is reported here and by NotSupported, never guessed from the reader's name).
struct ChannelCapabilities {
    // The reader has its own PIN pad and offers PC/SC Part 10 FEATURE_VERIFY_PIN_DIRECT:
    // verifyPinOnReader() works, and the PIN never enters our process (docs/pcsc.md).
    bool securePinEntry = false;
};

// A VERIFY that the reader completes with a PIN typed on its own keypad. The reader sends
// `cla ins p1 p2 Lc=maxDigits <the digits as ASCII>` (docs/pcsc.md: 00 20 00 80 04).
struct PinPadVerify {
    std::uint8_t cla = 0x00;
    std::uint8_t ins = 0x20;
    std::uint8_t p1 = 0x00;
    std::uint8_t p2 = 0x80;
    std::uint8_t minDigits = 4;
    std::uint8_t maxDigits = 4;
    // How long the reader waits for the whole entry, and after the first key (0 = the
    // reader's default). Whole seconds, at most 255.
    std::chrono::seconds timeout{30};
    std::chrono::seconds afterFirstKey{10};
    // The language of the reader's prompt (Windows LANGID): 0x0411 ja-JP.
    std::uint16_t langId = 0x0411;
};

class CardChannel {
public:
    virtual ~CardChannel() = default;

    // Sends one APDU and returns the card's answer. Blocks until the card answers.
    // Thread: the card worker. Errors: CardRemoved, ReaderRemoved, ReaderServiceDown,
    // CardMalformedReply, ReaderError. A status word is not an error here: map it with
    // hal/status_words.hpp. A sensitive APDU is logged as "[redacted]" and its buffer wiped.
    Result<ApduResponse> transmit(Apdu apdu);

    // The ATR seen at connect (for diagnostics only: cards are identified by AID).
    const Bytes& atr() const { return m_atr; }

    // What the reader behind this channel can do. Does not block; thread: the card worker.
    ChannelCapabilities capabilities() const { return doCapabilities(); }

    // Secure PIN entry: the reader prompts, collects the digits on its own keypad and sends the
    // VERIFY described by `request` to the card (PC/SC Part 10 FEATURE_VERIFY_PIN_DIRECT). The
    // PIN never passes through this process. Returns the card's status word (90 00, 63 Cx,
    // 69 84, ...; map it with hal/status_words.hpp). Blocks until the patient finishes, cancels
    // or the reader's timeout passes. Thread: the card worker.
    // Errors: NotSupported (capabilities().securePinEntry is false; nothing is sent), Timeout
    // (the reader's 64 00: no PIN typed in time), Cancelled (64 01: Cancel pressed on the
    // reader), PinFormat (64 03: too short or too long), CardMalformedReply (a reply without a
    // status word), transport errors as for transmit().
    Result<std::uint16_t> verifyPinOnReader(const PinPadVerify& request);

protected:
    explicit CardChannel(Bytes atr) : m_atr(std::move(atr)) {}
    virtual Result<Bytes> doTransmit(std::span<const std::uint8_t> command) = 0;
    virtual ChannelCapabilities doCapabilities() const { return {}; }
    // Returns the reader's raw reply (the card's SW, or the reader's 64 xx).
    virtual Result<Bytes> doVerifyPinOnReader(const PinPadVerify& request);

private:
    Bytes m_atr;
};

enum class CardPresence { Absent, Present };

struct ReaderChange {
    std::string reader;
    CardPresence presence = CardPresence::Absent;
};

class CardReader {
public:
    virtual ~CardReader() = default;

    // Blocks until the card presence differs from `known` or `timeout` passes.
    // Thread: the card worker. Errors: Timeout, Cancelled (cancel() was called),
    // ReaderNotFound, ReaderServiceDown.
    Result<ReaderChange> waitForChange(CardPresence known, std::chrono::milliseconds timeout);

    // Connects to the present card exclusively. Errors: NoCard, ReaderError, ReaderServiceDown.
    Result<std::unique_ptr<CardChannel>> connect();

    // Wakes a waitForChange() blocked in another thread. Thread: any.
    void cancel() { doCancel(); }

    virtual std::string name() const = 0;

protected:
    virtual Result<ReaderChange> doWaitForChange(CardPresence known,
                                                 std::chrono::milliseconds timeout) = 0;
    virtual Result<std::unique_ptr<CardChannel>> doConnect() = 0;
    virtual void doCancel() = 0;
};

} // namespace uketsuke::hal
