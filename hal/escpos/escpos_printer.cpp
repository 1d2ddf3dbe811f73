#include "hal/escpos/escpos_printer.hpp"

#include "base/log.hpp"

#include <charconv>

namespace uketsuke::hal::escpos {
namespace {

const log::Category kLog("hal.escpos");

constexpr std::string_view kTcpPrefix = "escpos-tcp:";
constexpr std::string_view kUsbPrefix = "escpos-usb:";

// GS r 1 answers 0xx0xxxx; XON/XOFF (0x11, 0x13) are flow control, never replies.
bool isTransmitStatusReply(std::uint8_t b)
{
    return (b & 0x90) == 0x00 && b != 0x11 && b != 0x13;
}

} // namespace

EscposPrinter::EscposPrinter(std::unique_ptr<Transport> transport, text::TextRenderer renderer,
                             PrinterOptions options)
    : m_transport(std::move(transport)), m_renderer(std::move(renderer)),
      m_options(std::move(options))
{
}

Result<void> EscposPrinter::ensureConnected()
{
    if (m_transport->connected()) {
        return ok();
    }
    auto connected = m_transport->connect(m_options.timeouts.connect);
    if (!connected) {
        UKETSUKE_LOG(kLog, Warn) << "printer " << m_transport->describe()
                                 << " unreachable: " << errcName(connected.error().code)
                                 << " errno=" << connected.error().native;
    }
    return connected;
}

Result<std::uint8_t> EscposPrinter::awaitReply(bool (*matches)(std::uint8_t), Millis timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    // Skip what is not the awaited reply (XON/XOFF, a late reply, ASB frames); a printer that
    // sends only noise times out.
    for (int skipped = 0; skipped < 64; ++skipped) {
        const auto left = std::chrono::duration_cast<Millis>(deadline -
                                                             std::chrono::steady_clock::now());
        auto b = m_transport->readByte(left.count() > 0 ? left : Millis{0});
        if (!b || matches(*b)) {
            return b;
        }
    }
    return fail(Errc::BadReply, "printer sent no reply among 64 bytes");
}

Result<StatusReport> EscposPrinter::readStatusLocked()
{
    // One reconnection: a TCP connection the printer dropped while idle is opened again.
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (auto c = ensureConnected(); !c) {
            return fail(std::move(c).error());
        }
        m_transport->discardInput();
        StatusReport report;
        Result<void> step = ok();
        for (std::uint8_t n = 1; n <= 4 && step; ++n) {
            Encoder request;
            request.statusRequest(n);
            step = m_transport->write(request.bytes(), m_options.timeouts.status);
            if (!step) {
                break;
            }
            auto reply = awaitReply(isStatusReply, m_options.timeouts.status);
            if (!reply) {
                step = fail(std::move(reply).error());
                break;
            }
            step = applyStatusReply(n, *reply, report);
        }
        if (step) {
            return report;
        }
        if (step.error().code != Errc::PrinterOffline || attempt == 1) {
            // No answer at all: treat as offline, as receiptio does.
            if (step.error().code == Errc::Timeout) {
                m_transport->close();
                return fail(Errc::PrinterOffline, "printer does not answer DLE EOT");
            }
            return fail(std::move(step).error());
        }
    }
    return fail(Errc::PrinterOffline, "printer unreachable");
}

Result<StatusReport> EscposPrinter::readStatus()
{
    std::lock_guard lock(m_mutex);
    return readStatusLocked();
}

Result<PrinterStatus> EscposPrinter::doStatus()
{
    auto report = readStatus();
    if (!report) {
        return fail(std::move(report).error());
    }
    return report->summary();
}

Result<std::string> EscposPrinter::readIdentityBlock(std::uint8_t n)
{
    const char request[] = {0x1d, 0x49, static_cast<char>(n)};
    if (auto w = m_transport->write({request, sizeof request}, m_options.timeouts.status); !w) {
        return fail(std::move(w).error());
    }
    // The reply block: '_', the text, NUL.
    auto start = awaitReply([](std::uint8_t b) { return b == 0x5F; }, m_options.timeouts.status);
    if (!start) {
        return fail(std::move(start).error());
    }
    std::string text;
    for (;;) {
        auto b = m_transport->readByte(m_options.timeouts.status);
        if (!b) {
            return fail(std::move(b).error());
        }
        if (*b == 0) {
            return text;
        }
        if (text.size() >= 80) {
            return fail(Errc::BadReply, "printer identity longer than 80 bytes");
        }
        text.push_back(static_cast<char>(*b));
    }
}

