#pragma once

// The simulated ESC/POS printer on TCP (`uketsuke-sim printer`): listens on loopback, takes one
// connection at a time as a LAN printer on port 9100 does, feeds the bytes to an
// EscposInterpreter, sends its replies back, and writes each cut page to DIR as
// slip-NNNN.png (1-bit, `widthDots` wide) and slip-NNNN.txt (the canonical dump), both 0600
// in a 0700 folder, PNG first and renamed into place, so an existing .txt means both are complete.
//
// Faults (set at start or with setFaults): paper out, near end, cover open, offline (answered
// in DLE EOT, printing stops), disconnect (the connection is closed as soon as job data
// arrives; nothing prints), slow (each read waits this long before it is processed). They have
// names (applyFaultName) shared by `uketsuke-sim printer --fault` and the headless script's
// `printer` command.

#include "base/result.hpp"
#include "hal/sim/escpos_interpreter.hpp"
#include "hal/text/text_renderer.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace uketsuke::hal::sim {

// Everything the simulator can be told to get wrong.
struct SimulatedFaults {
    PrinterFaults status;
    bool disconnect = false;
    std::chrono::milliseconds slow{0};
};

// What the fault `slow` makes each read wait: well under the 1.5 s a status request may take,
// so the printer is slow, not offline.
inline constexpr std::chrono::milliseconds kSlowFault{400};

// Adds the fault `name` to `faults`: paper-out, near-end, cover-open, offline, disconnect, slow
// (kSlowFault), or ok (clears every fault). Errors: InvalidArgument naming the accepted names.
Result<void> applyFaultName(std::string_view name, SimulatedFaults& faults);

// The accepted names, for usage texts: "paper-out, near-end, ..., ok".
const char* faultNames();

struct EscposServerOptions {
    std::filesystem::path outDir;
    int widthDots = 576;
    PrinterFaults faults;
    bool disconnect = false;
    std::chrono::milliseconds slow{0};
    text::FontConfig font;
};

class EscposServer {
public:
    // Binds 127.0.0.1:`port` (0 picks a free port). Errors: ConfigInvalid (width not 384, 512
    // or 576), StorageError (outDir cannot be created), NetworkError (cannot listen), and the
    // renderer's errors.
    static Result<std::unique_ptr<EscposServer>> open(EscposServerOptions options,
                                                      std::uint16_t port);
    ~EscposServer();

    std::uint16_t port() const { return m_port; }

    // Serves connections until stop(). Thread: the caller's (one).
    Result<void> run();
    // Thread: any.
    void stop();
    void setFaults(const PrinterFaults& faults, bool disconnect);
    // All of them, slowness too. Thread: any.
    void setFaults(const SimulatedFaults& faults);

    // Pages written so far by this server; waits up to `timeout` for at least `count`. Each is
    // written as outDir/slip-NNNN.png and .txt, numbered on from the highest slip-NNNN already
    // in outDir, so a later run (the next terminal start, the demo's second check-in) never
    // overwrites an earlier slip. Thread: any.
    int waitForPages(int count, std::chrono::milliseconds timeout);

private:
    EscposServer(EscposServerOptions options, text::TextRenderer renderer, int listener,
                 std::uint16_t port, int wakeRead, int wakeWrite);
    void serveConnection(int fd);
    Result<void> writePage(const PrintedPage& page);

    EscposServerOptions m_options;
    text::TextRenderer m_renderer;
    int m_listener;
    std::uint16_t m_port;
    int m_wakeRead;
    int m_wakeWrite;
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_pages = 0;                 // guarded by m_mutex
    int m_numberBase = 0; // the highest slip-NNNN in outDir at open(): numbering goes on from it
    PrinterFaults m_faults;          // guarded by m_mutex
    bool m_disconnect = false;       // guarded by m_mutex
    bool m_faultsChanged = false;    // guarded by m_mutex
    std::atomic<long long> m_slowMs{0};
};

} // namespace uketsuke::hal::sim
