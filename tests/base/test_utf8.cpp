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

} // namespace
} // namespace uketsuke::utf8
