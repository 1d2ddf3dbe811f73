#include "hal/pcsc/pcsc_reader.hpp"

#include "base/hex.hpp"
#include "base/log.hpp"
#include "hal/pcsc/part10.hpp"
#include "hal/pcsc/pcsc_errors.hpp"

#include <winscard.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>

namespace uketsuke::hal::pcsc {
namespace {

const log::Category kLog("hal.pcsc");

constexpr const char* kPnpNotification = "\\\\?PnP?\\Notification";
// A short APDU answer: 256 data bytes + SW, with room to spare.
constexpr std::size_t kMaxResponse = 258 + 16;
// How long a failed transfer waits for pcscd to tell whether the card left.
constexpr auto kRemovalBound = std::chrono::milliseconds(1500);

// One PC/SC context, shared by the reader and the channels made from it, so a channel never
// outlives the context its handle belongs to.
struct Context {
    SCARDCONTEXT handle = 0;
    std::uint64_t generation = 0; // counts the contexts this reader established
    Context() = default;
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    ~Context()
    {
        if (handle != 0) {
            SCardReleaseContext(handle);
        }
    }
};

class PcscChannel final : public CardChannel {
public:
    PcscChannel(std::shared_ptr<Context> context, SCARDHANDLE card, Bytes atr,
                ReaderFeatures features, std::string reader)
        : CardChannel(std::move(atr)),
          m_context(std::move(context)),
          m_card(card),
          m_features(features),
          m_reader(std::move(reader))
    {
    }

    ~PcscChannel() override
    {
        // Reset, so that a PIN verified during this check-in is forgotten by the card.
        LONG rv = SCardDisconnect(m_card, SCARD_RESET_CARD);
        if (rv != SCARD_S_SUCCESS && rv != SCARD_W_REMOVED_CARD) {
            UKETSUKE_LOG(kLog, Debug) << pcscError(rv, "SCardDisconnect").message;
        }
    }

protected:
    Result<Bytes> doTransmit(std::span<const std::uint8_t> command) override
    {
        std::array<BYTE, kMaxResponse> reply{};
        DWORD replyLength = reply.size();
        LONG rv = SCardTransmit(m_card, SCARD_PCI_T1, command.data(),
                                static_cast<DWORD>(command.size()), nullptr, reply.data(),
                                &replyLength);
        if (rv != SCARD_S_SUCCESS) {
            return fail(transportError(rv, "SCardTransmit"));
        }
        if (replyLength < 2 && cardLeft()) {
            // vpcd answers a transfer that lost its card with success and no bytes.
            return fail(Errc::CardRemoved, "SCardTransmit: no answer, card gone");
        }
        return Bytes(reply.begin(), reply.begin() + static_cast<std::ptrdiff_t>(replyLength));
    }

    ChannelCapabilities doCapabilities() const override
    {
        return ChannelCapabilities{m_features.verifyPinDirect.has_value()};
    }

    Result<Bytes> doVerifyPinOnReader(const PinPadVerify& request) override
    {
        const Bytes structure = buildPinVerifyStructure(request);
        std::array<BYTE, 64> reply{};
        DWORD replyLength = 0;
        LONG rv = SCardControl(m_card, *m_features.verifyPinDirect, structure.data(),
                               static_cast<DWORD>(structure.size()), reply.data(),
                               static_cast<DWORD>(reply.size()), &replyLength);
        if (rv != SCARD_S_SUCCESS) {
            return fail(transportError(rv, "SCardControl(VERIFY_PIN_DIRECT)"));
        }
        return Bytes(reply.begin(), reply.begin() + static_cast<std::ptrdiff_t>(replyLength));
    }

private:
    // A failed transfer: the table's error, except that a card missing now (whatever the
    // driver answered: vpcd says SCARD_E_NOT_TRANSACTED, a CCID reader SCARD_W_REMOVED_CARD)
    // is always CardRemoved, never a card error the flow would take for a PIN failure.
    Error transportError(LONG rv, std::string_view what)
    {
        Error error = pcscError(rv, what);
        if (error.code == Errc::CardRemoved || error.code == Errc::ReaderServiceDown ||
            error.code == Errc::ReaderRemoved) {
            return error;
        }
        if (error.code == Errc::NoCard) {
            error.code = Errc::CardRemoved;
            return error;
        }
        DWORD state = 0;
        DWORD protocol = 0;
        DWORD readerLength = 0;
        DWORD atrLength = 0;
        LONG status = SCardStatus(m_card, nullptr, &readerLength, &state, &protocol, nullptr,
                                  &atrLength);
        if (status == SCARD_E_READER_UNAVAILABLE) {
            error.code = Errc::ReaderRemoved;
            error.message += ", reader gone";
        } else if (isServiceLost(status)) {
            error.code = Errc::ReaderServiceDown;
        } else if (status == SCARD_W_REMOVED_CARD || status == SCARD_E_NO_SMARTCARD ||
                   (status == SCARD_S_SUCCESS && (state & SCARD_ABSENT) != 0) || cardLeft()) {
            error.code = Errc::CardRemoved;
            error.message += ", card gone";
        }
        return error;
    }

