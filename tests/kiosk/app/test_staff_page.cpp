// App::staffPage: the staff menu's pages as the terminal builds them from its parts.

#include "kiosk/app/app.hpp"

#include "hal/sim/sim_reader.hpp"
#include "tests/desk/pki_fixture.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk;

namespace {

const runner::StaffRow* findRow(const std::vector<runner::StaffRow>& rows,
                                const std::string& label)
{
    for (const auto& row : rows) {
        if (row.labelKey == label) {
            return &row;
        }
    }
    return nullptr;
}

std::unique_ptr<app::App> buildApp(const config::KioskConfig& config)
{
    app::DeviceRegistry devices = app::builtinDevices();
    devices.addReader("sim", [](const config::KioskConfig&) -> Result<app::ReaderParts> {
        app::ReaderParts parts;
        parts.reader = std::make_unique<hal::sim::SimCardReader>();
        return parts;
    });
    auto app = app::App::build(config, [] {}, devices);
    if (!app) {
        FAIL(app.error().message);
    }
    return std::move(*app);
}

} // namespace

TEST_CASE("App::staffPage: the devices page lists the reader and printer before any test")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    config::KioskConfig config;
    config::applyPkiDir(config, dir.path().string());
    config.terminalId = "KIOSK-0001";
    config.dataDir = (dir.path() / "kiosk").string();
    config.printer = "sim:" + (dir.path() / "slips").string();
    config.assetsDir = std::string(UKETSUKE_SOURCE_DIR) + "/assets";
    auto app = buildApp(config);
    auto rows = app->staffPage(staff::Section::Devices);
    CHECK(findRow(rows, "staff.row.reader") != nullptr);
    CHECK(findRow(rows, "staff.row.printer") != nullptr);
    CHECK(findRow(rows, "staff.row.test_card") == nullptr);
}
