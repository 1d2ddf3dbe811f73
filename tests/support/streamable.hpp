#pragma once

// Whether `out << value` compiles, for static_asserts that personal data (PatientName, Pin)
// cannot be streamed into a log line or an ostream.

#include <type_traits>
#include <utility>

namespace uketsuke::test {

// Whether `std::declval<Out&>() << std::declval<const T&>()` is well-formed.
template <class Out, class T, class = void>
struct Streamable : std::false_type {};
template <class Out, class T>
struct Streamable<Out, T, std::void_t<decltype(std::declval<Out&>() << std::declval<const T&>())>>
    : std::true_type {};

} // namespace uketsuke::test
