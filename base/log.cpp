#include "base/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace uketsuke::log {
namespace {

struct Rule {
    std::string pattern; // "*", "hal", "hal.pcsc"
    Level level;
};

std::mutex g_mutex;
std::vector<Rule> g_rules;
std::atomic<int> g_generation{0};
bool g_loaded = false;

Level parseLevel(std::string_view s)
{
    if (s == "debug") {
        return Level::Debug;
    }
    if (s == "warn" || s == "warning") {
        return Level::Warn;
    }
    if (s == "error") {
        return Level::Error;
    }
    if (s == "off") {
        return Level::Off;
    }
    return Level::Info;
}

void parseInto(std::string_view spec, std::vector<Rule>& rules)
{
    while (!spec.empty()) {
        auto comma = spec.find(',');
        auto item = spec.substr(0, comma);
        spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
        auto colon = item.find(':');
        if (colon == std::string_view::npos) {
            rules.push_back({"*", parseLevel(item)});
        } else {
            rules.push_back({std::string(item.substr(0, colon)), parseLevel(item.substr(colon + 1))});
        }
    }
}

void loadLocked()
{
    if (g_loaded) {
        return;
    }
    g_loaded = true;
    if (const char* env = std::getenv("UKETSUKE_LOG")) {
        parseInto(env, g_rules);
    }
    ++g_generation;
}

bool matches(std::string_view pattern, std::string_view name)
{
    if (pattern == "*") {
        return true;
    }
    return name == pattern ||
           (name.size() > pattern.size() && name.substr(0, pattern.size()) == pattern &&
            name[pattern.size()] == '.');
}

// Decided once: whether stderr is the journal.
bool stderrIsJournal()
{
    static const bool journal = [] {
        const char* env = std::getenv("JOURNAL_STREAM");
        return env != nullptr && isJournalStream(env, STDERR_FILENO);
    }();
    return journal;
}

class StderrSink final : public Sink {
public:
    void write(const Record& record) override
    {
        std::string text = formatLine(record, stderrIsJournal());
        text += '\n';
        // One fwrite per line: stdio locks the stream for the call, so lines from several
        // threads never interleave.
        std::fwrite(text.data(), 1, text.size(), stderr);
    }
};

using SinkList = std::vector<std::shared_ptr<Sink>>;

// The sinks, copied on change: a line takes the current list under the mutex and writes with the
// mutex released, so a slow sink never blocks addSink/removeSink and a sink may be removed while
// another thread writes to it (its shared_ptr keeps it alive until that write ends).
struct Sinks {
    std::mutex mutex;
    std::shared_ptr<const SinkList> list;
};

// Never destroyed, so a line logged while statics are torn down still finds it.
Sinks& sinks()
{
    static Sinks* const s = [] {
        auto* created = new Sinks;
        created->list = std::make_shared<const SinkList>(SinkList{stderrSink()});
        return created;
    }();
    return *s;
}

} // namespace

bool isJournalStream(std::string_view journalStream, int fd)
{
    auto colon = journalStream.find(':');
    if (colon == std::string_view::npos) {
        return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return false;
    }
    const std::string expected = std::to_string(static_cast<unsigned long long>(st.st_dev)) +
                                 ":" + std::to_string(static_cast<unsigned long long>(st.st_ino));
    return journalStream == expected;
}

std::string_view journalPrefix(Level level)
{
    switch (level) {
    case Level::Debug:
        return "<7>";
    case Level::Info:
        return "<6>";
    case Level::Warn:
        return "<4>";
    case Level::Error:
    case Level::Off:
        break;
    }
    return "<3>";
}

std::string_view levelName(Level level)
{
    switch (level) {
    case Level::Debug:
        return "DEBUG";
    case Level::Info:
        return "INFO";
    case Level::Warn:
        return "WARN";
    case Level::Error:
        return "ERROR";
    case Level::Off:
        break;
    }
    return "";
}

