#include "hal/status_words.hpp"

#include <catch2/catch.hpp>

namespace {

using uketsuke::Errc;
using uketsuke::hal::mapStatusWord;
using uketsuke::hal::statusWordError;

TEST_CASE("mapStatusWord: 90 00 is the only success")
{
    CHECK(mapStatusWord(0x9000).success);
    CHECK_FALSE(mapStatusWord(0x6282).success);
    CHECK_FALSE(mapStatusWord(0x9001).success);
    CHECK_FALSE(mapStatusWord(0x0000).success);
}

TEST_CASE("mapStatusWord: 63C2 leaves two tries")
{
    const auto info = mapStatusWord(0x63C2);
    CHECK(info.code == Errc::PinIncorrect);
    CHECK(info.triesLeft == 2);
    const auto error = statusWordError(0x63C2);
    CHECK(error.code == Errc::PinIncorrect);
    CHECK(error.native == 2);
    CHECK(error.message.find("63C2") != std::string::npos);
}

TEST_CASE("mapStatusWord: 63Cx counts tries before the table")
{
    for (int tries = 1; tries <= 15; ++tries) {
        const auto info = mapStatusWord(static_cast<std::uint16_t>(0x63C0 | tries));
        CHECK(info.code == Errc::PinIncorrect);
        CHECK(info.triesLeft == tries);
    }
    // 63 00 (no counter) is a generic warning, not a PIN answer.
    CHECK(mapStatusWord(0x6300).code == Errc::CardError);
    CHECK(mapStatusWord(0x6300).triesLeft == -1);
}

TEST_CASE("mapStatusWord: 63C0, 69 84 and 69 83 mean blocked")
{
    CHECK(mapStatusWord(0x63C0).code == Errc::PinBlocked);
    CHECK(mapStatusWord(0x63C0).triesLeft == 0);
    CHECK(statusWordError(0x63C0).native == 0);
    CHECK(mapStatusWord(0x6984).code == Errc::PinBlocked);
    CHECK(mapStatusWord(0x6983).code == Errc::PinBlocked);
    CHECK(statusWordError(0x6984).native == 0x6984);
}

TEST_CASE("mapStatusWord: the status words a JPKI card answers")
{
    CHECK(mapStatusWord(0x6982).code == Errc::CardSecurityStatus);
    CHECK(mapStatusWord(0x6A82).code == Errc::CardFileNotFound);
    CHECK(mapStatusWord(0x6282).code == Errc::CardEndOfFile);
    CHECK(mapStatusWord(0x6B00).code == Errc::CardBadParameters);
    CHECK(mapStatusWord(0x6A86).code == Errc::CardBadParameters);
    CHECK(mapStatusWord(0x6700).code == Errc::CardWrongLength);
    CHECK(mapStatusWord(0x6C10).code == Errc::CardWrongLength);
    CHECK(mapStatusWord(0x6986).code == Errc::CardNotAllowed);
    CHECK(mapStatusWord(0x6D00).code == Errc::CardUnsupportedCommand);
    CHECK(mapStatusWord(0x6E00).code == Errc::CardUnsupportedCommand);
    CHECK(statusWordError(0x6A82).native == 0x6A82);
}

TEST_CASE("mapStatusWord: an unknown status word is a card error with its SW")
{
    const auto info = mapStatusWord(0x1234);
    CHECK_FALSE(info.success);
    CHECK(info.code == Errc::CardError);
    const auto error = statusWordError(0x1234);
    CHECK(error.native == 0x1234);
    CHECK(error.message.find("1234") != std::string::npos);
}

} // namespace
