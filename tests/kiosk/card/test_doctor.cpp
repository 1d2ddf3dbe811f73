// doctorCard (kiosk/card/doctor.hpp) against the simulated reader and virtual cards. The same
// report through pcscd is tested in tests/hal/pcsc/test_doctor_pcsc.cpp.

#include "kiosk/card/doctor.hpp"

#include "hal/sim/sim_reader.hpp"
#include "hal/sim/virtual_card.hpp"
#include "tests/support/test_card.hpp"

#include <catch2/catch.hpp>

namespace {

using namespace uketsuke;
using hal::sim::CardAccess;
using hal::sim::SimCardReader;
using hal::sim::VirtualCard;
using hal::sim::VirtualCardConfig;
using kiosk::card::doctorCard;
using kiosk::card::DoctorOptions;
using std::chrono::sys_days;

std::chrono::sys_seconds wallNow()
{
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

DoctorOptions options(std::chrono::sys_seconds now = wallNow())
{
    DoctorOptions o;
    o.readers = {"Uketsuke Virtual Reader 00"};
    o.now = now;
    return o;
}

std::shared_ptr<VirtualCard> makeCard(VirtualCardConfig config)
{
    auto card = VirtualCard::create(std::move(config));
    REQUIRE(card);
    return *card;
}

TEST_CASE("doctorCard: reports a valid My Number card without spending a PIN try")
{
    SimCardReader reader;
    auto card = makeCard(test::virtualCardConfig(test::defaultTestCard(), "1234", 2));
    reader.insert(card);
    const auto report = doctorCard(reader, options());
    INFO(report.dump(2));
    CHECK(report["ok"] == true);
    CHECK(report["readers"] == nlohmann::json{"Uketsuke Virtual Reader 00"});
    CHECK(report["reader"] == "Uketsuke Virtual Reader 00");
    CHECK(report["card_present"] == true);
    CHECK(report["atr"] == "3BE000FF8131FE4514");
    CHECK(report["secure_pin_entry"] == false);
    CHECK(report["my_number_card"] == true);
    CHECK(report["token_label"] == "JPKIAPICCTOKEN2");
    CHECK(report["certificate"]["status"] == "valid");
    CHECK(report["certificate"]["subject"].get<std::string>().find("C=JP") != std::string::npos);
    CHECK(report["certificate"]["issuer"].get<std::string>().find("O=JPKI") != std::string::npos);
    CHECK(report["certificate"]["not_after"].get<std::string>().back() == 'Z');
    CHECK(report["pin_tries_left"] == 2);
    CHECK(report["pin_status"] == "ok");
    CHECK(report["errors"].empty());
    CHECK(card->authPinTriesLeft() == 2);
    // Never a VERIFY with data, never another AP, never EF 0001.
    for (const auto& access : card->accessLog()) {
        INFO(hal::sim::describe(access));
        CHECK_FALSE((access.kind == CardAccess::Kind::Verify && access.withData));
        CHECK(access.kind != CardAccess::Kind::Sign);
        if (access.kind == CardAccess::Kind::SelectAid) {
            CHECK(access.aid == hal::Bytes(hal::jpki::kJpkiAid.begin(), hal::jpki::kJpkiAid.end()));
        }
        if (access.kind == CardAccess::Kind::SelectEf) {
            CHECK(access.fid != hal::jpki::kEfSignCertificate);
        }
    }
}

TEST_CASE("doctorCard: the last try and a blocked PIN")
{
    SimCardReader reader;
    reader.insert(makeCard(test::virtualCardConfig(test::defaultTestCard(), "1234", 1)));
    auto report = doctorCard(reader, options());
    CHECK(report["pin_tries_left"] == 1);
    CHECK(report["pin_status"] == "last_try");

    reader.insert(makeCard(test::virtualCardConfig(test::defaultTestCard(), "1234", 0)));
    report = doctorCard(reader, options());
    CHECK(report["pin_tries_left"] == 0);
    CHECK(report["pin_status"] == "blocked");
    CHECK(report["ok"] == true);
}

TEST_CASE("doctorCard: certificate status follows the date")
{
    using namespace std::chrono;
    const auto notBefore = sys_seconds(sys_days(2024y / 1 / 1));
    const auto notAfter = sys_seconds(sys_days(2026y / 6 / 30)) + hours(14) + minutes(59) +
                          seconds(59);
    const auto card = test::makeTestCard("UKTEST0000000000000999", notBefore, notAfter);
    SimCardReader reader;
    reader.insert(makeCard(test::virtualCardConfig(card)));
    auto statusOn = [&](sys_days day) {
        return doctorCard(reader, options(sys_seconds(day)))["certificate"]["status"];
    };
    CHECK(statusOn(2025y / 1 / 1) == "valid");
    CHECK(statusOn(2026y / 5 / 1) == "expiring_soon");
    CHECK(statusOn(2026y / 8 / 1) == "expired_in_grace");
    CHECK(statusOn(2027y / 1 / 1) == "expired");
    const auto report = doctorCard(reader, options());
    CHECK(report["certificate"]["not_after"] == "2026-06-30T14:59:59Z");
}

TEST_CASE("doctorCard: a card that is not a My Number card")
{
    SimCardReader reader;
    VirtualCardConfig config;
    config.kind = VirtualCardConfig::Kind::Foreign;
    reader.insert(makeCard(config));
    const auto report = doctorCard(reader, options());
    INFO(report.dump(2));
    CHECK(report["ok"] == false);
    CHECK(report["card_present"] == true);
    CHECK(report["my_number_card"] == false);
    CHECK_FALSE(report.contains("certificate"));
    CHECK_FALSE(report.contains("pin_tries_left"));
    REQUIRE(report["errors"].size() == 1);
    CHECK(report["errors"][0]["step"] == "select_jpki");
    CHECK(report["errors"][0]["code"] == "not_my_number_card");
}

TEST_CASE("doctorCard: no card on the reader")
{
    SimCardReader reader;
    auto o = options();
    o.waitForCard = std::chrono::milliseconds(50);
    const auto report = doctorCard(reader, o);
    CHECK(report["ok"] == false);
    CHECK(report["card_present"] == false);
    REQUIRE(report["errors"].size() == 1);
    CHECK(report["errors"][0]["code"] == "no_card");
}

} // namespace
