#include "hal/sim/loopback_printer.hpp"

#include "base/log.hpp"

namespace uketsuke::hal::sim {
namespace {

const log::Category kLog("hal.sim.escpos");

constexpr std::string_view kPrefix = "sim:";

} // namespace

Result<std::unique_ptr<LoopbackPrinter>> LoopbackPrinter::open(
    std::string_view target, const escpos::PrinterOptions& options)
{
    if (target.substr(0, kPrefix.size()) != kPrefix || target.size() == kPrefix.size()) {
        return fail(Errc::ConfigInvalid, "printer: expected sim:DIR");
    }
    std::filesystem::path directory(target.substr(kPrefix.size()));
    EscposServerOptions serverOptions;
    serverOptions.outDir = directory;
    serverOptions.widthDots = options.layout.widthDots;
    serverOptions.font = options.font;
    auto server = EscposServer::open(std::move(serverOptions), 0);
    if (!server) {
        return fail(std::move(server).error());
    }
    auto renderer = text::TextRenderer::open(options.font);
    if (!renderer) {
        return fail(std::move(renderer).error());
    }
    return std::unique_ptr<LoopbackPrinter>(new LoopbackPrinter(
        std::move(*server), std::move(directory), std::move(*renderer), options));
}

LoopbackPrinter::LoopbackPrinter(std::unique_ptr<EscposServer> server,
                                 std::filesystem::path directory, text::TextRenderer renderer,
                                 const escpos::PrinterOptions& options)
    : EscposPrinter(escpos::tcpTransport("127.0.0.1", server->port()), std::move(renderer),
                    options),
      m_server(std::move(server)), m_directory(std::move(directory))
{
    m_thread = std::thread([this] {
        if (auto ran = m_server->run(); !ran) {
            UKETSUKE_LOG(kLog, Error) << "simulated printer stopped: " << ran.error().message;
        }
    });
    UKETSUKE_LOG(kLog, Info) << "simulated ESC/POS printer on 127.0.0.1:" << m_server->port();
}

LoopbackPrinter::~LoopbackPrinter()
{
    m_server->stop();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void LoopbackPrinter::setFaults(const SimulatedFaults& faults)
{
    m_server->setFaults(faults);
}

int LoopbackPrinter::waitForPages(int count, std::chrono::milliseconds timeout)
{
    return m_server->waitForPages(count, timeout);
}

} // namespace uketsuke::hal::sim
