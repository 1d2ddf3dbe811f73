#include "kiosk/config/opening_hours.hpp"

#include <catch2/catch.hpp>

namespace {

using namespace uketsuke;
using namespace std::chrono;
using kiosk::config::OpeningHours;
using kiosk::config::parseOpeningHours;

// A moment on the clinic's wall clock (Asia/Tokyo).
time::Clock::time_point jst(int y, unsigned mo, unsigned d, int h, int mi)
{
    return time::Zone::tokyo().startOfDay(year{y} / month{mo} / day{d}) + hours(h) + minutes(mi);
}

bool openAt(const OpeningHours& hours, time::Clock::time_point at)
{
    return kiosk::config::isOpen(hours, time::Zone::tokyo().local(at));
}

OpeningHours parsed(std::string_view hours, std::string_view closed = "")
{
    auto out = parseOpeningHours(hours, closed);
    REQUIRE(out);
    return *out;
}

std::string refusal(std::string_view hours, std::string_view closed = "")
{
    auto out = parseOpeningHours(hours, closed);
    REQUIRE_FALSE(out);
    CHECK(out.error().code == Errc::ConfigInvalid);
    return out.error().message;
}

} // namespace

TEST_CASE("parseOpeningHours: a clinic's week with a lunch break and a short Saturday")
{
    // 2026-12-07 is a Monday, 2026-12-12 a Saturday, 2026-12-13 a Sunday.
    const auto hours = parsed("mon-fri 08:30-12:30, 14:30-19:00; sat 08:30-12:30");
    CHECK_FALSE(hours.always);
    CHECK(hours.days[1] == std::vector<OpeningHours::Range>{{510, 750}, {870, 1140}});
    CHECK(hours.days[6] == std::vector<OpeningHours::Range>{{510, 750}});
    CHECK(hours.days[0].empty());
    CHECK_FALSE(openAt(hours, jst(2026, 12, 7, 8, 29)));
    CHECK(openAt(hours, jst(2026, 12, 7, 8, 30)));
    CHECK(openAt(hours, jst(2026, 12, 7, 12, 29)));
    CHECK_FALSE(openAt(hours, jst(2026, 12, 7, 12, 30))); // the end is not included
    CHECK_FALSE(openAt(hours, jst(2026, 12, 7, 13, 0)));
    CHECK(openAt(hours, jst(2026, 12, 11, 18, 59)));
    CHECK(openAt(hours, jst(2026, 12, 12, 9, 0)));
    CHECK_FALSE(openAt(hours, jst(2026, 12, 12, 15, 0)));
    CHECK_FALSE(openAt(hours, jst(2026, 12, 13, 10, 0)));
}

TEST_CASE("parseOpeningHours: nothing given is always open, closed dates still close")
{
    const auto hours = parsed("  ", "2026-12-31, 2027-01-01");
    CHECK(hours.always);
    CHECK(openAt(hours, jst(2026, 12, 30, 3, 0)));
    CHECK_FALSE(openAt(hours, jst(2026, 12, 31, 10, 0)));
    CHECK_FALSE(openAt(hours, jst(2027, 1, 1, 23, 59)));
    CHECK(openAt(hours, jst(2027, 1, 2, 0, 0)));
}

TEST_CASE("parseOpeningHours: wrapping day ranges, lists, 24:00 and a day named twice")
{
    const auto hours = parsed("sat-mon 00:00-24:00; wed,fri 09:00-10:00; wed 11:00-12:00;");
    CHECK(hours.days[6] == std::vector<OpeningHours::Range>{{0, 1440}});
    CHECK(hours.days[0] == std::vector<OpeningHours::Range>{{0, 1440}});
    CHECK(hours.days[1] == std::vector<OpeningHours::Range>{{0, 1440}});
    CHECK(hours.days[2].empty());
    CHECK(hours.days[3] == std::vector<OpeningHours::Range>{{540, 600}, {660, 720}});
    CHECK(hours.days[5] == std::vector<OpeningHours::Range>{{540, 600}});
}

TEST_CASE("parseOpeningHours: what does not read is ConfigInvalid naming the key and the token")
{
    CHECK(refusal("mon-fry 09:00-12:00") == "opening_hours: 'mon-fry': unknown day (mon tue wed "
                                            "thu fri sat sun)");
    CHECK(refusal("mon 9:00-12:00").find("'9:00-12:00'") != std::string::npos);
    CHECK(refusal("mon 12:00-09:00").find("ends before it begins") != std::string::npos);
    CHECK(refusal("mon 09:00-09:00").find("ends before it begins") != std::string::npos);
    CHECK(refusal("mon 24:00-24:00").find("expected a time range") != std::string::npos);
    CHECK(refusal("mon 09:60-10:00").find("expected a time range") != std::string::npos);
    CHECK(refusal("mon 09:00-24:01").find("expected a time range") != std::string::npos);
    CHECK(refusal("mon").find("expected days and times") != std::string::npos);
    CHECK(refusal("mon 09:00-10:00,").find("expected a time range") != std::string::npos);
    CHECK(refusal("", "2026-02-30") ==
          "closed_dates: '2026-02-30': is not a date YYYY-MM-DD");
    CHECK(refusal("", "tomorrow").find("closed_dates") != std::string::npos);
}

TEST_CASE("nextChange: the next opening or closing, across the lunch break, nights and holidays")
{
    const auto zone = time::Zone::tokyo();
    const auto hours = parsed("mon-fri 08:30-12:30,14:30-19:00; sat 08:30-12:30", "2026-12-14");
    using kiosk::config::nextChange;
    CHECK(nextChange(hours, zone, jst(2026, 12, 7, 7, 0)) == jst(2026, 12, 7, 8, 30));
    CHECK(nextChange(hours, zone, jst(2026, 12, 7, 8, 30)) == jst(2026, 12, 7, 12, 30));
    CHECK(nextChange(hours, zone, jst(2026, 12, 7, 12, 30)) == jst(2026, 12, 7, 14, 30));
    CHECK(nextChange(hours, zone, jst(2026, 12, 7, 19, 0)) == jst(2026, 12, 8, 8, 30));
    // Saturday noon: closed over Sunday and Monday the 14th (a closed date) until Tuesday.
    CHECK(nextChange(hours, zone, jst(2026, 12, 12, 12, 30)) == jst(2026, 12, 15, 8, 30));
    // Always open: no change; never open: none either.
    CHECK_FALSE(nextChange(parsed(""), zone, jst(2026, 12, 7, 7, 0)));
    // Open all day every day but a closed date: it closes at its midnight and opens after.
    const auto allDay = parsed("mon-sun 00:00-24:00", "2026-12-31");
    CHECK(nextChange(allDay, zone, jst(2026, 12, 30, 15, 0)) == jst(2026, 12, 31, 0, 0));
    CHECK(nextChange(allDay, zone, jst(2026, 12, 31, 0, 0)) == jst(2027, 1, 1, 0, 0));
    CHECK_FALSE(nextChange(allDay, zone, jst(2027, 1, 1, 0, 0)));
}
