#include "base/hex.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>

using uketsuke::hex;
using uketsuke::HexCase;

TEST_CASE("hex: upper case by default, two digits a byte", "[base]")
{
    const std::array<std::uint8_t, 4> bytes{0x3f, 0x00, 0x0a, 0xff};
    CHECK(hex(bytes) == "3F000AFF");
    CHECK(hex(bytes, HexCase::Lower) == "3f000aff");
    CHECK(hex(std::span<const std::uint8_t>{}).empty());
}
