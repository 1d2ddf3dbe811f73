#pragma once

// The stop signals (SIGINT, SIGTERM), taken synchronously by every program: the terminal, the
// desk and the simulators. Create StopSignals in main() before any thread starts, so that every
// thread inherits the blocked mask and no thread is interrupted; then either wait() for one or
// let onStop() call back from a thread of its own. Built on signalfd, so ending the watcher
// needs no extra signal.

#include <functional>
#include <optional>
#include <chrono>
#include <thread>

#include <signal.h>

namespace uketsuke {

class StopSignals {
public:
    // Blocks SIGINT and SIGTERM in the calling thread. Throws std::system_error when the
    // signalfd cannot be made (start-up only).
    StopSignals();
    // Ends the watcher thread (without calling it) and restores the previous mask.
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // Blocks until SIGINT or SIGTERM arrives, or `timeout` passes; returns the signal number,
    // or nullopt on timeout. Thread: the owner's.
    std::optional<int> wait(std::optional<std::chrono::milliseconds> timeout = std::nullopt);

    // Starts a thread that calls `onSignal(signal)` once, when SIGINT or SIGTERM arrives. It
    // must not block for long. Call at most once. Thread: the owner's.
    void onStop(std::function<void(int signal)> onSignal);

    // Calls `server.run()`, which blocks until `server.stop()`, and calls `server.stop()` from
    // the watcher thread when SIGINT or SIGTERM arrives (logged). Returns what run() returned.
    // Create the StopSignals before the server starts any thread. Uses onStop(), so call once.
    // Thread: the owner's.
    template <class Server>
    auto run(Server& server) -> decltype(server.run())
    {
        onStop([&server](int signal) {
            logStop(signal);
            server.stop();
        });
        return server.run();
    }

private:
    static void logStop(int signal);

    sigset_t m_previous;
    int m_signalFd = -1;
    int m_wakeFd = -1; // eventfd: ends the watcher
    std::thread m_watcher;
};

} // namespace uketsuke
