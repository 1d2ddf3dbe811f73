#include "hal/escpos/transport.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace uketsuke::hal::escpos {
namespace {

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline)
{
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

class TcpTransport final : public Transport {
public:
    TcpTransport(std::string host, std::uint16_t port) : m_host(std::move(host)), m_port(port) {}

    Result<void> connect(Millis timeout) override
    {
        if (connected()) {
            return ok();
        }
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_NUMERICSERV;
        addrinfo* found = nullptr;
        const std::string port = std::to_string(m_port);
        if (int rc = getaddrinfo(m_host.c_str(), port.c_str(), &hints, &found); rc != 0) {
            return fail(Errc::PrinterOffline, "printer host not resolved", rc);
        }
        std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, freeaddrinfo);
        const auto deadline = Clock::now() + timeout;
        Error last{Errc::PrinterOffline, 0, "no address"};
        for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
            int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                              a->ai_protocol);
            if (fd < 0) {
                last = {Errc::PrinterOffline, errno, "socket failed"};
                continue;
            }
            if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
                last = {Errc::PrinterOffline, errno, "connect refused"};
                ::close(fd);
                continue;
            }
            pollfd p{fd, POLLOUT, 0};
            int rc = ::poll(&p, 1, remainingMs(deadline));
            if (rc == 0) {
                ::close(fd);
                return fail(Errc::Timeout, "printer connect timed out");
            }
            int soError = 0;
            socklen_t len = sizeof soError;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len);
            if (rc < 0 || soError != 0) {
                last = {Errc::PrinterOffline, soError != 0 ? soError : errno, "connect failed"};
                ::close(fd);
                continue;
            }
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            m_fd = fd;
            return ok();
        }
        return fail(std::move(last));
    }

    std::string describe() const override
    {
        return "tcp:" + m_host + ":" + std::to_string(m_port);
    }

private:
    std::string m_host;
    std::uint16_t m_port;
};

class UsbTransport final : public Transport {
public:
    explicit UsbTransport(std::string path) : m_path(std::move(path)) {}

    Result<void> connect(Millis /*timeout*/) override
    {
        if (connected()) {
            return ok();
        }
        // usblp: O_NONBLOCK so read() says EAGAIN instead of blocking; EBUSY while another
        // process holds the node.
        int fd = ::open(m_path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
            const int e = errno;
            return fail(Errc::PrinterOffline,
                        e == EBUSY ? "printer device busy" : "printer device cannot be opened", e);
        }
        m_fd = fd;
        return ok();
    }

    std::string describe() const override { return "usb:" + m_path; }

private:
    std::string m_path;
};

} // namespace

Transport::~Transport()
{
    close();
}

void Transport::close()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

Result<void> Transport::write(std::string_view bytes, Millis timeout)
{
    if (!connected()) {
        return fail(Errc::PrinterOffline, "printer not connected");
    }
    const auto deadline = Clock::now() + timeout;
    std::size_t done = 0;
    while (done < bytes.size()) {
        pollfd p{m_fd, POLLOUT, 0};
        int rc = ::poll(&p, 1, remainingMs(deadline));
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        if (rc == 0) {
            return fail(Errc::Timeout, "printer stopped taking data");
        }
        if (rc < 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
            close();
            return fail(Errc::PrinterOffline, "printer connection lost");
        }
        ssize_t n = ::send(m_fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK) {
            n = ::write(m_fd, bytes.data() + done, bytes.size() - done);
        }
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) {
                continue;
            }
            const int e = errno;
            close();
            return fail(Errc::PrinterOffline, "printer write failed", e);
        }
        done += static_cast<std::size_t>(n);
    }
    return ok();
}

Result<std::uint8_t> Transport::readByte(Millis timeout)
{
    if (!connected()) {
        return fail(Errc::PrinterOffline, "printer not connected");
    }
    const auto deadline = Clock::now() + timeout;
    while (true) {
        pollfd p{m_fd, POLLIN, 0};
        int rc = ::poll(&p, 1, remainingMs(deadline));
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        if (rc == 0) {
            return fail(Errc::Timeout, "no reply from the printer");
        }
        std::uint8_t b = 0;
        ssize_t n = ::read(m_fd, &b, 1);
        if (n == 1) {
            return b;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (remainingMs(deadline) == 0) {
                return fail(Errc::Timeout, "no reply from the printer");
            }
            continue;
        }
        const int e = n < 0 ? errno : 0;
        close();
        return fail(Errc::PrinterOffline, n == 0 ? "printer closed the connection"
                                                 : "printer read failed",
                    e);
    }
}

void Transport::discardInput()
{
    while (connected()) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0 || (p.revents & POLLIN) == 0) {
            return;
        }
        char buf[256];
        ssize_t n = ::read(m_fd, buf, sizeof buf);
        if (n <= 0) {
            if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                close();
            }
            return;
        }
    }
}

std::unique_ptr<Transport> tcpTransport(std::string host, std::uint16_t port)
{
    return std::make_unique<TcpTransport>(std::move(host), port);
}

std::unique_ptr<Transport> usbTransport(std::string devicePath)
{
    return std::make_unique<UsbTransport>(std::move(devicePath));
}

} // namespace uketsuke::hal::escpos
