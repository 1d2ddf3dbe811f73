#include "hal/text/text_renderer.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>

using namespace uketsuke;
using namespace uketsuke::hal::text;

namespace {

const TextRenderer& renderer()
{
    static const TextRenderer instance = [] {
        auto opened = TextRenderer::open();
        REQUIRE(opened);
        return std::move(*opened);
    }();
    return instance;
}

int inkDots(const Bitmap& bitmap)
{
    int count = 0;
    for (std::uint8_t a : bitmap.alpha) {
        count += a >= 128 ? 1 : 0;
    }
    return count;
}

std::string joined(const std::vector<std::string>& lines, std::string_view separator = "")
{
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out += (i == 0 ? "" : std::string(separator)) + lines[i];
    }
    return out;
}

} // namespace

TEST_CASE("TextRenderer::render: names beyond JIS X 0208 draw with real glyphs", "[text]")
{
    auto bitmap = renderer().render("𠮷田 髙子", 24);
    REQUIRE(bitmap);
    CHECK(bitmap->missingGlyphs == 0);
    // Four ideographs of about one em plus a narrow space.
    CHECK(bitmap->width >= 4 * 22);
    CHECK(bitmap->width <= 5 * 24);
    CHECK(bitmap->height >= 24);
    CHECK(bitmap->height <= 48);
    CHECK(bitmap->alpha.size() ==
          static_cast<std::size_t>(bitmap->width) * static_cast<std::size_t>(bitmap->height));
    CHECK(inkDots(*bitmap) > 100);

    for (std::string_view name : {"𠮷", "髙", "﨑", "邉"}) {
        INFO(name);
        auto one = renderer().render(name, 48);
        REQUIRE(one);
        CHECK(one->missingGlyphs == 0);
        CHECK(renderer().countMissingGlyphs(name) == 0);
        CHECK(inkDots(*one) > 50);
    }
}

TEST_CASE("TextRenderer::render: 𠮷 is its own glyph, not 吉", "[text]")
{
    auto variant = renderer().render("𠮷", 48);
    auto common = renderer().render("吉", 48);
    REQUIRE(variant);
    REQUIRE(common);
    REQUIRE(variant->width == common->width);
    CHECK(variant->alpha != common->alpha);
}

TEST_CASE("TextRenderer::render: private-use characters are reported missing", "[text]")
{
    auto bitmap = renderer().render("\uE000\uE001\uE002", 24);
    REQUIRE(bitmap);
    CHECK(bitmap->missingGlyphs == 3);
    CHECK(renderer().countMissingGlyphs("田\uE000中") == 1);
}

TEST_CASE("TextRenderer::render: a variation selector is not a missing glyph", "[text]")
{
    // 葛 + VS17 (an ideographic variation sequence registered for Adobe-Japan1).
    auto bitmap = renderer().render("葛\U000E0100飾", 24);
    REQUIRE(bitmap);
    CHECK(bitmap->missingGlyphs == 0);
    auto plain = renderer().measure("葛飾", 24);
    auto withSelector = renderer().measure("葛\U000E0100飾", 24);
    REQUIRE(plain);
    REQUIRE(withSelector);
    CHECK(*plain == *withSelector);
}

TEST_CASE("TextRenderer::render: invalid UTF-8 is replaced and counted, never read past", "[text]")
{
    for (std::string_view bad :
         {std::string_view("\xff"), std::string_view("\xc3"), std::string_view("\xe0\x80\x80"),
          std::string_view("\xed\xa0\x80"), std::string_view("\xf4\x90\x80\x80"),
          std::string_view("\xf0\xa0\xae"), std::string_view("\xc0\xaf")}) {
        INFO(bad.size());
        // Copy into an exact-size heap buffer so ASan catches any read past the end.
        auto bytes = std::make_unique<char[]>(bad.size());
        std::copy(bad.begin(), bad.end(), bytes.get());
        auto bitmap = renderer().render(std::string_view(bytes.get(), bad.size()), 24);
        REQUIRE(bitmap);
        CHECK(bitmap->missingGlyphs >= 1);
    }

    std::mt19937 random(20251126);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int round = 0; round < 200; ++round) {
        std::string noise(static_cast<std::size_t>(round % 40), '\0');
        for (char& c : noise) {
            c = static_cast<char>(byte(random));
        }
        auto bitmap = renderer().render(noise, 16);
        REQUIRE(bitmap);
        auto lines = renderer().wrap(noise, 16, 50);
        REQUIRE(lines);
    }
}

TEST_CASE("decodeUtf8: replaces each maximal invalid subpart with one U+FFFD", "[text]")
{
    int invalid = -1;
    CHECK(decodeUtf8(std::string("a\xe3\x81") + "b", &invalid) == U"a\uFFFDb");
    CHECK(invalid == 1);
    CHECK(decodeUtf8("\xf0\xa0\xae\xb7田", &invalid) == U"\U00020BB7田");
    CHECK(invalid == 0);
    CHECK(decodeUtf8("\xed\xa0\x80", &invalid) == U"\uFFFD\uFFFD\uFFFD");
    CHECK(invalid == 3);
    CHECK(decodeUtf8("\xc0\xaf", &invalid) == U"\uFFFD\uFFFD");
    CHECK(invalid == 2);
    CHECK(decodeUtf8("", &invalid).empty());
    CHECK(invalid == 0);
}

