#include "desk/metrics.hpp"

#include "kiosk/model/json.hpp"
#include "tests/desk/running_desk.hpp"
#include "tests/desk/sample_checkin.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <sstream>

namespace {

using namespace uketsuke;

// The samples of an exposition text, "name{labels}" → value; every line must be a comment
// (# HELP / # TYPE) or a sample of the text format.
std::map<std::string, double> parseExposition(const std::string& text)
{
    static const std::regex kSample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$)");
    static const std::regex kComment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
    std::map<std::string, double> out;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        INFO(line);
        std::smatch match;
        if (std::regex_match(line, kComment)) {
            continue;
        }
        REQUIRE(std::regex_match(line, match, kSample));
        const std::string value = match[3];
        out[match[1].str() + match[2].str()] =
            value == "+Inf" ? std::numeric_limits<double>::infinity() : std::stod(value);
    }
    return out;
}

TEST_CASE("GET /metrics: check-ins by outcome, ingest latency, terminals and their outboxes")
{
    tests::RunningDesk desk;
    auto terminal = desk.client();
    auto valid = tests::sampleCheckIn("m-1", "0001");
    auto failed = tests::sampleCheckIn("m-2", "0002");
    failed.outcome = kiosk::model::Outcome::NotFound;
    for (const auto& checkIn : {valid, failed, valid}) {
        auto res = terminal->post("/api/v1/checkins", kiosk::model::toJson(checkIn).dump(),
                                  "application/json");
        REQUIRE(res);
    }
    REQUIRE(terminal->post("/api/v1/checkins", "{broken", "application/json"));
    auto health = terminal->post("/api/v1/terminals/health",
                                 kiosk::model::toJson(tests::sampleHealth()).dump(),
                                 "application/json");
    REQUIRE(health);
    REQUIRE(health->status == 200);

    auto res = desk.client("")->get("/metrics");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(res->header("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
    const auto m = parseExposition(res->body);

    CHECK(m.at(R"(uketsuke_desk_checkins_today{outcome="valid"})") == 1);
    CHECK(m.at(R"(uketsuke_desk_checkins_today{outcome="not_found"})") == 1);
    CHECK(m.at(R"(uketsuke_desk_checkins_today{outcome="lost"})") == 0);
    CHECK(m.at(R"(uketsuke_desk_checkins_stored{outcome="valid"})") == 1);
    CHECK(m.at(R"(uketsuke_desk_checkins_total{outcome="valid"})") == 1);
    CHECK(m.at(R"(uketsuke_desk_ingest_requests_total{status="201"})") == 2);
    CHECK(m.at(R"(uketsuke_desk_ingest_requests_total{status="200"})") == 1);
    CHECK(m.at(R"(uketsuke_desk_ingest_requests_total{status="400"})") == 1);
    CHECK(m.at("uketsuke_desk_ingest_duration_seconds_count") == 4);
    CHECK(m.at(R"(uketsuke_desk_ingest_duration_seconds_bucket{le="+Inf"})") == 4);
    CHECK(m.at("uketsuke_desk_ingest_duration_seconds_sum") > 0);
    // One after the other, each check-in had a transaction of its own (the duplicate's stored
    // nothing); the broken body never reached the store.
    CHECK(m.at("uketsuke_desk_ingest_commits_total") == 3);
    CHECK(m.at("uketsuke_desk_ingest_stored_total") == 2);
    // Buckets are cumulative.
    double previous = 0;
    for (double bound : desk::Metrics::kBuckets) {
        std::ostringstream label;
        label << "uketsuke_desk_ingest_duration_seconds_bucket{le=\"" << bound << "\"}";
        INFO(label.str());
        const double count = m.at(label.str());
        CHECK(count >= previous);
        previous = count;
    }
    CHECK(m.at("uketsuke_desk_terminals_known") == 1);
    CHECK(m.at("uketsuke_desk_terminals_up") == 1);
    CHECK(m.at(R"(uketsuke_desk_terminal_up{terminal="KIOSK-0001"})") == 1);
    CHECK(m.at(R"(uketsuke_desk_terminal_outbox_depth{terminal="KIOSK-0001"})") == 2);
}

TEST_CASE("Metrics::render: a terminal not heard from within the period is down")
{
    tests::TempDir dir;
    auto store = desk::DeskStore::open((dir.path() / "desk.sqlite3").string());
    REQUIRE(store);
    REQUIRE((*store)->recordHealth(tests::sampleHealth()));
    desk::Metrics metrics;
    auto text = metrics.render(**store, "2026-12-05", time::Clock::now() + std::chrono::hours(1),
                               std::chrono::seconds(150));
    REQUIRE(text);
    const auto m = parseExposition(*text);
    CHECK(m.at("uketsuke_desk_terminals_known") == 1);
    CHECK(m.at("uketsuke_desk_terminals_up") == 0);
    CHECK(m.at(R"(uketsuke_desk_terminal_up{terminal="KIOSK-0001"})") == 0);
    CHECK(m.at("uketsuke_desk_ingest_duration_seconds_count") == 0);
}

TEST_CASE("metricsAllowed: loopback and the allowed addresses only")
{
    CHECK(desk::metricsAllowed("127.0.0.1", {}));
    CHECK(desk::metricsAllowed("::1", {}));
    CHECK_FALSE(desk::metricsAllowed("192.0.2.10", {}));
    CHECK(desk::metricsAllowed("192.0.2.10", {"192.0.2.10"}));
    CHECK_FALSE(desk::metricsAllowed("192.0.2.11", {"192.0.2.10"}));
}

TEST_CASE("escapeLabel: backslash, quote and line feed")
{
    CHECK(desk::escapeLabel(R"(a\b"c)") == R"(a\\b\"c)");
    CHECK(desk::escapeLabel("x\ny") == R"(x\ny)");
}

} // namespace
