#pragma once

// Golden slips, shared by the encoder's tests (tests/hal/escpos/test_golden.cpp) and the
// terminal's slip tests (tests/kiosk/runner/test_slip_golden.cpp): the exact bytes hal/escpos
// sends for a slip, and the simulator's canonical dump of them (readable in review), kept in
// tests/hal/escpos/golden/. Regenerate after an intended change with UKETSUKE_UPDATE_GOLDEN=1
// and read the diff of the .txt files.

#include "base/files.hpp"
#include "hal/escpos/slip_layout.hpp"
#include "hal/sim/escpos_interpreter.hpp"
#include "tests/support/font.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace uketsuke::test {

inline const std::filesystem::path kGoldenDir =
    std::filesystem::path(UKETSUKE_SOURCE_DIR) / "tests/hal/escpos/golden";

// The golden file `name` (e.g. "slip_valid_576.bin"); empty when it cannot be read.
inline std::string readGolden(const std::string& name)
{
    return files::readFile(kGoldenDir / name).value_or(std::string());
}

// Encodes `slip` for a `width`-dot printer, runs the bytes through the simulator's interpreter,
// and checks bytes and dump against golden/<name>.bin and .txt (rewritten first when
// UKETSUKE_UPDATE_GOLDEN is set).
inline void checkGolden(const std::string& name, const hal::Slip& slip, int width)
{
    INFO(name);
    auto config = hal::escpos::layoutForWidth(width);
    REQUIRE(config);
    auto bytes = hal::escpos::encodeSlip(slip, *config, defaultRenderer());
    REQUIRE(bytes);
    hal::sim::EscposInterpreter printer;
    printer.feed(*bytes);
    auto pages = printer.takePages();
    REQUIRE(pages.size() == 1);
    std::string dump;
    for (const std::string& line : pages[0].dump) {
        dump += line + "\n";
    }
    if (std::getenv("UKETSUKE_UPDATE_GOLDEN") != nullptr) {
        // Files of the repository: readable by everyone.
        REQUIRE(files::writeFile(kGoldenDir / (name + ".bin"), *bytes, 0644));
        REQUIRE(files::writeFile(kGoldenDir / (name + ".txt"), dump, 0644));
    }
    CHECK(dump == readGolden(name + ".txt"));
    CHECK((*bytes == readGolden(name + ".bin")));
}

} // namespace uketsuke::test