TEST_CASE("TextRenderer::render: lines of one size share height and baseline", "[text]")
{
    auto a = renderer().render("受付票", 48);
    auto b = renderer().render("abc", 48);
    auto empty = renderer().render("", 48);
    auto height = renderer().lineHeight(48);
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(empty);
    REQUIRE(height);
    CHECK(a->height == b->height);
    CHECK(a->height == *height);
    CHECK(a->baseline == b->baseline);
    CHECK(a->baseline > 0);
    CHECK(a->baseline < a->height);
    CHECK(empty->width == 0);
    CHECK(empty->height == *height);
}

TEST_CASE("TextRenderer::render: pixel size out of range is InvalidArgument", "[text]")
{
    for (int size : {0, -3, kMaxPixelSize + 1}) {
        auto bitmap = renderer().render("田", size);
        REQUIRE_FALSE(bitmap);
        CHECK(bitmap.error().code == Errc::InvalidArgument);
    }
}

TEST_CASE("TextRenderer::measure: matches the advance the bitmap is laid out to", "[text]")
{
    auto width = renderer().measure("受付番号 0007", 24);
    auto bitmap = renderer().render("受付番号 0007", 24);
    REQUIRE(width);
    REQUIRE(bitmap);
    CHECK(*width > 0);
    CHECK(bitmap->width >= *width - 2);
    CHECK(bitmap->width <= *width + 4);
}

TEST_CASE("TextRenderer::open: reports a missing or unreadable font", "[text]")
{
    auto missing = TextRenderer::open({"/nonexistent/font.ttc", 0});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::ConfigMissing);

    auto path = std::filesystem::temp_directory_path() / "uketsuke-test-not-a-font.ttf";
    {
        std::ofstream out(path, std::ios::binary);
        out << "this is not a font";
    }
    auto garbage = TextRenderer::open({path.string(), 0});
    std::filesystem::remove(path);
    REQUIRE_FALSE(garbage);
    CHECK(garbage.error().code == Errc::ConfigInvalid);

    auto noFace = TextRenderer::open({kDefaultFontPath, 99});
    REQUIRE_FALSE(noFace);
    CHECK(noFace.error().code == Errc::ConfigInvalid);
}

TEST_CASE("TextRenderer::wrap: Japanese breaks between characters within the width", "[text]")
{
    const std::string text = "保険の情報がまだ登録されていない場合があります";
    auto lines = renderer().wrap(text, 24, 200);
    REQUIRE(lines);
    CHECK(lines->size() > 1);
    CHECK(joined(*lines) == text);
    for (const auto& line : *lines) {
        auto width = renderer().measure(line, 24);
        REQUIRE(width);
        CHECK(*width <= 200);
    }
}

TEST_CASE("TextRenderer::wrap: ASCII words stay together and spaces go at breaks", "[text]")
{
    const std::string text = "please bring your insurance certificate to the desk";
    auto lines = renderer().wrap(text, 24, 180);
    REQUIRE(lines);
    CHECK(lines->size() > 1);
    CHECK(joined(*lines, " ") == text);
    for (const auto& line : *lines) {
        CHECK_FALSE(line.empty());
        CHECK(line.front() != ' ');
        CHECK(line.back() != ' ');
    }
}

TEST_CASE("TextRenderer::wrap: closing punctuation never starts a line", "[text]")
{
    auto fiveWide = renderer().measure("あいうえお", 24);
    REQUIRE(fiveWide);
    auto lines = renderer().wrap("あいうえお。かきくけこ、さしすせそ」", 24, *fiveWide);
    REQUIRE(lines);
    CHECK(joined(*lines) == "あいうえお。かきくけこ、さしすせそ」");
    for (const auto& line : *lines) {
        INFO(line);
        CHECK(line.rfind("。", 0) != 0);
        CHECK(line.rfind("、", 0) != 0);
        CHECK(line.rfind("」", 0) != 0);
    }
    CHECK(lines->front() == "あいうえ");
}

TEST_CASE("TextRenderer::wrap: a word wider than the line is broken", "[text]")
{
    const std::string url = "https://myna.go.jp/SCK0101_01_001/SCK0101_01_001_Init.form";
    auto lines = renderer().wrap(url, 24, 150);
    REQUIRE(lines);
    CHECK(lines->size() > 2);
    CHECK(joined(*lines) == url);
    for (const auto& line : *lines) {
        auto width = renderer().measure(line, 24);
        REQUIRE(width);
        CHECK(*width <= 150);
    }
}

TEST_CASE("TextRenderer::wrap: newlines break, empty text has no lines", "[text]")
{
    auto lines = renderer().wrap("受付\n\n番号\n", 24, 500);
    REQUIRE(lines);
    CHECK(*lines == std::vector<std::string>{"受付", "", "番号"});

    auto none = renderer().wrap("", 24, 500);
    REQUIRE(none);
    CHECK(none->empty());

    auto bad = renderer().wrap("受付", 24, 0);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::InvalidArgument);
}
