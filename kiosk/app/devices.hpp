#pragma once

// The device registry: the terminal's devices and eligibility sources by the name the
// configuration gives them (`reader = "sim"`, `printer = "sim:DIR"`, `pin.keypad`,
// `eligibility.source`), each built by a factory. The back ends compiled into this build
// register themselves in kiosk/app/backends/*.cpp; CMake lists which ones (kiosk/app/
// CMakeLists.txt), so no program needs an #if to choose a device.
//
// A new printer kind is one line in its back end's register function:
//     registry.addPrinter("escpos-usb", &openEscposUsb);

#include "base/result.hpp"
#include "hal/card.hpp"
#include "hal/printer.hpp"
#include "hal/text/text_renderer.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/eligibility/source.hpp"
#include "net/https_client.hpp"
#include "kiosk/runner/pin_entry.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::kiosk::app {

// Sets a fault on the simulated printer by name (hal/sim/escpos_server.hpp applyFaultName:
// paper-out, near-end, cover-open, offline, disconnect, slow, ok). Errors: InvalidArgument.
using PrinterFaultFn = std::function<Result<void>(std::string_view fault)>;

// The simulated devices' controls: the demo strip and the headless script's insert-card /
// remove-card / pad-type / pad-cancel / printer. Empty functions: a real device (a patient
// places a card; paper runs out by itself).
struct DemoControls {
    std::function<void()> insertCard;
    std::function<void()> removeCard;
    std::function<void(const std::string& digits)> typeOnPad; // sim.pin_pad = true only
    std::function<void()> cancelOnPad;
    PrinterFaultFn setPrinterFault; // printer = "sim:DIR" only
};

// What a reader factory builds.
struct ReaderParts {
    std::unique_ptr<hal::CardReader> reader;
    DemoControls demo;
    // The readers the back end sees, for `doctor card` (empty function: just this one).
    std::function<Result<std::vector<std::string>>()> listReaders;
};

// A device with a thread of its own that feeds input (a USB keypad).
class InputDevice {
public:
    virtual ~InputDevice() = default;
    virtual void start() = 0;
    virtual void stop() = 0;
};

// What eligibility factories need besides the configuration.
struct EligibilityContext {
    std::string terminalId; // the CN of the client certificate
    net::Timeouts timeouts;
};

using ReaderFactory = std::function<Result<ReaderParts>(const config::KioskConfig& config)>;
// How a printer lays out and draws a slip (config `ui.font`, `printer_width`).
struct PrinterSettings {
    hal::text::FontConfig font;
    int widthDots = 576;
};
// What a printer factory builds.
struct PrinterParts {
    std::unique_ptr<hal::ReceiptPrinter> printer;
    PrinterFaultFn setFault; // the simulated printer only
};
// `target` is the whole configured value ("sim:out/slips", "escpos-tcp:10.0.0.5:9100").
using PrinterFactory = std::function<Result<PrinterParts>(const std::string& target,
                                                          const PrinterSettings& settings)>;
using KeypadFactory = std::function<Result<std::unique_ptr<InputDevice>>(
    const std::string& device, std::function<void(runner::KeypadPress)> onKey)>;
using EligibilityFactory = std::function<Result<std::unique_ptr<eligibility::EligibilitySource>>(
    const config::KioskConfig& config, const EligibilityContext& context)>;

class DeviceRegistry {
public:
    // A later registration of the same name replaces the earlier one (tests register fakes).
    void addReader(const std::string& kind, ReaderFactory factory);
    // Printers are chosen by the part of `printer` before the first ':'.
    void addPrinter(const std::string& kind, PrinterFactory factory);
    void addKeypad(const std::string& kind, KeypadFactory factory);
    void addEligibility(const std::string& kind, EligibilityFactory factory);

    // Errors: ConfigInvalid "reader: ..." naming the kinds this build has, and the factory's.
    Result<ReaderParts> makeReader(const config::KioskConfig& config) const;
    // Errors: ConfigInvalid "printer: ...", and the factory's (prefixed with "printer: ").
    Result<PrinterParts> makePrinter(const std::string& target,
                                     const PrinterSettings& settings) const;
    // `kind` is "evdev" for `pin.keypad`. Errors: ConfigInvalid "pin.keypad: ...".
    Result<std::unique_ptr<InputDevice>> makeKeypad(
        const std::string& kind, const std::string& device,
        std::function<void(runner::KeypadPress)> onKey) const;
    // `kind` is "gateway" or "oqs-files". Errors: ConfigInvalid "eligibility.source: ...",
    // and the factory's.
    Result<std::unique_ptr<eligibility::EligibilitySource>> makeEligibility(
        const std::string& kind, const config::KioskConfig& config,
        const EligibilityContext& context) const;

    std::vector<std::string> readerKinds() const;
    std::vector<std::string> printerKinds() const;

private:
    std::map<std::string, ReaderFactory> m_readers;
    std::map<std::string, PrinterFactory> m_printers;
    std::map<std::string, KeypadFactory> m_keypads;
    std::map<std::string, EligibilityFactory> m_eligibility;
};

// A registry holding every back end compiled into this build (kiosk/app/backends.cpp). Each
// call returns a fresh copy, so a test may add its own fakes to it.
DeviceRegistry builtinDevices();

} // namespace uketsuke::kiosk::app
