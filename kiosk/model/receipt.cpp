#include "kiosk/model/receipt.hpp"

#include <cstdint>

namespace uketsuke::kiosk::model {
namespace {

constexpr int kLetters = 26;
constexpr std::uint64_t kMaxTwoLetters = kLetters + kLetters * kLetters; // 702 = "ZZ"

// 1 → "A", 26 → "Z", 27 → "AA", 702 → "ZZ".
std::string bijectiveBase26(std::uint64_t n)
{
    std::string out;
    while (n > 0) {
        --n;
        out.insert(out.begin(), static_cast<char>('A' + n % kLetters));
        n /= kLetters;
    }
    return out;
}

} // namespace

bool isReceiptPrefix(std::string_view prefix)
{
    if (prefix.empty() || prefix.size() > 2) {
        return false;
    }
    for (char c : prefix) {
        if (c < 'A' || c > 'Z') {
            return false;
        }
    }
    return true;
}

std::string defaultReceiptPrefix(std::string_view terminalId)
{
    std::size_t digits = terminalId.size();
    while (digits > 0 && terminalId[digits - 1] >= '0' && terminalId[digits - 1] <= '9') {
        --digits;
    }
    std::string_view number = terminalId.substr(digits);
    if (!number.empty() && number.size() <= 6) {
        std::uint64_t n = 0;
        for (char c : number) {
            n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (n >= 1 && n <= kMaxTwoLetters) {
            return bijectiveBase26(n);
        }
    }
    // FNV-1a: stable across builds and platforms.
    std::uint64_t hash = 14695981039346656037ull;
    for (char c : terminalId) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    std::string out(2, 'A');
    out[0] = static_cast<char>('A' + hash % kLetters);
    out[1] = static_cast<char>('A' + (hash / kLetters) % kLetters);
    return out;
}

std::string receiptNumber(std::string_view prefix, std::string_view sequence)
{
    return std::string(prefix) + "-" + std::string(sequence);
}

} // namespace uketsuke::kiosk::model
