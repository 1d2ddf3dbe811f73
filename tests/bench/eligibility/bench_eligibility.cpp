// bench_eligibility: how long an eligibility request takes over loopback, measured three ways
// in one run against the reference gateway (uketsuke-sim's GatewayServer, mutual TLS):
//
//   reused connection   POST /v1/challenge through net::HttpsClient, one connection kept
//                       (what the terminal does across check-ins)
//   fresh curl process  the same request by a new `curl` process each time (new process,
//                       new TCP connection, full TLS handshake with client certificate)
//   full check (reused) challenge + card signature + confirm through GatewaySource
//
// Prints p50 and p99 in milliseconds. Exit 77 ("skipped") when curl is not installed.
//   bench_eligibility [--count N]     (default 200 requests per row)

#include "base/log.hpp"
#include "kiosk/eligibility/gateway_source.hpp"
#include "net/https_client.hpp"
#include "tests/sim/support.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern char** environ;

namespace {

using namespace uketsuke;
using Clock = std::chrono::steady_clock;
using Millis = std::chrono::duration<double, std::milli>;

struct Row {
    std::string name;
    std::vector<double> millis;
    int failures = 0;
};

double percentile(std::vector<double> values, double p)
{
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::min(values.size(), std::max<std::size_t>(rank, 1)) - 1];
}

std::string findCurl()
{
    for (const char* dir : {"/usr/bin", "/bin", "/usr/local/bin"}) {
        std::string path = std::string(dir) + "/curl";
        if (::access(path.c_str(), X_OK) == 0) {
            return path;
        }
    }
    return {};
}

// Runs curl once; true when it exited 0 (with --fail: an HTTP 2xx).
bool runCurl(const std::string& curl, const sim::PkiLayout& pki, const std::string& url)
{
    std::vector<std::string> args{curl,
                                  "--silent",
                                  "--fail",
                                  "--output",
                                  "/dev/null",
                                  "--cacert",
                                  pki.tlsCa().string(),
                                  "--cert",
                                  pki.terminalCert().string(),
                                  "--key",
                                  pki.terminalKey().string(),
                                  "--header",
                                  "Content-Type: application/json",
                                  "--data",
                                  "{}",
                                  url};
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (::posix_spawn(&pid, curl.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
        return false;
    }
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) {
        return false;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

template <class F>
Row measure(const std::string& name, int count, F&& once)
{
    Row row{name, {}, 0};
    for (int i = 0; i < count; ++i) {
        const auto started = Clock::now();
        const bool ok = once();
        const double took = Millis(Clock::now() - started).count();
        if (ok) {
            row.millis.push_back(took);
        } else {
            ++row.failures;
        }
    }
    return row;
}

} // namespace

int main(int argc, char** argv)
{
    int count = 200;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--count" && i + 1 < argc) {
            count = std::max(1, std::atoi(argv[++i]));
        } else {
            std::fprintf(stderr, "usage: bench_eligibility [--count N]\n");
            return 2;
        }
    }
    const std::string curl = findCurl();
    if (curl.empty()) {
        std::printf("skipped: no curl program to compare with\n");
        return 77;
    }
    uketsuke::log::configure("*:warn");
    const sim::PkiLayout pki = sim::testing::sharedTestPki();
    sim::GatewayOptions options;
    options.pkiDir = pki.root();
    options.maxOpenChallenges = static_cast<std::size_t>(count) * 4 + 16;
    sim::testing::RunningGateway gateway(options);
    const std::string challengeUrl = gateway.url() + "/v1/challenge";

    net::TlsFiles tls{pki.tlsCa().string(), pki.terminalCert().string(),
                             pki.terminalKey().string()};
    net::HttpsClient client(tls, net::Timeouts{});
    // Warm up: the first request opens the connection that the rest reuse.
    (void)client.postJson(challengeUrl, "{}");
    int reusedConnections = 0;
    Row reused = measure("reused connection", count, [&] {
        auto reply = client.postJson(challengeUrl, "{}");
        reusedConnections += reply && !reply->newConnection ? 1 : 0;
        return reply && reply->status == 200;
    });
    Row fresh = measure("fresh curl process", count,
                        [&] { return runCurl(curl, pki, challengeUrl); });

    kiosk::eligibility::GatewaySourceOptions sourceOptions;
    sourceOptions.baseUrl = gateway.url();
    sourceOptions.tls = tls;
    sourceOptions.terminalId = "KIOSK-0001";
    sourceOptions.clinicCode = "1399999999";
    kiosk::eligibility::GatewaySource source(sourceOptions);
    const hal::Bytes certificate = sim::testing::readBytes(pki.cardCertificate("valid"));
    Row full = measure("full check (reused)", count, [&] {
        auto challenge = source.challenge();
        if (!challenge) {
            return false;
        }
        kiosk::eligibility::ConfirmRequest request;
        request.challengeId = challenge->id;
        request.certificate = certificate;
        request.signature = sim::testing::signAsCard(pki.cardKey("valid"), challenge->toSign);
        return source.confirm(request).has_value();
    });

    std::printf("eligibility round trips over loopback (%s), %d requests each\n",
                gateway.url().c_str(), count);
    std::printf("%-22s %10s %10s %9s\n", "", "p50 ms", "p99 ms", "failures");
    for (const Row* row : {&reused, &fresh, &full}) {
        std::printf("%-22s %10.2f %10.2f %9d\n", row->name.c_str(), percentile(row->millis, 0.5),
                    percentile(row->millis, 0.99), row->failures);
    }
    std::printf("reused connection: %d of %d requests went over the kept connection\n",
                reusedConnections, count);
    std::printf("(full check = challenge + an in-process RSA-2048 signature standing in for "
                "the card + confirm)\n");
    return reused.failures + fresh.failures + full.failures == 0 ? 0 : 1;
}
