// The staff menu's device tests against the simulators: the card test is `doctor card` on the
// simulated reader, the printer test prints on the in-process ESC/POS simulator and reads its
// status, the network test makes a round trip to the reference gateway (and a dead port).

#include "kiosk/app/staff_tests.hpp"

#include "kiosk/app/doctor.hpp"
#include "tests/kiosk/app/app_fixture.hpp"
#include "tests/sim/support.hpp"

#include <catch2/catch.hpp>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using uketsuke::sim::testing::RunningGateway;
using uketsuke::sim::testing::ScratchDir;
using uketsuke::sim::testing::sharedTestPki;

namespace {

// The row with `label`; fails the test when there is none.
const runner::StaffRow& rowOf(const runner::StaffTestResult& r, const std::string& label)
{
    for (const auto& row : r.rows) {
        if (row.labelKey == label) {
            return row;
        }
    }
    FAIL("no row " << label);
    return r.rows.front();
}

bool hasRow(const runner::StaffTestResult& r, const std::string& label)
{
    for (const auto& row : r.rows) {
        if (row.labelKey == label) {
            return true;
        }
    }
    return false;
}

config::KioskConfig simConfig(const ScratchDir& dir)
{
    config::KioskConfig config;
    config::applyPkiDir(config, sharedTestPki().root().string());
    config.dataDir = (dir.path() / "data").string();
    config.printer = "sim:" + (dir.path() / "slips").string();
    config.assetsDir = std::string(UKETSUKE_SOURCE_DIR) + "/assets";
    config.terminalId = "KIOSK-0001";
    std::filesystem::create_directories(config.dataDir);
    return config;
}

} // namespace

TEST_CASE("cardTestResult: doctor card's report on the simulated reader shows the reader, the "
          "ATR, the PIN pad and the card, and spends no PIN try")
{
    ScratchDir dir;
    const auto config = simConfig(dir);
    auto first = app::doctorCardReport(config, app::builtinDevices(), std::chrono::seconds(1));
    REQUIRE(first);
    auto r = app::cardTestResult(*first);
    CHECK(r.ok);
    CHECK(r.test == staff::Intent::TestCard);
    CHECK(r.key == "staff.test.card_ok");
    CHECK(r.detail.empty());
    CHECK(!rowOf(r, "staff.row.reader_name").value.empty());
    CHECK(rowOf(r, "staff.row.atr").value == (*first)["atr"].get<std::string>());
    CHECK(rowOf(r, "staff.row.pin_pad").value == "staff.value.no");
    CHECK(rowOf(r, "staff.row.my_number_card").value == "staff.value.yes");
    const auto& certificate = rowOf(r, "staff.row.card_certificate");
    CHECK(certificate.value == "staff.value.certificate.valid");
    REQUIRE(certificate.args.size() == 1);
    CHECK(certificate.args[0].second.size() == 10); // its last day, YYYY-MM-DD
    const std::string tries = rowOf(r, "staff.row.pin_tries").value;
    // A second run finds as many tries left: the test never verifies a PIN.
    auto second = app::doctorCardReport(config, app::builtinDevices(), std::chrono::seconds(1));
    REQUIRE(second);
    CHECK(rowOf(app::cardTestResult(*second), "staff.row.pin_tries").value == tries);
}

TEST_CASE("cardTestResult: no card on the reader says so, with the reader's name only")
{
    nlohmann::json report = {{"ok", false},
                             {"reader", "ACS ACR39U"},
                             {"card_present", false},
                             {"errors", {{{"step", "reader"}, {"code", "NoCard"}}}}};
    auto r = app::cardTestResult(report);
    CHECK_FALSE(r.ok);
    CHECK(r.key == "staff.test.card_none");
    CHECK(r.detail == "reader: NoCard");
    REQUIRE(r.rows.size() == 1);
    CHECK(r.rows[0].value == "ACS ACR39U");
}

TEST_CASE("printerTest: prints the test slip on the simulated printer and shows paper and cover")
{
    ScratchDir dir;
    const auto config = simConfig(dir);
    auto parts = app::builtinDevices().makePrinter(
        config.printer, {{config.font, config.fontIndex}, config.printerWidthDots});
    REQUIRE(parts);
    auto strings = model::StringCatalog::load(config.assetsDir + "/i18n", "ja");
    REQUIRE(strings);
    const hal::Slip slip = app::doctorTestSlip(strings->defaultTable(), config);

    auto r = app::printerTest(*parts->printer, slip);
    CHECK(r.ok);
    CHECK(r.key == "staff.test.printer_ok");
    CHECK(rowOf(r, "staff.row.paper").value == "staff.value.paper_ok");
    CHECK(rowOf(r, "staff.row.cover").value == "staff.value.cover_closed");
    CHECK_FALSE(rowOf(r, "staff.row.paper").attention);

    REQUIRE(parts->setFault("paper-out"));
    r = app::printerTest(*parts->printer, slip);
    CHECK_FALSE(r.ok);
    CHECK(r.key == "staff.test.printer_failed");
    CHECK(r.detail == "printer_paper_out");
    CHECK(rowOf(r, "staff.row.paper").value == "staff.value.paper_out");
    CHECK(rowOf(r, "staff.row.paper").attention);

    REQUIRE(parts->setFault("ok"));
    REQUIRE(parts->setFault("cover-open"));
    r = app::printerTest(*parts->printer, slip);
    CHECK_FALSE(r.ok);
    CHECK(rowOf(r, "staff.row.cover").value == "staff.value.cover_open");
}

