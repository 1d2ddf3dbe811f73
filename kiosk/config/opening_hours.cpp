#include "kiosk/config/opening_hours.hpp"

#include <algorithm>
#include <cctype>

namespace uketsuke::kiosk::config {
namespace {

using std::chrono::days;
using std::chrono::minutes;

constexpr std::string_view kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr int kMinutesADay = 24 * 60;
constexpr int kLookAheadDays = 400;

Unexpected<Error> invalid(std::string_view key, std::string_view token, std::string_view why)
{
    return fail(Errc::ConfigInvalid,
                std::string(key) + ": '" + std::string(token) + "': " + std::string(why));
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

std::vector<std::string_view> split(std::string_view s, char sep)
{
    std::vector<std::string_view> out;
    for (;;) {
        const auto at = s.find(sep);
        out.push_back(trim(s.substr(0, at)));
        if (at == std::string_view::npos) {
            return out;
        }
        s.remove_prefix(at + 1);
    }
}

std::optional<int> dayIndex(std::string_view name)
{
    for (int i = 0; i < 7; ++i) {
        if (name == kDays[i]) {
            return i;
        }
    }
    return std::nullopt;
}

// "08:30" (or "24:00" when `end`) as minutes after midnight.
std::optional<int> clockTime(std::string_view s, bool end)
{
    if (s.size() != 5 || s[2] != ':' || !std::isdigit(static_cast<unsigned char>(s[0])) ||
        !std::isdigit(static_cast<unsigned char>(s[1])) ||
        !std::isdigit(static_cast<unsigned char>(s[3])) ||
        !std::isdigit(static_cast<unsigned char>(s[4]))) {
        return std::nullopt;
    }
    const int h = (s[0] - '0') * 10 + (s[1] - '0');
    const int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end))) {
        return std::nullopt;
    }
    return h * 60 + m;
}

// "mon-fri", "sat-mon", "mon,wed,fri": the days it names.
Result<std::vector<int>> parseDays(std::string_view spec)
{
    std::vector<int> out;
    for (auto item : split(spec, ',')) {
        const auto dash = item.find('-');
        if (dash == std::string_view::npos) {
            auto day = dayIndex(item);
            if (!day) {
                return invalid("opening_hours", item, "unknown day (mon tue wed thu fri sat sun)");
            }
            out.push_back(*day);
            continue;
        }
        auto first = dayIndex(trim(item.substr(0, dash)));
        auto last = dayIndex(trim(item.substr(dash + 1)));
        if (!first || !last) {
            return invalid("opening_hours", item, "unknown day (mon tue wed thu fri sat sun)");
        }
        for (int d = *first;; d = (d + 1) % 7) {
            out.push_back(d);
            if (d == *last) {
                break;
            }
        }
    }
    return out;
}

Result<void> parseGroup(std::string_view group, OpeningHours& out)
{
    const auto space = group.find_first_of(" \t");
    if (space == std::string_view::npos) {
        return invalid("opening_hours", group, "expected days and times, e.g. 'mon-fri 09:00-12:00'");
    }
    auto named = parseDays(group.substr(0, space));
    if (!named) {
        return fail(std::move(named).error());
    }
    for (auto spec : split(trim(group.substr(space + 1)), ',')) {
        const auto dash = spec.find('-');
        std::optional<int> from;
        std::optional<int> to;
        if (dash != std::string_view::npos) {
            from = clockTime(trim(spec.substr(0, dash)), false);
            to = clockTime(trim(spec.substr(dash + 1)), true);
        }
        if (!from || !to) {
            return invalid("opening_hours", spec, "expected a time range HH:MM-HH:MM");
        }
        if (*from >= *to) {
            return invalid("opening_hours", spec, "the range ends before it begins");
        }
        for (int d : *named) {
            out.days[static_cast<std::size_t>(d)].push_back({*from, *to});
        }
    }
    return ok();
}

} // namespace

Result<OpeningHours> parseOpeningHours(std::string_view hours, std::string_view closedDates)
{
    OpeningHours out;
    hours = trim(hours);
    if (!hours.empty()) {
        out.always = false;
        for (auto group : split(hours, ';')) {
            if (group.empty()) {
                continue; // a trailing ';'
            }
            if (auto parsed = parseGroup(group, out); !parsed) {
                return fail(std::move(parsed).error());
            }
        }
        for (auto& ranges : out.days) {
            std::sort(ranges.begin(), ranges.end(),
                      [](const auto& a, const auto& b) { return a.from < b.from; });
        }
    }
    std::string dates(closedDates);
    std::replace(dates.begin(), dates.end(), ',', ' ');
    for (auto token : split(dates, ' ')) {
        if (token.empty()) {
            continue;
        }
        auto date = time::parseIsoDate(token);
        if (!date) {
            return invalid("closed_dates", token, "is not a date YYYY-MM-DD");
        }
        out.closedDates.push_back(*date);
    }
    std::sort(out.closedDates.begin(), out.closedDates.end());
    return out;
}

bool isOpen(const OpeningHours& hours, const time::LocalTime& at)
{
    if (std::binary_search(hours.closedDates.begin(), hours.closedDates.end(), at.date)) {
        return false;
    }
    if (hours.always) {
        return true;
    }
    const int minute = static_cast<int>(at.time.hours().count() * 60 + at.time.minutes().count());
    const auto& ranges = hours.days[at.weekday.c_encoding()];
    return std::any_of(ranges.begin(), ranges.end(),
                       [minute](const auto& r) { return r.from <= minute && minute < r.to; });
}

std::optional<time::Clock::time_point> nextChange(const OpeningHours& hours,
                                                  const time::Zone& zone,
                                                  time::Clock::time_point now)
{
    const bool openNow = isOpen(hours, zone.local(now));
    const std::chrono::sys_days today{zone.local(now).date};
    for (int d = 0; d <= kLookAheadDays; ++d) {
        const std::chrono::year_month_day date{today + days(d)};
        const time::Seconds midnight = zone.startOfDay(date);
        std::vector<int> marks{0};
        if (!hours.always) {
            for (const auto& r : hours.days[std::chrono::weekday(date).c_encoding()]) {
                marks.push_back(r.from);
                marks.push_back(r.to);
            }
        }
        std::sort(marks.begin(), marks.end());
        for (int mark : marks) {
            const time::Clock::time_point at = midnight + minutes(mark);
            if (at <= now || mark >= kMinutesADay) {
                continue; // 24:00 is the next day's midnight
            }
            if (isOpen(hours, zone.local(at)) != openNow) {
                return at;
            }
        }
    }
    return std::nullopt;
}

} // namespace uketsuke::kiosk::config
