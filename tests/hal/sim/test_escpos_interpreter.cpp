#include "hal/sim/escpos_interpreter.hpp"

#include "hal/escpos/encoder.hpp"

#include <catch2/catch.hpp>

namespace uketsuke::hal::sim {
namespace {

using namespace std::string_literals;

std::string golden()
{
    escpos::Encoder e;
    e.initialize().align(escpos::Align::Center).size(2, 2);
    REQUIRE(e.text("受付票"));
    e.newline().size(1, 1).qr("P-0042", 6, escpos::QrEcc::M).newline().cut();
    return e.take();
}

TEST_CASE("EscposInterpreter: the golden sample becomes the canonical dump", "[escpos][sim]")
{
    EscposInterpreter printer;
    CHECK(printer.feed(golden()).empty());
    auto pages = printer.takePages();
    REQUIRE(pages.size() == 1);
    CHECK(pages[0].dump == std::vector<std::string>{"[center][2x2]受付票",
                                                    "[center]QR(M,6):P-0042", "",
                                                    "CUT(partial)"});
}

TEST_CASE("EscposInterpreter: bytes split anywhere give the same dump", "[escpos][sim]")
{
    const std::string bytes = golden();
    for (std::size_t split = 1; split < bytes.size(); ++split) {
        EscposInterpreter printer;
        printer.feed(std::string_view(bytes).substr(0, split));
        printer.feed(std::string_view(bytes).substr(split));
        auto pages = printer.takePages();
        INFO(split);
        REQUIRE(pages.size() == 1);
        CHECK(pages[0].dump.front() == "[center][2x2]受付票");
        CHECK(pages[0].dump[1] == "[center]QR(M,6):P-0042");
    }
}

TEST_CASE("EscposInterpreter: kanji mode and code system are tracked", "[escpos][sim]")
{
    EscposInterpreter printer;
    // Shift_JIS 髙 (FB FC), half-width ｱ on the katakana page, ¥ for 0x5C with ESC R 8; then
    // FS C 0 + FS & : JIS bytes 3C 75 ("受" in JIS is 0x3C75).
    printer.feed("\x1b\x40\x1b\x52\x08\x1b\x74\x01\x1c\x43\x01\xfb\xfc\xb1\x5c\n"
                 "\x1c\x43\x00\x1c\x26\x3c\x75\n\x1c\x2e"
                 "AB\n\x1d\x56\x00"s);
    auto pages = printer.takePages();
    REQUIRE(pages.size() == 1);
    CHECK(pages[0].dump == std::vector<std::string>{"髙ｱ¥", "受", "AB", "CUT(full)"});
}

TEST_CASE("EscposInterpreter: raster images and unknown commands", "[escpos][sim]")
{
    escpos::Encoder e;
    escpos::Raster r;
    r.width = 16;
    r.height = 2;
    r.bits = {0x80, 0x01, 0xFF, 0x00};
    e.initialize().align(escpos::Align::Center).raster(r);
    std::string bytes = e.take() + "\x1b\x99" + "\x1d\x56\x42\x00"s;
    EscposInterpreter printer;
    printer.feed(bytes);
    auto pages = printer.takePages();
    REQUIRE(pages.size() == 1);
    CHECK(pages[0].dump == std::vector<std::string>{"[center]IMG(16x2)", "?1B 99",
                                                    "CUT(partial)"});
    const auto& image = std::get<ImageBlock>(pages[0].blocks[0]);
    CHECK(image.raster.black(0, 0));
    CHECK(image.raster.black(15, 0));
    CHECK_FALSE(image.raster.black(1, 0));
}

TEST_CASE("EscposInterpreter: DLE EOT answers every fault, GS r waits while stopped",
          "[escpos][sim]")
{
    EscposInterpreter printer;
    CHECK(printer.feed("\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04") ==
          std::string("\x12\x12\x12\x12"));
    printer.setFaults({.paperOut = true});
    CHECK(printer.feed("\x10\x04\x02\x10\x04\x04") == std::string("\x32\x72"));
    // The job waits; GS r is not answered until the paper is back.
    CHECK(printer.feed("\x1b\x40"
                       "A\n\x1d\x56\x42\x00\x1d\x72\x01"s) == "");
    CHECK(printer.takePages().empty());
    printer.setFaults({.nearEnd = true});
    CHECK(printer.feed("") == std::string("\x03", 1));
    CHECK(printer.takePages().size() == 1);
    printer.setFaults({.coverOpen = true});
    CHECK(printer.feed("\x10\x04\x01\x10\x04\x02") == std::string("\x1a\x16"));
    printer.setFaults({.offline = true});
    CHECK(printer.feed("\x10\x04\x01") == std::string("\x1a"));
    // A DLE EOT split across reads is answered once it is whole.
    printer.setFaults({});
    CHECK(printer.feed("\x10").empty());
    CHECK(printer.feed("\x04").empty());
    CHECK(printer.feed("\x04") == "\x12");
}

TEST_CASE("renderPage: text, QR and image land on a page of the configured width",
          "[escpos][sim]")
{
    auto renderer = text::TextRenderer::open();
    REQUIRE(renderer);
    EscposInterpreter printer;
    printer.feed(golden());
    auto pages = printer.takePages();
    REQUIRE(pages.size() == 1);
    for (int width : {384, 512, 576}) {
        auto raster = renderPage(pages[0], width, *renderer);
        REQUIRE(raster);
        CHECK(raster->width == width);
        CHECK(raster->height > 100);
        const auto black = std::count(raster->gray.begin(), raster->gray.end(), 0);
        CHECK(black > 1000);
        auto png = encodePng(*raster);
        REQUIRE(png);
        CHECK(png->substr(1, 3) == "PNG");
    }
}

} // namespace
} // namespace uketsuke::hal::sim
