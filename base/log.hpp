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

// One log line; written to stderr (journald picks it up) when destroyed.
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
