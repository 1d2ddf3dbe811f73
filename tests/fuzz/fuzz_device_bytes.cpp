// Fuzz target: bytes that come from devices: a reader driver's PC/SC Part 10 feature list
// (hal/pcsc/part10.hpp) and a keypad's stream of `struct input_event` records, read raw as
// EvdevKeypad::fromEventStream reads a forwarded keypad (hal/evdev/keypad.hpp KeyDecoder).
//
// Input: byte 0 even: the rest is a GET_FEATURE_REQUEST reply; odd: the rest is cut into
// input_event records (a trailing partial record is dropped, as a short read would be), bit 1
// of byte 0 turns navigation-keys-as-digits off.

#include "hal/evdev/keypad.hpp"
#include "hal/pcsc/part10.hpp"

#include <linux/input.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

using namespace uketsuke::hal;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) {
        return 0;
    }
    const std::uint8_t mode = data[0];
    std::span<const std::uint8_t> rest(data + 1, size - 1);
    if ((mode & 1) == 0) {
        const pcsc::ReaderFeatures features = pcsc::parseReaderFeatures(rest);
        (void)features;
        return 0;
    }
    evdev::KeypadOptions options;
    options.navigationAsDigits = (mode & 2) == 0;
    evdev::KeyDecoder decoder(options);
    for (std::size_t at = 0; at + sizeof(input_event) <= rest.size(); at += sizeof(input_event)) {
        input_event event{};
        std::memcpy(&event, rest.data() + at, sizeof event);
        if (auto press = decoder.feed(event)) {
            // A digit press carries its digit; nothing else does.
            const bool digit = press->key == evdev::PinKey::Digit;
            if (digit != (press->digit >= '0' && press->digit <= '9') ||
                (!digit && press->digit != 0)) {
                std::abort();
            }
        }
    }
    return 0;
}
