#include "kiosk/app/devices.hpp"

namespace uketsuke::kiosk::app {
namespace {

template <class Map>
std::string kindsOf(const Map& map)
{
    std::string out;
    for (const auto& entry : map) {
        out += (out.empty() ? "" : ", ") + entry.first;
    }
    return out.empty() ? "none" : out;
}

template <class Map>
std::vector<std::string> namesOf(const Map& map)
{
    std::vector<std::string> out;
    for (const auto& entry : map) {
        out.push_back(entry.first);
    }
    return out;
}

Error prefixed(Error e, const std::string& key)
{
    if (e.message.rfind(key + ":", 0) != 0) {
        e.message = key + ": " + e.message;
    }
    return e;
}

} // namespace

void DeviceRegistry::addReader(const std::string& kind, ReaderFactory factory)
{
    m_readers[kind] = std::move(factory);
}

void DeviceRegistry::addPrinter(const std::string& kind, PrinterFactory factory)
{
    m_printers[kind] = std::move(factory);
}

void DeviceRegistry::addKeypad(const std::string& kind, KeypadFactory factory)
{
    m_keypads[kind] = std::move(factory);
}

void DeviceRegistry::addEligibility(const std::string& kind, EligibilityFactory factory)
{
    m_eligibility[kind] = std::move(factory);
}

Result<ReaderParts> DeviceRegistry::makeReader(const config::KioskConfig& config) const
{
    auto it = m_readers.find(config.readerKind);
    if (it == m_readers.end()) {
        return fail(Errc::ConfigInvalid, "reader: \"" + config.readerKind +
                                             "\" is not in this build (it has: " +
                                             kindsOf(m_readers) + ")");
    }
    return it->second(config);
}

Result<PrinterParts> DeviceRegistry::makePrinter(const std::string& target,
                                                 const PrinterSettings& settings) const
{
    const std::string kind = target.substr(0, target.find(':'));
    auto it = m_printers.find(kind);
    if (it == m_printers.end() || kind == target) {
        return fail(Errc::ConfigInvalid, "printer: expected KIND:TARGET with KIND one of " +
                                             kindsOf(m_printers) + ", got '" + target + "'");
    }
    auto printer = it->second(target, settings);
    if (!printer) {
        return fail(prefixed(std::move(printer).error(), "printer"));
    }
    return printer;
}

Result<std::unique_ptr<InputDevice>> DeviceRegistry::makeKeypad(
    const std::string& kind, const std::string& device,
    std::function<void(runner::KeypadPress)> onKey) const
{
    auto it = m_keypads.find(kind);
    if (it == m_keypads.end()) {
        return fail(Errc::ConfigInvalid,
                    "pin.keypad: " + kind + " keypads are not in this build (no libevdev)");
    }
    return it->second(device, std::move(onKey));
}

Result<std::unique_ptr<eligibility::EligibilitySource>> DeviceRegistry::makeEligibility(
    const std::string& kind, const config::KioskConfig& config,
    const EligibilityContext& context) const
{
    auto it = m_eligibility.find(kind);
    if (it == m_eligibility.end()) {
        return fail(Errc::ConfigInvalid, "eligibility.source: \"" + kind +
                                             "\" is not in this build (it has: " +
                                             kindsOf(m_eligibility) + ")");
    }
    return it->second(config, context);
}

std::vector<std::string> DeviceRegistry::readerKinds() const
{
    return namesOf(m_readers);
}

std::vector<std::string> DeviceRegistry::printerKinds() const
{
    return namesOf(m_printers);
}

} // namespace uketsuke::kiosk::app
