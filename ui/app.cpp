#include "ui/app.hpp"

#include "base/log.hpp"
#include "hal/sim/persona_card.hpp"
#include "hal/sim/sim_printer.hpp"
#include "hal/sim/sim_reader.hpp"
#include "kiosk/delivery/delivery_worker.hpp"
#include "kiosk/delivery/desk_client.hpp"
#include "kiosk/delivery/outbox.hpp"
#include "kiosk/eligibility/combined_source.hpp"
#include "kiosk/eligibility/gateway_source.hpp"
#include "kiosk/eligibility/oqs_files_source.hpp"

#if UKETSUKE_HAVE_PCSC
#include "hal/pcsc/pcsc_reader.hpp"
#endif
#if UKETSUKE_HAVE_EVDEV
#include "hal/evdev/keypad_feed.hpp"
#endif

#include <condition_variable>
#include <filesystem>
#include <mutex>

namespace uketsuke::ui {
namespace {

const log::Category kLog("ui.app");

net::TlsFiles tlsFiles(const kiosk::config::TlsFiles& files)
{
    return {files.ca, files.cert, files.key};
}

} // namespace

struct App::Parts {
    kiosk::config::KioskConfig config;
    std::optional<kiosk::model::StringCatalog> strings; // every language, the default first
    kiosk::runner::SystemClock clock;

    std::unique_ptr<hal::CardReader> reader;
    hal::sim::SimCardReader* simReader = nullptr; // the demo controls' handle, when simulated
    std::shared_ptr<hal::sim::VirtualCard> simCard;
    std::unique_ptr<hal::ReceiptPrinter> printer;
    std::unique_ptr<kiosk::eligibility::EligibilitySource> eligibility;
    std::unique_ptr<kiosk::delivery::Outbox> outbox;
    std::unique_ptr<kiosk::delivery::DeskClient> deskClient;
    std::unique_ptr<kiosk::delivery::DeliveryWorker> delivery;
    std::unique_ptr<kiosk::runner::Terminal> terminal;
#if UKETSUKE_HAVE_EVDEV
    std::unique_ptr<hal::evdev::KeypadFeed> keypad; // pin.keypad
#endif

