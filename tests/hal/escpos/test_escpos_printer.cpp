#include "hal/escpos/escpos_printer.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

namespace uketsuke::hal::escpos {
namespace {

// A fake ESC/POS printer on one file descriptor: answers DLE EOT n with the configured byte and
// GS r 1 with 0x00 once it has read it, and keeps everything it read. Per-test fake: the real
// simulator (uketsuke-sim printer) interprets the whole stream.
struct FakePrinter {
    std::array<std::uint8_t, 5> status = {0, 0x12, 0x12, 0x12, 0x12};
    bool answerGsR = true;
    std::string received;

    // Serves `fd` until the peer closes it or `stop` is set.
    void serve(int fd, const std::atomic<bool>& stop)
    {
        std::string pending;
        while (!stop) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) {
                continue;
            }
            char buf[4096];
            ssize_t n = ::read(fd, buf, sizeof buf);
            if (n <= 0) {
                return;
            }
            pending.append(buf, static_cast<std::size_t>(n));
            std::size_t i = 0;
            while (i + 3 <= pending.size()) {
                if (pending[i] == 0x10 && pending[i + 1] == 0x04) {
                    const auto k = static_cast<std::size_t>(pending[i + 2]);
                    const char reply = static_cast<char>(k < status.size() ? status[k] : 0);
                    (void)!::write(fd, &reply, 1);
                    i += 3;
                } else if (pending.compare(i, 3, "\x1d\x72\x01") == 0) {
                    if (answerGsR) {
                        const char reply = 0;
                        (void)!::write(fd, &reply, 1);
                    }
                    received += pending.substr(i, 3);
                    i += 3;
                } else {
                    received.push_back(pending[i]);
                    ++i;
                }
            }
            pending.erase(0, i);
        }
    }
};

struct TcpFake {
    FakePrinter printer;
    int listener = -1;
    std::uint16_t port = 0;
    std::atomic<bool> stop{false};
    std::atomic<int> accepted{0};
    std::thread thread;

    TcpFake()
    {
        listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(listener, 4) == 0);
        socklen_t len = sizeof addr;
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
        port = ntohs(addr.sin_port);
        thread = std::thread([this] {
            while (!stop) {
                pollfd p{listener, POLLIN, 0};
                if (::poll(&p, 1, 20) <= 0) {
                    continue;
                }
                int fd = ::accept(listener, nullptr, nullptr);
                if (fd < 0) {
                    continue;
                }
                ++accepted;
                printer.serve(fd, stop);
                ::close(fd);
            }
        });
    }
    ~TcpFake()
    {
        stop = true;
        thread.join();
        ::close(listener);
    }
    std::string spec() const { return "escpos-tcp:127.0.0.1:" + std::to_string(port); }
};

PrinterOptions fastOptions()
{
    PrinterOptions options;
    options.timeouts.connect = Millis{1000};
    options.timeouts.status = Millis{300};
    options.timeouts.print = Millis{400};
    return options;
}

Slip slip()
{
    Slip s;
    s.id = "0007";
    s.lines = {{"受付票", SlipLine::Size::Large, true}, {"0007", SlipLine::Size::Huge, true}};
    s.qrPayload = "UKETSUKE1:20261204:0007";
    return s;
}

TEST_CASE("openPrinter: specs", "[escpos][printer]")
{
    CHECK(openPrinter("escpos-tcp:127.0.0.1:9100"));
    CHECK(openPrinter("escpos-tcp:[::1]:9100"));
    CHECK(openPrinter("escpos-usb:/dev/usb/lp0"));
    for (std::string_view bad : {"escpos-tcp:host", "escpos-tcp:host:0", "escpos-tcp:h:70000",
                                 "escpos-usb:lp0", "sim:out", "escpos-tcp::9100"}) {
        INFO(bad);
        auto p = openPrinter(bad);
        REQUIRE_FALSE(p);
        CHECK(p.error().code == Errc::ConfigInvalid);
    }
}

TEST_CASE("EscposPrinter over TCP: status before, job, GS r, status after", "[escpos][printer]")
{
    TcpFake fake;
    auto printer = openPrinter(fake.spec(), fastOptions());
    REQUIRE(printer);
    auto printed = (*printer)->print(slip());
    REQUIRE(printed);
    fake.stop = true;
    fake.thread.join();
    fake.thread = std::thread([] {});
    CHECK(fake.printer.received.rfind("\x1b\x40", 0) == 0);
    CHECK(fake.printer.received.find("UKETSUKE1:20261204:0007") != std::string::npos);
    CHECK(fake.printer.received.size() > 100);
}

