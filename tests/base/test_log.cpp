#include "base/log.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

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
