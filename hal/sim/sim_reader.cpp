#include "hal/sim/sim_reader.hpp"

#include "base/log.hpp"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>

namespace uketsuke::hal::sim {
namespace {

const log::Category kLog("hal.sim.reader");

} // namespace

struct SimCardReader::Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::shared_ptr<VirtualCard> card;
    // Incremented by every insert() and remove(): a channel belongs to one insertion.
    std::uint64_t insertion = 0;
    bool cancelPending = false;
    // The simulated PIN pad: what the patient did at its keys, taken by the next entry.
    bool pinPad = false;
    std::optional<Pin> padPin;
    bool padCancel = false;
};

namespace {

// A channel to one insertion of a card. `check` answers whether that insertion is still on the
// reader; it holds the reader's state weakly, so a channel may outlive its reader.
class SimCardChannel final : public CardChannel {
public:
    using Check = std::function<Result<void>(std::uint64_t insertion)>;

    SimCardChannel(Bytes atr, std::shared_ptr<VirtualCard> card, std::uint64_t insertion,
                   Check check, std::weak_ptr<SimCardReader::Shared> shared, bool pinPad)
        : CardChannel(std::move(atr)), m_card(std::move(card)), m_insertion(insertion),
          m_check(std::move(check)), m_shared(std::move(shared)), m_pinPad(pinPad)
    {
    }

protected:
    ChannelCapabilities doCapabilities() const override { return {m_pinPad}; }

    Result<Bytes> doVerifyPinOnReader(const PinPadVerify& request) override
    {
        auto shared = m_shared.lock();
        if (!shared) {
            return fail(Errc::ReaderRemoved, "the simulated reader was destroyed");
        }
        std::optional<Pin> pin;
        {
            std::unique_lock lock(shared->mutex);
            const std::uint64_t insertion = m_insertion;
            shared->changed.wait_for(lock, request.timeout, [&] {
                return shared->padPin || shared->padCancel || shared->insertion != insertion;
            });
            if (shared->insertion != insertion) {
                return fail(Errc::CardRemoved, "the card was removed during the PIN entry");
            }
            if (shared->padCancel) {
                shared->padCancel = false;
                return Bytes{0x64, 0x01};
            }
            if (!shared->padPin) {
                return Bytes{0x64, 0x00};
            }
            pin = std::move(shared->padPin);
            shared->padPin.reset();
        }
        if (pin->size() < request.minDigits || pin->size() > request.maxDigits) {
            return Bytes{0x64, 0x03};
        }
        // What the reader sends: the VERIFY with the digits as ASCII (bmFormatString ASCII).
        Bytes command = {request.cla, request.ins, request.p1, request.p2,
                         static_cast<std::uint8_t>(pin->size())};
        for (char digit : pin->digits()) {
            command.push_back(static_cast<std::uint8_t>(digit));
        }
        auto reply = doTransmit(command);
        explicit_bzero(command.data(), command.size());
        return reply;
    }

    Result<Bytes> doTransmit(std::span<const std::uint8_t> command) override
    {
        if (auto present = m_check(m_insertion); !present) {
            return fail(std::move(present).error());
        }
        return m_card->process(command);
    }

private:
    std::shared_ptr<VirtualCard> m_card;
    std::uint64_t m_insertion;
    Check m_check;
    std::weak_ptr<SimCardReader::Shared> m_shared;
    bool m_pinPad;
};

} // namespace

SimCardReader::SimCardReader(std::string name)
    : m_name(std::move(name)), m_shared(std::make_shared<Shared>())
{
}

SimCardReader::~SimCardReader() = default;

void SimCardReader::insert(std::shared_ptr<VirtualCard> card)
{
    if (card) {
        card->reset();
    }
    {
        std::lock_guard lock(m_shared->mutex);
        if (m_shared->card) {
            m_shared->card->powerOff();
        }
        m_shared->card = std::move(card);
        ++m_shared->insertion;
    }
    UKETSUKE_LOG(kLog, Info) << m_name << ": card inserted";
    m_shared->changed.notify_all();
}

void SimCardReader::remove()
{
    {
        std::lock_guard lock(m_shared->mutex);
        if (!m_shared->card) {
            return;
        }
        m_shared->card->powerOff();
        m_shared->card.reset();
        ++m_shared->insertion;
    }
    UKETSUKE_LOG(kLog, Info) << m_name << ": card removed";
    m_shared->changed.notify_all();
}

void SimCardReader::setPinPad(bool enabled)
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->pinPad = enabled;
}

void SimCardReader::typeOnPad(Pin pin)
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->padPin = std::move(pin);
        m_shared->padCancel = false;
    }
    m_shared->changed.notify_all();
}

void SimCardReader::cancelOnPad()
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->padPin.reset();
        m_shared->padCancel = true;
    }
    m_shared->changed.notify_all();
}

bool SimCardReader::present() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->card != nullptr;
}

std::string SimCardReader::name() const
{
    return m_name;
}

Result<ReaderChange> SimCardReader::doWaitForChange(CardPresence known,
                                                    std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_shared->mutex);
    const auto presence = [this] {
        return m_shared->card ? CardPresence::Present : CardPresence::Absent;
    };
    const bool woken = m_shared->changed.wait_for(lock, timeout, [&] {
        return m_shared->cancelPending || presence() != known;
    });
    if (m_shared->cancelPending) {
        m_shared->cancelPending = false;
        return fail(Errc::Cancelled, "waitForChange cancelled");
    }
    if (!woken) {
        return fail(Errc::Timeout, "no card change before the timeout");
    }
    return ReaderChange{m_name, presence()};
}

Result<std::unique_ptr<CardChannel>> SimCardReader::doConnect()
{
    std::shared_ptr<VirtualCard> card;
    std::uint64_t insertion = 0;
    bool pinPad = false;
    {
        std::lock_guard lock(m_shared->mutex);
        card = m_shared->card;
        insertion = m_shared->insertion;
        pinPad = m_shared->pinPad;
        // A new check-in: keys pressed on the pad before it are forgotten.
        m_shared->padPin.reset();
        m_shared->padCancel = false;
    }
    if (!card) {
        return fail(Errc::NoCard, "no card on the simulated reader");
    }
    card->reset();
    std::weak_ptr<Shared> weak = m_shared;
    auto check = [weak](std::uint64_t expected) -> Result<void> {
        auto shared = weak.lock();
        if (!shared) {
            return fail(Errc::ReaderRemoved, "the simulated reader was destroyed");
        }
        std::lock_guard lock(shared->mutex);
        if (!shared->card || shared->insertion != expected) {
            return fail(Errc::CardRemoved, "the card was removed from the simulated reader");
        }
        return ok();
    };
    Bytes atr = card->atr();
    std::unique_ptr<CardChannel> channel =
        std::make_unique<SimCardChannel>(std::move(atr), std::move(card), insertion, check,
                                         m_shared, pinPad);
    return channel;
}

void SimCardReader::doCancel()
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->cancelPending = true;
    }
    m_shared->changed.notify_all();
}

} // namespace uketsuke::hal::sim
