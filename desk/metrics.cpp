#include "desk/metrics.hpp"

#include "net/server.hpp"

#include <algorithm>
#include <cstdio>

namespace uketsuke::desk {
namespace {

void header(std::string& out, const char* name, const char* type, const char* help)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", value);
    return text;
}

void sample(std::string& out, const std::string& name, const std::string& labels,
            const std::string& value)
{
    out += name;
    if (!labels.empty()) {
        out += '{' + labels + '}';
    }
    out += ' ' + value + '\n';
}

// Every outcome the desk knows, so a dashboard sees a zero rather than a missing series.
std::map<std::string, std::int64_t> withEveryOutcome(
    const std::vector<std::pair<std::string, std::int64_t>>& counts)
{
    std::map<std::string, std::int64_t> out;
    for (const auto& name : kiosk::model::wireNames<kiosk::model::Outcome>()) {
        out[std::string(name.name)] = 0;
    }
    for (const auto& [outcome, count] : counts) {
        out[outcome] += count;
    }
    return out;
}

} // namespace

void Metrics::observeIngest(int status, std::chrono::nanoseconds took)
{
    const double seconds = std::chrono::duration<double>(took).count();
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin());
    std::lock_guard lock(m_mutex);
    ++m_buckets[bucket];
    m_sumSeconds += seconds;
    ++m_count;
    ++m_byStatus[status];
}

Result<std::string> Metrics::render(DeskStore& store, const std::string& today,
                                    time::Clock::time_point now,
                                    std::chrono::seconds upWithin) const
{
    auto todayCounts = store.countByOutcome(today);
    auto storedCounts = store.countByOutcome("");
    auto allDays = store.dailyCounts("0000-01-01", "9999-12-31");
    auto terminals = store.listTerminals();
    if (!todayCounts || !storedCounts || !allDays || !terminals) {
        return fail(!todayCounts    ? todayCounts.error()
                    : !storedCounts ? storedCounts.error()
                    : !allDays      ? allDays.error()
                                    : terminals.error());
    }
    std::vector<std::pair<std::string, std::int64_t>> allCounts;
    for (const auto& day : *allDays) {
        allCounts.emplace_back(day.outcome, day.count);
    }

    std::string out;
    header(out, "uketsuke_desk_checkins_today", "gauge",
           "Check-ins stored for today (the desk's time_zone), by outcome.");
    for (const auto& [outcome, count] : withEveryOutcome(*todayCounts)) {
        sample(out, "uketsuke_desk_checkins_today", "outcome=\"" + escapeLabel(outcome) + "\"",
               std::to_string(count));
    }
    header(out, "uketsuke_desk_checkins_stored", "gauge",
           "Check-ins in the store (within the retention period), by outcome.");
    for (const auto& [outcome, count] : withEveryOutcome(*storedCounts)) {
        sample(out, "uketsuke_desk_checkins_stored", "outcome=\"" + escapeLabel(outcome) + "\"",
               std::to_string(count));
    }

    header(out, "uketsuke_desk_checkins_total", "gauge",
           "Check-ins ever stored, by outcome: those in the store and the counts retention "
           "kept of purged ones.");
    for (const auto& [outcome, count] : withEveryOutcome(allCounts)) {
        sample(out, "uketsuke_desk_checkins_total", "outcome=\"" + escapeLabel(outcome) + "\"",
               std::to_string(count));
    }

    {
        std::lock_guard lock(m_mutex);
        header(out, "uketsuke_desk_ingest_requests_total", "counter",
               "POST /api/v1/checkins answered since the desk started, by HTTP status.");
        for (const auto& [status, count] : m_byStatus) {
            sample(out, "uketsuke_desk_ingest_requests_total",
                   "status=\"" + std::to_string(status) + "\"", std::to_string(count));
        }
        header(out, "uketsuke_desk_ingest_duration_seconds", "histogram",
               "Time to handle POST /api/v1/checkins (parse, checks, store, export).");
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += m_buckets[i];
            sample(out, "uketsuke_desk_ingest_duration_seconds_bucket",
                   "le=\"" + number(kBuckets[i]) + "\"", std::to_string(cumulative));
        }
        cumulative += m_buckets.back();
        sample(out, "uketsuke_desk_ingest_duration_seconds_bucket", "le=\"+Inf\"",
               std::to_string(cumulative));
        sample(out, "uketsuke_desk_ingest_duration_seconds_sum", "", number(m_sumSeconds));
        sample(out, "uketsuke_desk_ingest_duration_seconds_count", "", std::to_string(m_count));
    }

    const auto ingest = store.ingestCounts();
    header(out, "uketsuke_desk_ingest_commits_total", "counter",
           "Transactions that stored check-ins since the desk started (one fsync each; "
           "check-ins that arrive together share one).");
    sample(out, "uketsuke_desk_ingest_commits_total", "", std::to_string(ingest.commits));
    header(out, "uketsuke_desk_ingest_stored_total", "counter",
           "New check-ins those transactions stored.");
    sample(out, "uketsuke_desk_ingest_stored_total", "", std::to_string(ingest.checkIns));

    std::string upLines;
    std::string depthLines;
    int up = 0;
    for (const auto& terminal : *terminals) {
        const auto heard = time::parseIsoUtc(terminal.receivedAt);
        const bool isUp = heard && now - *heard <= upWithin;
        up += isUp ? 1 : 0;
        const std::string label =
            "terminal=\"" + escapeLabel(terminal.health.terminalId) + "\"";
        sample(upLines, "uketsuke_desk_terminal_up", label, isUp ? "1" : "0");
        sample(depthLines, "uketsuke_desk_terminal_outbox_depth", label,
               std::to_string(terminal.health.outboxDepth));
    }
    header(out, "uketsuke_desk_terminals_known", "gauge",
           "Terminals that have sent a health report.");
    sample(out, "uketsuke_desk_terminals_known", "", std::to_string(terminals->size()));
    header(out, "uketsuke_desk_terminals_up", "gauge",
           "Terminals heard from within metrics.terminal_up_s.");
    sample(out, "uketsuke_desk_terminals_up", "", std::to_string(up));
    header(out, "uketsuke_desk_terminal_up", "gauge",
           "1 when the terminal was heard from within metrics.terminal_up_s.");
    out += upLines;
    header(out, "uketsuke_desk_terminal_outbox_depth", "gauge",
           "Check-ins saved on the terminal and not yet acknowledged, as it last reported "
           "(-1: unknown).");
    out += depthLines;
    return out;
}

bool metricsAllowed(std::string_view peer, const std::vector<std::string>& allow)
{
    return net::isLoopbackAddress(peer) ||
           std::find(allow.begin(), allow.end(), peer) != allow.end();
}

std::string escapeLabel(std::string_view value)
{
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace uketsuke::desk
