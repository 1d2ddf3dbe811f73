#include "hal/apdu.hpp"

#include <catch2/catch.hpp>

namespace {

using uketsuke::Errc;
using uketsuke::Pin;
using uketsuke::hal::Bytes;
using namespace uketsuke::hal;

Pin pinOf(const char* digits)
{
    Pin pin;
    for (const char* c = digits; *c; ++c) {
        pin.push(*c);
    }
    return pin;
}

TEST_CASE("selectAid: SELECT by DF name with P2 0C")
{
    CHECK(encodeApdu(selectAid(jpki::kJpkiAid)) ==
          Bytes{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00,
                0x00, 0x01});
}

TEST_CASE("selectEf: SELECT EF by file ID")
{
    CHECK(encodeApdu(selectEf(0x000A)) == Bytes{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A});
    CHECK(encodeApdu(selectEf(0x1234)) == Bytes{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x12, 0x34});
}

TEST_CASE("readBinary: 15-bit offset, Le 00 for 256")
{
    CHECK(encodeApdu(readBinary(0, 4)) == Bytes{0x00, 0xB0, 0x00, 0x00, 0x04});
    CHECK(encodeApdu(readBinary(0x0100, 256)) == Bytes{0x00, 0xB0, 0x01, 0x00, 0x00});
    CHECK(encodeApdu(readBinary(0x0300, 0x4B)) == Bytes{0x00, 0xB0, 0x03, 0x00, 0x4B});
    // Out-of-range arguments are clamped, never turned into SFI addressing.
    CHECK(encodeApdu(readBinary(0xFFFF, 1000)) == Bytes{0x00, 0xB0, 0x7F, 0xFF, 0x00});
    CHECK(encodeApdu(readBinary(0, 0)) == Bytes{0x00, 0xB0, 0x00, 0x00, 0x01});
}

TEST_CASE("verifyQuery: case 1 VERIFY with no data")
{
    const Apdu apdu = verifyQuery();
    CHECK(encodeApdu(apdu) == Bytes{0x00, 0x20, 0x00, 0x80});
    CHECK_FALSE(apdu.sensitive);
}

TEST_CASE("verify: ASCII digits, marked sensitive")
{
    const Pin pin = pinOf("1234");
    const Apdu apdu = verify(pin);
    CHECK(apdu.sensitive);
    CHECK(encodeApdu(apdu) == Bytes{0x00, 0x20, 0x00, 0x80, 0x04, 0x31, 0x32, 0x33, 0x34});
}

TEST_CASE("computeSignature: CLA 80, P2 80, Le 00")
{
    const Bytes input(51, 0xAB);
    const Bytes raw = encodeApdu(computeSignature(input));
    REQUIRE(raw.size() == 4 + 1 + 51 + 1);
    CHECK(raw[0] == 0x80);
    CHECK(raw[1] == 0x2A);
    CHECK(raw[2] == 0x00);
    CHECK(raw[3] == 0x80);
    CHECK(raw[4] == 0x33);
    CHECK(raw.back() == 0x00);
}

TEST_CASE("parseCommandApdu: the four short cases")
{
    auto c1 = parseCommandApdu(Bytes{0x00, 0x20, 0x00, 0x80});
    REQUIRE(c1);
    CHECK(c1->data.empty());
    CHECK_FALSE(c1->hasLe);

    auto c2 = parseCommandApdu(Bytes{0x00, 0xB0, 0x01, 0x00, 0x00});
    REQUIRE(c2);
    CHECK(c2->hasLe);
    CHECK(c2->ne == 256);

    auto c3 = parseCommandApdu(Bytes{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A});
    REQUIRE(c3);
    CHECK(c3->data.size() == 2);
    CHECK_FALSE(c3->hasLe);

    auto c4 = parseCommandApdu(Bytes{0x80, 0x2A, 0x00, 0x80, 0x01, 0xAA, 0x00});
    REQUIRE(c4);
    CHECK(c4->data.size() == 1);
    CHECK(c4->hasLe);
    CHECK(c4->ne == 256);
    CHECK_FALSE(c4->extended);
}

TEST_CASE("parseCommandApdu: extended Le and Lc")
{
    auto c2 = parseCommandApdu(Bytes{0x00, 0xB0, 0x00, 0x00, 0x00, 0x03, 0x47});
    REQUIRE(c2);
    CHECK(c2->extended);
    CHECK(c2->ne == 0x347);

    auto c4 = parseCommandApdu(Bytes{0x80, 0x2A, 0x00, 0x80, 0x00, 0x00, 0x02, 0x01, 0x02,
                                     0x00, 0x00});
    REQUIRE(c4);
    CHECK(c4->data.size() == 2);
    CHECK(c4->ne == 65536);
}

TEST_CASE("parseCommandApdu: inconsistent lengths are CardWrongLength")
{
    for (const Bytes& bad : {Bytes{}, Bytes{0x00, 0xA4, 0x02},
                             Bytes{0x00, 0xA4, 0x02, 0x0C, 0x05, 0x01},
                             Bytes{0x00, 0xA4, 0x02, 0x0C, 0x01, 0x01, 0x02, 0x03},
                             Bytes{0x00, 0xB0, 0x00, 0x00, 0x00, 0x01},
                             Bytes{0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}}) {
        auto parsed = parseCommandApdu(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == Errc::CardWrongLength);
    }
}

TEST_CASE("decodeResponse: a reply shorter than a status word is malformed")
{
    CHECK_FALSE(decodeResponse(Bytes{0x90}));
    auto ok = decodeResponse(Bytes{0x01, 0x63, 0xC2});
    REQUIRE(ok);
    CHECK(ok->sw == 0x63C2);
    CHECK(ok->data == Bytes{0x01});
}

} // namespace
