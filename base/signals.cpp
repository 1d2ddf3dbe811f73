#include "base/signals.hpp"

#include "base/log.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace uketsuke {
namespace {

const log::Category kLog("signals");

// Waits for a readable fd; returns the index of the first readable one, or -1 on timeout.
int waitReadable(int first, int second, int timeoutMs)
{
    pollfd fds[2] = {{first, POLLIN, 0}, {second, POLLIN, 0}};
    for (;;) {
        int n = ::poll(fds, second >= 0 ? 2 : 1, timeoutMs);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        return (fds[0].revents & POLLIN) != 0 ? 0 : 1;
    }
}

int readSignal(int fd)
{
    signalfd_siginfo info{};
    if (::read(fd, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) {
        return 0;
    }
    return static_cast<int>(info.ssi_signo);
}

} // namespace

StopSignals::StopSignals()
{
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, &m_previous);
    m_signalFd = ::signalfd(-1, &signals, SFD_CLOEXEC);
    m_wakeFd = ::eventfd(0, EFD_CLOEXEC);
    if (m_signalFd < 0 || m_wakeFd < 0) {
        int error = errno;
        if (m_signalFd >= 0) {
            ::close(m_signalFd);
        }
        pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
        throw std::system_error(error, std::generic_category(), "signalfd");
    }
}

StopSignals::~StopSignals()
{
    if (m_watcher.joinable()) {
        std::uint64_t one = 1;
        [[maybe_unused]] auto written = ::write(m_wakeFd, &one, sizeof one);
        m_watcher.join();
    }
    ::close(m_wakeFd);
    ::close(m_signalFd);
    pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
}

std::optional<int> StopSignals::wait(std::optional<std::chrono::milliseconds> timeout)
{
    int ms = timeout ? static_cast<int>(timeout->count()) : -1;
    if (waitReadable(m_signalFd, -1, ms) != 0) {
        return std::nullopt;
    }
    return readSignal(m_signalFd);
}

void StopSignals::onStop(std::function<void(int signal)> onSignal)
{
    m_watcher = std::thread([this, onSignal = std::move(onSignal)] {
        if (waitReadable(m_signalFd, m_wakeFd, -1) == 0) {
            onSignal(readSignal(m_signalFd));
        }
    });
}

void StopSignals::logStop(int signal)
{
    UKETSUKE_LOG(kLog, Info) << "signal " << signal << ": stopping";
}

} // namespace uketsuke
