// Fuzz target: what vpcd (inside pcscd) sends to `uketsuke-sim card`, framed as on the wire
// (sim/vpcd_card.hpp: a 2-byte big-endian length, then that many bytes): 1-byte control
// messages (power off / on, reset, get ATR) and command APDUs from any PC/SC client, which the
// virtual My Number card (hal/sim VirtualCard) must answer with a status word, never a crash,
// and whose PIN counter must never go below 0 or above 3.
//
// Input: the frames; a length past the end takes what is left.

#include "base/log.hpp"
#include "hal/sim/virtual_card.hpp"
#include "tests/support/test_card.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>

using namespace uketsuke;

namespace {

// The card as created, once: reading its PEM key and checking it against the certificate took
// three quarters of every input's time. Each input gets a copy.
const hal::sim::VirtualCard& newCard()
{
    static const std::shared_ptr<hal::sim::VirtualCard> card = [] {
        auto made = hal::sim::VirtualCard::create(test::virtualCardConfig(test::defaultTestCard()));
        if (!made) {
            std::abort();
        }
        return *made;
    }();
    return *card;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    log::configure("*:off");
    (void)newCard(); // the RSA key is made once
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // A fresh card per input: PIN counters are state, and a blocked card would hide the rest.
    auto card = newCard().copy();
    std::size_t at = 0;
    while (at + 2 <= size) {
        std::size_t length = (std::size_t{data[at]} << 8) | data[at + 1];
        at += 2;
        length = std::min(length, size - at);
        std::span<const std::uint8_t> message(data + at, length);
        at += length;
        if (message.empty()) {
            continue;
        }
        if (message.size() == 1) {
            switch (message[0]) {
            case 0x00:
                card->powerOff();
                break;
            case 0x01:
            case 0x02:
                card->reset();
                break;
            default:
                (void)card->atr();
                break;
            }
            continue;
        }
        const hal::Bytes reply = card->process(message);
        if (reply.size() < 2) {
            std::abort(); // every answer ends with SW1 SW2
        }
        const int tries = card->authPinTriesLeft();
        if (tries < 0 || tries > 3) {
            std::abort();
        }
    }
    return 0;
}