    // After a transfer failed without saying why: whether pcscd reports the card gone within
    // a bound (the driver may notice the removal a poll later: vpcd polls every 400 ms). Uses
    // its own short-lived context, so a cancel() aimed at the reader's wait is not consumed.
    bool cardLeft()
    {
        SCARDCONTEXT probe = 0;
        if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &probe) !=
            SCARD_S_SUCCESS) {
            return false;
        }
        SCARD_READERSTATE state{};
        state.szReader = m_reader.c_str();
        state.dwCurrentState = SCARD_STATE_UNAWARE;
        const auto deadline = std::chrono::steady_clock::now() + kRemovalBound;
        bool gone = false;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            LONG rv = SCardGetStatusChange(
                probe, static_cast<DWORD>(std::max<std::int64_t>(left.count(), 0)), &state, 1);
            if (rv != SCARD_S_SUCCESS) {
                gone = rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_READER_UNAVAILABLE;
                break;
            }
            if ((state.dwEventState & (SCARD_STATE_EMPTY | SCARD_STATE_UNAVAILABLE)) != 0) {
                gone = true;
                break;
            }
            if (left.count() <= 0) {
                break;
            }
            state.dwCurrentState = state.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
        }
        SCardReleaseContext(probe);
        return gone;
    }

    std::shared_ptr<Context> m_context;
    SCARDHANDLE m_card;
    ReaderFeatures m_features;
    std::string m_reader;
};

// Splits a PC/SC multi-string ("a\0b\0\0").
std::vector<std::string> splitMultiString(const std::vector<char>& buffer)
{
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < buffer.size() && buffer[at] != '\0') {
        std::string name(&buffer[at]);
        at += name.size() + 1;
        out.push_back(std::move(name));
    }
    return out;
}

} // namespace

struct PcscReader::Impl {
    PcscReaderOptions options;

    // Guarded by `mutex`: what cancel() needs from another thread.
    mutable std::mutex mutex;
    std::condition_variable wake;
    std::shared_ptr<Context> context;
    bool cancelPending = false;
    std::string current;

    // Card worker only.
    std::uint64_t generations = 0;
    bool readersValid = false;
    std::vector<std::string> readers;  // every reader pcscd knows
    std::vector<std::string> candidates; // those matching the configured name
    bool serviceDownLogged = false;
    // What the last reported Present was about: a different context or a card event counter
    // that moved means the card we reported may have gone in between.
    struct Seen {
        std::uint64_t generation = 0;
        std::string reader;
        DWORD eventCount = 0;
    };
    std::optional<Seen> presentSeen;

    bool takeCancel()
    {
        std::lock_guard lock(mutex);
        return std::exchange(cancelPending, false);
    }

    void setCurrent(const std::string& reader)
    {
        std::lock_guard lock(mutex);
        current = reader;
    }

