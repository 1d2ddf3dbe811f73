#pragma once

// UTF-8 <-> code points, for every folder that lays text out (the line breaker, the name
// renderer, the screen, the printer's encoder).

#include <string>
#include <string_view>

namespace uketsuke::utf8 {

inline constexpr char32_t kReplacementCharacter = U'\uFFFD';

// Decodes UTF-8 strictly (no overlong forms, no surrogates, nothing above U+10FFFF). Each
// maximal invalid subsequence becomes one U+FFFD, as the Unicode standard recommends, and
// `invalidSequences` (when given) counts them. Never reads past the end of `text`.
std::u32string decode(std::string_view text, int* invalidSequences = nullptr);

// Appends one code point (callers pass valid scalar values).
void append(std::string& out, char32_t c);

std::string encode(std::u32string_view text);

} // namespace uketsuke::utf8
