#include "base/line_break.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

namespace uketsuke::linebreak {
namespace {

// One unit per code point: enough to test where lines break.
double codePoints(std::string_view s)
{
    double n = 0.0;
    for (unsigned char c : s) {
        if ((c & 0xC0) != 0x80) {
            n += 1.0;
        }
    }
    return n;
}

std::vector<std::string> wrapped(std::string_view text, double width,
                                 Hanging hanging = Hanging::Never)
{
    return wrap(text, width, codePoints, hanging);
}

void requireLegal(const std::vector<std::string>& lines)
{
    for (std::size_t i = 1; i < lines.size(); ++i) {
        INFO(lines[i - 1] << " | " << lines[i]);
        CHECK(breakAllowed(lines[i - 1], lines[i]));
    }
}

TEST_CASE("wrap: no line starts with closing punctuation, ー or small kana", "[linebreak]")
{
    for (std::string_view mark : {"、", "。", "」", "）", "ー", "っ", "ゃ", "ョ"}) {
        const std::string text = "あいうえお" + std::string(mark) + "かきく";
        const auto lines = wrapped(text, 5.0);
        INFO(text);
        REQUIRE(lines.size() == 2);
        CHECK(lines[0] == "あいうえ");
        CHECK(lines[1] == "お" + std::string(mark) + "かきく");
    }
}

TEST_CASE("wrap: no line ends with an opening bracket", "[linebreak]")
{
    for (std::string_view mark : {"「", "（"}) {
        const std::string text = "あいうえ" + std::string(mark) + "かきく";
        const auto lines = wrapped(text, 5.0);
        INFO(text);
        REQUIRE(lines.size() == 2);
        CHECK(lines[0] == "あいうえ");
        CHECK(lines[1] == std::string(mark) + "かきく");
    }
}

TEST_CASE("wrap: ください and 3か月 stay whole", "[linebreak]")
{
    auto lines = wrapped("窓口でお尋ねください", 8.0);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "窓口でお尋ね");
    CHECK(lines[1] == "ください");

    lines = wrapped("有効期限の3か月前から", 6.0);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "有効期限の");
    CHECK(lines[1] == "3か月前から");

    lines = wrapped("期限は１２月３１日です", 5.0);
    requireLegal(lines);
    CHECK(lines[0] == "期限は");
    CHECK(lines[1] == "１２月");
    CHECK(lines[2] == "３１日です");
}

TEST_CASE("wrap: a katakana word stays whole", "[linebreak]")
{
    const auto lines = wrapped("このマイナンバーカードは", 10.0);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "この");
    CHECK(lines[1] == "マイナンバーカードは");
}

TEST_CASE("wrap: English breaks at spaces, a word wider than a line is cut", "[linebreak]")
{
    auto lines = wrapped("Please take your card", 10.0);
    CHECK(lines == std::vector<std::string>{"Please", "take your", "card"});
    lines = wrapped("abcdefghij", 4.0);
    CHECK(lines == std::vector<std::string>{"abcd", "efgh", "ij"});
}

TEST_CASE("wrap: Vietnamese and Korean break at spaces, never inside a word", "[linebreak]")
{
    auto lines = wrapped("Vui lòng gia hạn tại văn phòng hành chính nơi quý vị sống", 12.0);
    CHECK(lines == std::vector<std::string>{"Vui lòng gia", "hạn tại văn", "phòng hành",
                                            "chính nơi", "quý vị sống"});
    lines = wrapped("이곳에서 기다려 주십시오", 6.0);
    CHECK(lines == std::vector<std::string>{"이곳에서", "기다려", "주십시오"});
    // Japanese beside them still breaks between characters.
    lines = wrapped("受付で相談する", 4.0);
    CHECK(lines == std::vector<std::string>{"受付で相", "談する"});
}

TEST_CASE("wrap: newlines, empty paragraphs and empty text", "[linebreak]")
{
    CHECK(wrapped("受付\n\n番号\n", 10.0) == std::vector<std::string>{"受付", "", "番号"});
    CHECK(wrapped("", 10.0).empty());
}

