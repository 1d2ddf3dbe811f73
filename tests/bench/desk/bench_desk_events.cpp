// bench_desk_events: how soon a check-in shows on the open staff pages. Starts the real
// uketsuke-desk process with a fresh test PKI and one staff account, logs 20 pages in through
// POST /login and opens each one's event stream (GET /api/v1/events, server-sent events; one
// connection and one reading thread per page, as 20 browsers would). A terminal (mutual TLS,
// kept connection) then posts check-ins one at a time: for each, the time from sending the POST
// to its `event: row` on each page is taken, and the next goes once every page has it (or after
// 10 s). Prints p50/p99/max over all (check-in, page) pairs, first on a quiet desk, then while
// other terminals post check-ins as fast as they are answered.
//   bench_desk_events [--pages N] [--count N] [--load N] [--desk PATH]
//   (default 20 pages, 200 check-ins, 20 loading terminals (0: no second run), this build's desk)

#include "tests/bench/desk/desk_bench.hpp"

#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

namespace {

using namespace uketsuke;
using tests::BenchClock;
using tests::BenchMillis;

constexpr auto kEventWait = std::chrono::seconds(10);
// A measured check-in's row carries the receipt number "E" and its index.
const std::string kMark = "\"receipt_number\":\"E";

struct Arrivals {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<BenchClock::time_point> sentAt;  // per check-in; guarded by mutex
    std::vector<std::vector<double>> delaysMs;  // per check-in, one per page; guarded by mutex
    int pagesReady = 0;                          // pages that have their "hello"; guarded
    std::atomic<bool> stop{false};
};

// One page: reads its event stream until `arrivals.stop`, and notes when each measured row came.
void readPage(tests::TlsClient& stream, Arrivals& arrivals)
{
    std::string buffer;
    bool ready = false;
    while (!arrivals.stop.load()) {
        const auto asked = BenchClock::now();
        std::string bytes = stream.readSome(std::chrono::milliseconds(200));
        const auto now = BenchClock::now();
        if (bytes.empty()) {
            if (now - asked < std::chrono::milliseconds(100)) {
                return; // closed, not a timeout
            }
            continue;
        }
        buffer += bytes;
        for (auto end = buffer.find("\n\n"); end != std::string::npos;
             end = buffer.find("\n\n")) {
            const std::string_view event(buffer.data(), end);
            std::lock_guard lock(arrivals.mutex);
            if (!ready && event.find("event: hello\n") != std::string_view::npos) {
                ready = true;
                ++arrivals.pagesReady;
                arrivals.changed.notify_all();
            }
            const auto mark = event.find(kMark);
            if (event.find("event: row\n") != std::string_view::npos &&
                mark != std::string_view::npos) {
                const auto index =
                    static_cast<std::size_t>(std::atol(buffer.c_str() + mark + kMark.size()));
                if (index < arrivals.delaysMs.size()) {
                    arrivals.delaysMs[index].push_back(
                        BenchMillis(now - arrivals.sentAt[index]).count());
                    arrivals.changed.notify_all();
                }
            }
            buffer.erase(0, end + 2);
        }
    }
}

struct Measured {
    std::vector<double> delaysMs; // every (check-in, page) pair that arrived
    std::vector<double> postMs;   // the terminal's POSTs, sent to answered
    int missing = 0;              // pairs that did not arrive within kEventWait
    int failures = 0;             // POSTs not answered 201
};

// Posts check-ins `first` .. `first + count - 1` one at a time from `terminal` and waits for
// each on every page.
Measured measure(const tests::DeskProcess& desk, std::unique_ptr<tests::TlsClient>& terminal,
                 Arrivals& arrivals, int pages, int first, int count)
{
    Measured out;
    for (int i = first; i < first + count; ++i) {
        char receipt[16];
        std::snprintf(receipt, sizeof receipt, "E%05d", i);
        const std::string body =
            kiosk::model::toJson(tests::sampleCheckIn("events-" + std::to_string(i), receipt))
                .dump();
        const auto index = static_cast<std::size_t>(i);
        BenchClock::time_point sent;
        {
            std::lock_guard lock(arrivals.mutex);
            sent = arrivals.sentAt[index] = BenchClock::now();
        }
        auto answer = terminal ? terminal->request("POST", "/api/v1/checkins", body)
                               : std::optional<tests::HttpAnswer>();
        if (answer && answer->status == 201) {
            out.postMs.push_back(BenchMillis(BenchClock::now() - sent).count());
        } else {
            ++out.failures;
            terminal = tests::TlsClient::connect("127.0.0.1", desk.port, tests::terminalTls(desk));
            continue;
        }
        std::unique_lock lock(arrivals.mutex);
        arrivals.changed.wait_for(lock, kEventWait, [&] {
            return arrivals.delaysMs[index].size() >= static_cast<std::size_t>(pages);
        });
        const auto& delays = arrivals.delaysMs[index];
        out.delaysMs.insert(out.delaysMs.end(), delays.begin(), delays.end());
        out.missing += pages - static_cast<int>(delays.size());
    }
    return out;
}

void print(const char* title, const Measured& m)
{
    std::printf("%s\n", title);
    std::printf("  page update  p50 %.1f ms   p99 %.1f ms   max %.1f ms   (%zu pairs, %d missing,"
                " %d posts failed)\n",
                tests::percentile(m.delaysMs, 0.50), tests::percentile(m.delaysMs, 0.99),
                tests::percentile(m.delaysMs, 1.0), m.delaysMs.size(), m.missing, m.failures);
    std::printf("  its POST     p50 %.1f ms   p99 %.1f ms   max %.1f ms\n",
                tests::percentile(m.postMs, 0.50), tests::percentile(m.postMs, 0.99),
                tests::percentile(m.postMs, 1.0));
}

} // namespace

