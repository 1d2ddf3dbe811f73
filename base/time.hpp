#pragma once

// Time, in one module on <chrono> (docs/architecture.md): ISO 8601 text, civil dates, the
// clinic's time zone and the Japanese eras. Slips, screens, the outbox, the desk and the
// simulators all use these, so a slip and the desk can never disagree about a day.
//
// The clinic's time zone comes from configuration (`time_zone`, "Asia/Tokyo" by default) and is
// read from the system's tz database (Debian's tzdata) through Howard Hinnant's date library,
// because libstdc++ 12 has no std::chrono::tzdb yet. No function here reads TZ or calls
// localtime(): the process time zone never matters.

#include "base/result.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace uketsuke::time {

using Clock = std::chrono::system_clock;
using Seconds = std::chrono::sys_seconds;

// "2026-12-04T21:39:43Z" (whole seconds, UTC).
std::string isoUtc(Clock::time_point when);

// Reads "YYYY-MM-DDTHH:MM:SS[.fraction]Z" (RFC 3339 in UTC, as the gateway and desk send; 't'
// and 'z' may be lower case); nullopt for anything else, including impossible dates
// (2026-02-30), offsets other than Z, text longer than 40 characters and years outside
// 1678-2261 (what std::chrono::system_clock's nanoseconds can hold).
std::optional<Seconds> parseIsoUtc(std::string_view text);

// The moment `unixSeconds` after 1970-01-01T00:00:00Z, when Clock's 64-bit nanoseconds can hold
// it (years 1678 to 2261); nullopt otherwise. For counts of seconds from outside (SQLite's
// strftime('%s'), curl_getdate): converting a larger one to Clock overflows.
std::optional<Clock::time_point> clockTimeOf(std::int64_t unixSeconds);

// "2026-12-04".
std::string isoDate(std::chrono::year_month_day date);
// "20261204" (the OQS file formats).
std::string compactDate(std::chrono::year_month_day date);
// Reads "2026-12-04"; nullopt for anything else or an impossible date.
std::optional<std::chrono::year_month_day> parseIsoDate(std::string_view text);

// A moment as the clinic's wall clock shows it.
struct LocalTime {
    std::chrono::year_month_day date;
    std::chrono::hh_mm_ss<std::chrono::seconds> time{std::chrono::seconds{0}};
    std::chrono::weekday weekday; // Sunday = 0

    // "20261205063943" (the OQS file formats' yyyyMMddHHmmss).
    std::string compact() const;
    // "2026-12-05 06:39".
    std::string minutes() const;
};

// The clinic's time zone. Cheap to copy; thread-safe to use from any thread.
class Zone {
public:
    static constexpr std::string_view kDefault = "Asia/Tokyo";

    // Errors: ConfigInvalid when the tz database has no such zone (the message names it).
    static Result<Zone> load(std::string_view name);
    // Asia/Tokyo. Japan has had no daylight saving since 1951, so this never fails on a system
    // with tzdata; without it, it falls back to a fixed UTC+9.
    static Zone tokyo();

    std::string_view name() const { return m_name; }
    LocalTime local(Clock::time_point when) const;
    // The first moment of `date` in this zone.
    Seconds startOfDay(std::chrono::year_month_day date) const;

private:
    Zone(const date::time_zone* zone, std::string name) : m_zone(zone), m_name(std::move(name)) {}
    const date::time_zone* m_zone; // owned by the tz database, which lives as long as the process
    std::string m_name;
};

// The Japanese eras a birth date may be written in (資格確認書, 生年月日 fields).
enum class Era { Meiji, Taisho, Showa, Heisei, Reiwa };

// The first day of each era; the day of a change belongs to the new era.
std::chrono::year_month_day eraStart(Era era);
// The last day of an era; nullopt for the current one (Reiwa).
std::optional<std::chrono::year_month_day> eraEnd(Era era);
// The western date of "Reiwa 3, month 4, day 1"; nullopt when that is not a real date or does
// not lie within the era (Heisei 31-05-01 does not exist: that day is Reiwa 1).
std::optional<std::chrono::year_month_day> fromEra(Era era, int eraYear, unsigned month,
                                                   unsigned day);
// The era and era year of a date from Meiji on (nullopt before 1868-01-25).
struct EraYear {
    Era era;
    int year; // 1 for 元年
};
std::optional<EraYear> eraOf(std::chrono::year_month_day date);

} // namespace uketsuke::time