TEST_CASE("wrap: hanging lets closing punctuation pass the edge", "[linebreak]")
{
    auto lines = wrapped("お待ちくだ。さい", 5.0, Hanging::Allowed);
    CHECK(lines == std::vector<std::string>{"お待ちくだ。", "さい"});
    lines = wrapped("お待ちくだ。さい", 5.0, Hanging::Never);
    CHECK(lines == std::vector<std::string>{"お待ちく", "だ。さい"});
}

TEST_CASE("wrap: combining marks stay on their character", "[linebreak]")
{
    // か + U+3099 (combining dakuten) is one character: the mark never starts a line.
    const auto lines = wrapped("あいうえか\u3099き", 5.0);
    CHECK(lines == std::vector<std::string>{"あいうえ", "か\u3099き"});
}

TEST_CASE("breakAllowed: the rules as a checker for printed output", "[linebreak]")
{
    CHECK(breakAllowed("お待ち", "ください"));
    CHECK_FALSE(breakAllowed("お待ちくだ", "さい"));
    CHECK_FALSE(breakAllowed("3か", "月"));
    CHECK_FALSE(breakAllowed("3", "か月"));
    CHECK_FALSE(breakAllowed("あいうえ", "。"));
    CHECK_FALSE(breakAllowed("あいうえ「", "かき"));
    CHECK_FALSE(breakAllowed("マイナ", "ンバー"));
    CHECK(breakAllowed("Please", "take"));
    CHECK(breakAllowed("受付", "番号"));
}

TEST_CASE("breakAllowed: every mark of issue 9's rules, every small kana, every split of a word",
          "[linebreak]")
{
    // No line starts with 、。」）ー or small kana (hiragana, katakana, half-width).
    for (std::string_view mark : {"、", "。", "」", "）", "ー", "ぁ", "ぃ", "ぅ", "ぇ", "ぉ", "っ",
                                  "ゃ", "ゅ", "ょ", "ゎ", "ァ", "ィ", "ゥ", "ェ", "ォ", "ッ", "ャ",
                                  "ュ", "ョ", "ヮ", "ヵ", "ヶ", "ｧ", "ｯ", "ｬ", "ｰ", "｡", "､"}) {
        INFO(mark);
        CHECK_FALSE(breakAllowed("受付で", std::string(mark) + "あ"));
        CHECK(breakAllowed("受付で" + std::string(mark), "あ"));
    }
    // No line ends with 「 or （.
    for (std::string_view mark : {"「", "（"}) {
        INFO(mark);
        CHECK_FALSE(breakAllowed("窓口で" + std::string(mark), "資格確認書"));
        CHECK(breakAllowed("窓口で", std::string(mark) + "資格確認書"));
    }
    // ください and 3か月 are not split anywhere.
    for (const auto& [before, after] :
         std::vector<std::pair<std::string, std::string>>{{"お待ちく", "ださい"},
                                                          {"お待ちくだ", "さい"},
                                                          {"お待ちくださ", "い"},
                                                          {"有効期限の3", "か月前"},
                                                          {"有効期限の3か", "月前"},
                                                          {"有効期限の３", "か月前"},
                                                          {"有効期限の3", "ヶ月前"}}) {
        INFO(before << " | " << after);
        CHECK_FALSE(breakAllowed(before, after));
    }
    CHECK(breakAllowed("お待ち", "ください"));
    CHECK(breakAllowed("有効期限の", "3か月前"));
}

TEST_CASE("wrap: every break of a long slip sentence is legal", "[linebreak]")
{
    const std::string text =
        "マイナ保険証の情報を確認できませんでした。受付窓口で「資格確認書」または"
        "「資格情報のお知らせ」をお見せください。有効期限の3か月前から更新できます。";
    for (double width : {6.0, 7.0, 9.0, 12.0, 16.0}) {
        const auto lines = wrapped(text, width);
        std::string joined;
        for (const auto& line : lines) {
            joined += line;
            CHECK(codePoints(line) <= width);
        }
        CHECK(joined == text);
        requireLegal(lines);
    }
}

} // namespace
} // namespace uketsuke::linebreak
