#include "tests/hal/pcsc/pcsc_sandbox.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdexcept>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

namespace uketsuke::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kPcscd = "/usr/sbin/pcscd";
constexpr const char* kVpcdDriver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
constexpr const char* kSocketDir = "/run/pcscd";
constexpr const char* kSocket = "/run/pcscd/pcscd.comm";
constexpr const char* kReaderConfDir = "/etc/reader.conf.d";

std::string errnoText(const std::string& what)
{
    return what + ": " + std::strerror(errno);
}

int pidfdOpen(int pid)
{
    return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

int remainingMs(std::chrono::steady_clock::time_point deadline)
{
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

bool socketAccepts()
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return false;
    }
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, kSocket, sizeof address.sun_path - 1);
    bool ok = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return ok;
}

} // namespace

std::string pcscSandboxMissing()
{
    if (access(kPcscd, X_OK) != 0) {
        return std::string(kPcscd) + " missing (Debian package pcscd)";
    }
    if (access(kVpcdDriver, R_OK) != 0) {
        return std::string(kVpcdDriver) + " missing (Debian package vsmartcard-vpcd)";
    }
    if (access(UKETSUKE_SIM_BINARY, X_OK) != 0) {
        return std::string(UKETSUKE_SIM_BINARY) + " missing (build uketsuke-sim)";
    }
    if (geteuid() != 0) {
        return "not root: private network and mount namespaces need CAP_SYS_ADMIN";
    }
    return {};
}

std::string enterPcscSandbox()
{
    if (unshare(CLONE_NEWNET | CLONE_NEWNS) != 0) {
        return errnoText("unshare(CLONE_NEWNET | CLONE_NEWNS)");
    }
    // Our mounts must not propagate to the host.
    if (mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        return errnoText("mount --make-rprivate /");
    }
    mkdir(kSocketDir, 0755);
    if (mount("tmpfs", kSocketDir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) {
        return errnoText(std::string("mount tmpfs on ") + kSocketDir);
    }
    mkdir(kReaderConfDir, 0755);
    if (mount("tmpfs", kReaderConfDir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) {
        return errnoText(std::string("mount tmpfs on ") + kReaderConfDir);
    }
    // Debian's /etc/reader.conf.d/vpcd: server mode on 35963 (slot 0) and 35964 (slot 1).
    std::ofstream conf(std::string(kReaderConfDir) + "/vpcd");
    conf << "FRIENDLYNAME \"Virtual PCD\"\n"
            "DEVICENAME   /dev/null:0x8C7B\n"
            "LIBPATH      "
         << kVpcdDriver << "\nCHANNELID    0x8C7B\n";
    conf.close();
    if (!conf) {
        return "cannot write the vpcd reader.conf";
    }
    // Loopback up (ip link set lo up).
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errnoText("socket");
    }
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    int rc = ioctl(fd, SIOCGIFFLAGS, &request);
    if (rc == 0) {
        request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP | IFF_RUNNING);
        rc = ioctl(fd, SIOCSIFFLAGS, &request);
    }
    close(fd);
    if (rc != 0) {
        return errnoText("bring lo up");
    }
    return {};
}

Process::Process(std::vector<std::string> argv, fs::path log) : m_log(std::move(log))
{
    std::vector<char*> args;
    for (auto& arg : argv) {
        args.push_back(arg.data());
    }
    args.push_back(nullptr);
    const int parent = getpid();
    int pid = fork();
    if (pid < 0) {
        throw std::runtime_error(errnoText("fork"));
    }
    if (pid == 0) {
        // Only async-signal-safe calls until exec. The child dies with the test.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(127);
        }
        int out = open(m_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (out >= 0) {
            dup2(out, 1);
            dup2(out, 2);
        }
        if (in >= 0) {
            dup2(in, 0);
        }
        execv(args[0], args.data());
        _exit(127);
    }
    m_pid = pid;
    m_pidfd = pidfdOpen(pid);
}

Process::~Process()
{
    if (m_pid > 0) {
        stop(5s);
    }
    if (m_pidfd >= 0) {
        close(m_pidfd);
    }
}

Process::Process(Process&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1)),
      m_pidfd(std::exchange(other.m_pidfd, -1)),
      m_log(std::move(other.m_log))
{
}

Process& Process::operator=(Process&& other) noexcept
{
    if (this != &other) {
        if (m_pid > 0) {
            stop(5s);
        }
        if (m_pidfd >= 0) {
            close(m_pidfd);
        }
        m_pid = std::exchange(other.m_pid, -1);
        m_pidfd = std::exchange(other.m_pidfd, -1);
        m_log = std::move(other.m_log);
    }
    return *this;
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout)
{
    if (m_pid <= 0) {
        return std::nullopt;
    }
    pollfd fd{m_pidfd, POLLIN, 0};
    if (m_pidfd >= 0 && poll(&fd, 1, static_cast<int>(timeout.count())) == 0) {
        return std::nullopt;
    }
    int status = 0;
    if (waitpid(m_pid, &status, 0) != m_pid) {
        return std::nullopt;
    }
    m_pid = -1;
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return 128 + WTERMSIG(status);
}

