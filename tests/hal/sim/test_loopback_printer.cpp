// printer = "sim:DIR": the ESC/POS simulator in this process, printed to over loopback TCP by
// the real EscposPrinter. Faults set on the simulator reach the printer as status bytes.

#include "hal/sim/loopback_printer.hpp"

#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

namespace uketsuke::hal::sim {
namespace {

namespace fs = std::filesystem;

escpos::PrinterOptions quick()
{
    escpos::PrinterOptions options;
    options.timeouts.status = escpos::Millis{500};
    options.timeouts.print = escpos::Millis{3000};
    return options;
}

Slip sampleSlip()
{
    Slip s;
    s.id = "0007";
    s.lines = {{"受付票", SlipLine::Size::Large, true},
               {"0007", SlipLine::Size::Huge, true},
               {"髙橋 花子 様", SlipLine::Size::Large, true}};
    s.qrPayload = "UKETSUKE1:20261204:0007";
    return s;
}

std::string readText(const fs::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

SimulatedFaults faultsNamed(std::initializer_list<const char*> names)
{
    SimulatedFaults faults;
    for (const char* name : names) {
        REQUIRE(applyFaultName(name, faults));
    }
    return faults;
}

} // namespace

TEST_CASE("LoopbackPrinter: a slip goes as ESC/POS bytes to the simulator, which dumps it",
          "[escpos][sim]")
{
    tests::TempDir dir;
    auto printer = LoopbackPrinter::open("sim:" + (dir.path() / "slips").string(), quick());
    REQUIRE(printer);
    REQUIRE((*printer)->print(sampleSlip()));
    REQUIRE((*printer)->waitForPages(1, std::chrono::seconds(5)) == 1);
    const std::string dump = readText(dir.path() / "slips" / "slip-0001.txt");
    CHECK(dump.find("[center][4x4]0007\n") != std::string::npos);
    CHECK(dump.find("[center][2x2]髙橋 花子 様\n") != std::string::npos);
    CHECK(dump.find("[center]QR(M,6):UKETSUKE1:20261204:0007\n") != std::string::npos);
    CHECK(fs::file_size(dir.path() / "slips" / "slip-0001.png") > 1000);
    auto identity = (*printer)->identity();
    REQUIRE(identity);
    CHECK(identity->maker == "UKETSUKE");
    CHECK(identity->model == "SIM-ESCPOS");
}

TEST_CASE("LoopbackPrinter: each fault is met through the printer's own status reading",
          "[escpos][sim]")
{
    tests::TempDir dir;
    auto opened = LoopbackPrinter::open("sim:" + dir.path().string(), quick());
    REQUIRE(opened);
    LoopbackPrinter& printer = **opened;

    printer.setFaults(faultsNamed({"paper-out"}));
    auto printed = printer.print(sampleSlip());
    REQUIRE_FALSE(printed);
    CHECK(printed.error().code == Errc::PrinterPaperOut);
    auto status = printer.status();
    REQUIRE(status);
    CHECK(status->paperOut);
    CHECK_FALSE(status->online);

    printer.setFaults(faultsNamed({"cover-open"}));
    printed = printer.print(sampleSlip());
    REQUIRE_FALSE(printed);
    CHECK(printed.error().code == Errc::PrinterCoverOpen);

    printer.setFaults(faultsNamed({"offline"}));
    printed = printer.print(sampleSlip());
    REQUIRE_FALSE(printed);
    CHECK(printed.error().code == Errc::PrinterOffline);

    printer.setFaults(faultsNamed({"disconnect"}));
    printed = printer.print(sampleSlip());
    REQUIRE_FALSE(printed);
    CHECK(printed.error().code == Errc::PrinterOffline);
    CHECK(printer.waitForPages(1, std::chrono::milliseconds(0)) == 0);

    printer.setFaults(faultsNamed({"near-end"}));
    REQUIRE(printer.print(sampleSlip()));
    status = printer.status();
    REQUIRE(status);
    CHECK(status->paperLow);
    CHECK(status->online);

    printer.setFaults(faultsNamed({"paper-out", "ok"}));
    REQUIRE(printer.print(sampleSlip()));
    CHECK(printer.waitForPages(2, std::chrono::seconds(5)) == 2);
}

TEST_CASE("applyFaultName: every documented name, ok clears, others are refused", "[escpos][sim]")
{
    SimulatedFaults faults = faultsNamed({"paper-out", "near-end", "cover-open", "offline",
                                          "disconnect", "slow"});
    CHECK(faults.status.paperOut);
    CHECK(faults.status.nearEnd);
    CHECK(faults.status.coverOpen);
    CHECK(faults.status.offline);
    CHECK(faults.disconnect);
    CHECK(faults.slow == kSlowFault);
    REQUIRE(applyFaultName("ok", faults));
    CHECK_FALSE(faults.status.stopsPrinting());
    CHECK_FALSE(faults.disconnect);
    CHECK(faults.slow.count() == 0);
    auto bad = applyFaultName("on-fire", faults);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::InvalidArgument);
    CHECK(bad.error().message.find("paper-out") != std::string::npos);
}

TEST_CASE("LoopbackPrinter: slips are 0600 in a 0700 folder under umask 022, also an old folder",
          "[escpos][sim]")
{
    tests::TempDir dir;
    const fs::path slips = dir.path() / "slips";
    fs::create_directories(slips);
    fs::permissions(slips, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
    tests::Umask mask(022);
    auto printer = LoopbackPrinter::open("sim:" + slips.string(), quick());
    REQUIRE(printer);
    REQUIRE((*printer)->print(sampleSlip()));
    REQUIRE((*printer)->waitForPages(1, std::chrono::seconds(5)) == 1);
    CHECK(tests::modeOf(slips) == 0700);
    CHECK(tests::modeOf(slips / "slip-0001.png") == 0600);
    CHECK(tests::modeOf(slips / "slip-0001.txt") == 0600);
}

TEST_CASE("LoopbackPrinter::open: accepts only sim:DIR", "[escpos][sim]")
{
    for (const char* target : {"", "sim:", "escpos-usb:/dev/usb/lp0", "out/slips"}) {
        INFO(target);
        auto printer = LoopbackPrinter::open(target, quick());
        REQUIRE_FALSE(printer);
        CHECK(printer.error().code == Errc::ConfigInvalid);
    }
}

} // namespace uketsuke::hal::sim
