#include "kiosk/app/app.hpp"

#include "kiosk/app/doctor.hpp"
#include "kiosk/app/enrolment.hpp"
#include "kiosk/app/pairing.hpp"
#include "kiosk/app/settings_editor.hpp"
#include "kiosk/app/staff_tests.hpp"
#include "kiosk/config/settings_file.hpp"

#include "base/files.hpp"
#include "base/hex.hpp"
#include "base/log.hpp"
#include "base/time.hpp"
#include "crypto/crypto.hpp"
#include "kiosk/model/receipt.hpp"
#include "kiosk/model/staff_audit.hpp"
#include "kiosk/delivery/delivery_worker.hpp"
#include "kiosk/delivery/desk_client.hpp"
#include "kiosk/delivery/health_reporter.hpp"
#include "kiosk/delivery/outbox.hpp"
#include "kiosk/eligibility/combined_source.hpp"
#include "kiosk/eligibility/gateway_source.hpp"
#include "kiosk/runner/clock.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <optional>
#include <mutex>

namespace uketsuke::kiosk::app {
namespace {

const log::Category kLog("kiosk.app");

// How long the card test waits for a card to be placed, and the printer test for its slip.
constexpr auto kCardTestWait = std::chrono::seconds(3);
constexpr auto kPrinterTestBound = std::chrono::seconds(60);
// A check-in waiting for the desk longer than this is drawn as a problem on the "today" page.
constexpr long long kOldWaitingMinutes = 10;

// The printer's part of the health report; nullopt: it did not answer.
model::PrinterHealth printerHealth(const std::optional<hal::PrinterStatus>& status)
{
    model::PrinterHealth health;
    if (!status) {
        health.reachable = false;
        health.online = false;
        return health;
    }
    health.online = status->online;
    health.paperOut = status->paperOut;
    health.paperNearEnd = status->paperLow;
    health.coverOpen = status->coverOpen;
    health.error = status->error;
    return health;
}

} // namespace

struct App::Parts {
    // First, so it is removed last and keeps the lines of the whole build and shutdown.
    std::shared_ptr<log::RingBufferSink> recentLog =
        std::make_shared<log::RingBufferSink>(kRecentLogLines);
    log::ScopedSink recentLogSink{recentLog};

    config::KioskConfig config;
    DeviceRegistry devices; // a copy: the card test builds a reader of its own from it
    std::optional<model::StringCatalog> strings; // every language, the default first
    runner::SystemClock clock;
    std::string terminalId;
    BootMode mode = BootMode::Run;
    service::Heartbeats heartbeats;
    std::vector<StartupCheck> notReady;

    ReaderParts reader;
    std::unique_ptr<hal::ReceiptPrinter> printer;
    std::unique_ptr<eligibility::EligibilitySource> eligibility;
    std::unique_ptr<delivery::Outbox> outbox;
    std::unique_ptr<delivery::DeskClient> deskClient;
    std::unique_ptr<delivery::DeliveryWorker> delivery;
    // Health reports have a client of their own: DeskClient is one thread's.
    std::unique_ptr<delivery::DeskClient> healthClient;
    std::unique_ptr<delivery::HealthReporter> health;
    std::unique_ptr<runner::Terminal> terminal;
    std::unique_ptr<InputDevice> keypad; // pin.keypad
    std::unique_ptr<runner::StaffConsole> staff;
    std::function<void()> restart;
    std::atomic<bool> restartRequested{false};
    // The settings editor's draft; what the last save wrote (the keys that apply from the next
    // start show it) or why it failed.
    std::unique_ptr<SettingsEditor> settings;
    std::optional<config::KioskConfig> savedSettings;
    std::optional<Error> settingsError;

