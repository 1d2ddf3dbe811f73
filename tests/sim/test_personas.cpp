#include "sim/personas.hpp"

#include "kiosk/model/qualification.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

using uketsuke::Errc;
using namespace uketsuke::sim;
using uketsuke::kiosk::model::Outcome;
using uketsuke::kiosk::model::outcomeOf;

std::string withCard(const std::string& card)
{
    return R"({"format": 1, "personas": [{"id": "p1", "card": )" + card +
           R"(, "qualification": {"MessageHeader": {"SegmentOfResult": "1"},
               "MessageBody": {"ProcessingResultStatus": "1"}}}]})";
}

TEST_CASE("loadPersonas: the shipped personas cover valid, family, lost and expired cards")
{
    auto personas = loadPersonas(defaultPersonasFile());
    REQUIRE(personas);
    const Persona* valid = findPersonaById(*personas, "valid");
    REQUIRE(valid != nullptr);
    CHECK(valid->card.pin.size() == 4);
    CHECK(outcomeOf(valid->qualification) == Outcome::Valid);
    CHECK(valid->qualification.body.resultList.at(0).insurerNumber == "06139999");

    const Persona* family = findPersonaById(*personas, "family-rare-kanji");
    REQUIRE(family != nullptr);
    CHECK(family->qualification.body.resultList.at(0).insurerNumber == "  138999");

    const Persona* lost = findPersonaById(*personas, "lost");
    REQUIRE(lost != nullptr);
    CHECK(outcomeOf(lost->qualification) == Outcome::Lost);
    CHECK(lost->qualification.body.resultList.at(0).reasonOfLoss == "03");

    const Persona* expired = findPersonaById(*personas, "expired-certificate");
    REQUIRE(expired != nullptr);
    CHECK(expired->card.notAfterDays < 0);

    CHECK(findPersonaByCardCn(*personas, valid->card.cn) == valid);
    CHECK(findPersonaByCardCn(*personas, "nobody") == nullptr);
}

TEST_CASE("parsePersonas: names the bad field but never its value")
{
    auto badPin = parsePersonas(withCard(R"({"cn": "C1", "pin": "98765",
        "pin_tries_left": 3, "not_before_days": 0, "not_after_days": 10})"));
    REQUIRE_FALSE(badPin);
    CHECK(badPin.error().code == Errc::ConfigInvalid);
    CHECK(badPin.error().message.find("personas[0].card.pin") != std::string::npos);
    CHECK(badPin.error().message.find("98765") == std::string::npos);

    auto badDates = parsePersonas(withCard(R"({"cn": "C1", "pin": "1234",
        "not_before_days": 10, "not_after_days": 10})"));
    REQUIRE_FALSE(badDates);
    CHECK(badDates.error().message.find("not_after_days") != std::string::npos);

    auto badTries = parsePersonas(withCard(R"({"cn": "C1", "pin": "1234", "pin_tries_left": 4,
        "not_before_days": 0, "not_after_days": 10})"));
    REQUIRE_FALSE(badTries);
    CHECK(badTries.error().message.find("pin_tries_left") != std::string::npos);
}

TEST_CASE("parsePersonas: rejects duplicate ids, unsafe ids and a wrong format")
{
    const std::string person = R"({"id": "same", "card": {"cn": "C%", "pin": "1234",
        "not_before_days": 0, "not_after_days": 10},
        "qualification": {"MessageHeader": {}, "MessageBody": {}}})";
    std::string one = person;
    std::string two = person;
    one.replace(one.find('%'), 1, "1");
    two.replace(two.find('%'), 1, "2");
    auto duplicate = parsePersonas(R"({"format": 1, "personas": [)" + one + "," + two + "]}");
    REQUIRE_FALSE(duplicate);
    CHECK(duplicate.error().message.find("duplicate id") != std::string::npos);

    std::string unsafe = one;
    unsafe.replace(unsafe.find("same"), 4, "../x");
    CHECK_FALSE(parsePersonas(R"({"format": 1, "personas": [)" + unsafe + "]}"));

    CHECK_FALSE(parsePersonas(R"({"format": 2, "personas": []})"));
    CHECK_FALSE(parsePersonas("not json"));
}

TEST_CASE("parsePersonas: a foreign card needs no certificate fields")
{
    auto personas = parsePersonas(R"({"format": 1, "personas": [
        {"id": "foreign", "card": {"kind": "foreign", "pin": "1234"}}]})");
    REQUIRE(personas);
    REQUIRE(personas->size() == 1);
    CHECK(personas->front().card.foreign);
    CHECK(findPersonaByCardCn(*personas, "") == nullptr);
}

} // namespace
