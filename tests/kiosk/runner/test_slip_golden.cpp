// Golden byte streams for the slips the terminal builds: buildSlip (the words, from the string
// tables) laid out by hal/escpos for 58 and 80 mm paper, for every outcome, the certificate
// warnings, long names, uncommon kanji (CP932 kanji bytes) and a name beyond CP932 (raster).
// The simulator's canonical dump sits next to each .bin as .txt, readable in review.
// Regenerate after an intended change with UKETSUKE_UPDATE_GOLDEN=1 and read the .txt diff.

#include "hal/escpos/slip_layout.hpp"
#include "hal/sim/escpos_interpreter.hpp"

#include "tests/kiosk/runner/slip_samples.hpp"
#include "tests/support/font.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace uketsuke {
namespace {

const std::filesystem::path kGoldenDir =
    std::filesystem::path(UKETSUKE_SOURCE_DIR) / "tests/hal/escpos/golden";

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeFile(const std::filesystem::path& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

TEST_CASE("Golden byte streams for the slips buildSlip makes", "[slip][golden]")
{
    const bool update = std::getenv("UKETSUKE_UPDATE_GOLDEN") != nullptr;
    for (const tests::SlipSample& sample : tests::slipSamples()) {
        INFO(sample.name);
        auto config = hal::escpos::layoutForWidth(sample.width);
        REQUIRE(config);
        auto bytes = hal::escpos::encodeSlip(tests::buildSample(sample), *config,
                                             test::defaultRenderer());
        REQUIRE(bytes);
        hal::sim::EscposInterpreter printer;
        printer.feed(*bytes);
        auto pages = printer.takePages();
        REQUIRE(pages.size() == 1);
        std::string dump;
        for (const std::string& line : pages[0].dump) {
            dump += line + "\n";
        }
        const auto bin = kGoldenDir / (sample.name + ".bin");
        const auto txt = kGoldenDir / (sample.name + ".txt");
        if (update) {
            writeFile(bin, *bytes);
            writeFile(txt, dump);
        }
        CHECK(dump == readFile(txt));
        CHECK((*bytes == readFile(bin)));
    }
}

TEST_CASE("Golden slips: CP932 names are kanji bytes, 𠮷 is a raster image", "[slip][golden]")
{
    const std::string kanji = readFile(kGoldenDir / "slip_uncommon_kanji_576.bin");
    // 髙 FB FC, 﨑 FA B1, ㈱ 87 8A, ① 87 40, and no raster image anywhere.
    for (const char* bytes : {"\xFB\xFC", "\xFA\xB1", "\x87\x8A", "\x87\x40"}) {
        CHECK(kanji.find(bytes) != std::string::npos);
    }
    CHECK(kanji.find("\x1D\x76\x30") == std::string::npos);

    const std::string outside = readFile(kGoldenDir / "slip_outside_cp932_576.bin");
    CHECK(outside.find("\x1D\x76\x30") != std::string::npos);
    CHECK(readFile(kGoldenDir / "slip_outside_cp932_576.txt").find("[center]IMG(") !=
          std::string::npos);
}

} // namespace
} // namespace uketsuke
