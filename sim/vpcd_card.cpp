#include "sim/vpcd_card.hpp"

#include "base/log.hpp"
#include "base/signals.hpp"
#include "hal/sim/persona_card.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <ostream>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace uketsuke::sim {
namespace {

const log::Category kLog("sim.card");

enum class Io { Ok, Eof, Stopped };

// Waits until `fd` is readable or the wake fd fires.
Io waitReadable(int fd, int wakeFd)
{
    for (;;) {
        pollfd fds[2] = {{fd, POLLIN, 0}, {wakeFd, POLLIN, 0}};
        int rc = poll(fds, 2, -1);
        if (rc < 0) {
            if (errno == EINTR) {
                continue;
            }
            return Io::Eof;
        }
        if ((fds[1].revents & POLLIN) != 0) {
            return Io::Stopped;
        }
        if (fds[0].revents != 0) {
            return Io::Ok;
        }
    }
}

Io readExact(int fd, int wakeFd, std::uint8_t* out, std::size_t size)
{
    std::size_t done = 0;
    while (done < size) {
        if (Io io = waitReadable(fd, wakeFd); io != Io::Ok) {
            return io;
        }
        // vpcd writes the length and the APDU with two send() calls; with Nagle on its side, the
        // second waits for our ACK, which Linux would delay up to 40 ms. Ack at once instead
        // (TCP_QUICKACK does not stick, so set it before every read).
        const int quick = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &quick, sizeof quick);
        ssize_t got = recv(fd, out + done, size - done, 0);
        if (got == 0) {
            return Io::Eof;
        }
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            return Io::Eof;
        }
        done += static_cast<std::size_t>(got);
    }
    return Io::Ok;
}

bool sendFrame(int fd, std::span<const std::uint8_t> payload)
{
    if (payload.empty() || payload.size() > 0xFFFF) {
        return false; // never a zero-length reply: vpcd would take the card as removed
    }
    hal::Bytes frame;
    frame.reserve(payload.size() + 2);
    frame.push_back(static_cast<std::uint8_t>(payload.size() >> 8));
    frame.push_back(static_cast<std::uint8_t>(payload.size() & 0xFF));
    frame.insert(frame.end(), payload.begin(), payload.end());
    std::size_t done = 0;
    while (done < frame.size()) {
        ssize_t sent = send(fd, frame.data() + done, frame.size() - done, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        done += static_cast<std::size_t>(sent);
    }
    return true;
}

} // namespace

