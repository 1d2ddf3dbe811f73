#include "hal/sim/sim_printer.hpp"

#include "tests/support/files.hpp"

#include <catch2/catch.hpp>
#include <qrencode.h>
#include <stb/stb_image.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

using namespace uketsuke;
using namespace uketsuke::hal;
using uketsuke::hal::sim::SimPrinter;

namespace {

namespace fs = std::filesystem;

// A fresh, empty output directory per test case under the build tree.
fs::path freshDirectory(const std::string& name)
{
    fs::path dir = fs::path(UKETSUKE_TEST_BINARY_DIR) / "test-output" / "sim_printer" / name;
    fs::remove_all(dir);
    return dir;
}

std::unique_ptr<SimPrinter> openPrinter(const fs::path& dir)
{
    auto printer = SimPrinter::open("sim:" + dir.string());
    REQUIRE(printer);
    return std::move(*printer);
}

Slip sampleSlip()
{
    Slip slip;
    slip.id = "20251126-0007";
    slip.lines = {
        {"受付票", SlipLine::Size::Large, true},
        {"0007", SlipLine::Size::Huge, true},
        {"𠮷田 髙子 様", SlipLine::Size::Large, true},
        {"", SlipLine::Size::Normal, false},
        {"順番にお名前をお呼びします。待合室でお待ちください。この受付票は、お呼びするまでお持ち"
         "ください。",
         SlipLine::Size::Normal, false},
    };
    slip.qrPayload = "UKETSUKE1:20251126:0007";
    return slip;
}

std::string readText(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::vector<fs::path> filesIn(const fs::path& dir)
{
    std::vector<fs::path> files;
    if (fs::exists(dir)) {
        for (const auto& entry : fs::directory_iterator(dir)) {
            files.push_back(entry.path().filename());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

struct InkBox {
    int left = 1 << 30;
    int right = -1;
    int top = 1 << 30;
    int bottom = -1;
};

InkBox inkBox(const sim::SlipRaster& raster)
{
    InkBox box;
    for (int y = 0; y < raster.height; ++y) {
        for (int x = 0; x < raster.width; ++x) {
            if (raster.gray[static_cast<std::size_t>(y * raster.width + x)] == 0) {
                box.left = std::min(box.left, x);
                box.right = std::max(box.right, x);
                box.top = std::min(box.top, y);
                box.bottom = std::max(box.bottom, y);
            }
        }
    }
    return box;
}

const text::TextRenderer& renderer()
{
    static const text::TextRenderer instance = [] {
        auto opened = text::TextRenderer::open();
        REQUIRE(opened);
        return std::move(*opened);
    }();
    return instance;
}

} // namespace

TEST_CASE("SimPrinter::print: writes the slip as UTF-8 text and a 576-dot black-and-white PNG",
          "[printer]")
{
    const fs::path dir = freshDirectory("print");
    auto printer = openPrinter(dir);
    const Slip slip = sampleSlip();
    REQUIRE(printer->print(slip));

    CHECK(filesIn(dir) == std::vector<fs::path>{"20251126-0007.png", "20251126-0007.txt"});

    const std::string text = readText(dir / "20251126-0007.txt");
    CHECK(text ==
          "受付票\n0007\n𠮷田 髙子 様\n\n順番にお名前をお呼びします。待合室でお待ちください。"
          "この受付票は、お呼びするまでお持ちください。\nQR: UKETSUKE1:20251126:0007\n");

    const std::string png = readText(dir / "20251126-0007.png");
    int width = 0;
    int height = 0;
    int channels = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> pixels(
        stbi_load_from_memory(reinterpret_cast<const unsigned char*>(png.data()),
                              static_cast<int>(png.size()), &width, &height, &channels, 1),
        stbi_image_free);
    REQUIRE(pixels);
    CHECK(width == 576);
    CHECK(height > 96 + 2 * 48 + 150);
    const auto count = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    const auto* begin = pixels.get();
    const auto* end = pixels.get() + count;
    CHECK(std::all_of(begin, end, [](unsigned char v) { return v == 0 || v == 255; }));
    const auto black = std::count(begin, end, static_cast<unsigned char>(0));
    CHECK(black > 2000);
    CHECK(static_cast<std::size_t>(black) < count / 3);
}

TEST_CASE("SimPrinter::print: printing the same id again replaces the files", "[printer]")
{
    const fs::path dir = freshDirectory("reprint");
    auto printer = openPrinter(dir);
    Slip slip = sampleSlip();
    REQUIRE(printer->print(slip));
    slip.lines.front().text = "再発行";
    REQUIRE(printer->print(slip));
    CHECK(filesIn(dir).size() == 2);
    CHECK(readText(dir / "20251126-0007.txt").rfind("再発行\n", 0) == 0);
}

TEST_CASE("SimPrinter::print: a fault fails with its code and writes nothing", "[printer]")
{
    const fs::path dir = freshDirectory("fault");
    auto printer = openPrinter(dir);

    printer->setFault(Errc::PrinterPaperOut);
    auto printed = printer->print(sampleSlip());
    REQUIRE_FALSE(printed);
    CHECK(printed.error().code == Errc::PrinterPaperOut);
    CHECK(filesIn(dir).empty());
    auto status = printer->status();
    REQUIRE(status);
    CHECK(status->paperOut);
    CHECK_FALSE(status->online);

    printer->setFault(Errc::PrinterCoverOpen);
    status = printer->status();
    REQUIRE(status);
    CHECK(status->coverOpen);
    CHECK_FALSE(status->paperOut);

    printer->setFault(Errc::PrinterOffline);
    status = printer->status();
    REQUIRE_FALSE(status);
    CHECK(status.error().code == Errc::PrinterOffline);
    printed = printer->print(sampleSlip());
    REQUIRE_FALSE(printed);
    CHECK(printed.error().code == Errc::PrinterOffline);
    CHECK(filesIn(dir).empty());

    printer->setFault(std::nullopt);
    status = printer->status();
    REQUIRE(status);
    CHECK(status->online);
    CHECK_FALSE(status->paperOut);
    CHECK(printer->print(sampleSlip()));
    CHECK(filesIn(dir).size() == 2);
}

TEST_CASE("SimPrinter::print: refuses an id that is not a safe file name", "[printer]")
{
    const fs::path dir = freshDirectory("unsafe");
    auto printer = openPrinter(dir / "slips");
    for (const char* id : {"../escape", ".hidden", "", "a/b", "名前"}) {
        INFO(id);
        Slip slip = sampleSlip();
        slip.id = id;
        auto printed = printer->print(slip);
        REQUIRE_FALSE(printed);
        CHECK(printed.error().code == Errc::InvalidArgument);
    }
    CHECK(filesIn(dir) == std::vector<fs::path>{"slips"});
    CHECK(filesIn(dir / "slips").empty());
}

TEST_CASE("SimPrinter::open: accepts only sim:DIR and creates DIR", "[printer]")
{
    for (const char* target : {"", "sim:", "escpos-usb:/dev/usb/lp0", "out/slips"}) {
        INFO(target);
        auto printer = SimPrinter::open(target);
        REQUIRE_FALSE(printer);
        CHECK(printer.error().code == Errc::ConfigInvalid);
    }
    const fs::path dir = freshDirectory("open") / "a" / "b";
    auto printer = SimPrinter::open("sim:" + dir.string());
    REQUIRE(printer);
    CHECK(fs::is_directory(dir));
    CHECK((*printer)->directory() == dir);

    auto noFont = SimPrinter::open("sim:" + dir.string(), {"/nonexistent/font.ttc", 0});
    REQUIRE_FALSE(noFont);
    CHECK(noFont.error().code == Errc::ConfigMissing);
}

TEST_CASE("rasterizeSlip: centred lines are centred and long lines stay on the paper", "[printer]")
{
    Slip centred;
    centred.id = "c";
    centred.lines = {{"受付票", SlipLine::Size::Large, true}};
    auto one = sim::rasterizeSlip(centred, renderer());
    REQUIRE(one);
    const InkBox box = inkBox(*one);
    REQUIRE(box.right > box.left);
    const int leftMargin = box.left;
    const int rightMargin = one->width - 1 - box.right;
    CHECK(std::abs(leftMargin - rightMargin) <= 6);

    Slip longLine;
    longLine.id = "l";
    longLine.lines = {{std::string(60, 'W') + " 保険の情報がまだ届いていないことがあります。"
                                              "保険の情報がまだ届いていないことがあります。",
                       SlipLine::Size::Large, false}};
    auto wrapped = sim::rasterizeSlip(longLine, renderer());
    REQUIRE(wrapped);
    CHECK(wrapped->height > 3 * one->height);
    const InkBox longBox = inkBox(*wrapped);
    CHECK(longBox.left >= 8);
    CHECK(longBox.right <= wrapped->width - 8);
    CHECK(wrapped->missingGlyphs == 0);
}

TEST_CASE("rasterizeSlip: counts characters the font cannot draw", "[printer]")
{
    Slip slip;
    slip.id = "m";
    slip.lines = {{"田\uE000中", SlipLine::Size::Normal, false}};
    auto raster = sim::rasterizeSlip(slip, renderer());
    REQUIRE(raster);
    CHECK(raster->missingGlyphs == 1);
}

TEST_CASE("rasterizeSlip: the QR code at the bottom has 6-dot modules of the payload", "[printer]")
{
    Slip slip;
    slip.id = "q";
    slip.lines = {{"0007", SlipLine::Size::Huge, true}};
    slip.qrPayload = "UKETSUKE1:20251126:0007";
    auto raster = sim::rasterizeSlip(slip, renderer());
    REQUIRE(raster);

    std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
        QRcode_encodeString(slip.qrPayload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
    REQUIRE(qr);
    const int modules = qr->width;
    const int dots = modules * 6;
    // Find the QR's top-left corner: the first black dot of the bottom-most ink block is the
    // finder pattern's corner; the code is centred horizontally.
    const int left = (576 - dots) / 2;
    int top = -1;
    for (int y = raster->height - 1; y >= 0 && top < 0; --y) {
        bool black = raster->gray[static_cast<std::size_t>(y * raster->width + left)] == 0;
        if (black) {
            top = y - dots + 1;
        }
    }
    REQUIRE(top > 0);
    int mismatches = 0;
    for (int my = 0; my < modules; ++my) {
        for (int mx = 0; mx < modules; ++mx) {
            const bool expected = (qr->data[my * modules + mx] & 1) != 0;
            for (int dy = 0; dy < 6; ++dy) {
                for (int dx = 0; dx < 6; ++dx) {
                    const std::size_t at = static_cast<std::size_t>(
                        (top + my * 6 + dy) * raster->width + left + mx * 6 + dx);
                    mismatches += (raster->gray[at] == 0) != expected ? 1 : 0;
                }
            }
        }
    }
    CHECK(mismatches == 0);
    // Quiet zone: nothing else burnt within four modules around the code.
    int inkInQuietZone = 0;
    for (int x = 0; x < raster->width; ++x) {
        for (int y = top - 24; y < top; ++y) {
            inkInQuietZone += raster->gray[static_cast<std::size_t>(y * raster->width + x)] == 0;
        }
    }
    CHECK(inkInQuietZone == 0);

    slip.qrPayload = "受付";
    auto bad = sim::rasterizeSlip(slip, renderer());
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::InvalidArgument);
}

TEST_CASE("SimPrinter: slips are 0600 in a 0700 folder under umask 022, also an old folder",
          "[printer]")
{
    const fs::path dir = freshDirectory("private") / "slips";
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
    tests::Umask mask(022);
    auto printer = SimPrinter::open("sim:" + dir.string());
    REQUIRE(printer);
    REQUIRE((*printer)->print(sampleSlip()));
    CHECK(tests::modeOf(dir) == 0700);
    CHECK(tests::modeOf(dir / "20251126-0007.png") == 0600);
    CHECK(tests::modeOf(dir / "20251126-0007.txt") == 0600);
}