    Result<std::shared_ptr<Context>> ensureContext()
    {
        {
            std::lock_guard lock(mutex);
            if (context) {
                return context;
            }
        }
        auto fresh = std::make_shared<Context>();
        LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &fresh->handle);
        if (rv != SCARD_S_SUCCESS) {
            fresh->handle = 0;
            Error error = pcscError(rv, "SCardEstablishContext");
            if (!serviceDownLogged) {
                UKETSUKE_LOG(kLog, Warn) << error.message << "; retrying";
                serviceDownLogged = true;
            }
            return fail(std::move(error));
        }
        fresh->generation = ++generations;
        if (serviceDownLogged || fresh->generation > 1) {
            UKETSUKE_LOG(kLog, Info) << "connected to pcscd (context " << fresh->generation << ")";
        }
        serviceDownLogged = false;
        readersValid = false;
        std::lock_guard lock(mutex);
        context = fresh;
        return fresh;
    }

    void dropContext(const Error& why)
    {
        UKETSUKE_LOG(kLog, Warn) << why.message << ": releasing the PC/SC context";
        std::lock_guard lock(mutex);
        context.reset();
        readersValid = false;
    }

    Result<void> refreshReaders(SCARDCONTEXT handle)
    {
        DWORD length = 0;
        LONG rv = SCardListReaders(handle, nullptr, nullptr, &length);
        std::vector<char> buffer;
        if (rv == SCARD_S_SUCCESS) {
            buffer.resize(length + 1, '\0');
            rv = SCardListReaders(handle, nullptr, buffer.data(), &length);
        }
        if (rv == SCARD_E_NO_READERS_AVAILABLE) {
            buffer.clear();
        } else if (rv != SCARD_S_SUCCESS) {
            return fail(pcscError(rv, "SCardListReaders"));
        }
        auto fresh = splitMultiString(buffer);
        if (fresh != readers) {
            UKETSUKE_LOG(kLog, Info) << fresh.size() << " reader(s)";
            for (const auto& name : fresh) {
                UKETSUKE_LOG(kLog, Debug) << "reader: " << name;
            }
        }
        readers = std::move(fresh);
        candidates.clear();
        for (const auto& name : readers) {
            if (options.readerName.empty() || name.find(options.readerName) != std::string::npos) {
                candidates.push_back(name);
            }
        }
        readersValid = true;
        return ok();
    }

    // Lists again when needed and fills `states` with the candidates plus the PnP entry (last).
    // On a lost service the context is dropped and the error returned.
    Result<std::shared_ptr<Context>> prepare(std::vector<SCARD_READERSTATE>& states)
    {
        auto ctx = ensureContext();
        if (!ctx) {
            return ctx;
        }
        if (!readersValid) {
            if (auto listed = refreshReaders((*ctx)->handle); !listed) {
                if (isServiceLost(listed.error().native)) {
                    dropContext(listed.error());
                }
                return fail(std::move(listed).error());
            }
        }
        states.assign(candidates.size() + 1, SCARD_READERSTATE{});
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            states[i].szReader = candidates[i].c_str();
            states[i].dwCurrentState = SCARD_STATE_UNAWARE;
        }
        states.back().szReader = kPnpNotification;
        states.back().dwCurrentState = static_cast<DWORD>(readers.size()) << 16;
        return ctx;
    }

    // The reader whose card decides the presence: the first candidate with a card, or the
    // first candidate when none has one. nullopt when no reader matches.
    std::optional<std::size_t> pick(const std::vector<SCARD_READERSTATE>& states) const
    {
        if (candidates.empty()) {
            return std::nullopt;
        }
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            if ((states[i].dwEventState & SCARD_STATE_PRESENT) != 0) {
                return i;
            }
        }
        return 0;
    }
};

PcscReader::PcscReader(PcscReaderOptions options) : m_impl(std::make_unique<Impl>())
{
    m_impl->options = std::move(options);
}

PcscReader::~PcscReader() = default;

std::string PcscReader::name() const
{
    std::lock_guard lock(m_impl->mutex);
    if (!m_impl->current.empty()) {
        return m_impl->current;
    }
    return m_impl->options.readerName.empty() ? "pcsc" : m_impl->options.readerName;
}

Result<std::vector<std::string>> PcscReader::listReaders()
{
    auto ctx = m_impl->ensureContext();
    if (!ctx) {
        return fail(std::move(ctx).error());
    }
    if (auto listed = m_impl->refreshReaders((*ctx)->handle); !listed) {
        if (isServiceLost(listed.error().native)) {
            m_impl->dropContext(listed.error());
        }
        return fail(std::move(listed).error());
    }
    return m_impl->readers;
}