Result<PrinterIdentity> EscposPrinter::doIdentity()
{
    std::lock_guard lock(m_mutex);
    if (auto c = ensureConnected(); !c) {
        return fail(std::move(c).error());
    }
    m_transport->discardInput();
    PrinterIdentity identity;
    auto maker = readIdentityBlock(0x42);
    if (!maker) {
        return fail(std::move(maker).error());
    }
    identity.maker = std::move(*maker);
    auto model = readIdentityBlock(0x43);
    if (!model) {
        return fail(std::move(model).error());
    }
    identity.model = std::move(*model);
    return identity;
}

Result<void> EscposPrinter::doPrint(const Slip& slip)
{
    auto bytes = encodeSlip(slip, m_options.layout, m_renderer);
    if (!bytes) {
        return fail(std::move(bytes).error());
    }
    std::lock_guard lock(m_mutex);
    auto before = readStatusLocked();
    if (!before) {
        return fail(std::move(before).error());
    }
    if (Errc blocking = blockingError(*before); blocking != Errc{}) {
        return fail(blocking, "printer not ready before the slip");
    }
    // The job, then GS r 1: answered only once everything before it has been processed.
    bytes->append("\x1d\x72\x01", 3);
    if (auto written = m_transport->write(*bytes, m_options.timeouts.print); !written) {
        auto after = readStatusLocked();
        if (after && blockingError(*after) != Errc{}) {
            return fail(blockingError(*after), "printer stopped while taking the slip");
        }
        return fail(std::move(written).error());
    }
    auto done = awaitReply(isTransmitStatusReply, m_options.timeouts.print);
    auto after = readStatusLocked();
    if (!after) {
        return fail(std::move(after).error());
    }
    if (Errc blocking = blockingError(*after); blocking != Errc{}) {
        // Paper ran out or the cover opened during the slip: it did not print whole.
        return fail(blocking, "printer stopped during the slip");
    }
    if (!done) {
        return fail(done.error().code == Errc::PrinterOffline ? Errc::PrinterOffline
                                                              : Errc::Timeout,
                    "printer did not confirm the slip");
    }
    UKETSUKE_LOG(kLog, Debug) << "slip " << slip.id << " confirmed, " << bytes->size()
                              << " bytes";
    return ok();
}

Result<PrinterOptions> optionsForWidth(int widthDots, const text::FontConfig& font)
{
    auto layout = layoutForWidth(widthDots);
    if (!layout) {
        return fail(std::move(layout).error());
    }
    PrinterOptions options;
    options.layout = *layout;
    options.font = font;
    return options;
}

Result<std::unique_ptr<ReceiptPrinter>> openPrinter(std::string_view spec,
                                                    const PrinterOptions& options)
{
    std::unique_ptr<Transport> transport;
    if (spec.substr(0, kTcpPrefix.size()) == kTcpPrefix) {
        std::string_view rest = spec.substr(kTcpPrefix.size());
        const std::size_t colon = rest.rfind(':');
        if (colon == std::string_view::npos || colon == 0) {
            return fail(Errc::ConfigInvalid, "printer: expected escpos-tcp:HOST:PORT");
        }
        std::string_view host = rest.substr(0, colon);
        std::string_view portText = rest.substr(colon + 1);
        unsigned port = 0;
        auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
        if (ec != std::errc{} || end != portText.data() + portText.size() || port == 0 ||
            port > 65535) {
            return fail(Errc::ConfigInvalid, "printer: bad TCP port");
        }
        if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
            host = host.substr(1, host.size() - 2);
        }
        transport = tcpTransport(std::string(host), static_cast<std::uint16_t>(port));
    } else if (spec.substr(0, kUsbPrefix.size()) == kUsbPrefix) {
        std::string_view path = spec.substr(kUsbPrefix.size());
        if (path.empty() || path.front() != '/') {
            return fail(Errc::ConfigInvalid, "printer: expected escpos-usb:/dev/usb/lpN");
        }
        transport = usbTransport(std::string(path));
    } else {
        return fail(Errc::ConfigInvalid, "printer: not an escpos-tcp: or escpos-usb: spec");
    }
    if (auto layout = layoutForWidth(options.layout.widthDots); !layout) {
        return fail(std::move(layout).error());
    }
    auto renderer = text::TextRenderer::open(options.font);
    if (!renderer) {
        return fail(std::move(renderer).error());
    }
    return std::unique_ptr<ReceiptPrinter>(
        std::make_unique<EscposPrinter>(std::move(transport), std::move(*renderer), options));
}

} // namespace uketsuke::hal::escpos
