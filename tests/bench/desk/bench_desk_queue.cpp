// bench_desk_queue: how long the staff page's list of a busy day takes to build. Stores N
// check-ins of today (default 400) in a fresh desk database, then times, over 20 rounds each:
//   queue  DeskStore::listQueue + queueRowJson: the stored summaries spliced, no body parsed
//          (what GET /api/v1/queue does)
//   bodies DeskStore::listByLocalDate + toJson per row: every body parsed into the model and
//          written back (what GET /api/v1/checkins does)
// Prints the median of each in milliseconds; asserts nothing.
//   bench_desk_queue [N]

#include "desk/queue.hpp"
#include "desk/store.hpp"
#include "kiosk/model/json.hpp"
#include "tests/desk/sample_checkin.hpp"
#include "tests/support/files.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace uketsuke;
using Clock = std::chrono::steady_clock;

template <class F>
double medianMs(F&& run)
{
    std::vector<double> times;
    for (int i = 0; i < 20; ++i) {
        const auto start = Clock::now();
        run();
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    const int count = argc > 1 ? std::atoi(argv[1]) : 400;
    tests::TempDir dir;
    auto store = desk::DeskStore::open((dir.path() / "desk.sqlite3").string());
    if (!store) {
        std::fprintf(stderr, "cannot open the store: %s\n", store.error().message.c_str());
        return 1;
    }
    for (int i = 0; i < count; ++i) {
        auto checkIn = tests::sampleCheckIn("bench-" + std::to_string(i), std::to_string(i));
        auto stored = (*store)->ingest(checkIn);
        if (!stored) {
            std::fprintf(stderr, "cannot store: %s\n", stored.error().message.c_str());
            return 1;
        }
        auto saved = (*store)->saveQueueSummary(
            stored->id, desk::queueSummary(kiosk::model::toJson(checkIn)).dump());
        if (!saved) {
            return 1;
        }
    }
    const std::string today = desk::localDateToday();
    std::size_t bytes = 0;
    const double queue = medianMs([&] {
        auto entries = (*store)->listQueue(today);
        std::string body;
        for (const auto& entry : *entries) {
            body += desk::queueRowJson(entry, entry.summary);
        }
        bytes = body.size();
    });
    const double bodies = medianMs([&] {
        auto rows = (*store)->listByLocalDate(today);
        std::string body;
        for (const auto& row : *rows) {
            body += kiosk::model::toJson(row.checkIn).dump();
        }
    });
    std::printf("check-ins: %d\n", count);
    std::printf("queue list (stored summaries): %.2f ms median, %zu bytes\n", queue, bytes);
    std::printf("list with bodies parsed:       %.2f ms median\n", bodies);
    return 0;
}