Result<ReaderChange> PcscReader::doWaitForChange(CardPresence known,
                                                 std::chrono::milliseconds timeout)
{
    Impl& d = *m_impl;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<SCARD_READERSTATE> states;
    Error lastServiceError{Errc::ReaderServiceDown, 0, "pcscd unreachable"};

    auto remaining = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
    };

    for (;;) {
        if (d.takeCancel()) {
            return fail(Errc::Cancelled, "reader wait cancelled");
        }
        auto ctx = d.prepare(states);
        if (!ctx) {
            if (ctx.error().code != Errc::ReaderServiceDown) {
                return fail(std::move(ctx).error());
            }
            lastServiceError = std::move(ctx).error();
            if (known == CardPresence::Present) {
                // The card we reported cannot be used any more: say so now, so the flow
                // leaves the check-in instead of waiting for a daemon that may not return.
                d.presentSeen.reset();
                return ReaderChange{name(), CardPresence::Absent};
            }
            auto left = remaining();
            if (left <= std::chrono::milliseconds::zero()) {
                return fail(std::move(lastServiceError));
            }
            std::unique_lock lock(d.mutex);
            d.wake.wait_for(lock, std::min(left, d.options.serviceRetry),
                            [&] { return d.cancelPending; });
            continue;
        }
        const SCARDCONTEXT handle = (*ctx)->handle;
        const std::uint64_t generation = (*ctx)->generation;
        const std::size_t count = states.size();

        // The current state of every candidate (UNAWARE answers at once).
        LONG rv = SCardGetStatusChange(handle, 0, states.data(), static_cast<DWORD>(count));
        if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) {
            Error error = pcscError(rv, "SCardGetStatusChange");
            if (isServiceLost(rv)) {
                d.dropContext(error);
                continue;
            }
            if (rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_READER_UNAVAILABLE) {
                d.readersValid = false;
                continue;
            }
            if (rv == SCARD_E_CANCELLED) {
                d.takeCancel();
                return fail(std::move(error));
            }
            return fail(std::move(error));
        }

        const auto picked = d.pick(states);
        CardPresence presence = CardPresence::Absent;
        std::string reader = name();
        DWORD eventCount = 0;
        if (picked) {
            const auto& state = states[*picked];
            reader = d.candidates[*picked];
            eventCount = state.dwEventState >> 16;
            if ((state.dwEventState & SCARD_STATE_PRESENT) != 0) {
                presence = CardPresence::Present;
            }
        }
        if (known == CardPresence::Present && presence == CardPresence::Present &&
            d.presentSeen &&
            (d.presentSeen->generation != generation || d.presentSeen->reader != reader ||
             d.presentSeen->eventCount != eventCount)) {
            // The card may have been swapped, or pcscd restarted, since we reported it: the
            // flow must drop its channel first. Present is reported on the next wait.
            UKETSUKE_LOG(kLog, Info) << "card on " << reader << " changed since it was seen";
            d.presentSeen.reset();
            return ReaderChange{reader, CardPresence::Absent};
        }
        if (presence != known) {
            d.setCurrent(reader);
            if (presence == CardPresence::Present) {
                d.presentSeen = Impl::Seen{generation, reader, eventCount};
            } else {
                d.presentSeen.reset();
            }
            UKETSUKE_LOG(kLog, Info) << "card "
                                     << (presence == CardPresence::Present ? "present" : "absent")
                                     << " on " << reader;
            return ReaderChange{reader, presence};
        }
        if (presence == CardPresence::Present && !d.presentSeen) {
            d.presentSeen = Impl::Seen{generation, reader, eventCount};
        }

        auto left = remaining();
        if (left <= std::chrono::milliseconds::zero()) {
            if (!picked) {
                return fail(Errc::ReaderNotFound, d.options.readerName.empty()
                                                      ? "no reader"
                                                      : "no reader matches the configured name");
            }
            return fail(Errc::Timeout, "no card change");
        }
        for (auto& state : states) {
            state.dwCurrentState = state.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
        }
        states.back().dwCurrentState = static_cast<DWORD>(d.readers.size()) << 16;
        // A cancel() between the check at the top and here would find no wait to cancel;
        // check again right before blocking (what is left is a window of a few instructions,
        // and the runner's waits are bounded).
        if (d.takeCancel()) {
            return fail(Errc::Cancelled, "reader wait cancelled");
        }
        rv = SCardGetStatusChange(handle, static_cast<DWORD>(left.count()), states.data(),
                                  static_cast<DWORD>(count));
        if (rv == SCARD_S_SUCCESS) {
            if ((states.back().dwEventState & SCARD_STATE_CHANGED) != 0) {
                d.readersValid = false; // a reader came or went
            }
            continue;
        }
        if (rv == SCARD_E_TIMEOUT) {
            continue; // the deadline check above answers
        }
        if (rv == SCARD_E_CANCELLED) {
            d.takeCancel();
            return fail(Errc::Cancelled, "reader wait cancelled");
        }
        Error error = pcscError(rv, "SCardGetStatusChange");
        if (isServiceLost(rv)) {
            d.dropContext(error);
            continue;
        }
        if (rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_READER_UNAVAILABLE) {
            d.readersValid = false;
            continue;
        }
        return fail(std::move(error));
    }
}

