#include "hal/sim/escpos_server.hpp"

#include "hal/escpos/escpos_printer.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <thread>

namespace uketsuke::hal::sim {
namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir()
    {
        char pattern[] = "/tmp/uketsuke-escpos-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        path = pattern;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

struct RunningSim {
    TempDir dir;
    std::unique_ptr<EscposServer> server;
    std::thread thread;

    explicit RunningSim(PrinterFaults faults = {}, bool disconnect = false, int width = 576)
    {
        EscposServerOptions options;
        options.outDir = dir.path;
        options.widthDots = width;
        options.faults = faults;
        options.disconnect = disconnect;
        auto opened = EscposServer::open(options, 0);
        REQUIRE(opened);
        server = std::move(*opened);
        thread = std::thread([this] { (void)server->run(); });
    }
    ~RunningSim()
    {
        server->stop();
        thread.join();
    }
    std::string spec() const { return "escpos-tcp:127.0.0.1:" + std::to_string(server->port()); }
    std::string dump(int n) const
    {
        char name[32];
        std::snprintf(name, sizeof name, "slip-%04d.txt", n);
        std::ifstream in(dir.path / name);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
};

escpos::PrinterOptions fast(int width = 576)
{
    escpos::PrinterOptions options;
    options.layout.widthDots = width;
    options.timeouts.status = escpos::Millis{500};
    options.timeouts.print = escpos::Millis{3000};
    return options;
}

Slip slip(std::string name = "山田 太郎 様")
{
    Slip s;
    s.id = "0007";
    s.lines = {{"受付票", SlipLine::Size::Large, true},
               {"0007", SlipLine::Size::Huge, true},
               {std::move(name), SlipLine::Size::Large, true},
               {""},
               {"受付窓口で「資格確認書」をお見せください。"}};
    s.qrPayload = "UKETSUKE1:20261204:0007";
    return s;
}

TEST_CASE("EscposPrinter prints through the simulator over TCP", "[escpos][sim]")
{
    RunningSim sim;
    auto printer = escpos::openPrinter(sim.spec(), fast());
    REQUIRE(printer);
    REQUIRE((*printer)->print(slip()));
    // print() returns once GS r is answered, which the simulator does after writing the page.
    CHECK(sim.server->waitForPages(1, std::chrono::seconds(5)) == 1);
    const std::string dump = sim.dump(1);
    CHECK(dump.find("[center][2x2]受付票\n") != std::string::npos);
    CHECK(dump.find("[center][4x4]0007\n") != std::string::npos);
    CHECK(dump.find("[center][2x2]山田 太郎 様\n") != std::string::npos);
    CHECK(dump.find("[center]QR(M,6):UKETSUKE1:20261204:0007\n") != std::string::npos);
    CHECK(dump.find("CUT(partial)") != std::string::npos);
    CHECK(std::filesystem::file_size(sim.dir.path / "slip-0001.png") > 1000);
    const auto perms = std::filesystem::status(sim.dir.path / "slip-0001.png").permissions();
    CHECK((perms & std::filesystem::perms::others_read) == std::filesystem::perms::none);
    auto status = (*printer)->status();
    REQUIRE(status);
    CHECK(status->online);
}

TEST_CASE("A simulator started again on the same folder numbers on, never overwrites",
          "[escpos][sim]")
{
    RunningSim sim;
    {
        auto printer = escpos::openPrinter(sim.spec(), fast());
        REQUIRE(printer);
        REQUIRE((*printer)->print(slip("山田 太郎 様")));
        REQUIRE(sim.server->waitForPages(1, std::chrono::seconds(5)) == 1);
    }
    // A second simulator on the same folder: the next terminal start, or the demo's second run.
    EscposServerOptions options;
    options.outDir = sim.dir.path;
    auto again = EscposServer::open(options, 0);
    REQUIRE(again);
    std::thread thread([&] { (void)(*again)->run(); });
    auto printer = escpos::openPrinter("escpos-tcp:127.0.0.1:" + std::to_string((*again)->port()),
                                       fast());
    REQUIRE(printer);
    REQUIRE((*printer)->print(slip("佐藤 花子 様")));
    CHECK((*again)->waitForPages(1, std::chrono::seconds(5)) == 1);
    (*again)->stop();
    thread.join();
    CHECK(sim.dump(1).find("山田 太郎 様") != std::string::npos); // the first slip is still there
    CHECK(sim.dump(2).find("佐藤 花子 様") != std::string::npos);
    CHECK(std::filesystem::exists(sim.dir.path / "slip-0002.png"));
}

TEST_CASE("Simulator faults reach EscposPrinter as the matching error, nothing printed",
          "[escpos][sim]")
{
    struct Case {
        PrinterFaults faults;
        bool disconnect;
        Errc code;
    };
    for (const Case& c : {Case{{.paperOut = true}, false, Errc::PrinterPaperOut},
                          Case{{.coverOpen = true}, false, Errc::PrinterCoverOpen},
                          Case{{.offline = true}, false, Errc::PrinterOffline},
                          Case{{}, true, Errc::PrinterOffline}}) {
        RunningSim sim(c.faults, c.disconnect);
        auto printer = escpos::openPrinter(sim.spec(), fast());
        REQUIRE(printer);
        auto printed = (*printer)->print(slip());
        REQUIRE_FALSE(printed);
        CHECK(printed.error().code == c.code);
        CHECK(sim.server->waitForPages(1, std::chrono::milliseconds(0)) == 0);
    }
}

TEST_CASE("Paper running out during a slip is not reported as printed", "[escpos][sim]")
{
    RunningSim sim;
    auto printer = escpos::openPrinter(sim.spec(), fast());
    REQUIRE(printer);
    REQUIRE((*printer)->status());
    // The paper ends between the status check and the job: the job waits, GS r never comes.
    sim.server->setFaults({.paperOut = true}, false);
    escpos::PrinterOptions options = fast();
    options.timeouts.print = escpos::Millis{300};
    auto quick = escpos::openPrinter(sim.spec(), options);
    REQUIRE(quick);
    printer->reset(); // one connection at a time, as on a LAN printer
    auto printed = (*quick)->print(slip());
    REQUIRE_FALSE(printed);
    CHECK(printed.error().code == Errc::PrinterPaperOut);
}

TEST_CASE("Near end prints and warns, a slow printer still prints", "[escpos][sim]")
{
    RunningSim sim({.nearEnd = true});
    auto printer = escpos::openPrinter(sim.spec(), fast());
    REQUIRE(printer);
    REQUIRE((*printer)->print(slip()));
    auto status = (*printer)->status();
    REQUIRE(status);
    CHECK(status->paperLow);
    CHECK(status->online);
    CHECK(sim.server->waitForPages(1, std::chrono::seconds(5)) == 1);
}

TEST_CASE("A 58 mm simulator prints a 58 mm slip with a raster name", "[escpos][sim]")
{
    RunningSim sim({}, false, 384);
    auto printer = escpos::openPrinter(sim.spec(), fast(384));
    REQUIRE(printer);
    REQUIRE((*printer)->print(slip("𠮷田 太郎 様")));
    CHECK(sim.server->waitForPages(1, std::chrono::seconds(5)) == 1);
    const std::string dump = sim.dump(1);
    CHECK(dump.find("[center]IMG(") != std::string::npos);
    CHECK(dump.find("田 太郎") == std::string::npos);
}

} // namespace
} // namespace uketsuke::hal::sim