TEST_CASE("networkTest: a round trip to the gateway shows its latency and the certificates' "
          "expiry, and a desk that is away is a problem")
{
    ScratchDir dir;
    auto config = simConfig(dir);
    sim::GatewayOptions options;
    options.pkiDir = sharedTestPki().root();
    RunningGateway gateway(options);
    tests::DeadPort desk;
    config.gatewayUrl = gateway.url();
    config.deskUrl = "https://127.0.0.1:" + std::to_string(desk.port);
    config.connectTimeoutMs = 2000;

    const auto now = std::chrono::system_clock::now();
    auto r = app::networkTest(config, now);
    CHECK_FALSE(r.ok);
    CHECK(r.key == "staff.test.network_failed");
    const auto& latency = rowOf(r, "staff.row.gateway_latency");
    CHECK(latency.value.find(" ms") != std::string::npos);
    CHECK_FALSE(latency.attention);
    // Dates as YYYY-MM-DD, and the test PKI's certificates are valid for longer than a day.
    const auto& serverCert = rowOf(r, "staff.row.gateway_cert");
    REQUIRE(serverCert.value.size() == 10);
    CHECK(serverCert.value[4] == '-');
    CHECK(serverCert.value > time::isoUtc(now).substr(0, 10));
    CHECK(rowOf(r, "staff.row.client_cert").value.size() == 10); // one file for both peers
    CHECK_FALSE(hasRow(r, "staff.row.gateway_client_cert"));
    CHECK(rowOf(r, "staff.row.desk_latency").value == "network_unreachable");
    CHECK(rowOf(r, "staff.row.desk_latency").attention);
    CHECK_FALSE(hasRow(r, "staff.row.desk_cert"));

    SECTION("a certificate that expires within 30 days is drawn as a problem")
    {
        auto later = app::networkTest(config, now + std::chrono::days(3650));
        CHECK(rowOf(later, "staff.row.gateway_cert").attention);
        CHECK(rowOf(later, "staff.row.client_cert").attention);
    }
    SECTION("without the gateway as a source only the desk is asked; any HTTP answer reaches it")
    {
        config.eligibility = config::EligibilityKind::OqsFiles;
        config.deskUrl = gateway.url(); // answers GET /api/v1/display with a 404
        config.deskTls = config.gatewayTls;
        auto deskOnly = app::networkTest(config, now);
        CHECK(deskOnly.ok);
        CHECK(deskOnly.key == "staff.test.network_ok");
        CHECK_FALSE(hasRow(deskOnly, "staff.row.gateway_latency"));
        CHECK(rowOf(deskOnly, "staff.row.desk_cert").value.size() == 10);
    }
}

TEST_CASE("clientCertificateRows: the home page shows the terminal's certificates' last day, a "
          "problem 30 days before it or when the file is missing")
{
    ScratchDir dir;
    auto config = simConfig(dir);
    const auto now = std::chrono::system_clock::now();

    auto rows = app::clientCertificateRows(config, now);
    REQUIRE(rows.size() == 1); // one file for the gateway and the desk
    CHECK(rows[0].labelKey == "staff.row.client_cert");
    REQUIRE(rows[0].value.size() == 10);
    CHECK(rows[0].value > time::isoUtc(now).substr(0, 10));
    CHECK_FALSE(rows[0].attention);
    // The same certificate as the network test reads from the peers' side.
    CHECK(app::clientCertificateRows(config, now + std::chrono::days(3650))[0].attention);

    SECTION("two files: one row each, a missing one a problem")
    {
        config.gatewayTls.cert = (dir.path() / "enrolment-pending.pem").string();
        auto two = app::clientCertificateRows(config, now);
        REQUIRE(two.size() == 2);
        CHECK(two[0].labelKey == "staff.row.gateway_client_cert");
        CHECK(two[0].value == "staff.value.missing");
        CHECK(two[0].valueIsKey);
        CHECK(two[0].attention);
        CHECK(two[1].labelKey == "staff.row.desk_client_cert");
        CHECK_FALSE(two[1].attention);
    }
    SECTION("without the gateway only the desk's certificate counts")
    {
        config.eligibility = config::EligibilityKind::OqsFiles;
        config.gatewayTls.cert = (dir.path() / "unused.pem").string();
        auto one = app::clientCertificateRows(config, now);
        REQUIRE(one.size() == 1);
        CHECK_FALSE(one[0].attention);
    }
}
