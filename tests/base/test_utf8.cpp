#include "base/utf8.hpp"

#include <catch2/catch.hpp>

namespace uketsuke::utf8 {
namespace {

TEST_CASE("utf8::decode and encode round-trip every plane", "[utf8]")
{
    const std::string text = "a受付𠮷髙";
    const std::u32string cps = decode(text);
    CHECK(cps == U"a受付𠮷髙");
    CHECK(encode(cps) == text);
}

TEST_CASE("utf8::decode replaces each invalid sequence once", "[utf8]")
{
    int invalid = 0;
    // A lone continuation byte, an overlong '/', a truncated 3-byte sequence at the end.
    const std::u32string cps = decode("a\x80" "b\xC0\xAF" "c\xE3\x81", &invalid);
    CHECK(invalid == 4);
    CHECK(cps == U"a\uFFFDb\uFFFD\uFFFDc\uFFFD");
}

TEST_CASE("utf8::sequenceLength: lead bytes give 2-4, everything else 1", "[utf8]")
{
    CHECK(sequenceLength('a') == 1);
    CHECK(sequenceLength(0xC3) == 2); // é
    CHECK(sequenceLength(0xE5) == 3); // 受
    CHECK(sequenceLength(0xF0) == 4); // 𠮷
    CHECK(sequenceLength(0x80) == 1); // a continuation byte
    CHECK(sequenceLength(0xC0) == 1); // never a lead (overlong)
    CHECK(sequenceLength(0xC1) == 1);
    CHECK(sequenceLength(0xF5) == 1); // above U+10FFFF
    CHECK(sequenceLength(0xFF) == 1);
}

} // namespace
} // namespace uketsuke::utf8
