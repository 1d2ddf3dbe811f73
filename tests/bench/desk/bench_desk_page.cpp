// bench_desk_page: the staff page of a busy day over HTTPS. Starts the real uketsuke-desk
// process with a fresh test PKI and one staff account, has 50 terminals post a day's 4 000
// check-ins (mutual TLS, kept connections, as bench_desk_ingest), logs in through POST /login
// and then, over one kept TLS connection as a browser holds it, times GET /api/v1/queue (the
// day's rows, which the page loads first) and GET / (the page), 20 rounds each. Prints
// median/p99/max per request and the body sizes.
//   bench_desk_page [--checkins N] [--rounds N] [--desk PATH]
//   (default 4 000 check-ins, 20 rounds, the uketsuke-desk of this build)

#include "tests/bench/desk/desk_bench.hpp"

#include <cstdio>
#include <memory>

namespace {

using namespace uketsuke;
using tests::BenchClock;
using tests::BenchMillis;

struct Timed {
    std::vector<double> ms;
    double cpuMs = 0; // the desk's CPU time per request
    std::size_t bytes = 0;
    int failures = 0;
    std::string lastBody;
};

// `rounds` times GET `path` with `cookie` on `client` (reconnected if the desk closes it).
Timed timeGet(const tests::DeskProcess& desk, std::unique_ptr<tests::TlsClient>& client,
              const std::string& cookie, const std::string& path, int rounds)
{
    Timed out;
    const double cpuBefore = tests::cpuMs(desk.pid);
    for (int i = 0; i < rounds; ++i) {
        if (!client) {
            client = tests::TlsClient::connect("127.0.0.1", desk.port, tests::pageTls(desk));
        }
        const auto sent = BenchClock::now();
        auto answer = client ? client->request("GET", path, {}, "Cookie: " + cookie + "\r\n")
                             : std::optional<tests::HttpAnswer>();
        const double ms = BenchMillis(BenchClock::now() - sent).count();
        if (!answer || answer->status != 200) {
            ++out.failures;
            client.reset();
            continue;
        }
        out.ms.push_back(ms);
        out.bytes = answer->body.size();
        out.lastBody = std::move(answer->body);
    }
    out.cpuMs = (tests::cpuMs(desk.pid) - cpuBefore) / rounds;
    return out;
}

void print(const char* what, const Timed& t)
{
    std::printf("  %-18s median %.1f ms   p99 %.1f ms   max %.1f ms   %.1f KiB   (%d failed)\n",
                what, tests::percentile(t.ms, 0.50), tests::percentile(t.ms, 0.99),
                tests::percentile(t.ms, 1.0), static_cast<double>(t.bytes) / 1024, t.failures);
    std::printf("  %-18s desk CPU %.1f ms per request\n", "", t.cpuMs);
}

std::size_t occurrences(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
        ++n;
    }
    return n;
}

} // namespace

int main(int argc, char** argv)
{
    int checkIns = 4000;
    int rounds = 20;
    std::string binary = UKETSUKE_DESK_BINARY;
    tests::readBenchFlags(argc, argv, {{"--checkins", &checkIns, 50}, {"--rounds", &rounds, 1}},
                          binary);
    tests::DeskProcess desk;
    if (!tests::startDesk(desk, binary, true)) {
        return 1;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const int terminals = 50;
    const tests::IngestRun day =
        tests::postCheckIns(desk, terminals, (checkIns + terminals - 1) / terminals - 1, "day-");
    curl_global_cleanup();
    const std::string cookie = tests::logIn(desk);
    if (cookie.empty()) {
        std::printf("cannot log in\n");
        return 1;
    }

    std::unique_ptr<tests::TlsClient> client;
    const Timed queue = timeGet(desk, client, cookie, "/api/v1/queue", rounds);
    const Timed page = timeGet(desk, client, cookie, "/", rounds);
    const auto rss = tests::rssKiB(desk.pid);

    std::printf("a day of %zu check-ins (%d failed, stored in %.1f s), %d rounds on one kept "
                "connection\n",
                day.latenciesMs.size() + day.firstMs.size(), day.failures, day.seconds, rounds);
    print("GET /api/v1/queue", queue);
    std::printf("  %-18s %zu rows\n", "", occurrences(queue.lastBody, "\"status_at\":"));
    print("GET /", page);
    std::printf("  desk RSS     %.1f MiB, %.1f MiB peak\n", static_cast<double>(rss.first) / 1024,
                static_cast<double>(rss.second) / 1024);
    const bool failed = day.failures > 0 || queue.failures > 0 || page.failures > 0;
    return failed ? 1 : 0;
}
