#pragma once

// The PIN travels in a move-only type with no operator<< and no string conversion, wiped in its
// destructor (docs/architecture.md). It lives only between the keypad and the card command.

#include <array>
#include <cstddef>
#include <iosfwd>
#include <span>
#include <string.h> // explicit_bzero

namespace uketsuke {

// Secret digits, MinLength to MaxLength of them: the card's PIN (Pin) and a staff member's PIN.
template <std::size_t MinLength, std::size_t MaxLength>
class SecretDigits {
public:
    static_assert(MinLength >= 1 && MinLength <= MaxLength);
    static constexpr std::size_t kLength = MaxLength; // the most digits it takes
    static constexpr std::size_t kMinLength = MinLength;

    SecretDigits() = default;
    ~SecretDigits() { wipe(); }
    SecretDigits(const SecretDigits&) = delete;
    SecretDigits& operator=(const SecretDigits&) = delete;
    SecretDigits(SecretDigits&& other) noexcept : m_digits(other.m_digits), m_size(other.m_size)
    {
        other.wipe();
    }
    SecretDigits& operator=(SecretDigits&& other) noexcept
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
    bool complete() const { return m_size >= kMinLength; }

    // ASCII digits for the card command only. Never copy them into a std::string.
    std::span<const char> digits() const { return {m_digits.data(), m_size}; }

    friend std::ostream& operator<<(std::ostream&, const SecretDigits&) = delete;

private:
    std::array<char, kLength> m_digits{};
    std::size_t m_size = 0;
};

// The card's 利用者証明用暗証番号: exactly 4 digits.
using Pin = SecretDigits<4, 4>;
// A staff member's PIN for the maintenance menu: 4 to 8 digits.
using StaffPin = SecretDigits<4, 8>;

} // namespace uketsuke
