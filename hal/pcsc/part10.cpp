#include "hal/pcsc/part10.hpp"

#include <reader.h>

#include <algorithm>
#include <cstddef>

namespace uketsuke::hal::pcsc {

// Our constants must agree with the pcsc-lite header this build uses.
static_assert(kIoctlGetFeatureRequest == CM_IOCTL_GET_FEATURE_REQUEST);
static_assert(kFeatureVerifyPinDirect == FEATURE_VERIFY_PIN_DIRECT);
static_assert(kFeatureModifyPinDirect == FEATURE_MODIFY_PIN_DIRECT);
static_assert(kFeatureIfdPinProperties == FEATURE_IFD_PIN_PROPERTIES);
static_assert(kFeatureGetTlvProperties == FEATURE_GET_TLV_PROPERTIES);
static_assert(offsetof(PIN_VERIFY_STRUCTURE, abData) == kPinVerifyHeaderSize);
static_assert(offsetof(PIN_VERIFY_STRUCTURE, wPINMaxExtraDigit) == 5);
static_assert(offsetof(PIN_VERIFY_STRUCTURE, wLangId) == 9);
static_assert(offsetof(PIN_VERIFY_STRUCTURE, ulDataLength) == 15);

namespace {

std::uint8_t seconds(std::chrono::seconds value)
{
    return static_cast<std::uint8_t>(std::clamp<std::chrono::seconds::rep>(value.count(), 0, 255));
}

void putLe16(Bytes& out, std::uint16_t value)
{
    out.push_back(static_cast<std::uint8_t>(value & 0xFF));
    out.push_back(static_cast<std::uint8_t>(value >> 8));
}

} // namespace

ReaderFeatures parseReaderFeatures(std::span<const std::uint8_t> reply)
{
    ReaderFeatures features;
    std::size_t at = 0;
    while (at + 2 <= reply.size()) {
        const std::uint8_t tag = reply[at];
        const std::uint8_t length = reply[at + 1];
        if (length != 4 || at + 2 + length > reply.size()) {
            break;
        }
        const std::uint32_t code = (std::uint32_t{reply[at + 2]} << 24) |
                                   (std::uint32_t{reply[at + 3]} << 16) |
                                   (std::uint32_t{reply[at + 4]} << 8) | reply[at + 5];
        switch (tag) {
        case kFeatureVerifyPinDirect:
            features.verifyPinDirect = code;
            break;
        case kFeatureModifyPinDirect:
            features.modifyPinDirect = code;
            break;
        case kFeatureIfdPinProperties:
            features.ifdPinProperties = code;
            break;
        case kFeatureGetTlvProperties:
            features.getTlvProperties = code;
            break;
        default:
            break;
        }
        at += 2 + length;
    }
    return features;
}

Bytes buildPinVerifyStructure(const PinPadVerify& request)
{
    const std::uint8_t maxDigits = std::clamp<std::uint8_t>(request.maxDigits, 1, 15);
    const std::uint8_t minDigits = std::clamp<std::uint8_t>(request.minDigits, 1, maxDigits);

    Bytes apdu{request.cla, request.ins, request.p1, request.p2, maxDigits};
    apdu.insert(apdu.end(), maxDigits, 0xFF);

    Bytes out;
    out.reserve(kPinVerifyHeaderSize + apdu.size());
    out.push_back(seconds(request.timeout));       // bTimerOut
    out.push_back(seconds(request.afterFirstKey)); // bTimerOut2
    out.push_back(0x82);      // bmFormatString: units bytes, PIN at offset 0, left, ASCII
    out.push_back(maxDigits); // bmPINBlockString: no length field, block of maxDigits bytes
    out.push_back(0x00);      // bmPINLengthFormat: no PIN length in the APDU
    // wPINMaxExtraDigit 0xXXYY: XX minimum, YY maximum digits (little-endian in memory).
    putLe16(out, static_cast<std::uint16_t>((minDigits << 8) | maxDigits));
    out.push_back(0x03); // bEntryValidationCondition: max size reached or OK key
    out.push_back(0x01); // bNumberMessage: one message
    putLe16(out, request.langId);
    out.push_back(0x00);                      // bMsgIndex
    out.insert(out.end(), {0x00, 0x00, 0x00}); // bTeoPrologue
    const auto length = static_cast<std::uint32_t>(apdu.size());
    out.push_back(static_cast<std::uint8_t>(length & 0xFF)); // ulDataLength, little-endian
    out.push_back(static_cast<std::uint8_t>((length >> 8) & 0xFF));
    out.push_back(static_cast<std::uint8_t>((length >> 16) & 0xFF));
    out.push_back(static_cast<std::uint8_t>((length >> 24) & 0xFF));
    out.insert(out.end(), apdu.begin(), apdu.end());
    return out;
}

} // namespace uketsuke::hal::pcsc
