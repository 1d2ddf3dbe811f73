#include "base/signals.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <future>

using namespace uketsuke;
using namespace std::chrono_literals;

TEST_CASE("StopSignals: SIGTERM is taken by wait(), not by a handler")
{
    StopSignals signals;
    CHECK_FALSE(signals.wait(0ms)); // nothing pending
    REQUIRE(::kill(::getpid(), SIGTERM) == 0);
    CHECK(signals.wait(5s) == std::optional<int>(SIGTERM));
}

TEST_CASE("StopSignals: onStop() calls back from its own thread on SIGINT")
{
    std::promise<int> got;
    auto future = got.get_future();
    {
        StopSignals signals;
        signals.onStop([&got](int signal) { got.set_value(signal); });
        REQUIRE(::kill(::getpid(), SIGINT) == 0);
        REQUIRE(future.wait_for(5s) == std::future_status::ready);
    }
    CHECK(future.get() == SIGINT);
}

TEST_CASE("StopSignals: the watcher ends with its owner when no signal came")
{
    bool called = false;
    {
        StopSignals signals;
        signals.onStop([&called](int) { called = true; });
    } // joins the watcher without a signal
    CHECK_FALSE(called);
}
