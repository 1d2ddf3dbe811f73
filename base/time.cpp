#include "base/time.hpp"

#include <date/tz.h>

#include <array>
#include <cstdio>

namespace uketsuke::time {
namespace {

using namespace std::chrono;

// Reads exactly `count` ASCII digits at `at`.
bool digits(std::string_view text, std::size_t at, std::size_t count, int& out)
{
    if (at + count > text.size()) {
        return false;
    }
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        value = value * 10 + (text[i] - '0');
    }
    out = value;
    return true;
}

std::optional<year_month_day> realDate(int y, int m, int d)
{
    year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (m < 1 || m > 12 || d < 1 || !ymd.ok()) {
        return std::nullopt;
    }
    return ymd;
}

struct EraRow {
    Era era;
    year_month_day first;
};

// Meiji's start is the day the Gregorian calendar's equivalent of Meiji 1-1-1 fell; dates
// before the 1873 calendar reform are not written on insurance cards, so no more is needed.
constexpr std::array<EraRow, 5> kEras{{
    {Era::Meiji, year{1868} / January / day{25}},
    {Era::Taisho, year{1912} / July / day{30}},
    {Era::Showa, year{1926} / December / day{25}},
    {Era::Heisei, year{1989} / January / day{8}},
    {Era::Reiwa, year{2019} / May / day{1}},
}};

} // namespace

std::string isoUtc(Clock::time_point when)
{
    const auto secs = floor<seconds>(when);
    const auto dayPoint = floor<days>(secs);
    const year_month_day ymd{dayPoint};
    const hh_mm_ss<seconds> hms{secs - dayPoint};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()));
    return text;
}

std::optional<Seconds> parseIsoUtc(std::string_view text)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    // RFC 3339 allows the 'T' and 'Z' in lower case.
    if (text.size() < 20 || text.size() > 40 || !digits(text, 0, 4, y) || text[4] != '-' ||
        !digits(text, 5, 2, mo) || text[7] != '-' || !digits(text, 8, 2, d) ||
        (text[10] != 'T' && text[10] != 't') || !digits(text, 11, 2, h) || text[13] != ':' ||
        !digits(text, 14, 2, mi) || text[16] != ':' || !digits(text, 17, 2, s) ||
        (text.back() != 'Z' && text.back() != 'z') || h > 23 || mi > 59 || s > 60) {
        return std::nullopt;
    }
    // Only what system_clock's 64-bit nanoseconds can hold: a time of year 4052 compared with
    // the clock overflowed (found by fuzz_desk_request; fuzz_gateway_reply found year 9999).
    if (y < 1678 || y > 2261) {
        return std::nullopt;
    }
    if (text.size() > 20) {
        // A fraction: '.', at least one digit, then the final 'Z'.
        if (text[19] != '.' || text.size() == 21) {
            return std::nullopt;
        }
        for (std::size_t i = 20; i + 1 < text.size(); ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return std::nullopt;
            }
        }
    }
    auto date = realDate(y, mo, d);
    if (!date) {
        return std::nullopt;
    }
    return Seconds{sys_days{*date} + hours{h} + minutes{mi} + seconds{s}};
}

std::optional<Clock::time_point> clockTimeOf(std::int64_t unixSeconds)
{
    constexpr std::int64_t kLimit = duration_cast<seconds>(Clock::duration::max()).count() - 1;
    if (unixSeconds > kLimit || unixSeconds < -kLimit) {
        return std::nullopt;
    }
    return Clock::time_point(seconds(unixSeconds));
}

std::string isoDate(year_month_day date)
{
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()),
                  unsigned(date.day()));
    return text;
}

std::string compactDate(year_month_day date)
{
    char text[16];
    std::snprintf(text, sizeof text, "%04d%02u%02u", int(date.year()), unsigned(date.month()),
                  unsigned(date.day()));
    return text;
}

