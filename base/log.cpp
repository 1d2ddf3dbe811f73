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

const char* levelName(Level level)
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

// Decided once: whether stderr is the journal.
bool stderrIsJournal()
{
    static const bool journal = [] {
        const char* env = std::getenv("JOURNAL_STREAM");
        return env != nullptr && isJournalStream(env, STDERR_FILENO);
    }();
    return journal;
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
    using namespace std::chrono;
    if (stderrIsJournal()) {
        m_stream << journalPrefix(level) << levelName(level) << ' ' << category.name() << ": ";
        return;
    }
    auto now = system_clock::now();
    auto t = system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    char msText[8];
    std::snprintf(msText, sizeof msText, ".%03d", static_cast<int>(ms));
    m_stream << stamp << msText << ' ' << levelName(level) << ' ' << category.name() << ": ";
}

Line::~Line()
{
    m_stream << '\n';
    auto text = m_stream.str();
    std::fwrite(text.data(), 1, text.size(), stderr);
}

} // namespace uketsuke::log