TEST_CASE("EscposPrinter: each fault is its error and nothing is sent", "[escpos][printer]")
{
    struct Case {
        std::size_t n;
        std::uint8_t bits;
        Errc code;
    };
    for (const Case& c : {Case{2, 0x04, Errc::PrinterCoverOpen}, Case{4, 0x60, Errc::PrinterPaperOut},
                          Case{1, 0x08, Errc::PrinterOffline}, Case{3, 0x04, Errc::PrinterError}}) {
        TcpFake fake;
        fake.printer.status[c.n] = static_cast<std::uint8_t>(0x12 | c.bits);
        auto printer = openPrinter(fake.spec(), fastOptions());
        REQUIRE(printer);
        auto printed = (*printer)->print(slip());
        REQUIRE_FALSE(printed);
        CHECK(printed.error().code == c.code);
        auto status = (*printer)->status();
        REQUIRE(status);
        CHECK_FALSE(status->online);
        fake.stop = true;
        fake.thread.join();
        fake.thread = std::thread([] {});
        CHECK(fake.printer.received.find("\x1b\x40") == std::string::npos);
    }
}

TEST_CASE("EscposPrinter: paper near end prints and is reported as low", "[escpos][printer]")
{
    TcpFake fake;
    fake.printer.status[4] = 0x12 | 0x0C;
    auto printer = openPrinter(fake.spec(), fastOptions());
    REQUIRE(printer);
    CHECK((*printer)->print(slip()));
    auto status = (*printer)->status();
    REQUIRE(status);
    CHECK(status->online);
    CHECK(status->paperLow);
}

TEST_CASE("EscposPrinter: a job never confirmed is not printed", "[escpos][printer]")
{
    TcpFake fake;
    fake.printer.answerGsR = false;
    auto printer = openPrinter(fake.spec(), fastOptions());
    REQUIRE(printer);
    auto printed = (*printer)->print(slip());
    REQUIRE_FALSE(printed);
    CHECK(printed.error().code == Errc::Timeout);
}

TEST_CASE("EscposPrinter: nobody listening is offline, a restarted printer reconnects",
          "[escpos][printer]")
{
    std::uint16_t port = 0;
    {
        TcpFake gone;
        port = gone.port;
    }
    auto printer = openPrinter("escpos-tcp:127.0.0.1:" + std::to_string(port), fastOptions());
    REQUIRE(printer);
    auto printed = (*printer)->print(slip());
    REQUIRE_FALSE(printed);
    CHECK(printed.error().code == Errc::PrinterOffline);

    TcpFake fake;
    auto again = openPrinter(fake.spec(), fastOptions());
    REQUIRE(again);
    REQUIRE((*again)->print(slip()));
    // The printer drops the connection (power cycle): the next slip connects again.
    fake.stop = true;
    fake.thread.join();
    fake.stop = false;
    fake.thread = std::thread([&fake] {
        while (!fake.stop) {
            pollfd p{fake.listener, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) {
                continue;
            }
            int fd = ::accept(fake.listener, nullptr, nullptr);
            ++fake.accepted;
            fake.printer.serve(fd, fake.stop);
            ::close(fd);
        }
    });
    CHECK((*again)->print(slip()));
    CHECK(fake.accepted == 2);
}

TEST_CASE("EscposPrinter over a character device (pty standing in for /dev/usb/lp0)",
          "[escpos][printer]")
{
    int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(::grantpt(master) == 0);
    REQUIRE(::unlockpt(master) == 0);
    const std::string path = ::ptsname(master);
    // Raw mode, as a USB printer class device is: no echo, no newline translation.
    int keep = ::open(path.c_str(), O_RDWR | O_NOCTTY);
    REQUIRE(keep >= 0);
    termios raw{};
    ::tcgetattr(keep, &raw);
    ::cfmakeraw(&raw);
    ::tcsetattr(keep, TCSANOW, &raw);

    FakePrinter fake;
    std::atomic<bool> stop{false};
    std::thread server([&] { fake.serve(master, stop); });
    auto printer = openPrinter("escpos-usb:" + path, fastOptions());
    REQUIRE(printer);
    auto status = (*printer)->status();
    REQUIRE(status);
    CHECK(status->online);
    CHECK((*printer)->print(slip()));
    stop = true;
    server.join();
    CHECK(fake.received.find("UKETSUKE1:20261204:0007") != std::string::npos);
    ::close(keep);
    ::close(master);

    auto missing = openPrinter("escpos-usb:/nonexistent/lp9", fastOptions());
    REQUIRE(missing);
    auto offline = (*missing)->status();
    REQUIRE_FALSE(offline);
    CHECK(offline.error().code == Errc::PrinterOffline);
}

} // namespace
} // namespace uketsuke::hal::escpos

namespace uketsuke::hal::escpos {

TEST_CASE("optionsForWidth: the layout of each paper width, other widths refused", "[escpos]")
{
    for (int width : {384, 512, 576}) {
        auto options = optionsForWidth(width, {"/some/font.ttc", 2});
        REQUIRE(options);
        CHECK(options->layout.widthDots == width);
        CHECK(options->font.path == "/some/font.ttc");
        CHECK(options->font.faceIndex == 2);
    }
    auto bad = optionsForWidth(600, {});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::ConfigInvalid);
}

} // namespace uketsuke::hal::escpos