VpcdCard::VpcdCard(std::shared_ptr<hal::sim::VirtualCard> card, VpcdCardOptions options)
    : m_card(std::move(card)), m_options(std::move(options))
{
    m_wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

VpcdCard::~VpcdCard()
{
    if (m_wakeFd >= 0) {
        close(m_wakeFd);
    }
}

void VpcdCard::stop()
{
    m_stopped = true;
    const std::uint64_t one = 1;
    if (write(m_wakeFd, &one, sizeof one) < 0) {
        // only fails when the counter is saturated; run() sees m_stopped anyway
    }
}

VpcdCard::Served VpcdCard::serve(int fd)
{
    const hal::Bytes atr = m_options.atr.empty() ? m_card->atr() : m_options.atr;
    std::vector<std::uint8_t> message;
    for (;;) {
        std::uint8_t header[2];
        Io io = readExact(fd, m_wakeFd, header, sizeof header);
        if (io != Io::Ok) {
            return io == Io::Stopped ? Served::Stopped : Served::Eof;
        }
        const std::size_t length = (std::size_t{header[0]} << 8) | header[1];
        message.assign(length, 0);
        if (length > 0) {
            io = readExact(fd, m_wakeFd, message.data(), length);
            if (io != Io::Ok) {
                return io == Io::Stopped ? Served::Stopped : Served::Eof;
            }
        }
        if (length == 0) {
            continue; // vpcd never sends one; nothing to answer
        }
        if (length == 1) {
            switch (message[0]) {
            case 0x04:
                if (!sendFrame(fd, atr)) {
                    return Served::Eof;
                }
                break;
            case 0x00:
                m_card->powerOff();
                break;
            case 0x01:
            case 0x02:
                m_card->reset();
                break;
            default:
                UKETSUKE_LOG(kLog, Debug) << "unknown vpcd control byte " << int{message[0]};
                break;
            }
            continue;
        }
        if (m_options.removeAfter && m_commands.load() >= *m_options.removeAfter) {
            UKETSUKE_LOG(kLog, Info) << "removing the card after " << m_commands.load()
                                     << " commands";
            return Served::Removed;
        }
        hal::Bytes reply = m_card->process(message);
        ++m_commands;
        if (!sendFrame(fd, reply)) {
            return Served::Eof;
        }
    }
}

Result<void> VpcdCard::run()
{
    if (m_wakeFd < 0) {
        return fail(Errc::Internal, "eventfd failed");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_options.port);
    if (inet_pton(AF_INET, m_options.host.c_str(), &address.sin_addr) != 1) {
        return fail(Errc::InvalidArgument, "not an IPv4 address: " + m_options.host);
    }
    bool waitingLogged = false;
    while (!m_stopped) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return fail(Errc::Internal, std::string("socket: ") + std::strerror(errno), errno);
        }
        if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
            const int error = errno;
            close(fd);
            if (!waitingLogged) {
                UKETSUKE_LOG(kLog, Info) << "waiting for vpcd on " << m_options.host << ":"
                                         << m_options.port << " (" << std::strerror(error) << ")";
                waitingLogged = true;
            }
            // Retry after a delay; stop() ends the wait at once.
            pollfd wake{m_wakeFd, POLLIN, 0};
            poll(&wake, 1, static_cast<int>(m_options.reconnectDelay.count()));
            continue;
        }
        waitingLogged = false;
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ++m_connections;
        UKETSUKE_LOG(kLog, Info) << "inserted into vpcd " << m_options.host << ":"
                                 << m_options.port;
        const Served served = serve(fd);
        close(fd); // removes the card from the reader
        m_card->powerOff();
        if (served == Served::Removed) {
            return ok();
        }
        if (served == Served::Eof) {
            UKETSUKE_LOG(kLog, Info) << "vpcd closed the connection; reconnecting";
        }
    }
    return ok();
}

int runCardCommand(const CardCommand& command, std::ostream& out, std::ostream& err)
{
    auto card = hal::sim::loadPersonaCard(command.pkiDir, command.persona, command.stateFile);
    if (!card) {
        err << "uketsuke-sim card: " << card.error().message << "\n";
        const Errc code = card.error().code;
        return code == Errc::ConfigMissing || code == Errc::ConfigInvalid ||
                       code == Errc::InvalidArgument || code == Errc::StorageCorrupt
                   ? 2
                   : 1;
    }
    VpcdCardOptions options;
    options.port = command.port;
    options.removeAfter = command.removeAfter;
    if (command.atr == "contactless") {
        options.atr.assign(kContactlessAtr.begin(), kContactlessAtr.end());
    } else if (command.atr == "contact") {
        options.atr.assign(hal::jpki::kContactAtr.begin(), hal::jpki::kContactAtr.end());
    } else if (!command.atr.empty()) {
        err << "uketsuke-sim card: --atr must be contact or contactless\n";
        return 2;
    }
    VpcdCard vpcd(std::move(*card), std::move(options));

    // The stop signals go to one watcher thread (blocked here before it starts, so every
    // thread inherits the mask).
    StopSignals stopSignals;
    out << "card " << command.persona << " on 127.0.0.1:" << command.port << std::endl;
    auto ran = stopSignals.run(vpcd);
    if (!ran) {
        err << "uketsuke-sim card: " << ran.error().message << "\n";
        return 1;
    }
    return 0;
}

} // namespace uketsuke::sim
