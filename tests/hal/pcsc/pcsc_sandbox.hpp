#pragma once

// The sandbox of the PC/SC integration tests and the card benchmark (docs/pcsc.md):
// this process enters a private network + mount namespace, with a tmpfs on /run/pcscd (its own
// pcscd.comm) and on /etc/reader.conf.d (only our vpcd reader), and loopback up. Each test then
// runs its own pcscd and its own `uketsuke-sim card` processes in there: nothing listens on an
// outside interface, the system pcscd is never used, and parallel tests do not collide.
//
// Waiting is always on a condition with a deadline: pcscd's socket appearing (inotify), a
// process ending (pidfd), a card appearing (PcscReader::waitForChange in the tests).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace uketsuke::test {

// Returns "" when the sandbox can run here, or one line saying what is missing (pcscd, the
// vpcd driver, unshare privileges, uketsuke-sim). Call before enterPcscSandbox().
std::string pcscSandboxMissing();

// Enters the namespaces and mounts described above. Call once, before any thread starts
// (unshare(CLONE_NEWNS) requires a single-threaded process). Returns "" or what failed.
std::string enterPcscSandbox();

// A child process with its stdout and stderr in a log file.
class Process {
public:
    Process() = default;
    // Starts argv[0] (a path) with argv; throws std::runtime_error when it cannot start.
    Process(std::vector<std::string> argv, std::filesystem::path log);
    ~Process(); // SIGTERM, then SIGKILL after a bounded wait
    Process(Process&& other) noexcept;
    Process& operator=(Process&& other) noexcept;

    bool running() const { return m_pid > 0; }
    int pid() const { return m_pid; }
    const std::filesystem::path& log() const { return m_log; }

    // Waits up to `timeout` for the process to end; returns its exit status (128 + signal when
    // killed), or nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    // SIGTERM, wait up to `timeout`, then SIGKILL. Returns the exit status.
    int stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));

private:
    int m_pid = -1;
    int m_pidfd = -1;
    std::filesystem::path m_log;
};

struct CommandResult {
    int status = -1;
    std::string output; // stdout and stderr
};

// Runs a command to completion (killed after `timeout`: status -1).
CommandResult runCommand(const std::vector<std::string>& argv,
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

// The pcscd of one test, in the sandbox.
class Pcscd {
public:
    explicit Pcscd(std::filesystem::path logDir);
    ~Pcscd();
    // Starts pcscd and waits until its socket accepts connections. Throws on failure.
    void start();
    void stop();
    void restart()
    {
        stop();
        start();
    }

private:
    std::filesystem::path m_logDir;
    int m_starts = 0;
    Process m_process;
};

// The test PKI of `uketsuke-sim pki` for the personas in assets/, made once per build tree
// (and again when older than 12 hours or than the personas file), shared by concurrent tests
// under a file lock.
std::filesystem::path sharedPki();

// `uketsuke-sim card --pki <sharedPki> --persona P --port PORT [extra...]`.
Process startSimCard(const std::string& persona, const std::filesystem::path& logDir,
                     int port = 35963, const std::vector<std::string>& extra = {});

// The vpcd reader names of slot 0 and 1 (docs/programs/uketsuke-sim.md).
inline constexpr const char* kSlot0 = "Virtual PCD 00 00";
inline constexpr const char* kSlot1 = "Virtual PCD 00 01";

std::vector<std::uint8_t> readBinaryFile(const std::filesystem::path& path);

} // namespace uketsuke::test