int Process::stop(std::chrono::milliseconds timeout)
{
    if (m_pid <= 0) {
        return -1;
    }
    kill(m_pid, SIGTERM);
    if (auto status = wait(timeout)) {
        return *status;
    }
    kill(m_pid, SIGKILL);
    return wait(60s).value_or(-1);
}

CommandResult runCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout)
{
    char pattern[] = "/tmp/uketsuke-cmd-XXXXXX";
    int fd = mkstemp(pattern);
    if (fd < 0) {
        throw std::runtime_error(errnoText("mkstemp"));
    }
    close(fd);
    CommandResult result;
    {
        Process process(argv, pattern);
        auto status = process.wait(timeout);
        if (!status) {
            process.stop(1s);
        }
        result.status = status.value_or(-1);
    }
    std::ifstream in(pattern, std::ios::binary);
    result.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    unlink(pattern);
    return result;
}

Pcscd::Pcscd(fs::path logDir) : m_logDir(std::move(logDir)) {}

Pcscd::~Pcscd()
{
    stop();
}

void Pcscd::start()
{
    // Watch the socket directory before starting, so the socket's creation cannot be missed.
    int watch = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (watch < 0 || inotify_add_watch(watch, kSocketDir, IN_CREATE | IN_MOVED_TO) < 0) {
        throw std::runtime_error(errnoText("inotify on /run/pcscd"));
    }
    const auto log = m_logDir / ("pcscd-" + std::to_string(++m_starts) + ".log");
    m_process = Process({kPcscd, "--foreground"}, log);
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (access(kSocket, F_OK) != 0) {
        pollfd fd{watch, POLLIN, 0};
        if (poll(&fd, 1, remainingMs(deadline)) <= 0) {
            close(watch);
            throw std::runtime_error("pcscd did not create its socket; see " + log.string());
        }
        char buffer[4096];
        while (read(watch, buffer, sizeof buffer) > 0) {
        }
    }
    close(watch);
    // pcscd binds, then listens: a bounded readiness probe for the short gap in between.
    while (!socketAccepts()) {
        if (remainingMs(deadline) == 0) {
            throw std::runtime_error("pcscd does not accept connections; see " + log.string());
        }
        poll(nullptr, 0, 5);
    }
}

void Pcscd::stop()
{
    if (m_process.running()) {
        m_process.stop();
    }
    // A pcscd killed hard leaves its socket and pid file: remove them for the next start.
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(kSocketDir, ec)) {
        fs::remove(entry.path(), ec);
    }
}

fs::path sharedPki()
{
    const fs::path dir = fs::path(UKETSUKE_TEST_BINARY_DIR) / "tests" / "pcsc-pki";
    const fs::path personas = fs::path(UKETSUKE_SOURCE_DIR) / "assets/personas/personas.json";
    fs::create_directories(dir.parent_path());
    const fs::path lockPath = dir.string() + ".lock";
    int lock = open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock < 0 || flock(lock, LOCK_EX) != 0) {
        throw std::runtime_error(errnoText("lock " + lockPath.string()));
    }
    std::error_code ec;
    const fs::path made = dir / "personas.json";
    bool fresh = fs::exists(made, ec);
    if (fresh) {
        const auto madeAt = fs::last_write_time(made, ec);
        const auto now = fs::file_time_type::clock::now();
        fresh = madeAt > fs::last_write_time(personas, ec) && now - madeAt < 12h;
    }
    if (!fresh) {
        const fs::path tmp = dir.string() + ".tmp";
        fs::remove_all(tmp, ec);
        auto result = runCommand({UKETSUKE_SIM_BINARY, "pki", "--out", tmp.string(), "--personas",
                                  personas.string()},
                                 120s);
        if (result.status != 0) {
            close(lock);
            throw std::runtime_error("uketsuke-sim pki failed: " + result.output);
        }
        fs::remove_all(dir, ec);
        fs::rename(tmp, dir);
    }
    close(lock);
    return dir;
}

Process startSimCard(const std::string& persona, const fs::path& logDir, int port,
                     const std::vector<std::string>& extra)
{
    std::vector<std::string> argv{UKETSUKE_SIM_BINARY, "card",     "--pki",
                                  sharedPki().string(), "--persona", persona,
                                  "--port",             std::to_string(port)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    static int counter = 0;
    return Process(argv, logDir / ("card-" + persona + "-" + std::to_string(++counter) + ".log"));
}

std::vector<std::uint8_t> readBinaryFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace uketsuke::test
