#pragma once

// The in-process simulated card reader: a CardReader whose card is a VirtualCard that a demo
// control, a script or a test inserts and removes. It is a peer of hal/pcsc, chosen by
// configuration (reader = "sim"), and keeps the same contracts: waitForChange() blocks with a
// bound and wakes on cancel(), and a channel answers CardRemoved once its card is gone.
//
// Thread safety: every member may be called from any thread.

#include "hal/card.hpp"
#include "base/secret.hpp"
#include "hal/sim/virtual_card.hpp"

#include <memory>
#include <string>

namespace uketsuke::hal::sim {

class SimCardReader final : public CardReader {
public:
    explicit SimCardReader(std::string name = "Uketsuke Virtual Reader 00");
    ~SimCardReader() override;

    // Places `card` on the reader (replacing any card there, which counts as removed) and
    // wakes waitForChange(). The card is reset, as a card powered up by a reader is.
    // Thread: any; does not block beyond a short lock.
    void insert(std::shared_ptr<VirtualCard> card);

    // Takes the card off the reader and wakes waitForChange(). Channels connected to it answer
    // CardRemoved from now on. No effect when no card is present. Thread: any.
    void remove();

    // Whether a card is on the reader now. Thread: any.
    bool present() const;

    // Gives the reader a simulated PIN pad (a PC/SC reader with FEATURE_VERIFY_PIN_DIRECT):
    // its channels report securePinEntry, and verifyPinOnReader() waits for typeOnPad() or
    // cancelOnPad() (the patient at the reader's keys) or the request's timeout, then answers
    // as a CCID reader does (the card's SW, or 64 00 timeout, 64 01 cancelled, 64 03 wrong
    // length). Set it before connecting. Thread: any.
    void setPinPad(bool enabled);
    // The patient types `pin` on the pad and presses its confirm key. A pad entry that has not
    // started yet takes it when it starts. The digits are wiped once sent. Thread: any.
    void typeOnPad(Pin pin);
    // The patient presses the pad's cancel key. Thread: any.
    void cancelOnPad();

    std::string name() const override;

    // The state the reader shares with its channels (defined in sim_reader.cpp).
    struct Shared;

protected:
    // Returns at once when the presence already differs from `known`; otherwise blocks on a
    // condition variable until insert()/remove(), cancel() or `timeout`.
    // Errors: Timeout, Cancelled. A cancel() that arrives while no wait is in progress makes the
    // next wait return Cancelled at once, so a shutdown can never be missed.
    Result<ReaderChange> doWaitForChange(CardPresence known,
                                         std::chrono::milliseconds timeout) override;
    // Errors: NoCard. Connecting resets the card (volatile state cleared).
    Result<std::unique_ptr<CardChannel>> doConnect() override;
    void doCancel() override;

private:
    std::string m_name;
    std::shared_ptr<Shared> m_shared; // shared with the channels, which may outlive the reader
};

} // namespace uketsuke::hal::sim
