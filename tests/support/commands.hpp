#pragma once

// Looking into a state machine's Transition in tests: whether it issued a command of type C,
// and that command. Works for the patient flow (kiosk/flow) and the staff flow (kiosk/staff),
// whose transitions both hold a `commands` vector of a std::variant.

#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>
#include <variant>

namespace uketsuke::test {

template <class C, class Transition>
bool has(const Transition& t)
{
    return std::any_of(t.commands.begin(), t.commands.end(),
                       [](const auto& c) { return std::holds_alternative<C>(c); });
}

template <class C, class Transition>
const C& get(const Transition& t)
{
    for (const auto& c : t.commands) {
        if (std::holds_alternative<C>(c)) {
            return std::get<C>(c);
        }
    }
    FAIL("command not issued");
    throw std::logic_error("unreachable");
}

} // namespace uketsuke::test
