#include "kiosk/app/devices.hpp"

#include "hal/sim/sim_reader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace uketsuke;
using namespace uketsuke::kiosk;

namespace {

bool has(const std::vector<std::string>& names, const std::string& name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

TEST_CASE("Device registry: the built-in back ends are registered")
{
    app::DeviceRegistry devices = app::builtinDevices();
    CHECK(has(devices.readerKinds(), "sim"));
    CHECK(has(devices.printerKinds(), "sim"));
}

TEST_CASE("Device registry: an unknown kind fails with the config key and the kinds there are")
{
    app::DeviceRegistry devices = app::builtinDevices();
    config::KioskConfig config;
    config.readerKind = "nfc-magic";
    auto reader = devices.makeReader(config);
    REQUIRE_FALSE(reader.has_value());
    CHECK(reader.error().code == Errc::ConfigInvalid);
    CHECK(reader.error().message.rfind("reader: ", 0) == 0);
    CHECK(reader.error().message.find("sim") != std::string::npos);

    auto printer = devices.makePrinter("laser:/dev/lp0", {});
    REQUIRE_FALSE(printer.has_value());
    CHECK(printer.error().message.rfind("printer: ", 0) == 0);
    auto bare = devices.makePrinter("sim", {});
    REQUIRE_FALSE(bare.has_value());
    CHECK(bare.error().message.rfind("printer: ", 0) == 0);

    auto source = devices.makeEligibility("fax", config, {});
    REQUIRE_FALSE(source.has_value());
    CHECK(source.error().message.rfind("eligibility.source: ", 0) == 0);
}

TEST_CASE("Device registry: a new printer kind is one registration, chosen by its prefix")
{
    app::DeviceRegistry devices = app::builtinDevices();
    std::string seen;
    devices.addPrinter("escpos-tcp", [&seen](const std::string& target,
                                             const app::PrinterSettings&)
                                         -> Result<app::PrinterParts> {
        seen = target;
        return fail(Errc::PrinterOffline, "no printer at " + target);
    });
    auto printer = devices.makePrinter("escpos-tcp:192.0.2.1:9100", {});
    CHECK(seen == "escpos-tcp:192.0.2.1:9100");
    REQUIRE_FALSE(printer.has_value());
    CHECK(printer.error().code == Errc::PrinterOffline);
    CHECK(printer.error().message.rfind("printer: ", 0) == 0);
}

TEST_CASE("Device registry: a test may replace the reader by name")
{
    app::DeviceRegistry devices = app::builtinDevices();
    devices.addReader("sim", [](const config::KioskConfig&) -> Result<app::ReaderParts> {
        app::ReaderParts parts;
        parts.reader = std::make_unique<hal::sim::SimCardReader>();
        return parts;
    });
    config::KioskConfig config;
    auto reader = devices.makeReader(config);
    REQUIRE(reader.has_value());
    CHECK(reader->reader != nullptr);
    CHECK_FALSE(reader->demo.insertCard); // the fake gave no demo controls
}

TEST_CASE("Device registry: ESC/POS printers are built in, and a bad spec names the key")
{
    app::DeviceRegistry devices = app::builtinDevices();
    // The connection opens on the first slip, so a printer that is away still builds.
    auto tcp = devices.makePrinter("escpos-tcp:127.0.0.1:9", {{}, 384});
    CHECK(tcp.has_value());
    auto noPort = devices.makePrinter("escpos-tcp:127.0.0.1", {});
    REQUIRE_FALSE(noPort.has_value());
    CHECK(noPort.error().code == Errc::ConfigInvalid);
    CHECK(noPort.error().message.rfind("printer: ", 0) == 0);
    auto badWidth = devices.makePrinter("escpos-usb:/dev/usb/lp0", {{}, 500});
    REQUIRE_FALSE(badWidth.has_value());
    CHECK(badWidth.error().code == Errc::ConfigInvalid);
}
