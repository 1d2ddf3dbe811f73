// bench_kiosk: what the real terminal costs the device (docs/performance.md). Starts this
// build's uketsuke-kiosk at 1920x1080 with the simulated card (a fresh test PKI from
// uketsuke-sim) and a gateway and desk that accept connections and never answer, under Xvfb
// (x11) and under SDL's offscreen driver (the branch kmsdrm takes: SDL's wait does not sleep
// there), once per renderer, and prints:
//   - PSS (/proc/PID/smaps_rollup) on the idle screen, fonts loaded;
//   - exec to the first frame presented (the kiosk's "first frame presented" log line);
//   - idle CPU (time on a CPU of every thread, /proc/PID/task/*/schedstat) and wake-ups
//     (context switches of every thread) over N seconds on the idle screen;
//   - CPU while the checking spinner turns (a script places the card and types the PIN; the
//     gateway never answers, so the screen stays).
// Numbers only, never a pass/fail: the goals are printed beside them.
//   bench_kiosk [SECONDS]     (default 10 s per measurement)
// BENCH_KIOSK and BENCH_SIM name other programs than this build's (say, a release kiosk
// measured by a benchmark built in another tree).
// Exits 77 ("skipped") when a program it needs is missing.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

std::string program(const char* variable, const char* built)
{
    const char* given = std::getenv(variable);
    return given != nullptr && *given != 0 ? given : built;
}
const std::string kKiosk = program("BENCH_KIOSK", UKETSUKE_KIOSK_BIN);
const std::string kSim = program("BENCH_SIM", UKETSUKE_SIM_BIN);
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kSkipped = 77;

// A child process whose stderr is read by a thread, so that lines can be waited for.
class Child {
public:
    Child(const std::vector<std::string>& args, const std::vector<std::string>& env)
    {
        int pipeFds[2];
        if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
            throw std::runtime_error("pipe");
        }
        started = Clock::now();
        m_pid = ::fork();
        if (m_pid == 0) {
            ::dup2(pipeFds[1], STDERR_FILENO);
            int null = ::open("/dev/null", O_RDWR);
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDIN_FILENO);
            for (const auto& e : env) {
                ::putenv(const_cast<char*>(e.c_str()));
            }
            std::vector<char*> argv;
            for (const auto& a : args) {
                argv.push_back(const_cast<char*>(a.c_str()));
            }
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            std::_Exit(127);
        }
        ::close(pipeFds[1]);
        m_fd = pipeFds[0];
        m_reader = std::thread([this] { read(); });
    }
    ~Child()
    {
        stop();
        m_reader.join();
        ::close(m_fd);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    pid_t pid() const { return m_pid; }

    // Waits for a line containing `text`; returns when it arrived.
    std::optional<Clock::time_point> waitFor(const std::string& text, Clock::duration timeout)
    {
        std::unique_lock lock(m_mutex);
        auto found = [&] {
            for (const auto& [at, line] : m_lines) {
                if (line.find(text) != std::string::npos) {
                    return std::optional(at);
                }
            }
            return std::optional<Clock::time_point>();
        };
        m_cv.wait_for(lock, timeout, [&] { return found().has_value() || m_closed; });
        return found();
    }

    std::string lastLines(std::size_t n)
    {
        std::lock_guard lock(m_mutex);
        std::string out;
        for (std::size_t i = m_lines.size() > n ? m_lines.size() - n : 0; i < m_lines.size();
             ++i) {
            out += "    " + m_lines[i].second + "\n";
        }
        return out;
    }

    // SIGKILL: a clean stop would wait for the workers' requests to the silent gateway.
    void stop()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            int status = 0;
            ::waitpid(m_pid, &status, 0);
            m_pid = -1;
        }
    }

    Clock::time_point started;

private:
    void read()
    {
        std::string pending;
        char buffer[4096];
        while (true) {
            ssize_t n = ::read(m_fd, buffer, sizeof buffer);
            if (n <= 0) {
                break;
            }
            const auto now = Clock::now();
            pending.append(buffer, static_cast<std::size_t>(n));
            std::size_t eol = 0;
            while ((eol = pending.find('\n')) != std::string::npos) {
                {
                    std::lock_guard lock(m_mutex);
                    m_lines.emplace_back(now, pending.substr(0, eol));
                }
                pending.erase(0, eol + 1);
                m_cv.notify_all();
            }
        }
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_cv.notify_all();
    }

    pid_t m_pid = -1;
    int m_fd = -1;
    std::thread m_reader;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<std::pair<Clock::time_point, std::string>> m_lines;
    bool m_closed = false;
};