int main(int argc, char** argv)
{
    int pages = 20;
    int count = 200;
    int load = 20;
    std::string binary = UKETSUKE_DESK_BINARY;
    tests::readBenchFlags(argc, argv,
                          {{"--pages", &pages, 1}, {"--count", &count, 1}, {"--load", &load, 0}},
                          binary);
    tests::DeskProcess desk;
    if (!tests::startDesk(desk, binary, true)) {
        return 1;
    }
    std::vector<std::unique_ptr<tests::TlsClient>> streams;
    for (int page = 0; page < pages; ++page) {
        const std::string cookie = tests::logIn(desk);
        auto stream = tests::TlsClient::connect("127.0.0.1", desk.port, tests::pageTls(desk));
        if (cookie.empty() || !stream ||
            !stream->write("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " +
                           cookie + "\r\nAccept: text/event-stream\r\n\r\n")) {
            std::printf("page %d: cannot log in or open its event stream\n", page + 1);
            return 1;
        }
        streams.push_back(std::move(stream));
    }

    Arrivals arrivals;
    const auto total = static_cast<std::size_t>(load > 0 ? 2 * count : count);
    arrivals.sentAt.resize(total);
    arrivals.delaysMs.resize(total);
    std::vector<std::thread> readers;
    for (auto& stream : streams) {
        readers.emplace_back([&arrivals, &stream] { readPage(*stream, arrivals); });
    }
    bool ready = false;
    {
        std::unique_lock lock(arrivals.mutex);
        ready = arrivals.changed.wait_for(lock, kEventWait,
                                          [&] { return arrivals.pagesReady == pages; });
    }
    int status = 0;
    if (!ready) {
        std::printf("not every page got its event stream's hello\n");
        status = 1;
    } else {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        auto terminal =
            tests::TlsClient::connect("127.0.0.1", desk.port, tests::terminalTls(desk));
        std::printf("pages %d, check-ins %d, one at a time from one terminal\n", pages, count);
        const Measured quiet = measure(desk, terminal, arrivals, pages, 0, count);
        print("quiet desk", quiet);
        bool failed = quiet.failures > 0 || quiet.missing > 0;
        if (load > 0) {
            std::atomic<bool> stopLoad{false};
            tests::IngestRun background;
            std::thread loader([&] {
                background = tests::postCheckIns(desk, load, 1 << 30, "load-", &stopLoad);
            });
            const Measured loaded = measure(desk, terminal, arrivals, pages, count, count);
            stopLoad = true;
            loader.join();
            char title[128];
            std::snprintf(title, sizeof title,
                          "with %d other terminals posting (%.0f check-ins/s, %d failed)", load,
                          static_cast<double>(background.latenciesMs.size()) / background.seconds,
                          background.failures);
            print(title, loaded);
            failed = failed || loaded.failures > 0 || loaded.missing > 0;
        }
        curl_global_cleanup();
        status = failed ? 1 : 0;
    }
    arrivals.stop = true;
    for (auto& reader : readers) {
        reader.join();
    }
    return status;
}
