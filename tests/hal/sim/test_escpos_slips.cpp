// Slips through the simulator: what the printer would print, checked independently — the QR
// code in the PNG decodes with zbarimg (Debian zbar-tools), the dump holds the expected lines,
// no line break violates the 禁則 rules, CP932 names arrive as kanji text and a name beyond
// CP932 as an image.

#include "base/line_break.hpp"
#include "hal/escpos/slip_layout.hpp"
#include "hal/sim/escpos_interpreter.hpp"

#include "tests/support/font.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <memory>
#include <unistd.h>

namespace uketsuke::hal::sim {
namespace {

using Size = SlipLine::Size;

const text::TextRenderer& renderer()
{
    return test::defaultRenderer();
}

Slip slip(std::string name)
{
    Slip s;
    s.id = "20261204-0042";
    s.lines = {{"受付票", Size::Large, true},
               {"0042", Size::Huge, true},
               {std::move(name), Size::Large, true},
               {""},
               {"オンラインで保険の資格を確認できませんでした。受付窓口で「資格確認書」または"
                "「資格情報のお知らせ」をお見せください。電子証明書は有効期限の3か月前から"
                "更新できます。"}};
    s.qrPayload = "UKETSUKE1:20261204:0042";
    return s;
}

PrintedPage printed(const Slip& s, int width)
{
    auto config = escpos::layoutForWidth(width);
    REQUIRE(config);
    auto bytes = escpos::encodeSlip(s, *config, renderer());
    REQUIRE(bytes);
    EscposInterpreter printer;
    printer.feed(*bytes);
    auto pages = printer.takePages();
    REQUIRE(pages.size() == 1);
    return pages[0];
}

// The text of a dump line without its [tags].
std::string untagged(const std::string& line)
{
    std::size_t i = 0;
    while (i < line.size() && line[i] == '[') {
        const std::size_t close = line.find(']', i);
        if (close == std::string::npos) {
            break;
        }
        i = close + 1;
    }
    return line.substr(i);
}

std::string run(const std::string& command)
{
    std::unique_ptr<FILE, decltype(&pclose)> pipe(::popen(command.c_str(), "r"), pclose);
    REQUIRE(pipe);
    std::string out;
    char buf[256];
    while (std::fgets(buf, sizeof buf, pipe.get()) != nullptr) {
        out += buf;
    }
    return out;
}

TEST_CASE("The QR code in the simulator's PNG decodes to the payload (zbarimg)",
          "[escpos][sim][qr]")
{
    if (run("command -v zbarimg").empty()) {
        WARN("zbarimg not installed (Debian zbar-tools): QR check skipped");
        return;
    }
    for (int width : {384, 512, 576}) {
        INFO(width);
        const PrintedPage page = printed(slip("山田 太郎 様"), width);
        auto raster = renderPage(page, width, renderer());
        REQUIRE(raster);
        auto png = encodePng(*raster);
        REQUIRE(png);
        char path[] = "/tmp/uketsuke-qr-XXXXXX.png";
        const int fd = ::mkstemps(path, 4);
        REQUIRE(fd >= 0);
        REQUIRE(::write(fd, png->data(), png->size()) == static_cast<ssize_t>(png->size()));
        ::close(fd);
        const std::string decoded = run(std::string("zbarimg --raw -q ") + path);
        std::remove(path);
        CHECK(decoded == "UKETSUKE1:20261204:0042\n");
    }
}

TEST_CASE("The dump holds the expected lines and every break follows the rules",
          "[escpos][sim]")
{
    for (int width : {384, 512, 576}) {
        INFO(width);
        const PrintedPage page = printed(slip("山田 太郎 様"), width);
        const auto& dump = page.dump;
        CHECK(dump.front() == "[center][2x2]受付票");
        CHECK(std::find(dump.begin(), dump.end(), "[center][4x4]0042") != dump.end());
        CHECK(std::find(dump.begin(), dump.end(), "[center][2x2]山田 太郎 様") != dump.end());
        CHECK(std::find(dump.begin(), dump.end(), "[center]QR(M," +
                                                      std::to_string(width == 384 ? 5 : 6) +
                                                      "):UKETSUKE1:20261204:0042") != dump.end());
        CHECK(dump.back() == "CUT(partial)");
        std::string body;
        std::size_t bodyLines = 0;
        for (std::size_t i = 1; i < dump.size(); ++i) {
            const std::string before = untagged(dump[i - 1]);
            const std::string after = untagged(dump[i]);
            // Lines of one SlipLine share their tags; a change of style starts a new one.
            const bool sameStyle = dump[i - 1].substr(0, dump[i - 1].size() - before.size()) ==
                                   dump[i].substr(0, dump[i].size() - after.size());
            INFO(before << " | " << after);
            if (sameStyle && !before.empty() && !after.empty()) {
                CHECK(linebreak::breakAllowed(before, after));
            }
            if (dump[i].rfind("[", 0) != 0 && !after.empty() && after.find('(') != 2) {
                body += after;
                ++bodyLines;
            }
        }
        CHECK(body.find("受付窓口で「資格確認書」") != std::string::npos);
        CHECK(bodyLines > (width == 384 ? 5u : 3u));
    }
}

TEST_CASE("CP932 coverage: 髙 﨑 ① ㈱ print as kanji text, 𠮷 as an image", "[escpos][sim]")
{
    const PrintedPage kanji = printed(slip("髙﨑 ①㈱ 様"), 576);
    CHECK(std::find(kanji.dump.begin(), kanji.dump.end(), "[center][2x2]髙﨑 ①㈱ 様") !=
          kanji.dump.end());
    for (const std::string& line : kanji.dump) {
        CHECK(line.find("IMG(") == std::string::npos);
    }

    const PrintedPage outside = printed(slip("𠮷田 太郎 様"), 576);
    int images = 0;
    for (const std::string& line : outside.dump) {
        CHECK(line.find("田 太郎") == std::string::npos);
        CHECK(line.find("?") == std::string::npos);
        images += line.rfind("[center]IMG(", 0) == 0 ? 1 : 0;
    }
    CHECK(images == 1);
    // The image is the name renderer's drawing of the same text.
    auto bitmap = renderer().render("𠮷田 太郎 様", 48);
    REQUIRE(bitmap);
    CHECK(bitmap->missingGlyphs == 0);
    for (const Block& block : outside.blocks) {
        if (const auto* image = std::get_if<ImageBlock>(&block)) {
            CHECK(image->raster.height == bitmap->height);
            CHECK(image->raster.width == (bitmap->width + 7) / 8 * 8);
        }
    }
}

} // namespace
} // namespace uketsuke::hal::sim
