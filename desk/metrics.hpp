#pragma once

// The desk's metrics for Prometheus (text exposition format 0.0.4), served at GET /metrics
// (docs/programs/uketsuke-desk.md "Metrics"): check-ins by outcome today, in the store and ever
// (purged ones counted by retention's daily_counts), the
// ingest requests by HTTP status with a latency histogram, the terminals known and up (heard
// within metrics.terminal_up_s), and each terminal's outbox depth from its health report.
// Labels carry outcomes, statuses and terminal ids only: never personal data.

#include "base/result.hpp"
#include "base/time.hpp"
#include "desk/store.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::desk {

class Metrics {
public:
    // The upper bounds of the latency histogram's buckets, in seconds (+Inf is added).
    static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

    // Records one POST /api/v1/checkins: the HTTP status answered and how long the handler took
    // (parse, checks, store, export). Thread: any.
    void observeIngest(int status, std::chrono::nanoseconds took);

    // The exposition text: the counters kept here and gauges read from `store` now. A terminal
    // is up when the desk received its health report within `upWithin` of `now`. Errors: those
    // of the store's reads.
    Result<std::string> render(DeskStore& store, const std::string& today,
                               time::Clock::time_point now, std::chrono::seconds upWithin) const;

private:
    mutable std::mutex m_mutex;
    std::array<std::uint64_t, kBuckets.size() + 1> m_buckets{}; // guarded; last is +Inf
    double m_sumSeconds = 0;                                      // guarded
    std::uint64_t m_count = 0;                                    // guarded
    std::map<int, std::uint64_t> m_byStatus;                      // guarded
};

// Whether `peer` may read /metrics: a loopback address, or one of `allow` (exact addresses as
// the server reports peers, e.g. "192.0.2.10" or "::ffff:192.0.2.10"; option metrics.allow).
bool metricsAllowed(std::string_view peer, const std::vector<std::string>& allow);

// A label value escaped for the exposition format (\ " and line feed).
std::string escapeLabel(std::string_view value);

} // namespace uketsuke::desk