int run(const std::vector<std::string>& args)
{
    pid_t pid = ::fork();
    if (pid == 0) {
        int null = ::open("/dev/null", O_RDWR);
        ::dup2(null, STDOUT_FILENO);
        std::vector<char*> argv;
        for (const auto& a : args) {
            argv.push_back(const_cast<char*>(a.c_str()));
        }
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        std::_Exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

// A TCP port that takes connections (the kernel completes them) and never answers: the
// terminal's gateway and desk requests wait there until their timeouts.
class BlackHole {
public:
    BlackHole()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
            ::listen(m_fd, 64) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            throw std::runtime_error("cannot listen on 127.0.0.1");
        }
        m_port = ntohs(addr.sin_port);
    }
    ~BlackHole() { ::close(m_fd); }
    BlackHole(const BlackHole&) = delete;
    BlackHole& operator=(const BlackHole&) = delete;
    std::string url() const { return "https://127.0.0.1:" + std::to_string(m_port); }

private:
    int m_fd = -1;
    int m_port = 0;
};

// Xvfb on a free display, 1920x1080.
class Xvfb {
public:
    static std::optional<std::string> findBinary()
    {
        for (const char* path : {"/usr/bin/Xvfb", "/usr/local/bin/Xvfb"}) {
            if (::access(path, X_OK) == 0) {
                return std::string(path);
            }
        }
        return std::nullopt;
    }
    explicit Xvfb(const std::string& binary)
    {
        int fds[2];
        if (::pipe(fds) != 0) {
            throw std::runtime_error("pipe");
        }
        m_pid = ::fork();
        if (m_pid == 0) {
            ::close(fds[0]);
            int null = ::open("/dev/null", O_RDWR);
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
            std::string fd = std::to_string(fds[1]);
            ::execl(binary.c_str(), binary.c_str(), "-displayfd", fd.c_str(), "-screen", "0",
                    "1920x1080x24", "-nolisten", "tcp", static_cast<char*>(nullptr));
            std::_Exit(127);
        }
        ::close(fds[1]);
        std::string number;
        char c = 0;
        pollfd p{fds[0], POLLIN, 0};
        while (::poll(&p, 1, 20000) > 0 && ::read(fds[0], &c, 1) == 1 && c != '\n') {
            number += c;
        }
        ::close(fds[0]);
        if (number.empty()) {
            throw std::runtime_error("Xvfb did not start");
        }
        display = ":" + number;
    }
    ~Xvfb()
    {
        ::kill(m_pid, SIGTERM);
        ::waitpid(m_pid, nullptr, 0);
    }
    Xvfb(const Xvfb&) = delete;
    Xvfb& operator=(const Xvfb&) = delete;
    std::string display;

private:
    pid_t m_pid = -1;
};

long pssKiB(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("Pss:", 0) == 0) {
            return std::stol(line.substr(4));
        }
    }
    return -1;
}

// Time on a CPU of every thread, in nanoseconds (the first field of each thread's schedstat:
// /proc/PID/stat's utime + stime count 10 ms ticks, too coarse for 0.05 %).
long long cpuNanoseconds(pid_t pid)
{
    long long total = 0;
    std::error_code ec;
    for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        std::ifstream in(task.path() / "schedstat");
        long long onCpu = 0;
        if (in >> onCpu) {
            total += onCpu;
        }
    }
    return total;
}

// utime + stime of every thread, in clock ticks.
long long cpuTicks(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close == std::string::npos) {
        return -1;
    }
    std::istringstream rest(text.substr(close + 2));
    std::string field;
    long long utime = 0;
    long long stime = 0;
    // Fields 3.. after the name; utime is field 14, stime 15.
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) {
            utime = std::stoll(field);
        } else if (i == 15) {
            stime = std::stoll(field);
        }
    }
    return utime + stime;
}

