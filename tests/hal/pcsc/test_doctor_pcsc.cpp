// `doctor card` (kiosk/card/doctor.hpp) against the real pcscd + vpcd.

#include <catch2/catch.hpp>

#include "hal/pcsc/pcsc_reader.hpp"
#include "kiosk/card/doctor.hpp"
#include "tests/hal/pcsc/pcsc_sandbox.hpp"
#include "tests/support/test_card.hpp"

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;

kiosk::card::DoctorOptions optionsFor(hal::pcsc::PcscReader& reader)
{
    kiosk::card::DoctorOptions options;
    auto readers = reader.listReaders();
    if (readers) {
        options.readers = *readers;
    } else {
        options.readersError = readers.error();
    }
    options.waitForCard = 20s;
    options.now = std::chrono::time_point_cast<std::chrono::seconds>(
        std::chrono::system_clock::now());
    return options;
}

TEST_CASE("doctorCard: through pcscd, a valid card")
{
    test::TempDir dir;
    test::Pcscd pcscd(dir.path());
    pcscd.start();
    auto card = test::startSimCard("valid", dir.path());
    hal::pcsc::PcscReader reader;
    const auto report = kiosk::card::doctorCard(reader, optionsFor(reader));
    INFO(report.dump(2));
    CHECK(report["ok"] == true);
    CHECK(report["readers"] == nlohmann::json{test::kSlot0, test::kSlot1});
    CHECK(report["reader"] == test::kSlot0);
    CHECK(report["card_present"] == true);
    CHECK(report["atr"] == "3BE000FF8131FE4514");
    CHECK(report["secure_pin_entry"] == false);
    CHECK(report["my_number_card"] == true);
    CHECK(report["token_label"] == "JPKIAPICCTOKEN2");
    CHECK(report["certificate"]["subject"] == "CN=UKTEST0000000000000001,C=JP");
    CHECK(report["certificate"]["status"] == "valid");
    CHECK(report["pin_tries_left"] == 3);
    CHECK(report["pin_status"] == "ok");
    CHECK(report["errors"].empty());
}

TEST_CASE("doctorCard: through pcscd, no pcscd at all")
{
    test::TempDir dir;
    hal::pcsc::PcscReader reader;
    auto options = optionsFor(reader);
    options.waitForCard = 200ms;
    const auto report = kiosk::card::doctorCard(reader, options);
    INFO(report.dump(2));
    CHECK(report["ok"] == false);
    CHECK(report["card_present"] == false);
    REQUIRE(report["errors"].size() == 2);
    CHECK(report["errors"][0]["step"] == "readers");
    CHECK(report["errors"][0]["code"] == "reader_service_down");
}

} // namespace