std::optional<year_month_day> parseIsoDate(std::string_view text)
{
    int y = 0, m = 0, d = 0;
    if (text.size() != 10 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, m) ||
        text[7] != '-' || !digits(text, 8, 2, d)) {
        return std::nullopt;
    }
    return realDate(y, m, d);
}

std::string LocalTime::compact() const
{
    char text[24];
    std::snprintf(text, sizeof text, "%s%02d%02d%02d", compactDate(date).c_str(),
                  int(time.hours().count()), int(time.minutes().count()),
                  int(time.seconds().count()));
    return text;
}

std::string LocalTime::minutes() const
{
    char text[24];
    std::snprintf(text, sizeof text, "%s %02d:%02d", isoDate(date).c_str(),
                  int(time.hours().count()), int(time.minutes().count()));
    return text;
}

Result<Zone> Zone::load(std::string_view name)
{
    try {
        return Zone(date::locate_zone(name), std::string(name));
    } catch (const std::exception&) {
        return fail(Errc::ConfigInvalid, "time_zone: unknown time zone '" + std::string(name) +
                                             "' (expected a tz database name such as " +
                                             std::string(kDefault) + ")");
    }
}

Zone Zone::tokyo()
{
    auto zone = load(kDefault);
    if (zone) {
        return *zone;
    }
    return Zone(nullptr, std::string(kDefault)); // no tzdata: the fixed UTC+9 below
}

LocalTime Zone::local(Clock::time_point when) const
{
    const auto secs = floor<seconds>(when);
    seconds offset{9 * 3600};
    if (m_zone != nullptr) {
        offset = m_zone->get_info(secs).offset;
    }
    const auto localSecs = secs.time_since_epoch() + offset;
    const auto dayCount = floor<days>(localSecs);
    const sys_days dayPoint{dayCount};
    LocalTime out;
    out.date = year_month_day{dayPoint};
    out.time = hh_mm_ss<seconds>{localSecs - dayCount};
    out.weekday = weekday{dayPoint};
    return out;
}

Seconds Zone::startOfDay(year_month_day date) const
{
    const sys_days dayPoint{date};
    if (m_zone == nullptr) {
        return Seconds{dayPoint} - hours{9};
    }
    const date::local_seconds local{dayPoint.time_since_epoch()};
    // A day that starts inside a gap (a DST change at midnight) starts at the gap's end.
    const auto info = m_zone->get_info(local);
    if (info.result == date::local_info::nonexistent) {
        return Seconds{info.first.end};
    }
    return Seconds{local.time_since_epoch() - info.first.offset};
}

year_month_day eraStart(Era era)
{
    for (const auto& row : kEras) {
        if (row.era == era) {
            return row.first;
        }
    }
    return kEras.front().first;
}

std::optional<year_month_day> eraEnd(Era era)
{
    for (std::size_t i = 0; i + 1 < kEras.size(); ++i) {
        if (kEras[i].era == era) {
            return year_month_day{sys_days{kEras[i + 1].first} - days{1}};
        }
    }
    return std::nullopt;
}

std::optional<year_month_day> fromEra(Era era, int eraYear, unsigned month, unsigned day)
{
    if (eraYear < 1 || eraYear > 200) {
        return std::nullopt;
    }
    const int westernYear = int(eraStart(era).year()) + eraYear - 1;
    auto date = realDate(westernYear, static_cast<int>(month), static_cast<int>(day));
    if (!date) {
        return std::nullopt;
    }
    const auto end = eraEnd(era);
    if (sys_days{*date} < sys_days{eraStart(era)} || (end && sys_days{*date} > sys_days{*end})) {
        return std::nullopt;
    }
    return date;
}

std::optional<EraYear> eraOf(year_month_day date)
{
    if (!date.ok()) {
        return std::nullopt;
    }
    for (auto row = kEras.rbegin(); row != kEras.rend(); ++row) {
        if (sys_days{date} >= sys_days{row->first}) {
            return EraYear{row->era, int(date.year()) - int(row->first.year()) + 1};
        }
    }
    return std::nullopt;
}

} // namespace uketsuke::time
