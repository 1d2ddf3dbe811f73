#pragma once

// UTF-8 <-> code points, for every folder that lays text out (the line breaker, the name
// renderer, the screen, the printer's encoder).

#include <cstddef>
#include <string>
#include <string_view>

namespace uketsuke::utf8 {

inline constexpr char32_t kReplacementCharacter = U'\uFFFD';

// Decodes UTF-8 strictly (no overlong forms, no surrogates, nothing above U+10FFFF). Each
// maximal invalid subsequence becomes one U+FFFD, as the Unicode standard recommends, and
// `invalidSequences` (when given) counts them. Never reads past the end of `text`.
std::u32string decode(std::string_view text, int* invalidSequences = nullptr);

// The length of the sequence a byte starts: 2 to 4 for a lead byte (C2-F4), 1 for ASCII and
// for a byte that cannot start one (a continuation byte, C0, C1, F5-FF).
std::size_t sequenceLength(unsigned char lead);

// Appends one code point (callers pass valid scalar values).
void append(std::string& out, char32_t c);

std::string encode(std::u32string_view text);

} // namespace uketsuke::utf8