// Context switches of every thread: each is a wake-up (or a preemption).
long long switches(pid_t pid)
{
    long long total = 0;
    std::error_code ec;
    for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        std::ifstream in(task.path() / "status");
        std::string line;
        while (std::getline(in, line)) {
            if (line.find("voluntary_ctxt_switches:") != std::string::npos) {
                total += std::stoll(line.substr(line.find(':') + 1));
            }
        }
    }
    return total;
}

struct CpuSample {
    double percent = 0.0;
    double wakeups = 0.0;
};

CpuSample measureCpu(pid_t pid, std::chrono::seconds span)
{
    const long hz = ::sysconf(_SC_CLK_TCK);
    const long long ns0 = cpuNanoseconds(pid);
    const long long ticks0 = cpuTicks(pid);
    const long long switches0 = switches(pid);
    const auto t0 = Clock::now();
    std::this_thread::sleep_for(span); // the measurement window itself
    const long long ticks1 = cpuTicks(pid);
    const long long ns1 = cpuNanoseconds(pid);
    const long long switches1 = switches(pid);
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    CpuSample s;
    if (ns0 > 0 && ns1 >= ns0) {
        s.percent = 100.0 * static_cast<double>(ns1 - ns0) / 1.0e9 / seconds;
    } else { // no schedstat in this kernel
        s.percent =
            100.0 * static_cast<double>(ticks1 - ticks0) / static_cast<double>(hz) / seconds;
    }
    s.wakeups = static_cast<double>(switches1 - switches0) / seconds;
    return s;
}

struct Setup {
    fs::path work;
    std::string pki;
    std::string gateway;
};

struct Row {
    std::string driver;
    std::string renderer;
    std::string used; // what the kiosk's log says it drew with
    double pssMiB = -1;
    double firstFrameMs = -1;     // cold: no font cache yet
    double warmFirstFrameMs = -1; // the second run, with the cache
    CpuSample idle;
    double spinnerPercent = -1;
    double spinnerPssMiB = -1;
    std::string failure;
};

// Both runs of one row share a data folder: the second starts with the font cache the first
// wrote.
std::vector<std::string> kioskArgs(const Setup& s, const std::string& config, int n)
{
    return {kKiosk,
            "--config",
            config,
            "--windowed",
            "--pki",
            s.pki,
            "--gateway",
            s.gateway,
            "--desk",
            s.gateway,
            "--data",
            (s.work / ("data-" + std::to_string(n))).string(),
            "--printer",
            "sim:" + (s.work / "slips").string()};
}

Row measure(const Setup& s, const std::string& driver, const std::string& display,
            const std::string& renderer, std::chrono::seconds span, int rowNumber)
{
    Row row;
    row.driver = driver;
    row.renderer = renderer;
    const std::string config = (s.work / ("kiosk-" + renderer + ".toml")).string();
    std::ofstream(config) << "[ui]\nwidth = 1920\nheight = 1080\nrenderer = \"" << renderer
                          << "\"\n[sound]\nmute = true\n[network]\nconnect_timeout_ms = "
                             "600000\ntotal_timeout_ms = 600000\n";
    std::vector<std::string> env = {"SDL_VIDEODRIVER=" + driver};
    if (!display.empty()) {
        env.push_back("DISPLAY=" + display);
    }

    {
        Child idle(kioskArgs(s, config, rowNumber), env);
        auto first = idle.waitFor("first frame presented", 60s);
        if (!first) {
            row.failure = "no first frame within 60 s:\n" + idle.lastLines(10);
            return row;
        }
        row.firstFrameMs =
            std::chrono::duration<double, std::milli>(*first - idle.started).count();
        if (idle.waitFor(" via ", 1s)) {
            std::string lines = idle.lastLines(50);
            auto via = lines.find(" via ");
            if (via != std::string::npos) {
                row.used = lines.substr(via + 5, lines.find(',', via) - via - 5);
            }
        }
        std::this_thread::sleep_for(2s); // the start's work settles (workers, first requests)
        row.pssMiB = static_cast<double>(pssKiB(idle.pid())) / 1024.0;
        row.idle = measureCpu(idle.pid(), span);
    }

    const std::string script = (s.work / "spinner.script").string();
    std::ofstream(script) << "timeout 600000\nexpect-screen idle\ninsert-card\n"
                             "expect-screen enter_pin\ntype 1234\ntap ok\nexpect-screen result\n";
    std::vector<std::string> args = kioskArgs(s, config, rowNumber);
    args.push_back("--script");
    args.push_back(script);
    Child spinner(args, env);
    if (auto first = spinner.waitFor("first frame presented", 60s)) {
        row.warmFirstFrameMs =
            std::chrono::duration<double, std::milli>(*first - spinner.started).count();
    }
    if (!spinner.waitFor("screen checking", 60s)) {
        row.failure = "the checking screen did not show within 60 s:\n" + spinner.lastLines(10);
        return row;
    }
    std::this_thread::sleep_for(1s); // past the screen change's whole frames
    row.spinnerPercent = measureCpu(spinner.pid(), span).percent;
    row.spinnerPssMiB = static_cast<double>(pssKiB(spinner.pid())) / 1024.0;
    return row;
}

} // namespace

