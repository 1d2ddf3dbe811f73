// bench_escpos: for representative slips at 576 and 384 dots, the ESC/POS bytes per slip and
// the encode time, then the time from print() to "printer reports done" (GS r answered, DLE
// EOT clean) through the TCP transport against the simulator on loopback, which renders and
// writes every page as the demo does. Goals (issue 9): a normal-name slip under 4 KB with text
// in kanji mode, under 300 ms print-to-done. Numbers are printed, not asserted.
//
// Usage: bench_escpos [RUNS]   (default 20; medians and maxima are printed)

#include "hal/escpos/escpos_printer.hpp"
#include "hal/escpos/slip_layout.hpp"
#include "hal/sim/escpos_interpreter.hpp"
#include "hal/sim/escpos_server.hpp"

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

hal::Slip slip(std::string name)
{
    hal::Slip s;
    s.id = "20261204-0007";
    s.lines = {{"さくら整骨院", Size::Normal, true},
               {"受付票", Size::Large, true},
               {""},
               {"受付番号", Size::Normal, true},
               {"0007", Size::Huge, true},
               {"2026年12月4日(金) 09:30", Size::Normal, true},
               {""},
               {std::move(name), Size::Large, true},
               {""},
               {"お呼びするまでお待ちください", Size::Large, true},
               {""},
               {"保険証の確認ができました。お名前をお呼びしますので、待合室でお待ちください。"},
               {"保険者 06139999　負担割合 3割"}};
    s.qrPayload = "UKETSUKE1:20261204:0007";
    return s;
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
    auto renderer = hal::text::TextRenderer::open();
    if (!renderer) {
        std::printf("skipped: font not available (%s)\n", renderer.error().message.c_str());
        return 77;
    }
    struct Case {
        const char* label;
        std::string name;
        int width;
    };
    const std::vector<Case> cases = {{"normal name, 576 dots", "山田 太郎 様", 576},
                                     {"normal name, 384 dots", "山田 太郎 様", 384},
                                     {"髙﨑 (CP932 kanji), 576", "髙﨑 花子 様", 576},
                                     {"𠮷田 (raster name), 576", "𠮷田 太郎 様", 576}};
    std::printf("%-26s %8s %12s %12s\n", "slip", "bytes", "encode med", "encode max");
    for (const Case& c : cases) {
        auto config = hal::escpos::layoutForWidth(c.width);
        std::vector<double> times;
        std::size_t bytes = 0;
        for (int i = 0; i < runs; ++i) {
            const auto start = Clock::now();
            auto encoded = hal::escpos::encodeSlip(slip(c.name), *config, *renderer);
            times.push_back(ms(Clock::now() - start));
            if (!encoded) {
                std::printf("encode failed: %s\n", encoded.error().message.c_str());
                return 1;
            }
            bytes = encoded->size();
        }
        const Stats s = stats(times);
        std::printf("%-26s %8zu %9.3f ms %9.3f ms\n", c.label, bytes, s.median, s.max);
    }

    {
        // The simulator's own share of print-to-done: interpret, render, PNG.
        auto config = hal::escpos::layoutForWidth(576);
        auto bytes = hal::escpos::encodeSlip(slip("山田 太郎 様"), *config, *renderer);
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
            auto printed = (*printer)->print(slip("山田 太郎 様"));
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
