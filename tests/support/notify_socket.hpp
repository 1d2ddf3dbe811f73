#pragma once

// A NOTIFY_SOCKET of the test's own (an abstract unix datagram socket), to read what a service
// tells systemd: READY=1, STATUS=..., WATCHDOG=1. Sets NOTIFY_SOCKET while it lives.

#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

namespace uketsuke::test {

// NOTIFY_SOCKET for this test: an abstract unix datagram socket.
class NotifySocket {
public:
    NotifySocket()
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(m_fd >= 0);
        static int serial = 0;
        const std::string name = "uketsuke-test-notify-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(++serial);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path + 1, name.data(), name.size()); // sun_path[0] = 0: abstract
        auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
        REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&address), length) == 0);
        m_address = "@" + name;
        ::setenv("NOTIFY_SOCKET", m_address.c_str(), 1);
    }
    ~NotifySocket()
    {
        ::unsetenv("NOTIFY_SOCKET");
        ::close(m_fd);
    }

    // The next datagram, or nullopt when none came within `bound`.
    std::optional<std::string> next(std::chrono::milliseconds bound)
    {
        pollfd pfd{m_fd, POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(bound.count())) <= 0) {
            return std::nullopt;
        }
        char buffer[512];
        auto n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n < 0) {
            return std::nullopt;
        }
        return std::string(buffer, static_cast<std::size_t>(n));
    }

    // The socket's NOTIFY_SOCKET value ("@name").
    const std::string& address() const { return m_address; }

    // Reads until a datagram equal to `want` arrives (others are skipped); false on the bound.
    bool waitFor(const std::string& want, std::chrono::milliseconds bound)
    {
        auto deadline = std::chrono::steady_clock::now() + bound;
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left <= std::chrono::milliseconds(0)) {
                return false;
            }
            auto got = next(left);
            if (got && *got == want) {
                return true;
            }
        }
    }

private:
    int m_fd = -1;
    std::string m_address;
};

} // namespace uketsuke::test
