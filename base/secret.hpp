#pragma once

// The PIN travels in a move-only type with no operator<< and no string conversion, wiped in its
// destructor (STYLE.md practice 12). It lives only between the keypad and the card command.

#include <array>
#include <cstddef>
#include <iosfwd>
#include <span>
#include <string.h> // explicit_bzero

namespace uketsuke {

class Pin {
public:
    static constexpr std::size_t kLength = 4; // the 利用者証明用暗証番号 has exactly 4 digits

    Pin() = default;
    ~Pin() { wipe(); }
    Pin(const Pin&) = delete;
    Pin& operator=(const Pin&) = delete;
    Pin(Pin&& other) noexcept : m_digits(other.m_digits), m_size(other.m_size) { other.wipe(); }
    Pin& operator=(Pin&& other) noexcept
    {
        if (this != &other) {
            wipe();
            m_digits = other.m_digits;
            m_size = other.m_size;
            other.wipe();
        }
        return *this;
    }

    // Appends one ASCII digit; false (and nothing stored) when full or not a digit.
    bool push(char digit)
    {
        if (m_size >= kLength || digit < '0' || digit > '9') {
            return false;
        }
        m_digits[m_size++] = digit;
        return true;
    }
    void pop()
    {
        if (m_size > 0) {
            m_digits[--m_size] = 0;
        }
    }
    void wipe()
    {
        explicit_bzero(m_digits.data(), m_digits.size());
        m_size = 0;
    }
    std::size_t size() const { return m_size; }
    bool complete() const { return m_size == kLength; }

    // ASCII digits for the card command only. Never copy them into a std::string.
    std::span<const char> digits() const { return {m_digits.data(), m_size}; }

    friend std::ostream& operator<<(std::ostream&, const Pin&) = delete;

private:
    std::array<char, kLength> m_digits{};
    std::size_t m_size = 0;
};

} // namespace uketsuke
