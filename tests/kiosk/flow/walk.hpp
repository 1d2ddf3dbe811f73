#pragma once

// Drives the pure flow as the runner does: step() each event, keep the state unless the event
// was rejected, and keep the latest transition for the test to look at.

#include "kiosk/flow/flow.hpp"

#include <cstdint>

namespace uketsuke::test {

struct Walk {
    kiosk::flow::State state;
    kiosk::flow::Transition last;

    Walk& on(const kiosk::flow::Event& e)
    {
        last = kiosk::flow::step(state, e);
        if (!last.rejected) {
            state = last.state;
        }
        return *this;
    }
    kiosk::flow::Phase phase() const { return state.phase; }
    std::uint32_t timer() const { return state.timerGeneration; }
};

} // namespace uketsuke::test