    // The last delivery status, for drainOutbox() (and later the staff menu).
    std::mutex statusMutex;
    std::condition_variable statusCv;
    kiosk::delivery::DeliveryStatus status{-1, std::nullopt};
    int passes = 0;
};

App::App() : m_parts(std::make_unique<Parts>()) {}

App::~App()
{
    stop();
}

Result<std::unique_ptr<App>> App::build(const kiosk::config::KioskConfig& config,
                                        std::function<void()> wake)
{
    std::unique_ptr<App> app(new App());
    Parts& p = *app->m_parts;
    p.config = config;

    auto strings = kiosk::model::StringCatalog::load(config.assetsDir + "/i18n", config.language);
    if (!strings) {
        return fail(std::move(strings).error());
    }
    p.strings.emplace(std::move(*strings));

    std::error_code ec;
    std::filesystem::create_directories(config.dataDir, ec);
    if (ec) {
        return fail(Errc::StorageError, "data_dir: cannot create " + config.dataDir);
    }

    // Devices by name from the configuration (the registry grows with hal/pcsc, escpos).
    if (config.readerKind == "sim") {
        auto card = hal::sim::loadPersonaCard(config.simPkiDir, config.simPersona,
                                              config.dataDir + "/card-" + config.simPersona +
                                                  ".json");
        if (!card) {
            Error e = std::move(card).error();
            e.message = "sim.persona '" + config.simPersona + "': " + e.message;
            return fail(std::move(e));
        }
        p.simCard = std::move(*card);
        auto simReader = std::make_unique<hal::sim::SimCardReader>();
        simReader->setPinPad(config.simPinPad);
        p.simReader = simReader.get();
        p.reader = std::move(simReader);
    } else {
#if UKETSUKE_HAVE_PCSC
        hal::pcsc::PcscReaderOptions options;
        options.readerName = config.readerName;
        p.reader = std::make_unique<hal::pcsc::PcscReader>(options);
#else
        return fail(Errc::ConfigInvalid,
                    "reader: \"pcsc\" was not built in (UKETSUKE_WITH_PCSC=OFF)");
#endif
    }

    hal::text::FontConfig font;
    font.path = config.font;
    font.faceIndex = config.fontIndex;
    auto printer = hal::sim::SimPrinter::open(config.printer, font);
    if (!printer) {
        Error e = std::move(printer).error();
        e.message = "printer: " + e.message;
        return fail(std::move(e));
    }
    p.printer = std::move(*printer);

    // The terminal id is the CN of the client certificate the gateway (or, without one, the
    // desk) sees.
    const bool useGateway = kiosk::config::usesGateway(config.eligibility);
    std::string terminalId = config.terminalId;
    if (terminalId.empty()) {
        const auto& certFile = useGateway ? config.gatewayTls.cert : config.deskTls.cert;
        auto cn = kiosk::eligibility::certificateCommonName(certFile);
        if (!cn) {
            Error e = std::move(cn).error();
            e.message = (useGateway ? "gateway.cert: " : "desk.cert: ") + e.message;
            return fail(std::move(e));
        }
        terminalId = *cn;
    }
    net::Timeouts timeouts{std::chrono::milliseconds(config.connectTimeoutMs),
                                  std::chrono::milliseconds(config.totalTimeoutMs)};
    // Eligibility sources by `eligibility.source`: the gateway for My Number cards, the
    // 資格確認端末 folders for lookups by insurance card data, or both behind one source.
    std::unique_ptr<kiosk::eligibility::EligibilitySource> cardSource;
    std::unique_ptr<kiosk::eligibility::EligibilitySource> lookupSource;
    if (useGateway) {
        cardSource = std::make_unique<kiosk::eligibility::GatewaySource>(
            config.gatewayUrl, tlsFiles(config.gatewayTls), timeouts, terminalId,
            config.clinicCode);
    }
    if (kiosk::config::usesOqsFiles(config.eligibility)) {
        kiosk::eligibility::OqsFilesOptions oqs;
        oqs.requestDir = config.oqs.reqDir;
        oqs.resultDir = config.oqs.resDir;
        oqs.medicalInstitutionCode = config.clinicCode;
        oqs.encoding = config.oqs.encoding;
        oqs.timeout = config.oqs.timeout;
        auto source = kiosk::eligibility::OqsFilesSource::create(std::move(oqs));
        if (!source) {
            return fail(std::move(source).error()); // names oqs.req_dir / oqs.res_dir
        }
        lookupSource = std::move(*source);
    }
    p.eligibility = std::make_unique<kiosk::eligibility::CombinedSource>(std::move(cardSource),
                                                                         std::move(lookupSource));

    auto outbox = kiosk::delivery::Outbox::open(config.dataDir + "/outbox.sqlite3");
    if (!outbox) {
        Error e = std::move(outbox).error();
        e.message = "data_dir: outbox: " + e.message;
        return fail(std::move(e));
    }
    p.outbox = std::move(*outbox);
    p.deskClient = std::make_unique<kiosk::delivery::DeskClient>(
        config.deskUrl, tlsFiles(config.deskTls), timeouts);
    Parts* parts = &p;
    p.delivery = std::make_unique<kiosk::delivery::DeliveryWorker>(
        *p.outbox, [parts](const kiosk::model::CheckIn& c) { return parts->deskClient->deliver(c); },
        [parts](const kiosk::delivery::DeliveryStatus& status) {
            {
                std::lock_guard lock(parts->statusMutex);
                parts->status = status;
                ++parts->passes;
            }
            parts->statusCv.notify_all();
            if (status.lastError) {
                UKETSUKE_LOG(kLog, Warn) << "desk delivery: " << status.pending
                                         << " waiting, last error "
                                         << errcName(*status.lastError);
            }
        });

    kiosk::runner::TerminalOptions options;
    options.terminalId = terminalId;
    options.timeouts = config.timeouts;
    options.onCheckInSaved = [parts] { parts->delivery->notify(); };
    options.wake = std::move(wake);
    options.readerPinPad = config.pinReaderPad;
    options.pinPadTimeout = std::chrono::seconds(config.pinPadTimeoutSeconds);
    p.terminal = std::make_unique<kiosk::runner::Terminal>(
        kiosk::runner::Devices{*p.reader, *p.printer, *p.eligibility, *p.outbox}, *p.strings,
        p.clock, std::move(options));

    // A USB numeric keypad as the PIN pad: its keys go to the terminal's PIN entry. Missing at
    // start or unplugged later, it is opened again when it comes back (hal/evdev/keypad_feed).
    if (!config.pinKeypad.empty()) {
#if UKETSUKE_HAVE_EVDEV
        kiosk::runner::Terminal* terminal = p.terminal.get();
        p.keypad = std::make_unique<hal::evdev::KeypadFeed>(
            [path = config.pinKeypad] { return hal::evdev::EvdevKeypad::open(path); },
            [terminal](const hal::evdev::KeyPress& key) {
                using Key = kiosk::runner::KeypadPress::Key;
                Key k = key.key == hal::evdev::PinKey::Digit       ? Key::Digit
                        : key.key == hal::evdev::PinKey::Backspace ? Key::Backspace
                        : key.key == hal::evdev::PinKey::Enter     ? Key::Enter
                                                                   : Key::Cancel;
                terminal->postKey({k, key.digit});
            });
#else
        return fail(Errc::ConfigInvalid, "pin.keypad: USB keypads were not built in (no libevdev)");
#endif
    }
    UKETSUKE_LOG(kLog, Info) << "terminal " << terminalId << " ready: reader "
                             << config.readerKind << ", eligibility "
                             << kiosk::config::eligibilityKindName(config.eligibility)
                             << ", gateway " << config.gatewayUrl
                             << ", desk " << config.deskUrl;
    return app;
}

void App::start()
{
    m_parts->delivery->start();
    m_parts->terminal->start();
#if UKETSUKE_HAVE_EVDEV
    if (m_parts->keypad) {
        m_parts->keypad->start();
    }
#endif
}

void App::stop()
{
#if UKETSUKE_HAVE_EVDEV
    if (m_parts->keypad) {
        m_parts->keypad->stop();
    }
#endif
    if (m_parts->terminal) {
        m_parts->terminal->stop();
    }
    if (m_parts->delivery) {
        m_parts->delivery->stop();
    }
}

kiosk::runner::Terminal& App::terminal()
{
    return *m_parts->terminal;
}

const kiosk::model::StringCatalog& App::strings() const
{
    return *m_parts->strings;
}

DemoControls App::demoControls()
{
    Parts* p = m_parts.get();
    if (p->simReader == nullptr) {
        return DemoControls{}; // a real reader: the patient places a real card
    }
    DemoControls controls{[p] { p->simReader->insert(p->simCard); },
                          [p] { p->simReader->remove(); }, nullptr, nullptr};
    if (p->config.simPinPad) {
        controls.typeOnPad = [p](const std::string& digits) {
            Pin pin;
            for (char digit : digits) {
                pin.push(digit);
            }
            p->simReader->typeOnPad(std::move(pin));
        };
        controls.cancelOnPad = [p] { p->simReader->cancelOnPad(); };
    }
    return controls;
}

int App::drainOutbox(std::chrono::milliseconds bound)
{
    Parts& p = *m_parts;
    auto deadline = std::chrono::steady_clock::now() + bound;
    auto waiting = [&p]() -> int {
        auto pending = p.outbox->pending(1000);
        return pending ? static_cast<int>(pending->size()) : -1;
    };
    int left = waiting();
    while (left != 0 && std::chrono::steady_clock::now() < deadline) {
        p.delivery->notify();
        std::unique_lock lock(p.statusMutex);
        int seen = p.passes;
        p.statusCv.wait_until(lock, deadline, [&] { return p.passes != seen; });
        lock.unlock();
        left = waiting();
    }
    return left;
}

} // namespace uketsuke::ui