    // The last delivery status, for drainOutbox() (and later the staff menu).
    std::mutex statusMutex;
    std::condition_variable statusCv;
    delivery::DeliveryStatus status{-1, std::nullopt};
    int passes = 0;
};

App::App() : m_parts(std::make_unique<Parts>()) {}

App::~App()
{
    stop();
}

Result<std::unique_ptr<App>> App::build(const config::KioskConfig& config,
                                        std::function<void()> wake,
                                        const DeviceRegistry& devices)
{
    std::unique_ptr<App> app(new App());
    Parts& p = *app->m_parts;
    p.config = config;
    p.devices = devices;

    auto strings = model::StringCatalog::load(config.assetsDir + "/i18n", config.language);
    if (!strings) {
        return fail(std::move(strings).error());
    }
    p.strings.emplace(std::move(*strings));

    // Every screen and the slip's names are drawn with this font: without it nothing can be
    // shown, so say so by its key (not as a printer problem, which is where it is used first).
    std::error_code fontMissing;
    if (config.font.empty() || !std::filesystem::is_regular_file(config.font, fontMissing)) {
        return fail(Errc::ConfigMissing,
                    "ui.font: font file '" + config.font +
                        "' not found; install Noto Sans CJK JP (apt-get install fonts-noto-cjk) "
                        "or set ui.font in kiosk.toml to a Japanese OpenType font");
    }

    // The staff console comes first: staff can unlock in either boot mode. Its actions reach
    // the parts built below (or do nothing in not-ready).
    {
        auto accounts = config::StaffAccounts::load(config.staffAccounts);
        if (!accounts) {
            UKETSUKE_LOG(kLog, Error) << "staff.accounts: " << accounts.error().message
                                      << "; nobody can open the staff menu";
        }
        Parts* parts = &p;
        runner::StaffActions actions;
        actions.sendOutboxNow = [parts] {
            if (parts->delivery) {
                parts->delivery->notify();
            }
        };
        actions.setOutOfService = [parts](bool on) {
            if (parts->terminal) {
                parts->terminal->post(flow::OutOfService{on});
            }
        };
        actions.answerCall = [parts] {
            if (parts->terminal) {
                parts->terminal->post(flow::CallAnswered{});
            }
        };
        actions.confirmVisually = [parts](const std::string& staffId) {
            if (parts->terminal) {
                parts->terminal->post(flow::VisualConfirmed{staffId});
            }
        };
        actions.restartService = [parts] {
            parts->restartRequested = true;
            if (parts->restart) {
                parts->restart();
            }
        };
        // The device tests run on the console's worker. The card test reads the card on a
        // reader of its own, as `doctor card` does; the printer is the printer worker's, so
        // its test is a job there.
        actions.testCard = [parts, config] {
            auto report = doctorCardReport(config, parts->devices, kCardTestWait);
            if (!report) {
                return runner::StaffTestResult{staff::Intent::TestCard, false,
                                               "staff.test.card_failed",
                                               std::string(errcName(report.error().code)),
                                               {}};
            }
            return cardTestResult(*report);
        };
        actions.testPrinter = [parts, config]() -> runner::StaffTestResult {
            if (!parts->terminal) {
                return {staff::Intent::TestPrinter, false, "staff.test.unavailable", "", {}};
            }
            config::KioskConfig named = config;
            named.terminalId = parts->terminalId;
            auto done = std::make_shared<std::promise<runner::StaffTestResult>>();
            auto answer = done->get_future();
            parts->terminal->onPrinterWorker(
                [done, slip = doctorTestSlip(parts->strings->defaultTable(), named)](
                    hal::ReceiptPrinter& printer) { done->set_value(printerTest(printer, slip)); });
            done.reset(); // a dropped job (the terminal stopping) breaks the promise
            if (answer.wait_for(kPrinterTestBound) != std::future_status::ready) {
                return {staff::Intent::TestPrinter, false, "staff.test.printer_failed",
                        std::string(errcName(Errc::Timeout)), {}};
            }
            try {
                return answer.get();
            } catch (const std::future_error&) {
                return {staff::Intent::TestPrinter, false, "staff.test.printer_failed",
                        std::string(errcName(Errc::Cancelled)), {}};
            }
        };
        actions.testNetwork = [config] {
            return networkTest(config, std::chrono::system_clock::now());
        };
        // Enrolment (docs/enrolment.md): the new key and certificate go where the configuration
        // keeps them; a 機関コード other than the configured one is saved as clinic_code. The
        // terminal takes both at its next start.
        actions.clinicCode = config.clinicCode;
        actions.enrol = [config](const std::string& clinic, const std::string& code) {
            const net::Timeouts timeouts{std::chrono::milliseconds(config.connectTimeoutMs),
                                         std::chrono::milliseconds(config.totalTimeoutMs)};
            auto enrolled = enrolWithGateway(config, clinic, code, timeouts);
            if (!enrolled) {
                return enrolFailure(enrolled.error());
            }
            // The last day as the home page shows it (the PKI's certificates end at 23:59:59 JST).
            runner::StaffEnrolResult result{true, "staff.enrol.done", "", enrolled->terminalId,
                                            time::isoUtc(enrolled->notAfter).substr(0, 10)};
            if (clinic != config.clinicCode) {
                auto saved = writeSettings(config.configFile,
                                           {{"clinic_code", config::tomlString(clinic)}});
                if (!saved) {
                    UKETSUKE_LOG(kLog, Warn) << "clinic_code not saved: " << saved.error().message;
                    result.key = "staff.enrol.done_clinic_not_saved";
                    result.detail = std::string(errcName(saved.error().code));
                }
            }
            return result;
        };
        // Pairing with the desk (docs/pairing.md): the desk's client certificate and CA go
        // where the configuration keeps them (desk.cert, desk.key, desk.ca), taken at the
        // next start.
        actions.deskUrl = config.deskUrl;
        actions.pair = [config](const std::string& code) {
            const net::Timeouts timeouts{std::chrono::milliseconds(config.connectTimeoutMs),
                                         std::chrono::milliseconds(config.totalTimeoutMs)};
            auto paired = pairWithDesk(config, config.deskUrl, code, timeouts);
            if (!paired) {
                return pairFailure(paired.error());
            }
            return runner::StaffEnrolResult{true, "staff.pair.done", "", paired->terminalId,
                                            time::isoUtc(paired->notAfter).substr(0, 10)};
        };
        p.settings = std::make_unique<SettingsEditor>(p.strings->languages());
        actions.openSettingsEditor = [parts] { parts->settings->open(parts->config); };
        actions.editSetting = [parts](staff::SettingChange change) {
            if (change == staff::SettingChange::SelectNext) {
                parts->settings->selectNext();
            } else {
                parts->settings->step(change == staff::SettingChange::Up ? +1 : -1);
            }
        };
        // Saving: the changed keys into the --config file, then what can change now is
        // applied (the timeouts, the receipt prefix); the language and out of service apply
        // from the next start.
        actions.saveSettings = [parts]() -> std::vector<std::string> {
            const auto changes = parts->settings->changes();
            if (changes.empty()) {
                return {};
            }
            auto saved = parts->settings->save(parts->config.configFile);
            if (!saved) {
                UKETSUKE_LOG(kLog, Warn) << "settings not saved: " << saved.error().message;
                parts->settingsError = saved.error();
                return {"settings_not_saved " + std::string(errcName(saved.error().code))};
            }
            parts->settingsError.reset();
            config::KioskConfig& running = parts->config;
            running.timeouts = saved->timeouts;
            running.receiptPrefix = saved->receiptPrefix;
            if (parts->terminal) {
                parts->terminal->setTimeouts(running.timeouts);
                parts->terminal->setReceiptPrefix(
                    running.receiptPrefix.empty()
                        ? model::defaultReceiptPrefix(parts->terminalId)
                        : running.receiptPrefix);
            }
            parts->savedSettings = std::move(*saved);
            std::vector<std::string> lines;
            for (const auto& [key, value] : changes) {
                lines.push_back("setting " + key + "=" + value);
            }
            return lines;
        };
        actions.wake = wake;
        // Each audit line waits in the outbox until the desk has it (docs/staff.md "Audit
        // log"); a not-ready terminal has no outbox and only logs it.
        actions.recordAudit = [parts](const runner::StaffAuditEntry& entry) {
            if (!parts->outbox) {
                return;
            }
            auto id = crypto::randomBytes(16);
            if (!id) {
                UKETSUKE_LOG(kLog, Error) << "audit line not kept: " << id.error().message;
                return;
            }
            model::StaffAuditRecord record{hex(*id, HexCase::Lower), time::isoUtc(entry.at),
                                           entry.staffId, entry.action};
            if (!model::isValidAuditAction(record.action)) {
                record.action = "invalid_action";
            }
            if (auto kept = parts->outbox->putAudit(record); !kept) {
                UKETSUKE_LOG(kLog, Error) << "audit line not kept: " << kept.error().message;
                return;
            }
            if (parts->delivery) {
                parts->delivery->notify();
            }
        };
        p.staff = std::make_unique<runner::StaffConsole>(
            accounts ? std::move(*accounts) : config::StaffAccounts{}, p.clock,
            std::move(actions));
    }

    // An enrolment cut short by a power cut is completed (or discarded) before the files are
    // checked (kiosk/app/enrolment.hpp).
    for (const config::TlsFiles* files : {&config.gatewayTls, &config.deskTls}) {
        if (auto finished = finishEnrolment(*files); !finished) {
            UKETSUKE_LOG(kLog, Error) << finished.error().message;
        }
    }
    // A file that is there but wrong ends the start (exit 2); a missing client certificate or
    // key boots the not-ready screen.
    auto checks = runStartupChecks(config);
    if (const StartupCheck* bad = firstInvalid(checks)) {
        return fail(Errc::ConfigInvalid, bad->key + ": " + bad->message);
    }
    p.notReady = missing(checks);
    if (!p.notReady.empty()) {
        p.mode = BootMode::NotReady;
        for (const auto& check : p.notReady) {
            UKETSUKE_LOG(kLog, Warn) << "not ready: " << check.key << ": " << check.message;
        }
        return app;
    }

    // The outbox holds personal data until the desk has it: only the terminal's user may read
    // the folder, also when it existed.
    if (auto folder = files::ensurePrivateDir(config.dataDir); !folder) {
        return fail(Errc::StorageError, "data_dir: " + folder.error().message);
    }

    auto reader = devices.makeReader(config);
    if (!reader) {
        return fail(std::move(reader).error());
    }
    p.reader = std::move(*reader);

    auto printer = devices.makePrinter(
        config.printer, {{config.font, config.fontIndex}, config.printerWidthDots});
    if (!printer) {
        return fail(std::move(printer).error());
    }
    p.printer = std::move(printer->printer);
    p.reader.demo.setPrinterFault = std::move(printer->setFault);

    // The terminal id is the CN of the client certificate the gateway (or, without one, the
    // desk) sees.
    const bool useGateway = config::usesGateway(config.eligibility);
    p.terminalId = config.terminalId;
    if (p.terminalId.empty()) {
        const auto& certFile = useGateway ? config.gatewayTls.cert : config.deskTls.cert;
        auto cn = eligibility::certificateCommonName(certFile);
        if (!cn) {
            Error e = std::move(cn).error();
            e.message = (useGateway ? "gateway.cert: " : "desk.cert: ") + e.message;
            return fail(std::move(e));
        }
        p.terminalId = *cn;
    }
    net::Timeouts timeouts{std::chrono::milliseconds(config.connectTimeoutMs),
                           std::chrono::milliseconds(config.totalTimeoutMs)};
    // Eligibility sources by `eligibility.source`: the gateway for My Number cards, the
    // 資格確認端末 folders for lookups by insurance card data, or both behind one source.
    EligibilityContext context{p.terminalId, timeouts};
    std::unique_ptr<eligibility::EligibilitySource> cardSource;
    std::unique_ptr<eligibility::EligibilitySource> lookupSource;
    if (config::usesGateway(config.eligibility)) {
        auto source = devices.makeEligibility("gateway", config, context);
        if (!source) {
            return fail(std::move(source).error());
        }
        cardSource = std::move(*source);
    }
    if (config::usesOqsFiles(config.eligibility)) {
        auto source = devices.makeEligibility("oqs-files", config, context);
        if (!source) {
            return fail(std::move(source).error());
        }
        lookupSource = std::move(*source);
    }
    p.eligibility = std::make_unique<eligibility::CombinedSource>(std::move(cardSource),
                                                                  std::move(lookupSource));

    auto outbox = delivery::Outbox::open(config.dataDir + "/outbox.sqlite3");
    if (!outbox) {
        Error e = std::move(outbox).error();
        e.message = "data_dir: outbox: " + e.message;
        return fail(std::move(e));
    }
    p.outbox = std::move(*outbox);
    const auto& deskTls = config.deskTls;
    p.deskClient = std::make_unique<delivery::DeskClient>(
        config.deskUrl, net::TlsFiles{deskTls.ca, deskTls.cert, deskTls.key}, timeouts);
    Parts* parts = &p;
    p.healthClient = std::make_unique<delivery::DeskClient>(
        config.deskUrl, net::TlsFiles{deskTls.ca, deskTls.cert, deskTls.key}, timeouts);
    p.health = std::make_unique<delivery::HealthReporter>(
        p.terminalId,
        [parts](const model::TerminalHealth& health) {
            return parts->healthClient->reportHealth(health);
        },
        std::chrono::seconds(config.deskHealthSeconds));
    p.health->setVersion(UKETSUKE_VERSION);
    const std::chrono::milliseconds stall = std::chrono::seconds(config.stallSeconds);
    auto deliveryBeat = p.heartbeats.add("delivery", stall);
    p.delivery = std::make_unique<delivery::DeliveryWorker>(
        *p.outbox,
        [parts, deliveryBeat](const model::CheckIn& c) {
            deliveryBeat->busy();
            auto delivered = parts->deskClient->deliver(c);
            deliveryBeat->idle();
            return delivered;
        },
        [parts](const delivery::DeliveryStatus& status) {
            {
                std::lock_guard lock(parts->statusMutex);
                parts->status = status;
                ++parts->passes;
            }
            parts->statusCv.notify_all();
            parts->health->setOutboxDepth(status.pending);
            if (status.lastError) {
                UKETSUKE_LOG(kLog, Warn) << "desk delivery: " << status.pending
                                         << " waiting, last error "
                                         << errcName(*status.lastError);
            }
        });
    p.delivery->setAuditDelivery(
        [parts, deliveryBeat](const std::vector<model::StaffAuditRecord>& entries) {
            deliveryBeat->busy();
            auto delivered =
                parts->deskClient->deliverAudit(model::StaffAuditBatch{parts->terminalId, entries});
            deliveryBeat->idle();
            return delivered;
        });

    runner::TerminalOptions options;
    options.terminalId = p.terminalId;
    options.receiptPrefix = config.receiptPrefix.empty()
                                ? model::defaultReceiptPrefix(p.terminalId)
                                : config.receiptPrefix;
    options.timeouts = config.timeouts;
    if (!config.openingHours.empty() || !config.closedDates.empty()) {
        auto hours = config::parseOpeningHours(config.openingHours, config.closedDates);
        if (!hours) {
            return fail(std::move(hours).error());
        }
        options.openingHours = std::move(*hours);
    }
    options.onCheckInSaved = [parts] { parts->delivery->notify(); };
    options.wake = std::move(wake);
    options.readerPinPad = config.pinReaderPad;
    options.pinPadTimeout = std::chrono::seconds(config.pinPadTimeoutSeconds);
    options.printerPoll = std::chrono::seconds(config.printerStatusSeconds);
    options.onPrinterStatus = [parts](const std::optional<hal::PrinterStatus>& status) {
        parts->health->setPrinter(printerHealth(status));
    };
    options.onReaderStatus = [parts](bool available) {
        parts->health->setReaderAvailable(available);
    };
    options.onCardStatus = [parts](const std::optional<model::CardHealth>& card) {
        parts->health->setCard(card);
    };
    // A patient's call for staff: the reporter sends it at once (it reports on every change).
    options.onCall = [parts](const std::optional<model::StaffCall>& call) {
        parts->health->setCall(call);
    };
    // The staff menu offers 目視 while the patient flow can take it (both on the main thread).
    options.onVisualPossible = [parts](bool possible) {
        if (parts->staff) {
            parts->staff->patientStatus(possible);
        }
    };
    if (auto zone = time::Zone::load(config.timeZone); zone) {
        options.zone = *zone; // checked when the configuration was read
    }
    options.slip = config.slip;
    options.consentTopics = config::consentTopics(config);
    options.display = {config.largeText, config.highContrast};
    // The card worker may wait for the reader's PIN pad that long on top.
    const std::chrono::milliseconds cardStall = stall + options.pinPadTimeout;
    options.heartbeat = [parts, stall, cardStall](const std::string& worker) {
        return parts->heartbeats.add(worker, worker == "card" ? cardStall : stall);
    };
    p.terminal = std::make_unique<runner::Terminal>(
        runner::Devices{*p.reader.reader, *p.printer, *p.eligibility, *p.outbox}, *p.strings,
        p.clock, std::move(options));

    // A USB numeric keypad as the PIN pad: its keys go to the terminal's PIN entry.
    if (!config.pinKeypad.empty()) {
        runner::Terminal* terminal = p.terminal.get();
        auto keypad = devices.makeKeypad("evdev", config.pinKeypad,
                                         [terminal](runner::KeypadPress key) {
                                             terminal->postKey(key);
                                         });
        if (!keypad) {
            return fail(std::move(keypad).error());
        }
        p.keypad = std::move(*keypad);
    }
    UKETSUKE_LOG(kLog, Info) << "terminal " << p.terminalId << " ready: reader "
                             << config.readerKind << ", eligibility "
                             << config::eligibilityKindName(config.eligibility) << ", gateway "
                             << config.gatewayUrl << ", desk " << config.deskUrl;
    return app;
}

const char* bootModeName(BootMode mode)
{
    switch (mode) {
    case BootMode::Run:
        return "run";
    case BootMode::NotReady:
        return "not-ready";
    case BootMode::Enrol:
        return "enrol";
    case BootMode::Staff:
        return "staff";
    }
    return "run";
}

BootMode App::mode() const
{
    return m_parts->mode;
}

const std::vector<StartupCheck>& App::notReady() const
{
    return m_parts->notReady;
}

void App::start()
{
    if (m_parts->mode != BootMode::Run) {
        return;
    }
    if (m_parts->config.outOfService) {
        // out_of_service: patients meet the out-of-service screen from the first frame.
        m_parts->terminal->post(flow::OutOfService{true});
        m_parts->staff->startOutOfService(true);
    }
    m_parts->delivery->start();
    m_parts->health->start();
    m_parts->terminal->start();
    if (m_parts->keypad) {
        m_parts->keypad->start();
    }
}

void App::stop()
{
    if (m_parts->staff) {
        m_parts->staff->stop();
    }
    if (m_parts->keypad) {
        m_parts->keypad->stop();
    }
    if (m_parts->terminal) {
        m_parts->terminal->stop();
    }
    if (m_parts->delivery) {
        m_parts->delivery->stop();
    }
    if (m_parts->health) {
        m_parts->health->stop();
    }
}

runner::Terminal& App::terminal()
{
    return *m_parts->terminal;
}

runner::StaffConsole& App::staff()
{
    return *m_parts->staff;
}

void App::onRestartRequested(std::function<void()> restart)
{
    m_parts->restart = std::move(restart);
}

bool App::restartRequested() const
{
    return m_parts->restartRequested;
}

std::vector<runner::StaffRow> App::staffPage(staff::Section section)
{
    const Parts& p = *m_parts;
    const config::KioskConfig& c = p.config;
    std::vector<runner::StaffRow> rows;
    auto keyRow = [&](const char* label, const char* value, bool attention = false) {
        rows.push_back(runner::keyRow(label, value, attention));
    };
    auto dataRow = [&](const char* label, std::string value) {
        rows.push_back(runner::dataRow(label, std::move(value)));
    };
    const flow::State* state = p.terminal ? &p.terminal->state() : nullptr;
    switch (section) {
    case staff::Section::Home:
        keyRow("staff.row.service",
               p.staff->state().outOfService ? "staff.value.out_of_service"
                                             : "staff.value.in_service",
               p.staff->state().outOfService);
        dataRow("staff.row.terminal", p.terminalId.empty() ? "-" : p.terminalId);
        dataRow("staff.row.clinic", c.clinicCode);
        dataRow("staff.row.desk", c.deskUrl);
        // The terminal's certificates: a problem 30 days before they end (enrol again).
        for (auto& row : clientCertificateRows(c, std::chrono::system_clock::now())) {
            rows.push_back(std::move(row));
        }
        dataRow("staff.row.version", UKETSUKE_VERSION);
        break;
    case staff::Section::Devices: {
        const bool reader = state != nullptr && state->readerAvailable;
        const bool printer = state != nullptr && state->printerAvailable;
        const auto& results = p.staff->testResults();
        // Before any test: the devices' state and kinds. After one: each test's result and the
        // facts of the one that ended last (a page holds nine rows).
        if (results.empty()) {
            keyRow("staff.row.reader", reader ? "staff.value.ready" : "staff.value.unavailable",
                   !reader);
            keyRow("staff.row.printer",
                   printer ? "staff.value.ready" : "staff.value.unavailable", !printer);
            dataRow("staff.row.reader_device", c.readerKind);
            dataRow("staff.row.printer_device", c.printer);
        }
        for (const auto& r : results) {
            const char* label = r.test == staff::Intent::TestCard      ? "staff.row.test_card"
                                : r.test == staff::Intent::TestNetwork ? "staff.row.test_network"
                                                                       : "staff.row.test_printer";
            rows.push_back(runner::keyRow(label, r.key, !r.ok));
        }
        if (!results.empty()) {
            const auto& last = results.back();
            if (!last.detail.empty()) {
                rows.push_back(runner::dataRow("", last.detail, !last.ok));
            }
            rows.insert(rows.end(), last.rows.begin(), last.rows.end());
        }
        break;
    }
    case staff::Section::Today:
        todayRows(rows);
        break;
    case staff::Section::Logs: {
        // The newest first; log lines hold ids and codes, never names, PINs or numbers.
        auto lines = p.recentLog->snapshot();
        if (lines.empty()) {
            rows.push_back(runner::keyRow("", "staff.row.no_logs"));
        }
        for (auto it = lines.rbegin(); it != lines.rend() && rows.size() < 40; ++it) {
            rows.push_back(
                runner::dataRow("", log::formatLine(*it, false), it->level >= log::Level::Warn));
        }
        break;
    }
    case staff::Section::Settings:
        settingsRows(rows);
        break;
    case staff::Section::Enrol:
    case staff::Section::Pair:
        break; // pages of their own without rows (ui/screens/staff_enrol.cpp)
    case staff::Section::Visual:
        break; // the question only (ui/screens/staff_menu.cpp)
    }
    return rows;
}

namespace {

// A setting's value as the settings page shows it.
runner::StaffRow settingRow(const SettingEntry& e, const std::string& terminalId)
{
    if (e.key == "receipt_prefix" && e.value.empty()) {
        auto row = runner::keyRow(e.labelKey, "staff.value.prefix_auto");
        row.args = {{"prefix", model::defaultReceiptPrefix(terminalId)}};
        return row;
    }
    if (e.key.starts_with("timeouts.")) {
        auto row = runner::keyRow(e.labelKey, "staff.value.seconds");
        row.args = {{"seconds", e.value}};
        return row;
    }
    if (isSwitchSetting(e.key)) {
        return runner::keyRow(e.labelKey, e.value == "true" ? "staff.value.yes" : "staff.value.no");
    }
    return runner::dataRow(e.labelKey, e.value);
}

} // namespace

void App::settingsRows(std::vector<runner::StaffRow>& rows)
{
    Parts& p = *m_parts;
    if (p.settingsError) {
        rows.push_back(
            runner::dataRow("staff.row.settings_error", p.settingsError->message, true));
    }
    if (p.staff->state().editingSettings) {
        // The draft: the selected key on a band, a changed value as a problem to notice.
        const auto& entries = p.settings->entries();
        for (std::size_t i = 0; i < entries.size(); ++i) {
            auto row = settingRow(entries[i], p.terminalId);
            row.selected = i == p.settings->selected();
            row.attention = entries[i].value != entries[i].running;
            rows.push_back(std::move(row));
        }
        rows.push_back(runner::keyRow("", "staff.settings.next_start_note"));
        return;
    }
    for (const auto& e : editableSettings(p.config)) {
        // The keys that apply from the next start show the value saved for it.
        if (p.savedSettings && !e.appliesNow) {
            auto saved = editableSettings(*p.savedSettings);
            auto it = std::find_if(saved.begin(), saved.end(),
                                   [&](const SettingEntry& x) { return x.key == e.key; });
            if (it != saved.end() && it->value != e.value) {
                const char* key = e.key != "out_of_service" ? "staff.value.next_start"
                                  : it->value == "true"     ? "staff.value.yes_next_start"
                                                            : "staff.value.no_next_start";
                auto row = runner::keyRow(e.labelKey, key, true);
                row.args = {{"value", it->value}};
                rows.push_back(std::move(row));
                continue;
            }
        }
        rows.push_back(settingRow(e, p.terminalId));
    }
    if (p.staff->state().role != staff::Role::Admin) {
        rows.push_back(runner::keyRow("", "staff.settings.admin_only"));
    }
    rows.push_back(runner::dataRow("staff.row.gateway", p.config.gatewayUrl));
}

void App::todayRows(std::vector<runner::StaffRow>& rows)
{
    Parts& p = *m_parts;
    if (!p.outbox) {
        rows.push_back(runner::keyRow("staff.row.outbox", "staff.value.unavailable", true));
        return;
    }
    // Today is the clinic's day (time_zone), from its first moment to the next day's.
    auto zone = time::Zone::load(p.config.timeZone);
    const time::Zone clinic = zone ? *zone : time::Zone::tokyo();
    const auto now = std::chrono::system_clock::now();
    const auto today = clinic.local(now).date;
    const auto from = clinic.startOfDay(today);
    const auto to = clinic.startOfDay(std::chrono::sys_days(today) + std::chrono::days(1));
    auto counts = p.outbox->outcomeCounts(time::isoUtc(from), time::isoUtc(to));
    if (!counts) {
        rows.push_back(runner::dataRow("staff.row.checkins_today",
                                       std::string(errcName(counts.error().code)), true));
    } else {
        int total = 0;
        for (const auto& [outcome, n] : *counts) {
            total += n;
        }
        rows.push_back(runner::dataRow("staff.row.checkins_today", std::to_string(total)));
        // Every outcome the terminal makes, in the order the desk lists them; the rare ones
        // only when they happened.
        constexpr std::pair<const char*, const char*> kOutcomes[] = {
            {"valid", "staff.outcome.valid"},
            {"unconfirmed", "staff.outcome.unconfirmed"},
            {"lost", "staff.outcome.lost"},
            {"not_found", "staff.outcome.not_found"},
            {"ambiguous", "staff.outcome.ambiguous"},
            {"pending", "staff.outcome.pending"},
            {"error", "staff.outcome.error"},
        };
        for (const auto& [outcome, label] : kOutcomes) {
            auto it = counts->find(outcome);
            const int n = it == counts->end() ? 0 : it->second;
            if (n > 0 || std::string_view(outcome) == "valid" ||
                std::string_view(outcome) == "unconfirmed") {
                rows.push_back(runner::dataRow(label, std::to_string(n)));
            }
        }
    }
    auto backlog = p.outbox->backlog();
    if (!backlog) {
        rows.push_back(runner::dataRow("staff.row.outbox",
                                       std::string(errcName(backlog.error().code)), true));
        return;
    }
    rows.push_back(runner::dataRow("staff.row.outbox", std::to_string(backlog->pending),
                                   backlog->pending > 0));
    if (backlog->oldestSavedAt) {
        if (auto saved = time::parseIsoUtc(*backlog->oldestSavedAt)) {
            const auto minutes = std::max<long long>(
                0, std::chrono::duration_cast<std::chrono::minutes>(now - *saved).count());
            auto row = runner::keyRow("staff.row.oldest_waiting", "staff.value.minutes_ago",
                                      minutes >= kOldWaitingMinutes);
            row.args = {{"minutes", std::to_string(minutes)},
                        {"time", clinic.local(*saved).minutes().substr(11)}};
            rows.push_back(std::move(row));
        }
    }
    std::lock_guard lock(p.statusMutex);
    if (p.status.lastError) {
        rows.push_back(runner::dataRow("staff.row.last_delivery_error",
                                       std::string(errcName(*p.status.lastError)), true));
    }
}

const model::StringCatalog& App::strings() const
{
    return *m_parts->strings;
}

const DemoControls& App::demoControls() const
{
    return m_parts->reader.demo;
}

const std::string& App::terminalId() const
{
    return m_parts->terminalId;
}

const service::Heartbeats& App::heartbeats() const
{
    return m_parts->heartbeats;
}

const log::RingBufferSink& App::recentLog() const
{
    return *m_parts->recentLog;
}

int App::drainOutbox(std::chrono::milliseconds bound)
{
    Parts& p = *m_parts;
    auto deadline = std::chrono::steady_clock::now() + bound;
    if (!p.outbox) {
        return 0; // not running: nothing was saved
    }
    // Check-ins and staff audit lines alike.
    auto waiting = [&p]() -> int {
        auto pending = p.outbox->pending(1000);
        auto audit = p.outbox->pendingAudit(1000);
        return pending && audit ? static_cast<int>(pending->size() + audit->size()) : -1;
    };
    int left = waiting();
    // One pass now; after that the worker's own back-off paces the tries (waking it on every
    // pass would hammer a desk that is away).
    if (left != 0) {
        p.delivery->notify();
    }
    while (left != 0 && std::chrono::steady_clock::now() < deadline) {
        std::unique_lock lock(p.statusMutex);
        int seen = p.passes;
        p.statusCv.wait_until(lock, deadline, [&] { return p.passes != seen; });
        lock.unlock();
        left = waiting();
    }
    return left;
}

} // namespace uketsuke::kiosk::app
