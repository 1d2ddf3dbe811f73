// bench_desk_ingest: the desk's ingest under load. Starts the real uketsuke-desk process on a
// loopback port with a fresh test PKI, then 50 terminals (libcurl multi, one connection each,
// keep-alive, mutual TLS) post check-ins as fast as they are answered. Prints check-ins/s,
// p50/p99/max latency, failures, and the desk's RSS (now and peak) after the run.
//   bench_desk_ingest [--terminals N] [--count N] [--desk PATH]
//   (default 50 terminals, 40 check-ins each, the uketsuke-desk of this build; --desk runs
//   another binary, e.g. a copy of an older build, for a side-by-side figure)

#include "tests/bench/desk/desk_bench.hpp"

#include <cstdio>

int main(int argc, char** argv)
{
    using namespace uketsuke;
    int terminals = 50;
    int perTerminal = 40;
    std::string binary = UKETSUKE_DESK_BINARY;
    tests::readBenchFlags(argc, argv,
                          {{"--terminals", &terminals, 1}, {"--count", &perTerminal, 1}}, binary);
    tests::DeskProcess desk;
    if (!tests::startDesk(desk, binary, false)) {
        return 1;
    }
    const auto idle = tests::rssKiB(desk.pid);
    const double cpuBefore = tests::cpuMs(desk.pid);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const tests::IngestRun run = tests::postCheckIns(desk, terminals, perTerminal, "bench-");
    const auto loaded = tests::rssKiB(desk.pid);
    const auto stored = static_cast<double>(
        std::max<std::size_t>(run.latenciesMs.size() + run.firstMs.size(), 1));
    const double cpuPerCheckIn = (tests::cpuMs(desk.pid) - cpuBefore) / stored;
    curl_global_cleanup();

    std::printf("terminals %d connected (first check-in with the TLS handshake: p50 %.1f ms, "
                "max %.1f ms)\n",
                terminals, tests::percentile(run.firstMs, 0.50),
                tests::percentile(run.firstMs, 1.0));
    std::printf("then %zu check-ins stored on kept connections, %d failed, %.2f s\n",
                run.latenciesMs.size(), run.failures, run.seconds);
    std::printf("  throughput   %8.1f check-ins/s\n",
                static_cast<double>(run.latenciesMs.size()) / run.seconds);
    std::printf("  latency      p50 %.1f ms   p99 %.1f ms   max %.1f ms\n",
                tests::percentile(run.latenciesMs, 0.50), tests::percentile(run.latenciesMs, 0.99),
                tests::percentile(run.latenciesMs, 1.0));
    std::printf("  desk CPU     %.2f ms per check-in\n", cpuPerCheckIn);
    std::printf("  desk RSS     %.1f MiB idle, %.1f MiB after, %.1f MiB peak\n",
                static_cast<double>(idle.first) / 1024, static_cast<double>(loaded.first) / 1024,
                static_cast<double>(loaded.second) / 1024);
    return run.failures == 0 ? 0 : 1;
}
