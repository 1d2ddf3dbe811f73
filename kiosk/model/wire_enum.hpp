#pragma once

// Enums at the edge. Inside the programs an outcome or an identification method is an enum;
// it becomes text only where it leaves them: the JSON of our protocols (json.cpp), the desk's
// SQL columns and page, and log lines. Each enum has one name table (wireNames<E>(), defined
// next to the enum's other functions), so JSON and SQL spell a value the same way.
//
// WireEnum<E> is what a check-in carries across the wire: the enum when this program knows the
// name, and otherwise the name as it came. A terminal only ever sends names it knows; the desk
// keeps a newer terminal's unknown name and stores and shows it as sent
// (docs/protocol/desk.md), so an older desk loses nothing.

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace uketsuke::kiosk::model {

template <class E>
struct WireName {
    E value;
    std::string_view name;
};

// The name table of E: every value once, with its wire name. Specialised for each enum.
template <class E>
std::span<const WireName<E>> wireNames();

// The wire name of a value ("not_found"). Every value is in its table.
template <class E>
std::string_view wireName(E value)
{
    const auto names = wireNames<E>();
    auto it = std::find_if(names.begin(), names.end(),
                           [value](const WireName<E>& entry) { return entry.value == value; });
    return it != names.end() ? it->name : std::string_view();
}

// The value of a wire name; nullopt for a name the table does not have.
template <class E>
std::optional<E> fromWireName(std::string_view name)
{
    const auto names = wireNames<E>();
    auto it = std::find_if(names.begin(), names.end(),
                           [name](const WireName<E>& entry) { return entry.name == name; });
    return it != names.end() ? std::optional<E>(it->value) : std::nullopt;
}

template <class E>
class WireEnum {
public:
    WireEnum() = default;
    WireEnum(E value) : m_value(value) {} // NOLINT(google-explicit-constructor): a known value

    // From the wire: a known name becomes the enum, any other is kept as it came.
    static WireEnum fromName(std::string_view name)
    {
        WireEnum out;
        if (auto value = fromWireName<E>(name)) {
            out.m_value = *value;
        } else {
            out.m_unknown = std::string(name);
        }
        return out;
    }

    // The value; nullopt when the name was not one this program knows.
    std::optional<E> known() const
    {
        return m_unknown.empty() ? std::optional<E>(m_value) : std::nullopt;
    }
    // The wire name, as it came for an unknown one.
    std::string_view name() const
    {
        return m_unknown.empty() ? wireName(m_value) : std::string_view(m_unknown);
    }

    friend bool operator==(const WireEnum&, const WireEnum&) = default;
    friend bool operator==(const WireEnum& a, E b) { return a.known() == b; }

private:
    E m_value{};
    std::string m_unknown; // the name as it came, when E has no such name
};

} // namespace uketsuke::kiosk::model
