#pragma once

// What the desk benchmarks share (bench code only, header-only): the real uketsuke-desk process
// on a free loopback port with a fresh test PKI and data folder, terminals that post check-ins
// over mutual TLS with keep-alive (libcurl multi), staff accounts and log-ins for the page's
// requests, percentiles, and the desk's RSS and CPU time.

#include "kiosk/model/json.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/sample_checkin.hpp"
#include "tests/net/tls_client.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

extern char** environ;

namespace uketsuke::tests {

using BenchClock = std::chrono::steady_clock;
using BenchMillis = std::chrono::duration<double, std::milli>;

// The value at rank ceil(p * n) of `values` (p in 0..1; 1 is the maximum); 0 when empty.
inline double percentile(std::vector<double> values, double p)
{
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::min(values.size(), std::max<std::size_t>(rank, 1)) - 1];
}

// VmRSS and VmHWM of a process in KiB.
inline std::pair<long, long> rssKiB(pid_t pid)
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

// The CPU time a process has used so far (user and system, all threads), in milliseconds: on a
// machine shared with other work this says what a request costs, where the wall time says how
// long it waited too.
inline double cpuMs(pid_t pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text); // one line
    const auto close = text.rfind(')'); // the name may hold spaces; the fields follow it
    if (close == std::string::npos) {
        return 0;
    }
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    for (int i = 3; fields >> field; ++i) { // field 3 is the state; utime is 14, stime 15
        if (i == 14) {
            utime = std::stoull(field);
        } else if (i == 15) {
            stime = std::stoull(field);
            break;
        }
    }
    return 1000.0 * static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Spawns `args` (args[0] is the program) with stdout to `stdoutFd` (-1: /dev/null), stdin from
// `stdinFd` (-1: unchanged) and stderr to /dev/null; the child's pid, or -1.
inline pid_t spawnQuiet(std::vector<std::string> args, int stdoutFd, int stdinFd)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (stdoutFd >= 0) {
        posix_spawn_file_actions_adddup2(&actions, stdoutFd, 1);
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    }
    if (stdinFd >= 0) {
        posix_spawn_file_actions_adddup2(&actions, stdinFd, 0);
    }
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

// The desk as a child process with a fresh test PKI (DIR/pki) and data folder (DIR/data); its
// stdout is read for the "listening URL" line. Stopped (SIGTERM) on destruction.
struct DeskProcess {
    TempDir dir;
    std::string binary;
    pid_t pid = -1;
    int out = -1;
    int port = 0;

    std::string pkiDir() const { return (dir.path() / "pki").string(); }
    std::string dataDir() const { return (dir.path() / "data").string(); }
    std::string tls(const std::string& file) const
    {
        return (dir.path() / "pki" / "tls" / file).string();
    }

    // Writes the PKI, starts `deskBinary` on 127.0.0.1 with a free port and waits for the line
    // that names it; false when the desk does not start.
    bool start(const std::string& deskBinary)
    {
        binary = deskBinary;
        writeTestPki(dir.path() / "pki");
        int pipeFds[2];
        if (pipe2(pipeFds, O_CLOEXEC) != 0) {
            return false;
        }
        pid = spawnQuiet({binary, "--pki", pkiDir(), "--data", dataDir(), "--listen",
                          "127.0.0.1:0", "--assets", std::string(UKETSUKE_SOURCE_DIR) + "/assets"},
                         pipeFds[1], -1);
        close(pipeFds[1]);
        out = pipeFds[0];
        if (pid < 0) {
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

    std::string url(const std::string& path) const
    {
        return "https://127.0.0.1:" + std::to_string(port) + path;
    }

    DeskProcess() = default;
    DeskProcess(const DeskProcess&) = delete;
    DeskProcess& operator=(const DeskProcess&) = delete;
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

// TLS as a browser has it (the clinic CA, no certificate), and as the test terminal has it.
inline ClientTls pageTls(const DeskProcess& desk)
{
    ClientTls files;
    files.caFile = desk.tls("ca.pem");
    return files;
}

inline ClientTls terminalTls(const DeskProcess& desk)
{
    ClientTls files = pageTls(desk);
    files.certFile = desk.tls("terminal.pem");
    files.keyFile = desk.tls("terminal.key");
    return files;
}

// The staff account a bench makes when it needs one.
inline const std::string kBenchUser = "bench";
inline const std::string kBenchPassword = "bench-password";

// A number flag of a bench: "--name N", at least `min`.
struct BenchFlag {
    std::string name;
    int* value;
    int min;
};

// Reads "--name N" pairs into `flags`, and "--desk PATH" (another uketsuke-desk, e.g. a copy of
// an older build, for a side-by-side figure) into `binary`; other words are ignored.
inline void readBenchFlags(int argc, char** argv, const std::vector<BenchFlag>& flags,
                           std::string& binary)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--desk") {
            binary = argv[i + 1];
        }
        for (const auto& known : flags) {
            if (flag == known.name) {
                *known.value = std::max(known.min, std::atoi(argv[i + 1]));
            }
        }
    }
}

