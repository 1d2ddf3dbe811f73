#include "base/log.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace uketsuke;

TEST_CASE("log: stderr is the journal only when JOURNAL_STREAM names its device and inode")
{
    std::FILE* file = std::tmpfile();
    REQUIRE(file != nullptr);
    int fd = ::fileno(file);
    struct stat st {};
    REQUIRE(::fstat(fd, &st) == 0);
    const std::string dev = std::to_string(static_cast<unsigned long long>(st.st_dev));
    const std::string ino = std::to_string(static_cast<unsigned long long>(st.st_ino));

    CHECK(log::isJournalStream(dev + ":" + ino, fd));
    CHECK_FALSE(log::isJournalStream(dev + ":" + ino + "1", fd));
    CHECK_FALSE(log::isJournalStream("1" + dev + ":" + ino, fd));
    CHECK_FALSE(log::isJournalStream("", fd));
    CHECK_FALSE(log::isJournalStream("garbage", fd));
    std::fclose(file);
}

TEST_CASE("log: journald priority prefixes follow syslog levels")
{
    CHECK(log::journalPrefix(log::Level::Error) == "<3>");
    CHECK(log::journalPrefix(log::Level::Warn) == "<4>");
    CHECK(log::journalPrefix(log::Level::Info) == "<6>");
    CHECK(log::journalPrefix(log::Level::Debug) == "<7>");
}

