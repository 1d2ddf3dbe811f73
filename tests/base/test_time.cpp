#include "base/time.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

using namespace std::chrono;
namespace t = uketsuke::time;

namespace {

t::Clock::time_point at(int y, unsigned m, unsigned d, int h, int mi, int s)
{
    return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

} // namespace

TEST_CASE("isoUtc: whole seconds in UTC with a Z", "[base]")
{
    CHECK(t::isoUtc(at(2026, 12, 4, 21, 39, 43) + milliseconds(999)) == "2026-12-04T21:39:43Z");
    CHECK(t::isoUtc(at(1999, 1, 2, 3, 4, 5)) == "1999-01-02T03:04:05Z");
}

TEST_CASE("parseIsoUtc: reads what isoUtc writes, with or without a fraction", "[base]")
{
    auto when = at(2024, 2, 29, 23, 59, 59);
    REQUIRE(t::parseIsoUtc(t::isoUtc(when)) == floor<seconds>(when));
    CHECK(t::parseIsoUtc("2024-02-29T23:59:59.123Z") == floor<seconds>(when));
}

TEST_CASE("parseIsoUtc: RFC 3339 UTC times, as the gateway sends them", "[base]")
{
    auto t = t::parseIsoUtc("2026-11-26T04:05:06Z");
    REQUIRE(t);
    CHECK(system_clock::to_time_t(*t) == 1795665906);
    CHECK(t::parseIsoUtc("2026-11-26t04:05:06.123z"));
    CHECK_FALSE(t::parseIsoUtc("2026-11-26 04:05:06"));
    CHECK_FALSE(t::parseIsoUtc("2026-11-26T04:05:06.1234567890123456789012Z")); // over 40
}

TEST_CASE("parseIsoUtc: refuses impossible dates, offsets and stray characters", "[base]")
{
    CHECK_FALSE(t::parseIsoUtc("2026-02-29T00:00:00Z")); // not a leap year
    CHECK_FALSE(t::parseIsoUtc("2026-13-01T00:00:00Z"));
    CHECK_FALSE(t::parseIsoUtc("2026-12-04T24:00:00Z"));
    CHECK_FALSE(t::parseIsoUtc("2026-12-04T21:39:43+09:00"));
    CHECK_FALSE(t::parseIsoUtc("2026-12-04T21:39:43.Z"));
    CHECK_FALSE(t::parseIsoUtc("2026-12-04 21:39:43Z"));
    CHECK_FALSE(t::parseIsoUtc(""));
}

TEST_CASE("parseIsoUtc: only years system_clock can hold, compared with it without overflow",
          "[base]")
{
    CHECK_FALSE(t::parseIsoUtc("4052-12-31T00:00:00Z"));
    CHECK_FALSE(t::parseIsoUtc("9999-12-31T23:59:59Z"));
    CHECK_FALSE(t::parseIsoUtc("1600-01-01T00:00:00Z"));
    auto last = t::parseIsoUtc("2261-12-31T23:59:59Z");
    auto first = t::parseIsoUtc("1678-01-01T00:00:00Z");
    REQUIRE(last);
    REQUIRE(first);
    // Mixed with the clock's own nanoseconds (what the desk and the terminal do): no overflow
    // under UBSan.
    CHECK(*last > system_clock::now());
    CHECK(*first < system_clock::now());
}

TEST_CASE("clockTimeOf: counts of seconds the clock can hold, nothing beyond them", "[base]")
{
    CHECK(t::clockTimeOf(0) == t::Clock::time_point{});
    CHECK(t::clockTimeOf(1'764'896'383) == at(2025, 12, 5, 0, 59, 43));
    CHECK(t::clockTimeOf(-1) == at(1969, 12, 31, 23, 59, 59));
    // 2261-12-31T23:59:59Z and 1678-01-01T00:00:00Z, the ends parseIsoUtc reads.
    CHECK(t::clockTimeOf(9'214'646'399) == at(2261, 12, 31, 23, 59, 59));
    CHECK(t::clockTimeOf(-9'214'560'000) == at(1678, 1, 1, 0, 0, 0));
    // 4052-11-26 (a check-in fuzz_desk_request sent the desk), year 9999, and their negatives.
    for (std::int64_t far : {std::int64_t{65'730'099'600}, std::int64_t{253'402'300'799},
                             std::int64_t{9'223'372'037}, std::int64_t{-65'730'099'600},
                             std::numeric_limits<std::int64_t>::max(),
                             std::numeric_limits<std::int64_t>::min()}) {
        INFO(far);
        CHECK_FALSE(t::clockTimeOf(far));
    }
}

TEST_CASE("parseIsoDate and isoDate: civil dates as text", "[base]")
{
    auto date = t::parseIsoDate("2026-12-04");
    REQUIRE(date);
    CHECK(t::isoDate(*date) == "2026-12-04");
    CHECK(t::compactDate(*date) == "20261204");
    CHECK_FALSE(t::parseIsoDate("2023-02-29"));
    CHECK_FALSE(t::parseIsoDate("2026-1-04"));
}

TEST_CASE("Zone: Asia/Tokyo is nine hours ahead, so 15:00 UTC is the next day", "[base]")
{
    auto tokyo = t::Zone::load("Asia/Tokyo");
    REQUIRE(tokyo);
    auto local = tokyo->local(at(2026, 12, 4, 15, 0, 1));
    CHECK(t::isoDate(local.date) == "2026-12-05");
    CHECK(local.time.hours() == hours{0});
    CHECK(local.weekday == Saturday);
    CHECK(local.compact() == "20261205000001");
    CHECK(local.minutes() == "2026-12-05 00:00");
    CHECK(tokyo->startOfDay(year{2026} / December / day{5}) == at(2026, 12, 4, 15, 0, 0));
    CHECK(t::Zone::tokyo().name() == "Asia/Tokyo");
}

TEST_CASE("Zone: another zone follows its own daylight saving", "[base]")
{
    auto berlin = t::Zone::load("Europe/Berlin");
    REQUIRE(berlin);
    CHECK(berlin->local(at(2026, 7, 1, 12, 0, 0)).time.hours() == hours{14}); // CEST
    CHECK(berlin->local(at(2026, 12, 1, 12, 0, 0)).time.hours() == hours{13}); // CET
}

TEST_CASE("Zone::load: an unknown zone is a configuration error naming the key", "[base]")
{
    auto zone = t::Zone::load("Mars/Olympus");
    REQUIRE_FALSE(zone);
    CHECK(zone.error().code == uketsuke::Errc::ConfigInvalid);
    CHECK(zone.error().message.find("time_zone") != std::string::npos);
    CHECK(zone.error().message.find("Mars/Olympus") != std::string::npos);
}

TEST_CASE("fromEra: era dates become western dates only inside their era", "[base]")
{
    CHECK(t::fromEra(t::Era::Reiwa, 1, 5, 1) == year{2019} / May / day{1});
    CHECK(t::fromEra(t::Era::Heisei, 31, 4, 30) == year{2019} / April / day{30});
    CHECK_FALSE(t::fromEra(t::Era::Heisei, 31, 5, 1)); // that day is Reiwa 1
    CHECK_FALSE(t::fromEra(t::Era::Reiwa, 1, 4, 30));  // still Heisei
    CHECK(t::fromEra(t::Era::Showa, 64, 1, 7) == year{1989} / January / day{7});
    CHECK_FALSE(t::fromEra(t::Era::Showa, 64, 1, 8));
    CHECK(t::fromEra(t::Era::Showa, 39, 2, 29) == year{1964} / February / day{29}); // leap
    CHECK_FALSE(t::fromEra(t::Era::Showa, 40, 2, 29));
    CHECK(t::fromEra(t::Era::Taisho, 1, 7, 30) == year{1912} / July / day{30});
    CHECK_FALSE(t::fromEra(t::Era::Taisho, 0, 1, 1));
}

TEST_CASE("eraOf: the era and year of a western date", "[base]")
{
    auto reiwa = t::eraOf(year{2026} / December / day{4});
    REQUIRE(reiwa);
    CHECK(reiwa->era == t::Era::Reiwa);
    CHECK(reiwa->year == 8);
    auto showa = t::eraOf(year{1989} / January / day{7});
    REQUIRE(showa);
    CHECK(showa->era == t::Era::Showa);
    CHECK(showa->year == 64);
    CHECK(t::eraOf(year{1989} / January / day{8})->era == t::Era::Heisei);
    CHECK_FALSE(t::eraOf(year{1800} / January / day{1}));
    CHECK(t::eraEnd(t::Era::Heisei) == year{2019} / April / day{30});
    CHECK_FALSE(t::eraEnd(t::Era::Reiwa));
}
