#pragma once

// The clinic's opening hours (config keys `opening_hours` and `closed_dates`, docs/config/
// kiosk.md): outside them the terminal shows a closed screen with the next opening and reads no
// card (docs/staff.md "Opening hours"). Pure: parsing and the questions "open now?" and "when
// does that change?", on the clinic's wall clock.
//
//   opening_hours = "mon-fri 08:30-12:30,14:30-19:00; sat 08:30-12:30"
//   closed_dates  = "2026-12-29 2026-12-30 2026-12-31 2027-01-01"
//
// Groups are separated by ';'. A group is days (mon tue wed thu fri sat sun, a range "mon-fri"
// that may wrap "sat-mon", or a list "mon,wed,fri") and one or more ranges HH:MM-HH:MM (from
// 00:00 to 24:00, from before to), separated by ','. A day named twice gets every range. No
// opening_hours (the default): always open. A closed date is closed all day.

#include "base/result.hpp"
#include "base/time.hpp"

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::kiosk::config {

struct OpeningHours {
    struct Range {
        int from = 0; // minutes after local midnight, 0..1439
        int to = 0;   // from+1..1440

        bool operator==(const Range&) const = default;
    };
    // By weekday, Sunday first (std::chrono::weekday's c_encoding), ranges sorted.
    std::array<std::vector<Range>, 7> days;
    std::vector<std::chrono::year_month_day> closedDates; // sorted
    // No opening_hours given: open every minute of every day that is not a closed date.
    bool always = true;

    bool operator==(const OpeningHours&) const = default;
};

// Errors: ConfigInvalid naming what does not read ("opening_hours: 'mon-fry': unknown day",
// "closed_dates: '2026-02-30' is not a date YYYY-MM-DD").
Result<OpeningHours> parseOpeningHours(std::string_view hours, std::string_view closedDates);

// Whether check-in is open at this moment of the clinic's wall clock.
bool isOpen(const OpeningHours& hours, const time::LocalTime& at);

// The first moment after `now` at which isOpen() changes, looking up to 400 days ahead;
// nullopt when it never does (always open, or no opening at all). A moment is a whole minute
// of local time turned into UTC by `zone` (a time zone with daylight saving moves a boundary on
// the day it changes; Japan has none).
std::optional<time::Clock::time_point> nextChange(const OpeningHours& hours,
                                                  const time::Zone& zone,
                                                  time::Clock::time_point now);

} // namespace uketsuke::kiosk::config
