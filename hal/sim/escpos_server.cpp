#include "hal/sim/escpos_server.hpp"

#include <algorithm>

#include "base/files.hpp"
#include "base/log.hpp"
#include "hal/escpos/slip_layout.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <thread>

namespace uketsuke::hal::sim {
namespace {

const log::Category kLog("hal.sim.escpos");

// Writes `bytes` to `path` with mode 0600 through a temporary name and a rename, so a reader
// never sees half a file.
Result<void> writeFileAtomically(const std::filesystem::path& path, const std::string& bytes)
{
    const std::filesystem::path temp = path.string() + ".tmp";
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return fail(Errc::StorageError, "cannot write " + temp.string(), errno);
    }
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            ::close(fd);
            return fail(Errc::StorageError, "write failed", errno);
        }
        done += static_cast<std::size_t>(n);
    }
    // No fsync: the rename makes the file appear whole, and a simulator's slips need no
    // durability (an fsync per page was most of the print-to-done time on a busy disk).
    ::close(fd);
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        return fail(Errc::StorageError, "rename: " + ec.message(), ec.value());
    }
    return ok();
}

} // namespace

Result<void> applyFaultName(std::string_view name, SimulatedFaults& faults)
{
    if (name == "paper-out") {
        faults.status.paperOut = true;
    } else if (name == "near-end") {
        faults.status.nearEnd = true;
    } else if (name == "cover-open") {
        faults.status.coverOpen = true;
    } else if (name == "offline") {
        faults.status.offline = true;
    } else if (name == "disconnect") {
        faults.disconnect = true;
    } else if (name == "slow") {
        faults.slow = kSlowFault;
    } else if (name == "ok") {
        faults = SimulatedFaults{};
    } else {
        return fail(Errc::InvalidArgument, std::string("expected ") + faultNames() + ", got '" +
                                               std::string(name) + "'");
    }
    return ok();
}

const char* faultNames()
{
    return "paper-out, near-end, cover-open, offline, disconnect, slow or ok";
}

namespace {

// The highest NNNN of the slip-NNNN.txt files in `dir`, 0 when there are none.
int lastSlipNumber(const std::filesystem::path& dir)
{
    int last = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        // "slip-" + 4 to 9 digits + ".txt"
        if (name.size() < 13 || name.size() > 18 || name.rfind("slip-", 0) != 0 ||
            name.compare(name.size() - 4, 4, ".txt") != 0 ||
            name.find_first_not_of("0123456789", 5) != name.size() - 4) {
            continue;
        }
        last = std::max(last, std::stoi(name.substr(5, name.size() - 9)));
    }
    return last;
}

} // namespace

Result<std::unique_ptr<EscposServer>> EscposServer::open(EscposServerOptions options,
                                                         std::uint16_t port)
{
    if (auto width = escpos::layoutForWidth(options.widthDots); !width) {
        return fail(std::move(width).error());
    }
    // The slips carry names: only the terminal's user may read them.
    if (auto dir = files::ensurePrivateDir(options.outDir); !dir) {
        return fail(Errc::StorageError,
                    "cannot create " + options.outDir.string() + ": " + dir.error().message);
    }
    auto renderer = text::TextRenderer::open(options.font);
    if (!renderer) {
        return fail(std::move(renderer).error());
    }
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0) {
        return fail(Errc::NetworkError, "socket failed", errno);
    }
    int one = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener, 4) != 0) {
        const int e = errno;
        ::close(listener);
        return fail(Errc::NetworkError, "cannot listen on 127.0.0.1:" + std::to_string(port), e);
    }
    socklen_t len = sizeof addr;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC | O_NONBLOCK) != 0) {
        ::close(listener);
        return fail(Errc::Internal, "pipe failed", errno);
    }
    const int last = lastSlipNumber(options.outDir);
    std::unique_ptr<EscposServer> server(new EscposServer(std::move(options),
                                                          std::move(*renderer), listener,
                                                          ntohs(addr.sin_port), pipeFds[0],
                                                          pipeFds[1]));
    server->m_numberBase = last;
    return server;
}

EscposServer::EscposServer(EscposServerOptions options, text::TextRenderer renderer,
                           int listener, std::uint16_t port, int wakeRead, int wakeWrite)
    : m_options(std::move(options)), m_renderer(std::move(renderer)), m_listener(listener),
      m_port(port), m_wakeRead(wakeRead), m_wakeWrite(wakeWrite), m_faults(m_options.faults),
      m_disconnect(m_options.disconnect), m_slowMs(m_options.slow.count())
{
}

EscposServer::~EscposServer()
{
    ::close(m_listener);
    ::close(m_wakeRead);
    ::close(m_wakeWrite);
}

