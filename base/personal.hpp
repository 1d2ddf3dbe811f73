#pragma once

// Personal data in types that refuse to be logged, as Pin does (base/secret.hpp): a patient's
// name travels as a PatientName, which has a deleted operator<< and no conversion to or from a
// string, so `UKETSUKE_LOG(kLog, Info) << name` and `std::cout << name` do not compile. Code
// that must show or send the value (a screen, the slip, the record for the desk) asks for it
// with reveal(), which is easy to find in a review. Unlike a Pin these values are copyable and
// are not wiped: they are shown and stored on purpose.
//
// A new kind is one tag: `using InsurerNumber = Personal<struct InsurerNumberTag>;`.

#include <iosfwd>
#include <string>
#include <utility>

namespace uketsuke {

template <class Tag, class T = std::string>
class Personal {
public:
    Personal() = default;
    explicit Personal(T value) : m_value(std::move(value)) {}

    // The value itself, for the screen, the slip or the record that needs it; never for a log.
    const T& reveal() const { return m_value; }
    bool empty() const { return m_value.empty(); }

    friend bool operator==(const Personal&, const Personal&) = default;
    friend std::ostream& operator<<(std::ostream&, const Personal&) = delete;

private:
    T m_value;
};

// A patient's name as the card or OQS gives it (漢字 or カナ).
using PatientName = Personal<struct PatientNameTag>;

} // namespace uketsuke
