#include "base/secret.hpp"

#include <catch2/catch.hpp>

#include <string_view>
#include <utility>

using namespace uketsuke;

TEST_CASE("Pin: exactly four digits, wiped when moved from")
{
    Pin pin;
    for (char c : std::string_view("123")) {
        REQUIRE(pin.push(c));
    }
    CHECK_FALSE(pin.complete());
    CHECK_FALSE(pin.push('x'));
    REQUIRE(pin.push('4'));
    CHECK(pin.complete());
    CHECK_FALSE(pin.push('5')); // full
    CHECK(std::string_view(pin.digits().data(), pin.digits().size()) == "1234");
    Pin moved = std::move(pin);
    CHECK(pin.size() == 0);
    CHECK(moved.size() == 4);
    moved.pop();
    CHECK(moved.size() == 3);
    moved.wipe();
    CHECK(moved.size() == 0);
}

TEST_CASE("StaffPin: four to eight digits")
{
    StaffPin pin;
    for (char c : std::string_view("123")) {
        REQUIRE(pin.push(c));
    }
    CHECK_FALSE(pin.complete());
    REQUIRE(pin.push('4'));
    CHECK(pin.complete()); // four is enough
    for (char c : std::string_view("5678")) {
        REQUIRE(pin.push(c));
    }
    CHECK(pin.complete());
    CHECK_FALSE(pin.push('9')); // at most eight
    CHECK(pin.size() == 8);
}