Result<std::unique_ptr<CardChannel>> PcscReader::doConnect()
{
    Impl& d = *m_impl;
    std::vector<SCARD_READERSTATE> states;
    auto ctx = d.prepare(states);
    if (!ctx) {
        return fail(std::move(ctx).error());
    }
    LONG rv = SCardGetStatusChange((*ctx)->handle, 0, states.data(),
                                   static_cast<DWORD>(states.size()));
    if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) {
        Error error = pcscError(rv, "SCardGetStatusChange");
        if (isServiceLost(rv)) {
            d.dropContext(error);
        } else {
            d.readersValid = false;
        }
        return fail(std::move(error));
    }
    // Prefer the reader reported by the last wait while it still holds a card.
    std::optional<std::size_t> chosen;
    const std::string current = name();
    for (std::size_t i = 0; i < d.candidates.size(); ++i) {
        if ((states[i].dwEventState & SCARD_STATE_PRESENT) == 0) {
            continue;
        }
        if (!chosen || d.candidates[i] == current) {
            chosen = i;
        }
    }
    if (!chosen) {
        if (d.candidates.empty()) {
            return fail(Errc::ReaderNotFound, "no reader");
        }
        return fail(Errc::NoCard, "no card on the reader");
    }
    const std::string reader = d.candidates[*chosen];
    SCARDHANDLE card = 0;
    DWORD protocol = 0;
    rv = SCardConnect((*ctx)->handle, reader.c_str(), SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_T1,
                      &card, &protocol);
    if (rv != SCARD_S_SUCCESS) {
        Error error = pcscError(rv, "SCardConnect");
        if (isServiceLost(rv)) {
            d.dropContext(error);
        }
        if (rv == SCARD_W_REMOVED_CARD) {
            error.code = Errc::NoCard;
        }
        return fail(std::move(error));
    }
    d.setCurrent(reader);

    std::array<BYTE, MAX_ATR_SIZE> atr{};
    DWORD atrLength = atr.size();
    DWORD state = 0;
    DWORD readerLength = 0;
    rv = SCardStatus(card, nullptr, &readerLength, &state, &protocol, atr.data(), &atrLength);
    Bytes atrBytes;
    if (rv == SCARD_S_SUCCESS) {
        atrBytes.assign(atr.begin(), atr.begin() + static_cast<std::ptrdiff_t>(atrLength));
    }

    ReaderFeatures features;
    std::array<BYTE, 256> featureReply{};
    DWORD featureLength = 0;
    rv = SCardControl(card, kIoctlGetFeatureRequest, nullptr, 0, featureReply.data(),
                      static_cast<DWORD>(featureReply.size()), &featureLength);
    if (rv == SCARD_S_SUCCESS) {
        features = parseReaderFeatures(
            std::span<const std::uint8_t>(featureReply.data(), featureLength));
    } else {
        UKETSUKE_LOG(kLog, Debug) << "no Part 10 features: " << lookupPcscCode(rv).name;
    }
    UKETSUKE_LOG(kLog, Info) << "connected to " << reader << ", ATR " << hex(atrBytes)
                             << (features.verifyPinDirect ? ", PIN pad" : "");
    return std::unique_ptr<CardChannel>(std::make_unique<PcscChannel>(
        *ctx, card, std::move(atrBytes), features, reader));
}

void PcscReader::doCancel()
{
    std::shared_ptr<Context> ctx;
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->cancelPending = true;
        ctx = m_impl->context;
    }
    m_impl->wake.notify_all();
    if (ctx) {
        SCardCancel(ctx->handle);
    }
}

} // namespace uketsuke::hal::pcsc
