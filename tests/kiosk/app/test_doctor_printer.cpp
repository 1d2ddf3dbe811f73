// `doctor printer`: the printer's identity and status as JSON, and a test slip, through the same
// device registry as the terminal (the simulated printer is the ESC/POS simulator in process).

#include "kiosk/app/doctor.hpp"

#include "tests/support/files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace uketsuke;
using namespace uketsuke::kiosk;

namespace {

config::KioskConfig doctorConfig(const std::string& printer, bool testSlip)
{
    config::KioskConfig c;
    c.action = config::KioskConfig::Action::DoctorPrinter;
    c.assetsDir = UKETSUKE_SOURCE_DIR "/assets";
    c.printer = printer;
    c.doctorTestSlip = testSlip;
    c.terminalId = "KIOSK-0001";
    return c;
}

std::string readText(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// A printer that answers status with `status` and cannot tell who it is.
class StubPrinter final : public hal::ReceiptPrinter {
public:
    explicit StubPrinter(Result<hal::PrinterStatus> status) : m_status(std::move(status)) {}

protected:
    Result<void> doPrint(const hal::Slip&) override
    {
        return fail(Errc::PrinterPaperOut, "paper out");
    }
    Result<hal::PrinterStatus> doStatus() override { return m_status; }

private:
    Result<hal::PrinterStatus> m_status;
};

} // namespace

TEST_CASE("doctorPrinter: the simulated printer's identity and status, and a test slip")
{
    tests::TempDir dir;
    std::ostringstream out;
    std::ostringstream err;
    int status = app::doctorPrinter(doctorConfig("sim:" + dir.path().string(), true),
                                    app::builtinDevices(), out, err);
    INFO(out.str() << err.str());
    CHECK(status == 0);
    auto report = nlohmann::json::parse(out.str());
    CHECK(report.at("ok") == true);
    CHECK(report.at("identity").at("maker") == "UKETSUKE");
    CHECK(report.at("identity").at("model") == "SIM-ESCPOS");
    CHECK(report.at("status").at("online") == true);
    CHECK(report.at("status").at("paper_near_end") == false);
    CHECK(report.at("test_slip") == "printed");
    CHECK(report.at("errors").empty());
    // The simulator dumped what the printer was sent: the title, kanji as text, 𠮷 as an image.
    const std::string dump = readText(dir.path() / "slip-0001.txt");
    CHECK(dump.find("テスト印字") != std::string::npos);
    CHECK(dump.find("KIOSK-0001") != std::string::npos);
    CHECK(dump.find("IMG(") != std::string::npos);
    CHECK(dump.find("QR(M,6):UKETSUKE-TEST") != std::string::npos);
}

TEST_CASE("doctorPrinter: a printer out of paper is exit 1 with the reason, no identity needed")
{
    app::DeviceRegistry devices = app::builtinDevices();
    devices.addPrinter("stub", [](const std::string&, const app::PrinterSettings&)
                                   -> Result<app::PrinterParts> {
        hal::PrinterStatus paperOut;
        paperOut.online = false;
        paperOut.paperOut = true;
        return app::PrinterParts{std::make_unique<StubPrinter>(paperOut), {}};
    });
    std::ostringstream out;
    std::ostringstream err;
    CHECK(app::doctorPrinter(doctorConfig("stub:x", true), devices, out, err) == 1);
    auto report = nlohmann::json::parse(out.str());
    CHECK(report.at("ok") == false);
    CHECK(report.at("identity").is_null());
    CHECK(report.at("status").at("paper_out") == true);
    CHECK(report.at("test_slip") == "not_printed");
    REQUIRE(report.at("errors").size() == 1); // NotSupported identity is not an error
    CHECK(report.at("errors")[0].at("step") == "test_slip");
    CHECK(report.at("errors")[0].at("code") == "printer_paper_out");
}

TEST_CASE("doctorPrinter: a printer that does not answer, and one that cannot be built")
{
    app::DeviceRegistry devices = app::builtinDevices();
    devices.addPrinter("stub", [](const std::string&, const app::PrinterSettings&)
                                   -> Result<app::PrinterParts> {
        return app::PrinterParts{
            std::make_unique<StubPrinter>(fail(Errc::PrinterOffline, "no answer")), {}};
    });
    std::ostringstream out;
    std::ostringstream err;
    CHECK(app::doctorPrinter(doctorConfig("stub:x", false), devices, out, err) == 1);
    auto report = nlohmann::json::parse(out.str());
    CHECK(report.at("status").is_null());
    CHECK(report.at("errors")[0].at("code") == "printer_offline");
    CHECK_FALSE(report.contains("test_slip"));

    std::ostringstream out2;
    std::ostringstream err2;
    CHECK(app::doctorPrinter(doctorConfig("laser:/dev/lp0", false), devices, out2, err2) == 2);
    CHECK(err2.str().find("printer: ") != std::string::npos);
    CHECK(out2.str().empty());
}
