#include <catch2/catch.hpp>

#include "hal/pcsc/part10.hpp"

#include <reader.h>

#include <cstring>

namespace {

using namespace uketsuke;
using hal::Bytes;
using hal::pcsc::buildPinVerifyStructure;
using hal::pcsc::parseReaderFeatures;

TEST_CASE("buildPinVerifyStructure: the JPKI VERIFY 00 20 00 80 04, byte for byte")
{
    // Built with Debian 12's header and dumped (the same bytes as docs/pcsc.md).
    const Bytes expected{0x1E, 0x0A, 0x82, 0x04, 0x00, 0x04, 0x04, 0x03, 0x01, 0x11,
                         0x04, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00,
                         0x20, 0x00, 0x80, 0x04, 0xFF, 0xFF, 0xFF, 0xFF};
    CHECK(buildPinVerifyStructure(hal::PinPadVerify{}) == expected);
}

TEST_CASE("buildPinVerifyStructure: agrees with pcsc-lite's PIN_VERIFY_STRUCTURE")
{
    hal::PinPadVerify request;
    request.minDigits = 4;
    request.maxDigits = 8;
    request.timeout = std::chrono::seconds(60);
    request.afterFirstKey = std::chrono::seconds(5);
    request.langId = 0x0409;
    const Bytes built = buildPinVerifyStructure(request);
    REQUIRE(built.size() == offsetof(PIN_VERIFY_STRUCTURE, abData) + 5 + 8);

    PIN_VERIFY_STRUCTURE header{};
    std::memcpy(&header, built.data(), offsetof(PIN_VERIFY_STRUCTURE, abData));
    // The structure is packed: copy each field before comparing (no references to it).
    const unsigned timerOut = header.bTimerOut;
    const unsigned timerOut2 = header.bTimerOut2;
    const unsigned format = header.bmFormatString;
    const unsigned block = header.bmPINBlockString;
    const unsigned lengthFormat = header.bmPINLengthFormat;
    const unsigned extraDigit = header.wPINMaxExtraDigit;
    const unsigned validation = header.bEntryValidationCondition;
    const unsigned messages = header.bNumberMessage;
    const unsigned langId = header.wLangId;
    const std::size_t dataLength = header.ulDataLength;
    CHECK(timerOut == 60);
    CHECK(timerOut2 == 5);
    CHECK(format == 0x82);
    CHECK(block == 8);
    CHECK(lengthFormat == 0);
    CHECK(extraDigit == 0x0408);
    CHECK(validation == 0x03);
    CHECK(messages == 0x01);
    CHECK(langId == 0x0409);
    CHECK(dataLength == 13);
    // libccid requires ulDataLength + 19 == the length sent.
    CHECK(dataLength + offsetof(PIN_VERIFY_STRUCTURE, abData) == built.size());
    const Bytes apdu(built.begin() + 19, built.end());
    CHECK(apdu == Bytes{0x00, 0x20, 0x00, 0x80, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                        0xFF, 0xFF});
}

TEST_CASE("buildPinVerifyStructure: clamps timeouts and digit counts")
{
    hal::PinPadVerify request;
    request.timeout = std::chrono::seconds(1000);
    request.minDigits = 9;
    request.maxDigits = 40;
    const Bytes built = buildPinVerifyStructure(request);
    CHECK(built[0] == 255);
    CHECK(built[3] == 15);                           // block size = max digits, at most 15
    CHECK(built[5] == 15);                           // max
    CHECK(built[6] == 9);                            // min
    CHECK(built.size() == 19 + 5 + 15);
}

TEST_CASE("parseReaderFeatures: finds VERIFY_PIN_DIRECT among the TLVs")
{
    // A libccid pinpad reader: VERIFY 0x42330006, MODIFY 0x42330007, IFD_PIN_PROPERTIES,
    // GET_TLV_PROPERTIES, and an unknown tag.
    const Bytes reply{0x06, 0x04, 0x42, 0x33, 0x00, 0x06, 0x07, 0x04, 0x42, 0x33, 0x00, 0x07,
                      0x0A, 0x04, 0x42, 0x33, 0x00, 0x0A, 0x12, 0x04, 0x42, 0x33, 0x00, 0x12,
                      0x20, 0x04, 0x42, 0x33, 0x00, 0x20};
    const auto features = parseReaderFeatures(reply);
    CHECK(features.verifyPinDirect == 0x42330006u);
    CHECK(features.modifyPinDirect == 0x42330007u);
    CHECK(features.ifdPinProperties == 0x4233000Au);
    CHECK(features.getTlvProperties == 0x42330012u);
}

TEST_CASE("parseReaderFeatures: no features, truncated or malformed lists")
{
    CHECK_FALSE(parseReaderFeatures({}).verifyPinDirect);
    // vpcd upstream: only GET_TLV_PROPERTIES, no FEATURE_VERIFY_PIN_DIRECT.
    const Bytes vpcd{0x12, 0x04, 0x42, 0x33, 0x00, 0x12};
    CHECK_FALSE(parseReaderFeatures(vpcd).verifyPinDirect);
    CHECK(parseReaderFeatures(vpcd).getTlvProperties);
    const Bytes truncated{0x06, 0x04, 0x42, 0x33, 0x00};
    CHECK_FALSE(parseReaderFeatures(truncated).verifyPinDirect);
    const Bytes badLength{0x12, 0x02, 0x00, 0x00, 0x06, 0x04, 0x42, 0x33, 0x00, 0x06};
    CHECK_FALSE(parseReaderFeatures(badLength).verifyPinDirect); // parse stops at the bad TLV
}

} // namespace
