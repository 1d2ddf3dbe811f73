// Fuzz target: arbitrary card answers through the terminal's card protocol (kiosk/card:
// JpkiCard, certificate parsing and status, `doctor card`), the way OpenSC's fuzzer_reader.c
// feeds a fake reader. The input is a script of answers:
//
//   byte 0        flags: bit 0 the reader has a PIN pad; bit 1 also run doctorCard()
//   then frames   2-byte big-endian length + that many bytes: the raw answer (data + SW) to
//                 the next command. Length FFFF: the card is removed (CardRemoved); FFFE:
//                 pcscd is gone (ReaderServiceDown). Both without payload.
//
// When the script ends, every further command gets CardRemoved. The commands JpkiCard sends
// are not checked here (tests/kiosk/card does that); what matters is that no answer, however
// short, long or inconsistent, makes the protocol code misbehave under ASan + UBSan.

#include "hal/apdu.hpp"
#include "hal/card.hpp"
#include "base/log.hpp"
#include "kiosk/card/certificate.hpp"
#include "kiosk/card/doctor.hpp"
#include "kiosk/card/jpki.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

namespace {

using namespace uketsuke;

class ScriptChannel final : public hal::CardChannel {
public:
    ScriptChannel(std::span<const std::uint8_t> script, bool pinPad)
        : hal::CardChannel(
              hal::Bytes(hal::jpki::kContactAtr.begin(), hal::jpki::kContactAtr.end())),
          m_script(script),
          m_pinPad(pinPad)
    {
    }

protected:
    Result<hal::Bytes> doTransmit(std::span<const std::uint8_t> command) override
    {
        // The command is outside input for the card model too: parse it as the virtual card
        // would.
        (void)hal::parseCommandApdu(command);
        return next();
    }
    hal::ChannelCapabilities doCapabilities() const override { return {m_pinPad}; }
    Result<hal::Bytes> doVerifyPinOnReader(const hal::PinPadVerify&) override { return next(); }

private:
    Result<hal::Bytes> next()
    {
        if (m_script.size() < 2) {
            return fail(Errc::CardRemoved, "script ended");
        }
        const std::size_t length = (std::size_t{m_script[0]} << 8) | m_script[1];
        m_script = m_script.subspan(2);
        if (length == 0xFFFF) {
            return fail(Errc::CardRemoved, "scripted removal");
        }
        if (length == 0xFFFE) {
            return fail(Errc::ReaderServiceDown, "scripted pcscd stop");
        }
        const std::size_t take = std::min(length, m_script.size());
        hal::Bytes answer(m_script.begin(), m_script.begin() + static_cast<std::ptrdiff_t>(take));
        m_script = m_script.subspan(take);
        return answer;
    }

    std::span<const std::uint8_t> m_script;
    bool m_pinPad;
};

// A reader whose card is always present and whose channel replays the rest of the script.
class ScriptReader final : public hal::CardReader {
public:
    ScriptReader(std::span<const std::uint8_t> script, bool pinPad)
        : m_script(script), m_pinPad(pinPad)
    {
    }
    std::string name() const override { return "fuzz"; }

protected:
    Result<hal::ReaderChange> doWaitForChange(hal::CardPresence,
                                              std::chrono::milliseconds) override
    {
        return hal::ReaderChange{"fuzz", hal::CardPresence::Present};
    }
    Result<std::unique_ptr<hal::CardChannel>> doConnect() override
    {
        return std::unique_ptr<hal::CardChannel>(
            std::make_unique<ScriptChannel>(m_script, m_pinPad));
    }
    void doCancel() override {}

private:
    std::span<const std::uint8_t> m_script;
    bool m_pinPad;
};

Pin fixedPin()
{
    Pin pin;
    for (char c : {'1', '2', '3', '4'}) {
        pin.push(c);
    }
    return pin;
}

const hal::Bytes kChallenge{'f', 'u', 'z', 'z'};
const auto kNow = std::chrono::sys_seconds(std::chrono::seconds(1767225600)); // 2026-01-01Z

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    log::configure("*:off");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) {
        return 0;
    }
    const std::uint8_t flags = data[0];
    const std::span<const std::uint8_t> script(data + 1, size - 1);
    const bool pinPad = (flags & 0x01) != 0;

    {
        // A check-in's card part, as the runner does it, going on after failures too.
        ScriptChannel channel(script, pinPad);
        kiosk::card::JpkiCard card(channel);
        (void)card.selectJpki();
        if (auto der = card.readAuthCertificate(); der) {
            if (auto info = kiosk::card::parseCertificate(std::move(*der)); info) {
                (void)kiosk::card::certificateStatus(*info, kNow);
            }
        }
        (void)card.pinTriesLeft();
        if (card.readerHasPinPad()) {
            (void)card.verifyOnReaderAndSign(kChallenge);
        }
        (void)card.verifyAndSign(fixedPin(), kChallenge);
        (void)card.verifyAndSign(fixedPin(), kChallenge);
        (void)card.readTokenLabel();
    }
    if ((flags & 0x02) != 0) {
        ScriptReader reader(script, pinPad);
        kiosk::card::DoctorOptions options;
        options.now = kNow;
        (void)kiosk::card::doctorCard(reader, options);
    }
    return 0;
}
