#include "hal/escpos/encoder.hpp"

#include <catch2/catch.hpp>

namespace uketsuke::hal::escpos {
namespace {

std::string bytes(std::initializer_list<int> values)
{
    std::string out;
    for (int v : values) {
        out.push_back(static_cast<char>(v));
    }
    return out;
}

TEST_CASE("Encoder: the golden sample of devices 1.3 byte for byte", "[escpos]")
{
    Encoder e;
    e.initialize().align(Align::Center).size(2, 2);
    REQUIRE(e.text("受付票"));
    e.newline().size(1, 1).qr("P-0042", 6, QrEcc::M).newline().cut();
    const std::string expected =
        bytes({0x1b, 0x40, 0x1b, 0x52, 0x08, 0x1b, 0x74, 0x01, 0x1c, 0x43, 0x01, 0x1c, 0x26,
               0x1b, 0x61, 0x01, 0x1d, 0x21, 0x11, 0x8e, 0xf3, 0x95, 0x74, 0x95, 0x5b, 0x0a,
               0x1d, 0x21, 0x00, 0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00,
               0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 0x06, 0x1d, 0x28, 0x6b, 0x03, 0x00,
               0x31, 0x45, 0x31, 0x1d, 0x28, 0x6b, 0x09, 0x00, 0x31, 0x50, 0x30, 0x50, 0x2d,
               0x30, 0x30, 0x34, 0x32, 0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30, 0x0a,
               0x1d, 0x56, 0x42, 0x00});
    CHECK(e.bytes() == expected);
}

TEST_CASE("toCp932: 髙 﨑 ① ㈱ are kanji bytes, 𠮷 is not in CP932", "[escpos]")
{
    CHECK(toCp932(U'髙') == bytes({0xFB, 0xFC}));
    CHECK(toCp932(U'﨑') == bytes({0xFA, 0xB1}));
    CHECK(toCp932(U'①') == bytes({0x87, 0x40}));
    CHECK(toCp932(U'㈱') == bytes({0x87, 0x8A}));
    CHECK(toCp932(U'～') == bytes({0x81, 0x60}));
    CHECK(toCp932(U'ｱ') == bytes({0xB1}));
    CHECK(toCp932(U'A') == "A");
    CHECK_FALSE(toCp932(U'\U00020BB7'));
    CHECK_FALSE(encodeCp932("𠮷田"));
    CHECK(isExtendedLeadByte(0x87));
    CHECK(isExtendedLeadByte(0xFB));
    CHECK_FALSE(isExtendedLeadByte(0x8E));
}

TEST_CASE("Encoder::text refuses a line CP932 lacks and appends nothing", "[escpos]")
{
    Encoder e;
    CHECK_FALSE(e.text("𠮷田"));
    CHECK(e.bytes().empty());
    CHECK(e.text("髙橋"));
    CHECK(e.bytes() == bytes({0xFB, 0xFC, 0x8B, 0xB4}));
}

TEST_CASE("decodeCp932 reverses the encoder", "[escpos]")
{
    const std::string text = "受付票 髙﨑①㈱ ｱｲｳ No.7";
    auto cp932 = encodeCp932(text);
    REQUIRE(cp932);
    CHECK(decodeCp932(*cp932) == text);
    CHECK(decodeCp932(bytes({0x81})) == "\xEF\xBF\xBD");
}

TEST_CASE("Encoder::raster: GS v 0 with the width in bytes and rows MSB first", "[escpos]")
{
    text::Bitmap bitmap;
    bitmap.width = 10;
    bitmap.height = 2;
    bitmap.alpha.assign(20, 0);
    bitmap.alpha[0] = 255;  // (0,0)
    bitmap.alpha[19] = 200; // (9,1)
    bitmap.alpha[1] = 127;  // below the threshold
    const Raster r = toRaster(bitmap);
    CHECK(r.bytesPerRow() == 2);
    CHECK(r.black(0, 0));
    CHECK_FALSE(r.black(1, 0));
    CHECK(r.black(9, 1));
    Encoder e;
    e.raster(r);
    CHECK(e.bytes() == bytes({0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x02, 0x00, 0x80, 0x00, 0x00,
                              0x40}));
}

TEST_CASE("Encoder: sizes, emphasis, status request", "[escpos]")
{
    Encoder e;
    e.size(4, 4).size(9, 0).emphasis(true).emphasis(false).statusRequest(4);
    CHECK(e.bytes() == bytes({0x1d, 0x21, 0x33, 0x1d, 0x21, 0x70, 0x1b, 0x45, 0x01, 0x1b, 0x45,
                              0x00, 0x10, 0x04, 0x04}));
}

} // namespace
} // namespace uketsuke::hal::escpos
