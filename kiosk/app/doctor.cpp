#include "kiosk/app/doctor.hpp"

#include "base/time.hpp"
#include "kiosk/app/startup_checks.hpp"
#include "kiosk/card/doctor.hpp"
#include "kiosk/model/strings.hpp"

#include <chrono>

namespace uketsuke::kiosk::app {

Result<nlohmann::json> doctorCardReport(const config::KioskConfig& config,
                                        const DeviceRegistry& devices,
                                        std::chrono::milliseconds wait)
{
    auto reader = devices.makeReader(config);
    if (!reader) {
        return fail(std::move(reader).error());
    }
    card::DoctorOptions options;
    options.waitForCard = wait;
    options.now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    if (reader->listReaders) {
        if (auto readers = reader->listReaders(); readers) {
            options.readers = *readers;
        } else {
            options.readersError = readers.error();
        }
    } else {
        options.readers = {reader->reader->name()};
    }
    if (reader->demo.insertCard) {
        reader->demo.insertCard(); // the simulated reader: its virtual card is on it
    }
    return card::doctorCard(*reader->reader, options);
}

int doctorCard(const config::KioskConfig& config, const DeviceRegistry& devices,
               std::ostream& out, std::ostream& err)
{
    auto report = doctorCardReport(config, devices, std::chrono::seconds(config.doctorWaitSeconds));
    if (!report) {
        err << "uketsuke-kiosk: " << report.error().message << "\n";
        return 2;
    }
    out << report->dump(2) << std::endl;
    return (*report)["ok"] == true ? 0 : 1;
}

} // namespace uketsuke::kiosk::app

namespace uketsuke::kiosk::app {

int doctorConfig(const config::KioskConfig& config, std::ostream& out)
{
    auto checks = runStartupChecks(config);
    out << startupChecksJson(checks).dump(2) << std::endl;
    if (firstInvalid(checks) != nullptr) {
        return 2;
    }
    return missing(checks).empty() ? 0 : 1;
}

} // namespace uketsuke::kiosk::app

namespace uketsuke::kiosk::app {
namespace {

void addError(nlohmann::json& out, const char* step, const Error& error)
{
    out["errors"].push_back({{"step", step},
                             {"code", std::string(errcName(error.code))},
                             {"message", error.message}});
}

} // namespace

hal::Slip doctorTestSlip(const model::StringTable& strings, const config::KioskConfig& config)
{
    using Size = hal::SlipLine::Size;
    auto zone = time::Zone::load(config.timeZone);
    const time::Zone clinic = zone ? *zone : time::Zone::tokyo();
    const std::string when = clinic.local(std::chrono::system_clock::now()).minutes();
    hal::Slip slip;
    slip.id = "test";
    slip.lines = {
        {strings.tr("doctor.test_slip.title"), Size::Large, true},
        {when, Size::Normal, true},
        {strings.format("doctor.test_slip.terminal",
                        {{"terminal", config.terminalId.empty() ? "-" : config.terminalId}}),
         Size::Normal, false},
        {strings.tr("doctor.test_slip.kanji"), Size::Normal, false},
        {"髙﨑 ①㈱ 𠮷", Size::Large, true},
        {strings.tr("doctor.test_slip.end"), Size::Normal, false},
    };
    slip.qrPayload = "UKETSUKE-TEST";
    return slip;
}

int doctorPrinter(const config::KioskConfig& config, const DeviceRegistry& devices,
                  std::ostream& out, std::ostream& err)
{
    auto parts = devices.makePrinter(
        config.printer, {{config.font, config.fontIndex}, config.printerWidthDots});
    if (!parts) {
        err << "uketsuke-kiosk: " << parts.error().message << "\n";
        return 2;
    }
    hal::ReceiptPrinter& printer = *parts->printer;
    nlohmann::json report;
    report["printer"] = config.printer;
    report["errors"] = nlohmann::json::array();

    auto identity = printer.identity();
    if (identity) {
        report["identity"] = {{"maker", identity->maker}, {"model", identity->model}};
    } else {
        report["identity"] = nullptr;
        if (identity.error().code != Errc::NotSupported) {
            addError(report, "identity", identity.error());
        }
    }
    bool ok = false;
    auto status = printer.status();
    if (status) {
        report["status"] = {{"online", status->online},       {"paper_out", status->paperOut},
                            {"paper_near_end", status->paperLow},
                            {"cover_open", status->coverOpen}, {"error", status->error}};
        ok = status->online;
    } else {
        report["status"] = nullptr;
        addError(report, "status", status.error());
    }
    if (config.doctorTestSlip) {
        auto strings = model::StringCatalog::load(config.assetsDir + "/i18n", config.language);
        if (!strings) {
            err << "uketsuke-kiosk: " << strings.error().message << "\n";
            return 2;
        }
        auto printed = printer.print(doctorTestSlip(strings->defaultTable(), config));
        report["test_slip"] = printed ? "printed" : "not_printed";
        if (!printed) {
            addError(report, "test_slip", printed.error());
            ok = false;
        }
    }
    report["ok"] = ok;
    out << report.dump(2) << std::endl;
    return ok ? 0 : 1;
}

} // namespace uketsuke::kiosk::app