namespace {

// Keeps every record it receives, for the assertions below.
class CollectingSink final : public log::Sink {
public:
    void write(const log::Record& record) override
    {
        std::lock_guard lock(m_mutex);
        m_records.push_back(record);
    }
    std::vector<log::Record> records() const
    {
        std::lock_guard lock(m_mutex);
        return m_records;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<log::Record> m_records;
};

// Takes the default stderr sink away for a test, so thousands of test lines stay off stderr.
class QuietStderr {
public:
    QuietStderr() { log::removeSink(log::stderrSink().get()); }
    ~QuietStderr() { log::addSink(log::stderrSink()); }
    QuietStderr(const QuietStderr&) = delete;
    QuietStderr& operator=(const QuietStderr&) = delete;
};

log::Record record(log::Level level, std::string category, std::string text)
{
    return {std::chrono::system_clock::time_point{}, level, std::move(category), std::move(text)};
}

// `threads` threads each log `lines` Warn lines "thread T line I end", then are joined.
void logFromThreads(const log::Category& category, int threads, int lines)
{
    std::vector<std::thread> running;
    for (int t = 0; t < threads; ++t) {
        running.emplace_back([t, lines, &category] {
            for (int i = 0; i < lines; ++i) {
                // Several pieces per line, so a torn line would show.
                UKETSUKE_LOG(category, Warn) << "thread " << t << " line " << i << " end";
            }
        });
    }
    for (auto& thread : running) {
        thread.join();
    }
}

} // namespace

TEST_CASE("log: a sink receives each line with its level, category and text")
{
    const log::Category category("test.log.sink");
    log::configure("test.log.sink:debug");
    auto collecting = std::make_shared<CollectingSink>();
    QuietStderr quiet;
    const auto before = std::chrono::system_clock::now();
    {
        log::ScopedSink scoped(collecting);
        UKETSUKE_LOG(category, Warn) << "code " << 42;
        UKETSUKE_LOG(category, Debug) << "step";
    }
    UKETSUKE_LOG(category, Error) << "after the sink was removed";

    auto records = collecting->records();
    REQUIRE(records.size() == 2);
    CHECK(records[0].level == log::Level::Warn);
    CHECK(records[0].category == "test.log.sink");
    CHECK(records[0].text == "code 42");
    CHECK(records[0].time >= before);
    CHECK(records[1].level == log::Level::Debug);
    CHECK(records[1].text == "step");
}

TEST_CASE("log: a line its category turns off reaches no sink")
{
    const log::Category category("test.log.off");
    log::configure("test.log.off:error");
    auto collecting = std::make_shared<CollectingSink>();
    QuietStderr quiet;
    log::ScopedSink scoped(collecting);
    UKETSUKE_LOG(category, Warn) << "dropped";
    UKETSUKE_LOG(category, Error) << "kept";
    auto records = collecting->records();
    REQUIRE(records.size() == 1);
    CHECK(records[0].text == "kept");
}

TEST_CASE("log: adding a sink twice delivers each line once, removing an absent one does nothing")
{
    const log::Category category("test.log.twice");
    auto collecting = std::make_shared<CollectingSink>();
    QuietStderr quiet;
    log::addSink(collecting);
    log::addSink(collecting);
    UKETSUKE_LOG(category, Error) << "once";
    log::removeSink(collecting.get());
    log::removeSink(collecting.get());
    UKETSUKE_LOG(category, Error) << "gone";
    auto records = collecting->records();
    REQUIRE(records.size() == 1);
    CHECK(records[0].text == "once");
}

TEST_CASE("log: formatLine keeps the stderr format, with or without the journal prefix")
{
    // 2026-12-04T23:41:07.512Z
    const auto time = std::chrono::system_clock::time_point{std::chrono::milliseconds{
        1796427667512LL}};
    const log::Record line{time, log::Level::Warn, "kiosk.app", "not ready: desk.key"};
    CHECK(log::formatLine(line, false) == "23:41:07.512 WARN kiosk.app: not ready: desk.key");
    CHECK(log::formatLine(line, true) == "<4>WARN kiosk.app: not ready: desk.key");
    const log::Record debug{time, log::Level::Debug, "hal.pcsc", ""};
    CHECK(log::formatLine(debug, true) == "<7>DEBUG hal.pcsc: ");
}

TEST_CASE("log: the ring buffer keeps the last lines, oldest first, and drops older ones")
{
    log::RingBufferSink ring(3);
    CHECK(ring.capacity() == 3);
    CHECK(ring.snapshot().empty());

    ring.write(record(log::Level::Info, "a", "1"));
    ring.write(record(log::Level::Warn, "b", "2"));
    auto partial = ring.snapshot();
    REQUIRE(partial.size() == 2);
    CHECK(partial[0].text == "1");
    CHECK(partial[1].text == "2");
    CHECK(partial[1].level == log::Level::Warn);
    CHECK(partial[1].category == "b");

    for (int i = 3; i <= 7; ++i) {
        ring.write(record(log::Level::Info, "a", std::to_string(i)));
    }
    auto full = ring.snapshot();
    REQUIRE(full.size() == 3);
    CHECK(full[0].text == "5");
    CHECK(full[1].text == "6");
    CHECK(full[2].text == "7");
    CHECK(ring.written() == 7);

    log::RingBufferSink none(0);
    none.write(record(log::Level::Info, "a", "1"));
    CHECK(none.snapshot().empty());
    CHECK(none.written() == 1);
}

TEST_CASE("log: lines logged from several threads all arrive, whole, at every sink")
{
    constexpr int kThreads = 8;
    constexpr int kLinesPerThread = 500;
    const log::Category category("test.log.threads");
    log::configure("test.log.threads:info");
    auto ring = std::make_shared<log::RingBufferSink>(kThreads * kLinesPerThread);
    auto small = std::make_shared<log::RingBufferSink>(100);
    QuietStderr quiet;
    {
        log::ScopedSink scopedRing(ring);
        log::ScopedSink scopedSmall(small);
        logFromThreads(category, kThreads, kLinesPerThread);
    }

    auto lines = ring->snapshot();
    REQUIRE(lines.size() == static_cast<std::size_t>(kThreads * kLinesPerThread));
    CHECK(ring->written() == static_cast<std::uint64_t>(kThreads * kLinesPerThread));
    // Each thread's lines arrive whole and in the order it wrote them, none missing.
    std::vector<int> nextLine(kThreads, 0);
    int whole = 0;
    for (const auto& line : lines) {
        int t = -1;
        if (std::sscanf(line.text.c_str(), "thread %d ", &t) != 1 || t < 0 || t >= kThreads) {
            continue;
        }
        const std::string expected =
            "thread " + std::to_string(t) + " line " + std::to_string(nextLine[t]) + " end";
        if (line.text == expected && line.category == category.name() &&
            line.level == log::Level::Warn) {
            ++nextLine[t];
            ++whole;
        }
    }
    CHECK(whole == kThreads * kLinesPerThread);
    for (int t = 0; t < kThreads; ++t) {
        CHECK(nextLine[t] == kLinesPerThread);
    }
    CHECK(small->snapshot().size() == 100);
    CHECK(small->written() == static_cast<std::uint64_t>(kThreads * kLinesPerThread));
}

TEST_CASE("log: the stderr sink writes one whole line per record, from any thread")
{
    // Point stderr at a file for the duration, then read it back.
    constexpr int kThreads = 4;
    constexpr int kLinesPerThread = 200;
    const log::Category category("test.log.stderr");
    log::configure("test.log.stderr:info");
    std::FILE* file = std::tmpfile();
    REQUIRE(file != nullptr);
    std::fflush(stderr);
    const int saved = ::dup(STDERR_FILENO);
    REQUIRE(saved >= 0);
    REQUIRE(::dup2(::fileno(file), STDERR_FILENO) == STDERR_FILENO);
    logFromThreads(category, kThreads, kLinesPerThread);
    std::fflush(stderr);
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);

    std::rewind(file);
    char buffer[256];
    int whole = 0;
    int lines = 0;
    while (lines < 2 * kThreads * kLinesPerThread && std::fgets(buffer, sizeof buffer, file)) {
        ++lines;
        const std::string line(buffer);
        const auto body = line.find("WARN test.log.stderr: thread ");
        if (body != std::string::npos && line.size() > 4 &&
            line.compare(line.size() - 5, 5, " end\n") == 0) {
            ++whole;
        }
    }
    std::fclose(file);
    CHECK(lines == kThreads * kLinesPerThread);
    CHECK(whole == kThreads * kLinesPerThread);
}