void EscposServer::stop()
{
    m_stop = true;
    const char b = 1;
    (void)!::write(m_wakeWrite, &b, 1);
}

void EscposServer::setFaults(const PrinterFaults& faults, bool disconnect)
{
    {
        std::lock_guard lock(m_mutex);
        m_faults = faults;
        m_disconnect = disconnect;
        m_faultsChanged = true;
    }
    const char b = 1;
    (void)!::write(m_wakeWrite, &b, 1);
}

void EscposServer::setFaults(const SimulatedFaults& faults)
{
    m_slowMs = faults.slow.count();
    setFaults(faults.status, faults.disconnect);
}

int EscposServer::waitForPages(int count, std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait_for(lock, timeout, [&] { return m_pages >= count; });
    return m_pages;
}

Result<void> EscposServer::run()
{
    while (!m_stop) {
        pollfd fds[2] = {{m_listener, POLLIN, 0}, {m_wakeRead, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail(Errc::NetworkError, "poll failed", errno);
        }
        if ((fds[1].revents & POLLIN) != 0) {
            char buf[64];
            while (::read(m_wakeRead, buf, sizeof buf) > 0) {
            }
        }
        if ((fds[0].revents & POLLIN) != 0) {
            int fd = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd >= 0) {
                int one = 1;
                ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                serveConnection(fd);
                ::close(fd);
            }
        }
    }
    return ok();
}

void EscposServer::serveConnection(int fd)
{
    EscposInterpreter interpreter;
    bool disconnect = false;
    {
        std::lock_guard lock(m_mutex);
        interpreter.setFaults(m_faults);
        disconnect = m_disconnect;
        m_faultsChanged = false;
    }
    UKETSUKE_LOG(kLog, Debug) << "printer connection opened";
    while (!m_stop) {
        pollfd fds[2] = {{fd, POLLIN, 0}, {m_wakeRead, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        if ((fds[1].revents & POLLIN) != 0) {
            char buf[64];
            while (::read(m_wakeRead, buf, sizeof buf) > 0) {
            }
        }
        std::string replies;
        {
            std::lock_guard lock(m_mutex);
            if (m_faultsChanged) {
                interpreter.setFaults(m_faults);
                disconnect = m_disconnect;
                m_faultsChanged = false;
                replies += interpreter.feed({}); // printing resumes once the fault clears
            }
        }
        if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            char buf[8192];
            ssize_t n = ::read(fd, buf, sizeof buf);
            if (n <= 0) {
                return;
            }
            std::string_view chunk(buf, static_cast<std::size_t>(n));
            if (disconnect) {
                // A printer that drops the line when a job arrives: status still answers.
                const bool onlyStatus = chunk.size() % 3 == 0 && chunk.size() >= 3 &&
                                        chunk[0] == 0x10 && chunk[1] == 0x04;
                if (!onlyStatus) {
                    UKETSUKE_LOG(kLog, Info) << "fault: disconnect on job data";
                    return;
                }
            }
            if (const long long slow = m_slowMs.load(); slow > 0) {
                // The simulated slow printer.
                std::this_thread::sleep_for(std::chrono::milliseconds(slow));
            }
            replies += interpreter.feed(chunk);
        }
        for (const PrintedPage& page : interpreter.takePages()) {
            if (auto written = writePage(page); !written) {
                UKETSUKE_LOG(kLog, Error) << "page not written: " << written.error().message;
            }
        }
        std::size_t done = 0;
        while (done < replies.size()) {
            ssize_t n = ::send(fd, replies.data() + done, replies.size() - done, MSG_NOSIGNAL);
            if (n <= 0) {
                return;
            }
            done += static_cast<std::size_t>(n);
        }
    }
}

Result<void> EscposServer::writePage(const PrintedPage& page)
{
    int number = 0;
    {
        std::lock_guard lock(m_mutex);
        number = m_pages + 1;
    }
    char name[32];
    std::snprintf(name, sizeof name, "slip-%04d", m_numberBase + number);
    auto raster = renderPage(page, m_options.widthDots, m_renderer);
    if (!raster) {
        return fail(std::move(raster).error());
    }
    auto png = encodePng(*raster);
    if (!png) {
        return fail(std::move(png).error());
    }
    std::string dump;
    for (const std::string& line : page.dump) {
        dump += line + "\n";
    }
    if (auto w = writeFileAtomically(m_options.outDir / (std::string(name) + ".png"), *png); !w) {
        return w;
    }
    if (auto w = writeFileAtomically(m_options.outDir / (std::string(name) + ".txt"), dump); !w) {
        return w;
    }
    {
        std::lock_guard lock(m_mutex);
        m_pages = number;
    }
    m_changed.notify_all();
    UKETSUKE_LOG(kLog, Info) << "printed " << name;
    return ok();
}

} // namespace uketsuke::hal::sim
