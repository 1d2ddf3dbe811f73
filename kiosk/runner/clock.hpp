#pragma once

// The injected clock: the flow's timers and the check-in time stamps read it, so tests run a
// whole day of check-ins in milliseconds (tests/support/fake_clock.hpp).

#include <chrono>

namespace uketsuke::kiosk::runner {

class Clock {
public:
    virtual ~Clock() = default;
    // Monotonic time for timers.
    virtual std::chrono::steady_clock::time_point now() const = 0;
    // Wall time for time stamps (check-in time, receipt day).
    virtual std::chrono::system_clock::time_point wallNow() const = 0;
};

class SystemClock final : public Clock {
public:
    std::chrono::steady_clock::time_point now() const override
    {
        return std::chrono::steady_clock::now();
    }
    std::chrono::system_clock::time_point wallNow() const override
    {
        return std::chrono::system_clock::now();
    }
};

} // namespace uketsuke::kiosk::runner
