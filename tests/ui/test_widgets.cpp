#include "ui/widgets.hpp"

#include <catch2/catch.hpp>

namespace uketsuke::ui {
namespace {

// One unit per code point: enough to test where lines break.
float codePoints(std::string_view s)
{
    float n = 0.0f;
    for (unsigned char c : s) {
        if ((c & 0xC0) != 0x80) {
            n += 1.0f;
        }
    }
    return n;
}

TEST_CASE("wrapLines: English breaks at spaces and drops them", "[ui]")
{
    auto lines = wrapLines("Please take your card", 10.0f, codePoints);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "Please");
    CHECK(lines[1] == "take your");
    CHECK(lines[2] == "card");
}

TEST_CASE("wrapLines: a newline always breaks, an empty line stays", "[ui]")
{
    auto lines = wrapLines("one\n\ntwo", 100.0f, codePoints);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "one");
    CHECK(lines[1].empty());
    CHECK(lines[2] == "two");
}

TEST_CASE("wrapLines: Japanese breaks between characters, ください stays whole", "[ui]")
{
    auto lines = wrapLines("カードを置いてください", 5.0f, codePoints);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "カードを置");
    CHECK(lines[1] == "いて");
    CHECK(lines[2] == "ください");
}

TEST_CASE("wrapLines: closing punctuation and small kana never start a line", "[ui]")
{
    // Five per line would put "。" first on line two; it hangs on line one instead.
    auto lines = wrapLines("お待ちくだ。さい", 5.0f, codePoints);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "お待ちくだ。");
    CHECK(lines[1] == "さい");
    auto small = wrapLines("あいうえおっか", 5.0f, codePoints);
    CHECK(small[0] == "あいうえおっ");
}

TEST_CASE("wrapLines: an opening bracket never ends a line", "[ui]")
{
    auto lines = wrapLines("あいうえ（かき）", 5.0f, codePoints);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "あいうえ");
    CHECK(lines[1] == "（かき）");
}

TEST_CASE("wrapLines: a word longer than the line is cut", "[ui]")
{
    auto lines = wrapLines("abcdefghij", 4.0f, codePoints);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "abcd");
    CHECK(lines[1] == "efgh");
    CHECK(lines[2] == "ij");
}

TEST_CASE("wrapLines: mixed Japanese and English keeps the English word whole", "[ui]")
{
    auto lines = wrapLines("暗証番号はPIN4です", 7.0f, codePoints);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "暗証番号は");
    CHECK(lines[1] == "PIN4です");
}

} // namespace
} // namespace uketsuke::ui
