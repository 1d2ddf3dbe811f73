#pragma once

// Logging by category, after libcamera's LOG_DEFINE_CATEGORY. Levels are set at run time with
// UKETSUKE_LOG="hal.pcsc:debug,*:warn". Logs carry ids, codes and timings only: no PIN, names,
// addresses or insurance numbers. Types that hold such data (`Pin` in base/secret.hpp, the
// `Personal` values of base/personal.hpp) have a deleted operator<<, so streaming one here does
// not compile.
//
// Each finished line goes, as one Record, to every sink (`addSink`). The default sink writes it
// to stderr, with a journald priority prefix when stderr is the journal; a RingBufferSink keeps
// the recent lines in memory for a staff log view.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

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

// "DEBUG", "INFO", "WARN", "ERROR" ("" for Off).
std::string_view levelName(Level level);

// One finished log line, as the sinks receive it. `text` is what was streamed, without the time,
// level, category or a line end.
struct Record {
    std::chrono::system_clock::time_point time;
    Level level = Level::Info;
    std::string category;
    std::string text;
};

// The line as stderr shows it, without the line end: "23:41:07.512 WARN kiosk.app: text" (UTC
// time of day), or with `journal` "<4>WARN kiosk.app: text" (journald keeps the time).
std::string formatLine(const Record& record, bool journal);

// Where finished lines go. write() is called from whichever thread logged, possibly from several
// at once; it must be thread-safe, must not throw and must not log.
class Sink {
public:
    virtual ~Sink() = default;
    virtual void write(const Record& record) = 0;
};

// The default sink, installed at start: formatLine() plus '\n' in one write to stderr, with the
// journal format when stderr is the journal ($JOURNAL_STREAM, decided once). Remove it to keep
// a program's stderr quiet; add it again to restore.
std::shared_ptr<Sink> stderrSink();

// Adds a sink; every line finished after addSink returns reaches it (lines are not replayed).
// Adding a sink that is already there does nothing. Thread: any.
void addSink(std::shared_ptr<Sink> sink);
// Removes a sink; no line that starts after removeSink returns reaches it. A line being written
// on another thread at that moment may still finish on it: the logger holds a shared_ptr for
// that write, so the sink stays alive. Removing a sink that is not there does nothing.
// Thread: any.
void removeSink(const Sink* sink);

// Adds a sink for its own lifetime.
class ScopedSink {
public:
    explicit ScopedSink(std::shared_ptr<Sink> sink);
    ~ScopedSink();
    ScopedSink(const ScopedSink&) = delete;
    ScopedSink& operator=(const ScopedSink&) = delete;
    Sink& sink() const { return *m_sink; }

private:
    std::shared_ptr<Sink> m_sink;
};

// Keeps the last `capacity` lines in memory, dropping the oldest; for a staff log view. It sees
// only lines their category lets through (UKETSUKE_LOG), like stderr. Thread-safe.
class RingBufferSink final : public Sink {
public:
    explicit RingBufferSink(std::size_t capacity); // capacity 0 keeps nothing
    void write(const Record& record) override;

    // The kept lines, oldest first. Thread: any.
    std::vector<Record> snapshot() const;
    std::size_t capacity() const { return m_capacity; }
    // Every line received since construction, kept or dropped since. Thread: any.
    std::uint64_t written() const;

private:
    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::vector<Record> m_lines; // a ring once full: m_next is the oldest
    std::size_t m_next = 0;
    std::uint64_t m_written = 0;
};

// One log line; handed to the sinks when destroyed, time-stamped when constructed. Only values
// an std::ostream can print may be streamed into it: a type with a deleted operator<< (Pin,
// PatientName) makes `UKETSUKE_LOG(...) << value` ill-formed.
class Line {
public:
    Line(const Category& category, Level level);
    ~Line();
    Line(const Line&) = delete;
    Line& operator=(const Line&) = delete;

    template <class T>
        requires requires(std::ostream& os, const T& value) { os << value; }
    Line& operator<<(const T& value)
    {
        m_stream << value;
        return *this;
    }

private:
    Record m_record; // time, level and category; the text comes from m_stream
    std::ostringstream m_stream;
};

} // namespace uketsuke::log

#define UKETSUKE_LOG(category, level)                                                             \
    if (!(category).enabled(::uketsuke::log::Level::level)) {                                     \
    } else                                                                                        \
        ::uketsuke::log::Line((category), ::uketsuke::log::Level::level)