// Adds a staff account with `uketsuke-desk user add NAME --data DIR`, the password on stdin;
// false when the command fails.
inline bool addStaffUser(const DeskProcess& desk, const std::string& name,
                         const std::string& password)
{
    int pipeFds[2];
    if (pipe2(pipeFds, O_CLOEXEC) != 0) {
        return false;
    }
    const pid_t child =
        spawnQuiet({desk.binary, "user", "add", name, "--data", desk.dataDir()}, -1, pipeFds[0]);
    close(pipeFds[0]);
    const std::string line = password + "\n";
    const bool written = child > 0 && write(pipeFds[1], line.data(), line.size()) ==
                                          static_cast<ssize_t>(line.size());
    close(pipeFds[1]);
    int status = 0;
    if (child <= 0 || waitpid(child, &status, 0) != child) {
        return false;
    }
    return written && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Starts `desk` from `binary` (see DeskProcess::start) and, when `withStaff`, adds the staff
// account kBenchUser; false after saying on stdout what failed.
inline bool startDesk(DeskProcess& desk, const std::string& binary, bool withStaff)
{
    if (!desk.start(binary)) {
        std::printf("cannot start %s\n", binary.c_str());
        return false;
    }
    if (withStaff && !addStaffUser(desk, kBenchUser, kBenchPassword)) {
        std::printf("uketsuke-desk user add failed\n");
        return false;
    }
    return true;
}

// Logs `name` in through POST /login as the login form does; the session cookie
// ("__Host-uketsuke-desk=...") for the page's requests, or "" when refused.
inline std::string logIn(const DeskProcess& desk, const std::string& name = kBenchUser,
                         const std::string& password = kBenchPassword)
{
    auto client = TlsClient::connect("127.0.0.1", desk.port, pageTls(desk));
    if (!client) {
        return {};
    }
    auto answer = client->request("POST", "/login", "name=" + name + "&password=" + password, {},
                                  "application/x-www-form-urlencoded");
    if (!answer || answer->status != 303) {
        return {};
    }
    const std::string setCookie = answer->header("Set-Cookie");
    const std::string cookie = setCookie.substr(0, setCookie.find(';'));
    return cookie.rfind("__Host-", 0) == 0 ? cookie : std::string();
}

// What a run of terminals posting check-ins saw.
struct IngestRun {
    // One per stored check-in (201) on a kept connection: the steady state.
    std::vector<double> latenciesMs;
    // One per terminal: its first check-in, which also connects (TCP and the mutual-TLS
    // handshake, all terminals at once). Not in latenciesMs, throughput or seconds.
    std::vector<double> firstMs;
    int failures = 0;
    double seconds = 0; // from the moment every terminal is connected to the end
};

// `terminals` terminals (one kept connection each, mutual TLS with the test PKI's terminal
// certificate) connect with a first check-in each; once all are connected, they post
// `perTerminal` more check-ins each to `desk`, each as soon as its previous one is answered. Idempotency keys are `keyPrefix` and a serial number. When `stop` is given, the run
// also ends once it is set (a background load). curl_global_init must have been called.
inline IngestRun postCheckIns(const DeskProcess& desk, int terminals, int perTerminal,
                              const std::string& keyPrefix,
                              const std::atomic<bool>* stop = nullptr)
{
    struct Terminal {
        CURL* easy = nullptr;
        std::string body;
        std::string answer;
        int sent = 0;
        BenchClock::time_point started;
    };
    const auto collect = [](char* data, size_t size, size_t count, void* user) -> size_t {
        static_cast<Terminal*>(user)->answer.append(data, size * count);
        return size * count;
    };
    using Collect = size_t (*)(char*, size_t, size_t, void*);

    CURLM* multi = curl_multi_init();
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    const std::string url = desk.url("/api/v1/checkins");
    const std::string ca = desk.tls("ca.pem");
    const std::string cert = desk.tls("terminal.pem");
    const std::string key = desk.tls("terminal.key");
    std::vector<Terminal> pool(static_cast<std::size_t>(terminals));
    IngestRun run;
    int serial = 0;

    auto post = [&](Terminal& t) {
        t.body = kiosk::model::toJson(sampleCheckIn(keyPrefix + std::to_string(serial++))).dump();
        t.answer.clear();
        curl_easy_setopt(t.easy, CURLOPT_POSTFIELDS, t.body.c_str());
        curl_easy_setopt(t.easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(t.body.size()));
        t.started = BenchClock::now();
        curl_multi_add_handle(multi, t.easy);
    };
    for (auto& t : pool) {
        t.easy = curl_easy_init();
        curl_easy_setopt(t.easy, CURLOPT_URL, url.c_str());
        curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(t.easy, CURLOPT_CAINFO, ca.c_str());
        curl_easy_setopt(t.easy, CURLOPT_SSLCERT, cert.c_str());
        curl_easy_setopt(t.easy, CURLOPT_SSLKEY, key.c_str());
        curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, static_cast<Collect>(collect));
        curl_easy_setopt(t.easy, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(t.easy, CURLOPT_PRIVATE, &t);
        curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, 30000L);
        curl_easy_setopt(t.easy, CURLOPT_NOSIGNAL, 1L);
    }

    auto begin = BenchClock::now();
    int connected = 0; // terminals whose first check-in was answered
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
            const bool stored = result == CURLE_OK && status == 201;
            const double took = BenchMillis(BenchClock::now() - t->started).count();
            if (!stored) {
                ++run.failures;
            }
            if (connected < terminals) {
                // A first check-in: the others wait until every terminal is connected.
                if (stored) {
                    run.firstMs.push_back(took);
                }
                if (++connected == terminals) {
                    begin = BenchClock::now();
                    for (auto& next : pool) {
                        post(next);
                    }
                    running = 1;
                }
                continue;
            }
            if (stored) {
                run.latenciesMs.push_back(took);
            }
            const bool stopped = stop != nullptr && stop->load();
            if (++t->sent < perTerminal && !stopped) {
                post(*t);
                running = 1;
            }
        }
        if (running > 0) {
            curl_multi_poll(multi, nullptr, 0, 100, nullptr);
        }
    }
    run.seconds = std::chrono::duration<double>(BenchClock::now() - begin).count();

    for (auto& t : pool) {
        curl_easy_cleanup(t.easy);
    }
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
    return run;
}

} // namespace uketsuke::tests
