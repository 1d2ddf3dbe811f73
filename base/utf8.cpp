#include "base/utf8.hpp"

namespace uketsuke::utf8 {

std::u32string decode(std::string_view text, int* invalidSequences)
{
    std::u32string out;
    out.reserve(text.size());
    int invalid = 0;
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        if (b0 < 0x80) {
            out.push_back(b0);
            ++i;
            continue;
        }
        int need = 0;
        char32_t c = 0;
        unsigned lo = 0x80;
        unsigned hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 1;
            c = b0 & 0x1Fu;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            need = 2;
            c = b0 & 0x0Fu;
            if (b0 == 0xE0) {
                lo = 0xA0; // no overlong forms
            } else if (b0 == 0xED) {
                hi = 0x9F; // no surrogates
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            need = 3;
            c = b0 & 0x07u;
            if (b0 == 0xF0) {
                lo = 0x90; // no overlong forms
            } else if (b0 == 0xF4) {
                hi = 0x8F; // nothing above U+10FFFF
            }
        } else {
            out.push_back(kReplacementCharacter);
            ++invalid;
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        bool complete = true;
        for (int k = 0; k < need; ++k) {
            if (j >= n) {
                complete = false;
                break;
            }
            const auto b = static_cast<unsigned char>(text[j]);
            const unsigned low = k == 0 ? lo : 0x80u;
            const unsigned high = k == 0 ? hi : 0xBFu;
            if (b < low || b > high) {
                complete = false;
                break;
            }
            c = (c << 6) | (b & 0x3Fu);
            ++j;
        }
        if (complete) {
            out.push_back(c);
        } else {
            // The maximal subpart (the bytes up to the offending one) becomes one U+FFFD; the
            // offending byte starts the next sequence.
            out.push_back(kReplacementCharacter);
            ++invalid;
        }
        i = j;
    }
    if (invalidSequences != nullptr) {
        *invalidSequences = invalid;
    }
    return out;
}

void append(std::string& out, char32_t c)
{
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string encode(std::u32string_view text)
{
    std::string out;
    out.reserve(text.size() * 3);
    for (char32_t c : text) {
        append(out, c);
    }
    return out;
}

std::size_t sequenceLength(unsigned char lead)
{
    if (lead >= 0xF0 && lead <= 0xF4) {
        return 4;
    }
    if (lead >= 0xE0) {
        return lead <= 0xEF ? 3 : 1;
    }
    if (lead >= 0xC2) {
        return 2;
    }
    return 1;
}

} // namespace uketsuke::utf8
