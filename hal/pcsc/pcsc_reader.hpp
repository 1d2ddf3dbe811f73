#pragma once

// The real card reader: pcsc-lite (docs/pcsc.md).
//
// - Reader choice: the first reader whose name contains PcscReaderOptions::readerName, or, with
//   no name configured, the first reader that holds a card.
// - waitForChange() blocks in SCardGetStatusChange on the candidate readers plus
//   `\\?PnP?\Notification`, so a reader plugged in or out wakes it too; cancel() calls
//   SCardCancel on the same context.
// - connect() is exclusive and T=1 only, for the length of a check-in; the channel resets the
//   card when it is destroyed, which clears a verified PIN.
// - Recovery without restarting the terminal: when pcscd stops or restarts
//   (SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED, SCARD_E_INVALID_HANDLE), the context is
//   released and established again at the next call; a card that was present before is then
//   reported absent once (the old channel is dead) and present again when pcscd sees it. A
//   reader unplugged and plugged back is found again through the PnP notification.
// - Secure PIN entry: at connect the reader is asked for its Part 10 features
//   (CM_IOCTL_GET_FEATURE_REQUEST); with FEATURE_VERIFY_PIN_DIRECT the channel reports
//   capabilities().securePinEntry and verifyPinOnReader() sends a PIN_VERIFY_STRUCTURE.
// Every PC/SC return code is mapped by hal/pcsc/pcsc_errors.hpp.
//
// Threads: waitForChange(), connect(), listReaders() and every channel call belong to one
// thread (the card worker); cancel() may be called from any thread.

#include "hal/card.hpp"
#include "base/result.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace uketsuke::hal::pcsc {

struct PcscReaderOptions {
    // A substring of the reader's name (kiosk.toml `reader_name`); empty: the first reader that
    // holds a card.
    std::string readerName;
    // While pcscd is unreachable, how often a wait tries to establish a context again.
    std::chrono::milliseconds serviceRetry{250};
};

class PcscReader final : public CardReader {
public:
    // Does not contact pcscd yet (the daemon may start later: socket activation, a restart).
    explicit PcscReader(PcscReaderOptions options = {});
    ~PcscReader() override;
    PcscReader(const PcscReader&) = delete;
    PcscReader& operator=(const PcscReader&) = delete;

    // The readers pcscd knows now, in its order (for `doctor card` and logs). Blocks briefly
    // on pcscd. Errors: ReaderServiceDown (pcscd not running), ReaderError.
    Result<std::vector<std::string>> listReaders();

    // The reader chosen by the last waitForChange()/connect(), or the configured name, or
    // "pcsc" before either.
    std::string name() const override;

protected:
    // Returns at once when the presence already differs from `known`; otherwise blocks until a
    // card or reader change, cancel() or `timeout`. A card swapped between two waits, or a
    // context lost to a pcscd restart while `known` is Present, is reported as Absent first.
    // Errors: Timeout; Cancelled (a cancel() while no wait runs makes the next wait return
    // Cancelled at once); ReaderNotFound (no reader matches at the end of the wait);
    // ReaderServiceDown (pcscd unreachable for the whole wait; retried every serviceRetry).
    Result<ReaderChange> doWaitForChange(CardPresence known,
                                         std::chrono::milliseconds timeout) override;
    // Connects exclusively with T=1 to the chosen reader (or the first candidate holding a
    // card). Errors: NoCard, ReaderBusy (another process holds the card), ReaderNotFound,
    // ReaderServiceDown, CardError (not T=1, mute), ReaderError.
    Result<std::unique_ptr<CardChannel>> doConnect() override;
    void doCancel() override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace uketsuke::hal::pcsc
