#include "hal/escpos/status.hpp"

#include <catch2/catch.hpp>

namespace uketsuke::hal::escpos {
namespace {

constexpr std::uint8_t kClean = 0x12; // fixed bits only

StatusReport after(std::uint8_t n, std::uint8_t b)
{
    StatusReport report;
    REQUIRE(applyStatusReply(n, b, report));
    return report;
}

TEST_CASE("DLE EOT 1: drawer and offline bits", "[escpos][status]")
{
    CHECK(after(1, kClean).summary().online);
    CHECK(after(1, kClean | 0x04).drawerHigh);
    CHECK_FALSE(after(1, kClean | 0x04).offline);
    const StatusReport off = after(1, kClean | 0x08);
    CHECK(off.offline);
    CHECK_FALSE(off.summary().online);
    CHECK(blockingError(off) == Errc::PrinterOffline);
}

TEST_CASE("DLE EOT 2: cover, feed button, paper end stop, error", "[escpos][status]")
{
    const StatusReport cover = after(2, kClean | 0x04);
    CHECK(cover.coverOpen);
    CHECK(cover.summary().coverOpen);
    CHECK(blockingError(cover) == Errc::PrinterCoverOpen);

    const StatusReport feed = after(2, kClean | 0x08);
    CHECK(feed.feedButton);
    CHECK(blockingError(feed) == Errc{});

    const StatusReport paper = after(2, kClean | 0x20);
    CHECK(paper.paperEndStop);
    CHECK(paper.summary().paperOut);
    CHECK(blockingError(paper) == Errc::PrinterPaperOut);

    const StatusReport error = after(2, kClean | 0x40);
    CHECK(error.errorOccurred);
    CHECK(error.summary().error);
    CHECK(blockingError(error) == Errc::PrinterError);
}

TEST_CASE("DLE EOT 3: each error cause", "[escpos][status]")
{
    CHECK(after(3, kClean | 0x04).mechanicalError);
    CHECK(after(3, kClean | 0x08).autocutterError);
    CHECK(after(3, kClean | 0x20).unrecoverableError);
    CHECK(after(3, kClean | 0x40).autoRecoverableError);
    for (std::uint8_t b : {0x04, 0x08, 0x20, 0x40}) {
        const StatusReport r = after(3, static_cast<std::uint8_t>(kClean | b));
        CHECK(blockingError(r) == Errc::PrinterError);
        CHECK_FALSE(r.summary().online);
    }
    CHECK(blockingError(after(3, kClean)) == Errc{});
}

TEST_CASE("DLE EOT 4: near end warns, paper end blocks", "[escpos][status]")
{
    for (std::uint8_t b : {0x04, 0x08, 0x0C}) {
        const StatusReport near = after(4, static_cast<std::uint8_t>(kClean | b));
        CHECK(near.paperNearEnd);
        CHECK(near.summary().paperLow);
        CHECK(near.summary().online);
        CHECK(blockingError(near) == Errc{});
    }
    for (std::uint8_t b : {0x20, 0x40, 0x60}) {
        const StatusReport end = after(4, static_cast<std::uint8_t>(kClean | b));
        CHECK(end.paperEnd);
        CHECK(end.summary().paperOut);
        CHECK(blockingError(end) == Errc::PrinterPaperOut);
    }
}

TEST_CASE("Status replies: fixed bits and n are checked", "[escpos][status]")
{
    StatusReport report;
    CHECK(isStatusReply(0x12));
    CHECK(isStatusReply(0x7E));
    for (std::uint8_t b : {0x00, 0x13, 0x92, 0x10, 0x02, 0xFF, 0x11}) {
        INFO(int(b));
        CHECK_FALSE(isStatusReply(b));
        auto r = applyStatusReply(1, b, report);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::BadReply);
    }
    auto bad = applyStatusReply(5, 0x12, report);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::InvalidArgument);
    // Every byte either parses or is refused; none crashes.
    for (int n = 0; n <= 5; ++n) {
        for (int b = 0; b < 256; ++b) {
            StatusReport any;
            auto r = applyStatusReply(static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(b), any);
            CHECK(r.has_value() == (n >= 1 && n <= 4 && (b & 0x93) == 0x12));
        }
    }
}

} // namespace
} // namespace uketsuke::hal::escpos
