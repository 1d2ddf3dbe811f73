#include "hal/escpos/slip_layout.hpp"

#include "tests/support/font.hpp"

#include <catch2/catch.hpp>

namespace uketsuke::hal::escpos {
namespace {

const text::TextRenderer& renderer()
{
    return test::defaultRenderer();
}

Slip sampleSlip(std::string name)
{
    Slip slip;
    slip.id = "20261204-0007";
    slip.lines = {{"受付票", SlipLine::Size::Large, true},
                  {"0007", SlipLine::Size::Huge, true},
                  {name, SlipLine::Size::Large, true},
                  {""},
                  {"受付窓口で「資格確認書」をお見せください。", SlipLine::Size::Normal, false}};
    slip.qrPayload = "UKETSUKE1:20261204:0007";
    return slip;
}

bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

TEST_CASE("layoutForWidth: 384, 512 and 576 dots only", "[escpos][layout]")
{
    CHECK(layoutForWidth(384));
    CHECK(layoutForWidth(512));
    CHECK(layoutForWidth(576));
    auto bad = layoutForWidth(600);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::ConfigInvalid);
}

TEST_CASE("encodeSlip: a CP932 name is kanji text, no raster", "[escpos][layout]")
{
    auto config = layoutForWidth(576);
    REQUIRE(config);
    auto bytes = encodeSlip(sampleSlip("髙橋 花子 様"), *config, renderer());
    REQUIRE(bytes);
    CHECK(contains(*bytes, *encodeCp932("髙橋 花子 様")));
    CHECK_FALSE(contains(*bytes, "\x1d\x76\x30"));
    CHECK(contains(*bytes, "UKETSUKE1:20261204:0007"));
    CHECK(bytes->size() < 4096);
    CHECK(bytes->substr(bytes->size() - 4) == "\x1d\x56\x42" + std::string(1, '\0'));
}

TEST_CASE("encodeSlip: a name with 𠮷 is a raster image, never ? or ●", "[escpos][layout]")
{
    auto config = layoutForWidth(576);
    REQUIRE(config);
    auto bytes = encodeSlip(sampleSlip("𠮷田 太郎 様"), *config, renderer());
    REQUIRE(bytes);
    CHECK(contains(*bytes, "\x1d\x76\x30"));
    CHECK_FALSE(contains(*bytes, *encodeCp932("田 太郎")));
    CHECK_FALSE(contains(*bytes, *encodeCp932("●")));
}

TEST_CASE("encodeSlip: rasterExtendedKanji draws 髙 as an image", "[escpos][layout]")
{
    auto config = layoutForWidth(576);
    REQUIRE(config);
    config->rasterExtendedKanji = true;
    auto bytes = encodeSlip(sampleSlip("髙橋 花子 様"), *config, renderer());
    REQUIRE(bytes);
    CHECK(contains(*bytes, "\x1d\x76\x30"));
    CHECK_FALSE(contains(*bytes, *encodeCp932("髙橋")));
}

TEST_CASE("encodeSlip: 58 mm wraps sooner than 80 mm, on legal breaks", "[escpos][layout]")
{
    auto narrow = layoutForWidth(384);
    auto wide = layoutForWidth(576);
    REQUIRE(narrow);
    REQUIRE(wide);
    auto a = encodeSlip(sampleSlip("山田 太郎 様"), *narrow, renderer());
    auto b = encodeSlip(sampleSlip("山田 太郎 様"), *wide, renderer());
    REQUIRE(a);
    REQUIRE(b);
    const auto lineFeeds = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n'); };
    CHECK(lineFeeds(*a) > lineFeeds(*b));
    // 16 kanji per line at 384 dots: ください moves to the next line whole.
    CHECK(contains(*a, *encodeCp932("受付窓口で「資格確認書」をお見せ") + "\n" +
                           *encodeCp932("ください。") + "\n"));
}

TEST_CASE("encodeSlip: QR payload must be printable ASCII", "[escpos][layout]")
{
    Slip slip = sampleSlip("山田");
    slip.qrPayload = "受付";
    auto bytes = encodeSlip(slip, LayoutConfig{}, renderer());
    REQUIRE_FALSE(bytes);
    CHECK(bytes.error().code == Errc::InvalidArgument);
}

} // namespace
} // namespace uketsuke::hal::escpos
