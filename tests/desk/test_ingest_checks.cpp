#include "desk/ingest_checks.hpp"

#include "kiosk/model/json.hpp"
#include "tests/desk/sample_checkin.hpp"

#include <catch2/catch.hpp>

namespace {

using namespace uketsuke;
using nlohmann::json;

json sampleBody()
{
    return kiosk::model::toJson(tests::sampleCheckIn("k-1"));
}

std::string problemOf(const json& body)
{
    auto checked = desk::checkFields(body);
    REQUIRE_FALSE(checked);
    CHECK(checked.error().code == Errc::InvalidArgument);
    return checked.error().message;
}

TEST_CASE("checkFields: a real check-in passes")
{
    CHECK(desk::checkFields(sampleBody()));
    auto longest = sampleBody();
    // 100 characters of a name beyond the BMP are still 100 characters.
    std::string name;
    for (int i = 0; i < 100; ++i) {
        name += "𠮷";
    }
    longest["qualification"]["MessageBody"]["ResultList"][0]["Name"] = name;
    CHECK(desk::checkFields(longest));
}

TEST_CASE("checkFields: a field over its limit is refused, naming the field")
{
    auto body = sampleBody();
    body["qualification"]["MessageBody"]["ResultList"][0]["Name"] = std::string(101, 'x');
    CHECK(problemOf(body) ==
          "qualification.MessageBody.ResultList[0].Name: longer than 100 characters");

    body = sampleBody();
    body["receipt_number"] = std::string(33, '1');
    CHECK(problemOf(body) == "receipt_number: longer than 32 characters");

    body = sampleBody();
    body["terminal_id"] = std::string(65, 'K');
    CHECK(problemOf(body) == "terminal_id: longer than 64 characters");

    body = sampleBody();
    body["qualification"]["MessageBody"]["ResultList"][0]["InsurerNumber"] = std::string(17, '0');
    CHECK(problemOf(body).find("InsurerNumber: longer than 16") != std::string::npos);

    // The same rules hold for a terminal's health report.
    nlohmann::json health{{"terminal_id", "KIOSK-0001"}, {"card", std::string(33, 'p')}};
    CHECK(problemOf(health) == "card: longer than 32 characters");
    health = {{"terminal_id", "KIOSK-0001"}, {"card_idle_since", std::string(41, '2')}};
    CHECK(problemOf(health) == "card_idle_since: longer than 40 characters");

    body = sampleBody();
    body["qualification"]["MessageBody"]["Unknown"] = std::string(1025, 'x');
    CHECK(problemOf(body) == "qualification.MessageBody.Unknown: longer than 1024 characters");

    body = sampleBody();
    body["qualification"]["MessageBody"][std::string(129, 'E')] = "1";
    CHECK(problemOf(body) == "qualification.MessageBody (a member name): longer than 128 "
                             "characters");
}

TEST_CASE("checkFields: control characters are refused, C0, DEL and C1 alike")
{
    for (const char* bad : {"00\x07", "a\tb", "line\nbreak", "\x7f", "x\xc2\x85y", "\xc2\x9f"}) {
        INFO(json(bad).dump());
        auto body = sampleBody();
        body["qualification"]["MessageBody"]["ResultList"][0]["NameKana"] = bad;
        CHECK(problemOf(body) ==
              "qualification.MessageBody.ResultList[0].NameKana: holds a control character");
    }
    auto body = sampleBody();
    body["receipt_number"] = std::string("00\0" "7", 4);
    CHECK(problemOf(body) == "receipt_number: holds a control character");
    // Full-width spaces and kana are text, not control characters.
    body = sampleBody();
    body["qualification"]["MessageBody"]["ResultList"][0]["Name"] = "試験　花子";
    CHECK(desk::checkFields(body));
}

TEST_CASE("checkFields: the message never holds the value")
{
    auto body = sampleBody();
    body["qualification"]["MessageBody"]["ResultList"][0]["Name"] = "秘密\x01";
    CHECK(problemOf(body).find("秘密") == std::string::npos);
}

TEST_CASE("isControlCharacter: the ranges")
{
    CHECK(desk::isControlCharacter(U'\0'));
    CHECK(desk::isControlCharacter(U'\x1f'));
    CHECK_FALSE(desk::isControlCharacter(U' '));
    CHECK(desk::isControlCharacter(U'\x7f'));
    CHECK(desk::isControlCharacter(U'\x80'));
    CHECK(desk::isControlCharacter(U'\x9f'));
    CHECK_FALSE(desk::isControlCharacter(U'\xa0'));
    CHECK_FALSE(desk::isControlCharacter(U'\u3000'));
}

} // namespace
