// The slips the terminal builds, printed for real: buildSlip → EscposPrinter (hal/escpos) over
// TCP → the ESC/POS simulator (hal/sim EscposServer, what `uketsuke-sim printer` runs), which
// interprets the bytes and writes a PNG and a dump per cut. Then, independently of our code:
// the QR code in the PNG decodes with zbarimg (Debian zbar-tools) to the check-in's id; the
// dump holds every line the slip says, in order; no line of the dump breaks against the 禁則
// rules.

#include "base/line_break.hpp"
#include "hal/escpos/escpos_printer.hpp"
#include "hal/sim/escpos_server.hpp"

#include "tests/kiosk/runner/slip_samples.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

namespace uketsuke {
namespace {

// A simulator on a free loopback port, serving on its own thread.
struct RunningPrinterSim {
    tests::TempDir dir;
    std::unique_ptr<hal::sim::EscposServer> server;
    std::thread thread;

    explicit RunningPrinterSim(int width)
    {
        hal::sim::EscposServerOptions options;
        options.outDir = dir.path();
        options.widthDots = width;
        auto opened = hal::sim::EscposServer::open(options, 0);
        REQUIRE(opened);
        server = std::move(*opened);
        thread = std::thread([this] { (void)server->run(); });
    }
    ~RunningPrinterSim()
    {
        server->stop();
        thread.join();
    }
    RunningPrinterSim(const RunningPrinterSim&) = delete;
    RunningPrinterSim& operator=(const RunningPrinterSim&) = delete;

    std::string spec() const { return "escpos-tcp:127.0.0.1:" + std::to_string(server->port()); }
    std::filesystem::path page(int n, const char* ext) const
    {
        char name[32];
        std::snprintf(name, sizeof name, "slip-%04d.%s", n, ext);
        return dir.path() / name;
    }
};

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::stringstream s(text);
    for (std::string line; std::getline(s, line);) {
        out.push_back(line);
    }
    return out;
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

bool haveZbarimg()
{
    return !run("command -v zbarimg").empty();
}

// The [tags] of a dump line, and its text.
std::pair<std::string, std::string> split(const std::string& line)
{
    std::size_t i = 0;
    while (i < line.size() && line[i] == '[') {
        const std::size_t close = line.find(']', i);
        if (close == std::string::npos) {
            break;
        }
        i = close + 1;
    }
    return {line.substr(0, i), line.substr(i)};
}

std::string withoutSpaces(std::string text)
{
    text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
    for (std::size_t at; (at = text.find("\u3000")) != std::string::npos;) {
        text.erase(at, 3);
    }
    return text;
}

// Walks the slip's lines and the dump together: each text line of the slip is printed as the
// next dump lines of the page, in order (wrapped, spaces at the breaks dropped), or as one IMG
// when CP932 cannot hold it; nothing else is printed. Every break inside one slip line must be
// legal (a new slip line, e.g. a ・ bullet, may of course start with anything).
void requireDumpMatchesSlip(const hal::Slip& slip, const std::vector<std::string>& dump)
{
    std::vector<std::string> printed;
    for (const std::string& line : dump) {
        const std::string text = split(line).second;
        if (!text.empty() && text.rfind("QR(", 0) != 0 && text.rfind("CUT(", 0) != 0) {
            printed.push_back(text);
        }
    }
    std::size_t next = 0;
    for (const hal::SlipLine& line : slip.lines) {
        if (line.text.empty()) {
            continue;
        }
        INFO("slip line: " << line.text);
        REQUIRE(next < printed.size());
        if (printed[next].rfind("IMG(", 0) == 0) {
            ++next;
            continue;
        }
        const std::string want = withoutSpaces(line.text);
        std::string got;
        const std::size_t first = next;
        while (next < printed.size() && got.size() < want.size()) {
            got += withoutSpaces(printed[next++]);
        }
        CHECK(got == want);
        for (std::size_t i = first + 1; i < next; ++i) {
            INFO(printed[i - 1] << " | " << printed[i]);
            CHECK(linebreak::breakAllowed(printed[i - 1], printed[i]));
        }
    }
    CHECK(next == printed.size());
}

TEST_CASE("Slips print through EscposPrinter over TCP to the simulator: QR, lines, breaks",
          "[slip][escpos][sim]")
{
    const bool zbar = haveZbarimg();
    if (!zbar) {
        WARN("zbarimg not installed (Debian zbar-tools): the QR decode is not checked");
    }
    for (int width : {384, 512, 576}) {
        RunningPrinterSim sim(width);
        hal::escpos::PrinterOptions options;
        auto layout = hal::escpos::layoutForWidth(width);
        REQUIRE(layout);
        options.layout = *layout;
        auto printer = hal::escpos::openPrinter(sim.spec(), options);
        REQUIRE(printer);
        int pages = 0;
        for (const tests::SlipSample& sample : tests::slipSamples()) {
            if (sample.width != width) {
                continue;
            }
            INFO(sample.name);
            const hal::Slip slip = tests::buildSample(sample);
            auto printed = (*printer)->print(slip);
            REQUIRE(printed);
            ++pages;
            // print() returned after the printer answered GS r: the page is cut and written.
            REQUIRE(sim.server->waitForPages(pages, std::chrono::seconds(10)) >= pages);
            const auto dump = lines(readFile(sim.page(pages, "txt")));
            REQUIRE_FALSE(dump.empty());
            CHECK(std::find(dump.begin(), dump.end(), "[center][4x4]0007") != dump.end());
            CHECK(std::find(dump.begin(), dump.end(),
                            "[center]" + tests::sampleTable(sample.lang).tr("slip.receipt_label")) !=
                  dump.end());
            CHECK(std::count_if(dump.begin(), dump.end(), [](const std::string& l) {
                      return l.find("QR(M,") != std::string::npos &&
                             l.find(tests::kSampleCheckInId) != std::string::npos;
                  }) == 1);
            CHECK(dump.back() == "CUT(partial)");
            requireDumpMatchesSlip(slip, dump);
            if (zbar) {
                const std::string decoded =
                    run("zbarimg --raw -q " + sim.page(pages, "png").string());
                CHECK(decoded == tests::kSampleCheckInId + "\n");
            }
        }
        CHECK(pages > 0);
    }
}

} // namespace
} // namespace uketsuke
