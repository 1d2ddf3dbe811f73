// bench_escpos: for representative slips at 576 and 384 dots, the ESC/POS bytes per slip and
// the encode time, then the time from print() to "printer reports done" (GS r answered, DLE
// EOT clean) through the TCP transport against the simulator on loopback, which renders and
// writes every page as the demo does. Goals (issue 9): a normal-name slip under 4 KB with text
// in kanji mode, under 300 ms print-to-done. Numbers are printed, not asserted.
//
// The slips are the terminal's own (kiosk::runner::buildSlip from assets/i18n/ja.json), with
// the QR code carrying a check-in id as the terminal prints it.
//
// Usage: bench_escpos [RUNS]   (default 20; medians and maxima are printed)

#include "hal/escpos/escpos_printer.hpp"
#include "hal/escpos/slip_layout.hpp"
#include "hal/sim/escpos_interpreter.hpp"
#include "hal/sim/escpos_server.hpp"
#include "kiosk/model/wire_enum.hpp"
#include "kiosk/runner/slip.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace uketsuke;
using Clock = std::chrono::steady_clock;
using Size = hal::SlipLine::Size;

const kiosk::model::StringTable* gStrings = nullptr;

// The terminal's slip for `outcome` naming `name`, at 2026-12-04 09:30 in Japan.
hal::Slip slip(std::string name, const std::string& outcome = "valid")
{
    kiosk::model::QualificationResult q;
    q.header.segmentOfResult = "1";
    q.body.processingResultStatus = "1";
    q.body.qualificationValidity = outcome == "lost" ? "2" : "1";
    kiosk::model::ResultOfQualificationConfirmation person;
    person.name = PatientName(std::move(name));
    person.insurerNumber = "06139999";
    q.body.resultList.push_back(person);
    kiosk::runner::SlipInput in;
    in.receiptNumber = "0007";
    in.outcome = kiosk::model::fromWireName<kiosk::model::Outcome>(outcome).value();
    in.qualification = q;
    using namespace std::chrono;
    in.when = sys_days{year{2026} / December / 4} + minutes(30);
    in.settings.clinicName = "さくら整骨院";
    in.checkInId = "3f9a0c1de2b44e6f8a7b5c4d3e2f1a0b";
    return kiosk::runner::buildSlip(*gStrings, in);
}

bool hasRaster(const std::string& bytes)
{
    return bytes.find("\x1D\x76\x30") != std::string::npos;
}

double ms(Clock::duration d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

struct Stats {
    double median = 0;
    double max = 0;
};

Stats stats(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v.back()};
}

} // namespace

int main(int argc, char** argv)
{
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    auto strings = kiosk::model::StringTable::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
    if (!strings) {
        std::printf("skipped: string tables not found (%s)\n", strings.error().message.c_str());
        return 77;
    }
    gStrings = &*strings;
    auto renderer = hal::text::TextRenderer::open();
    if (!renderer) {
        std::printf("skipped: font not available (%s)\n", renderer.error().message.c_str());
        return 77;
    }
    struct Case {
        const char* label;
        std::string name;
        int width;
        std::string outcome = "valid";
    };
    const std::vector<Case> cases = {{"normal name, 576 dots", "山田 太郎", 576},
                                     {"normal name, 384 dots", "山田 太郎", 384},
                                     {"CP932 kanji name, 576", "髙﨑 花子", 576},
                                     {"raster name (U+20BB7), 576", "𠮷田 太郎", 576},
                                     {"lost + next steps, 576", "山田 太郎", 576, "lost"},
                                     {"lost + next steps, 384", "山田 太郎", 384, "lost"}};
    std::printf("%-26s %8s %7s %12s %12s\n", "slip", "bytes", "raster", "encode med",
                "encode max");
    for (const Case& c : cases) {
        auto config = hal::escpos::layoutForWidth(c.width);
        std::vector<double> times;
        std::size_t bytes = 0;
        bool raster = false;
        for (int i = 0; i < runs; ++i) {
            const auto start = Clock::now();
            const hal::Slip built = slip(c.name, c.outcome);
            auto encoded = hal::escpos::encodeSlip(built, *config, *renderer);
            times.push_back(ms(Clock::now() - start));
            if (!encoded) {
                std::printf("encode failed: %s\n", encoded.error().message.c_str());
                return 1;
            }
            bytes = encoded->size();
            raster = hasRaster(*encoded);
        }
        const Stats s = stats(times);
        std::printf("%-26s %8zu %7s %9.3f ms %9.3f ms\n", c.label, bytes, raster ? "yes" : "no",
                    s.median, s.max);
    }

    {
        // The simulator's own share of print-to-done: interpret, render, PNG.
        auto config = hal::escpos::layoutForWidth(576);
        auto bytes = hal::escpos::encodeSlip(slip("山田 太郎"), *config, *renderer);
        std::vector<double> interpret;
        std::vector<double> render;
        std::vector<double> png;
        for (int i = 0; i < runs && bytes; ++i) {
            auto t0 = Clock::now();
            hal::sim::EscposInterpreter interpreter;
            interpreter.feed(*bytes);
            auto pages = interpreter.takePages();
            auto t1 = Clock::now();
            auto raster = hal::sim::renderPage(pages.at(0), 576, *renderer);
            auto t2 = Clock::now();
            auto encoded = hal::sim::encodePng(*raster);
            auto t3 = Clock::now();
            interpret.push_back(ms(t1 - t0));
            render.push_back(ms(t2 - t1));
            png.push_back(ms(t3 - t2));
        }
        std::printf("simulator share (median): interpret %.3f ms, render %.1f ms, PNG %.1f ms\n",
                    stats(interpret).median, stats(render).median, stats(png).median);
    }

    char pattern[] = "/tmp/uketsuke-bench-escpos-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) {
        std::printf("skipped: no temporary directory\n");
        return 77;
    }
    const std::filesystem::path dir(pattern);
    int status = 0;
    {
        hal::sim::EscposServerOptions options;
        options.outDir = dir;
        auto server = hal::sim::EscposServer::open(options, 0);
        if (!server) {
            std::printf("skipped: simulator cannot listen (%s)\n",
                        server.error().message.c_str());
            std::filesystem::remove_all(dir);
            return 77;
        }
        std::thread thread([&server] { (void)(*server)->run(); });
        auto printer = hal::escpos::openPrinter(
            "escpos-tcp:127.0.0.1:" + std::to_string((*server)->port()));
        std::vector<double> times;
        for (int i = 0; i < runs && printer; ++i) {
            const auto start = Clock::now();
            auto printed = (*printer)->print(slip("山田 太郎"));
            times.push_back(ms(Clock::now() - start));
            if (!printed) {
                std::printf("print failed: %s\n", printed.error().message.c_str());
                status = 1;
                break;
            }
        }
        (*server)->stop();
        thread.join();
        if (!times.empty() && status == 0) {
            const Stats s = stats(times);
            std::printf("print-to-done over TCP loopback (normal name, 576 dots, simulator "
                        "renders and writes the PNG): median %.1f ms, max %.1f ms, %d slips\n",
                        s.median, s.max, runs);
        }
    }
    std::filesystem::remove_all(dir);
    return status;
}
