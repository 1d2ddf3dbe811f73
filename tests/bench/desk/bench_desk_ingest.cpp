// bench_desk_ingest: the desk's ingest under load. Starts the real uketsuke-desk process on a
// loopback port with a fresh test PKI, then 50 terminals (libcurl multi, one connection each,
// keep-alive, mutual TLS) post check-ins as fast as they are answered. Prints check-ins/s,
// p50/p99/max latency, failures, and the desk's RSS (now and peak) after the run.
//   bench_desk_ingest [--terminals N] [--count N] [--desk PATH]
//   (default 50 terminals, 40 check-ins each, the uketsuke-desk of this build; --desk runs
//   another binary, e.g. a copy of an older build, for a side-by-side figure)

#include "kiosk/model/json.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/sample_checkin.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

using namespace uketsuke;
using Clock = std::chrono::steady_clock;
using Millis = std::chrono::duration<double, std::milli>;

double percentile(std::vector<double> values, double p)
{
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::min(values.size(), std::max<std::size_t>(rank, 1)) - 1];
}

// VmRSS and VmHWM of a process in KiB.
std::pair<long, long> rssKiB(pid_t pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    long rss = 0;
    long hwm = 0;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            rss = std::atol(line.c_str() + 6);
        } else if (line.rfind("VmHWM:", 0) == 0) {
            hwm = std::atol(line.c_str() + 6);
        }
    }
    return {rss, hwm};
}

// The desk as a child process; its stdout is read for the "listening URL" line.
struct DeskProcess {
    pid_t pid = -1;
    int out = -1;
    int port = 0;

    bool start(const std::string& binary, const std::string& pkiDir, const std::string& dataDir)
    {
        int pipeFds[2];
        if (pipe(pipeFds) != 0) {
            return false;
        }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
        posix_spawn_file_actions_addclose(&actions, pipeFds[0]);
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        std::vector<std::string> args = {binary, "--pki", pkiDir, "--data", dataDir,
                                         "--listen", "127.0.0.1:0", "--assets",
                                         std::string(UKETSUKE_SOURCE_DIR) + "/assets"};
        std::vector<char*> argv;
        for (auto& arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(pipeFds[1]);
        out = pipeFds[0];
        if (rc != 0) {
            pid = -1;
            return false;
        }
        std::string line;
        while (line.find('\n') == std::string::npos) {
            pollfd fd{out, POLLIN, 0};
            if (poll(&fd, 1, 10000) <= 0) {
                return false;
            }
            char buffer[256];
            ssize_t n = read(out, buffer, sizeof buffer);
            if (n <= 0) {
                return false;
            }
            line.append(buffer, static_cast<std::size_t>(n));
        }
        const std::string prefix = "listening https://127.0.0.1:";
        if (line.rfind(prefix, 0) != 0) {
            return false;
        }
        port = std::atoi(line.c_str() + prefix.size());
        return port > 0;
    }

    ~DeskProcess()
    {
        if (pid > 0) {
            kill(pid, SIGTERM);
            waitpid(pid, nullptr, 0);
        }
        if (out >= 0) {
            close(out);
        }
    }
};

struct Terminal {
    CURL* easy = nullptr;
    std::string body;
    std::string answer;
    int sent = 0;
    Clock::time_point started;
};

size_t collect(char* data, size_t size, size_t count, void* user)
{
    static_cast<Terminal*>(user)->answer.append(data, size * count);
    return size * count;
}

} // namespace

int main(int argc, char** argv)
{
    int terminals = 50;
    int perTerminal = 40;
    std::string binary = UKETSUKE_DESK_BINARY;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--terminals") {
            terminals = std::max(1, std::atoi(argv[i + 1]));
        } else if (flag == "--count") {
            perTerminal = std::max(1, std::atoi(argv[i + 1]));
        } else if (flag == "--desk") {
            binary = argv[i + 1];
        }
    }

    tests::TempDir dir;
    tests::writeTestPki(dir.path() / "pki");
    const auto tls = dir.path() / "pki" / "tls";
    DeskProcess desk;
    if (!desk.start(binary, (dir.path() / "pki").string(), (dir.path() / "data").string())) {
        std::printf("cannot start %s\n", binary.c_str());
        return 1;
    }
    const auto idle = rssKiB(desk.pid);

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM* multi = curl_multi_init();
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    const std::string url = "https://127.0.0.1:" + std::to_string(desk.port) + "/api/v1/checkins";
    std::vector<Terminal> pool(static_cast<std::size_t>(terminals));
    std::vector<double> latencies;
    int failures = 0;
    int serial = 0;

    auto post = [&](Terminal& t) {
        t.body = kiosk::model::toJson(tests::sampleCheckIn("bench-" + std::to_string(serial++)))
                     .dump();
        t.answer.clear();
        curl_easy_setopt(t.easy, CURLOPT_POSTFIELDS, t.body.c_str());
        curl_easy_setopt(t.easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(t.body.size()));
        t.started = Clock::now();
        curl_multi_add_handle(multi, t.easy);
    };
    for (auto& t : pool) {
        t.easy = curl_easy_init();
        curl_easy_setopt(t.easy, CURLOPT_URL, url.c_str());
        curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(t.easy, CURLOPT_CAINFO, (tls / "ca.pem").c_str());
        curl_easy_setopt(t.easy, CURLOPT_SSLCERT, (tls / "terminal.pem").c_str());
        curl_easy_setopt(t.easy, CURLOPT_SSLKEY, (tls / "terminal.key").c_str());
        curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(t.easy, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(t.easy, CURLOPT_PRIVATE, &t);
        curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, 30000L);
        curl_easy_setopt(t.easy, CURLOPT_NOSIGNAL, 1L);
    }

    const auto begin = Clock::now();
    for (auto& t : pool) {
        post(t);
    }
    int running = 1;
    while (running > 0) {
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            Terminal* t = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
            long status = 0;
            curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
            const CURLcode result = msg->data.result;
            curl_multi_remove_handle(multi, t->easy);
            if (result == CURLE_OK && status == 201) {
                latencies.push_back(Millis(Clock::now() - t->started).count());
            } else {
                ++failures;
            }
            if (++t->sent < perTerminal) {
                post(*t);
                running = 1;
            }
        }
        if (running > 0) {
            curl_multi_poll(multi, nullptr, 0, 100, nullptr);
        }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    const auto loaded = rssKiB(desk.pid);

    for (auto& t : pool) {
        curl_easy_cleanup(t.easy);
    }
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
    curl_global_cleanup();

    std::printf("terminals %d, check-ins %zu stored, %d failed, %.2f s\n", terminals,
                latencies.size(), failures, seconds);
    std::printf("  throughput   %8.1f check-ins/s\n",
                static_cast<double>(latencies.size()) / seconds);
    std::printf("  latency      p50 %.1f ms   p99 %.1f ms   max %.1f ms\n",
                percentile(latencies, 0.50), percentile(latencies, 0.99),
                percentile(latencies, 1.0));
    std::printf("  desk RSS     %.1f MiB idle, %.1f MiB after, %.1f MiB peak\n",
                static_cast<double>(idle.first) / 1024, static_cast<double>(loaded.first) / 1024,
                static_cast<double>(loaded.second) / 1024);
    return failures == 0 ? 0 : 1;
}
