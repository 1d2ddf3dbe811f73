// Golden byte streams for the slips the terminal builds: buildSlip (the words, from the string
// tables) laid out by hal/escpos for 58 and 80 mm paper, for every outcome, the certificate
// warnings, long names, uncommon kanji (CP932 kanji bytes) and a name beyond CP932 (raster).
// The simulator's canonical dump sits next to each .bin as .txt, readable in review.
// Regenerate after an intended change with UKETSUKE_UPDATE_GOLDEN=1 and read the .txt diff.

#include "tests/hal/escpos/golden.hpp"
#include "tests/kiosk/runner/slip_samples.hpp"

#include <catch2/catch.hpp>

namespace uketsuke {
namespace {

TEST_CASE("Golden byte streams for the slips buildSlip makes", "[slip][golden]")
{
    for (const tests::SlipSample& sample : tests::slipSamples()) {
        test::checkGolden(sample.name, tests::buildSample(sample), sample.width);
    }
}

TEST_CASE("Golden slips: CP932 names are kanji bytes, 𠮷 is a raster image", "[slip][golden]")
{
    const std::string kanji = test::readGolden("slip_uncommon_kanji_576.bin");
    // 髙 FB FC, 﨑 FA B1, ㈱ 87 8A, ① 87 40, and no raster image anywhere.
    for (const char* bytes : {"\xFB\xFC", "\xFA\xB1", "\x87\x8A", "\x87\x40"}) {
        CHECK(kanji.find(bytes) != std::string::npos);
    }
    CHECK(kanji.find("\x1D\x76\x30") == std::string::npos);

    const std::string outside = test::readGolden("slip_outside_cp932_576.bin");
    CHECK(outside.find("\x1D\x76\x30") != std::string::npos);
    CHECK(test::readGolden("slip_outside_cp932_576.txt").find("[center]IMG(") !=
          std::string::npos);
}

} // namespace
} // namespace uketsuke
