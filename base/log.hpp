#pragma once

// Logging by category, after libcamera's LOG_DEFINE_CATEGORY. Levels are set at run time with
// UKETSUKE_LOG="hal.pcsc:debug,*:warn". Logs carry ids, codes and timings only: no PIN, names,
// addresses or insurance numbers. Types that hold such data have no operator<<, so they cannot
// be streamed here by accident.

#include <sstream>
#include <string>
#include <string_view>

namespace uketsuke::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3, Off = 4 };

class Category {
public:
    explicit Category(std::string_view name);
    std::string_view name() const { return m_name; }
    bool enabled(Level level) const;

private:
    std::string m_name;
    mutable int m_generation = -1;
    mutable Level m_level = Level::Info;
};

// Re-read UKETSUKE_LOG (and a spec given here, which wins), e.g. "kiosk.flow:debug".
void configure(std::string_view spec);

// Whether `fd` is the stream journald gave this service: $JOURNAL_STREAM ("DEV:INODE", passed
// here as `journalStream`) names its device and inode. Exposed for tests.
bool isJournalStream(std::string_view journalStream, int fd);

// The syslog priority prefix journald reads at the start of a line: "<7>" debug, "<6>" info,
// "<4>" warn, "<3>" error.
std::string_view journalPrefix(Level level);

// One log line; written to stderr when destroyed. When stderr is the journal (systemd service)
// the line starts with its priority prefix instead of a time stamp (journald keeps the time).
class Line {
public:
    Line(const Category& category, Level level);
    ~Line();
    Line(const Line&) = delete;
    Line& operator=(const Line&) = delete;

    template <class T>
    Line& operator<<(const T& value)
    {
        m_stream << value;
        return *this;
    }

private:
    std::ostringstream m_stream;
};

} // namespace uketsuke::log

#define UKETSUKE_LOG(category, level)                                                             \
    if (!(category).enabled(::uketsuke::log::Level::level)) {                                     \
    } else                                                                                        \
        ::uketsuke::log::Line((category), ::uketsuke::log::Level::level)