std::string formatLine(const Record& record, bool journal)
{
    using namespace std::chrono;
    std::string out;
    out.reserve(24 + record.category.size() + record.text.size());
    if (journal) {
        out += journalPrefix(record.level);
    } else {
        auto t = system_clock::to_time_t(record.time);
        std::tm tm{};
        gmtime_r(&t, &tm);
        char stamp[32];
        std::size_t n = std::strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
        auto ms = duration_cast<milliseconds>(record.time.time_since_epoch()).count() % 1000;
        std::snprintf(stamp + n, sizeof stamp - n, ".%03d ", static_cast<int>(ms));
        out += stamp;
    }
    out += levelName(record.level);
    out += ' ';
    out += record.category;
    out += ": ";
    out += record.text;
    return out;
}

std::shared_ptr<Sink> stderrSink()
{
    static const std::shared_ptr<Sink>* const sink = new std::shared_ptr<Sink>(
        std::make_shared<StderrSink>());
    return *sink;
}

void addSink(std::shared_ptr<Sink> sink)
{
    if (!sink) {
        return;
    }
    Sinks& s = sinks();
    std::lock_guard lock(s.mutex);
    for (const auto& existing : *s.list) {
        if (existing == sink) {
            return;
        }
    }
    auto next = std::make_shared<SinkList>(*s.list);
    next->push_back(std::move(sink));
    s.list = std::move(next);
}

void removeSink(const Sink* sink)
{
    Sinks& s = sinks();
    std::lock_guard lock(s.mutex);
    auto next = std::make_shared<SinkList>();
    for (const auto& existing : *s.list) {
        if (existing.get() != sink) {
            next->push_back(existing);
        }
    }
    s.list = std::move(next);
}

ScopedSink::ScopedSink(std::shared_ptr<Sink> sink) : m_sink(std::move(sink))
{
    addSink(m_sink);
}

ScopedSink::~ScopedSink()
{
    removeSink(m_sink.get());
}

RingBufferSink::RingBufferSink(std::size_t capacity) : m_capacity(capacity)
{
    m_lines.reserve(capacity);
}

void RingBufferSink::write(const Record& record)
{
    std::lock_guard lock(m_mutex);
    ++m_written;
    if (m_capacity == 0) {
        return;
    }
    if (m_lines.size() < m_capacity) {
        m_lines.push_back(record);
        return;
    }
    m_lines[m_next] = record;
    m_next = (m_next + 1) % m_capacity;
}

std::vector<Record> RingBufferSink::snapshot() const
{
    std::lock_guard lock(m_mutex);
    std::vector<Record> out;
    out.reserve(m_lines.size());
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        out.push_back(m_lines[(m_next + i) % m_lines.size()]);
    }
    return out;
}

std::uint64_t RingBufferSink::written() const
{
    std::lock_guard lock(m_mutex);
    return m_written;
}

Category::Category(std::string_view name) : m_name(name) {}

bool Category::enabled(Level level) const
{
    int generation = g_generation.load(std::memory_order_acquire);
    if (generation != m_generation || generation == 0) {
        std::lock_guard lock(g_mutex);
        loadLocked();
        Level chosen = Level::Info;
        std::size_t best = 0;
        for (const auto& rule : g_rules) {
            // Later and more specific rules win.
            std::size_t weight = rule.pattern == "*" ? 1 : rule.pattern.size() + 1;
            if (matches(rule.pattern, m_name) && weight >= best) {
                best = weight;
                chosen = rule.level;
            }
        }
        m_level = chosen;
        m_generation = g_generation.load();
    }
    return level >= m_level && level != Level::Off;
}

void configure(std::string_view spec)
{
    std::lock_guard lock(g_mutex);
    loadLocked();
    parseInto(spec, g_rules);
    ++g_generation;
}

Line::Line(const Category& category, Level level)
{
    m_record.time = std::chrono::system_clock::now();
    m_record.level = level;
    m_record.category = category.name();
}

Line::~Line()
{
    m_record.text = std::move(m_stream).str();
    std::shared_ptr<const SinkList> list;
    {
        Sinks& s = sinks();
        std::lock_guard lock(s.mutex);
        list = s.list;
    }
    for (const auto& sink : *list) {
        sink->write(m_record);
    }
}

} // namespace uketsuke::log