int main(int argc, char** argv)
{
    std::chrono::seconds span{10};
    if (argc > 1) {
        span = std::chrono::seconds(std::max(1, std::atoi(argv[1])));
    }
    if (::access(kKiosk.c_str(), X_OK) != 0 || ::access(kSim.c_str(), X_OK) != 0) {
        std::cout << "skipped: uketsuke-kiosk or uketsuke-sim not built\n";
        return kSkipped;
    }
    std::cout << "kiosk: " << kKiosk << "\n";
    if (std::getenv("BENCH_KIOSK") == nullptr &&
        (UKETSUKE_SANITIZED || std::string(UKETSUKE_BUILD_TYPE) == "Debug")) {
        std::cout << "note: a " << UKETSUKE_BUILD_TYPE
                  << (UKETSUKE_SANITIZED ? " ASan" : "")
                  << " build; the figures for the docs come from the release-bench preset\n";
    }

    Setup s;
    s.work = fs::temp_directory_path() / ("uketsuke-bench-kiosk-" + std::to_string(::getpid()));
    fs::create_directories(s.work / "slips");
    s.pki = (s.work / "pki").string();
    if (run({kSim, "pki", "--out", s.pki}) != 0) {
        std::cout << "skipped: uketsuke-sim pki failed\n";
        fs::remove_all(s.work);
        return kSkipped;
    }
    BlackHole gateway;
    s.gateway = gateway.url();

    std::vector<Row> rows;
    int rowNumber = 0;
    if (auto xvfb = Xvfb::findBinary()) {
        Xvfb x(*xvfb);
        for (const char* renderer : {"auto", "accelerated"}) {
            rows.push_back(measure(s, "x11", x.display, renderer, span, ++rowNumber));
        }
    } else {
        std::cout << "note: no Xvfb (apt-get install xvfb): x11 left out\n";
    }
    rows.push_back(measure(s, "offscreen", "", "auto", span, ++rowNumber));

    std::printf("1920x1080, sound muted, %llds per CPU figure\n",
                static_cast<long long>(span.count()));
    std::printf("%-10s %-12s %-18s %8s %16s %10s %11s %12s\n", "driver", "ui.renderer",
                "drawn with", "PSS MiB", "1st frame ms", "idle %cpu", "wake-ups/s",
                "spinner %cpu");
    std::printf("%-10s %-12s %-18s %8s %16s\n", "", "", "", "", "(cold / cached)");
    int failed = 0;
    for (const auto& r : rows) {
        if (!r.failure.empty()) {
            std::printf("%-10s %-12s failed: %s\n", r.driver.c_str(), r.renderer.c_str(),
                        r.failure.c_str());
            ++failed;
            continue;
        }
        std::printf("%-10s %-12s %-18s %8.1f %7.0f / %6.0f %10.3f %11.1f %12.2f\n",
                    r.driver.c_str(), r.renderer.c_str(), r.used.c_str(), r.pssMiB,
                    r.firstFrameMs, r.warmFirstFrameMs, r.idle.percent, r.idle.wakeups,
                    r.spinnerPercent);
    }
    std::printf("goals: PSS <= 50 MB, first frame <= 150 ms, idle <= 0.05 %%, "
                "spinner <= 2 %% of a core\n");
    fs::remove_all(s.work);
    return failed == 0 ? 0 : 1;
}
