#pragma once

// Japanese line breaking (禁則処理), the one implementation the screen (ui/widgets), the name
// renderer (hal/text) and the printers share, so a sentence breaks the same way everywhere.
//
// Text is cut into units that never break inside:
//   - a run of spaces (dropped at a break);
//   - a run of ASCII non-space characters: an English word, a number, a URL;
//   - a run of katakana (with ー and small katakana): カード, マイナンバー;
//   - a word from a short list of endings that read badly split: ください, ます, です, ...;
//   - a number with its counter: 3か月, 12月, 10日, ３ヶ月;
//   - any other character on its own (a kanji, a kana, a punctuation mark),
// with combining marks and variation selectors kept on the character before them. Then 禁則:
// a unit starting with closing punctuation, small kana or ー never starts a line (it joins
// the unit before it, or hangs past the edge when the caller allows hanging), and a unit
// ending with an opening bracket never ends a line (it joins the unit after it). Lines are
// filled greedily; a unit wider than a whole line is cut between characters.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::linebreak {

// 、。」）ー small kana, ...: must not start a line.
bool mustNotStartLine(char32_t c);
// 「（ ...: must not end a line.
bool mustNotEndLine(char32_t c);
// Space, tab, U+3000.
bool isSpace(char32_t c);

// A code-point range [begin, end) of a paragraph.
struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// The unbreakable units of `paragraph` (no '\n' inside), in order, covering it.
std::vector<Span> units(std::u32string_view paragraph);

enum class Hanging {
    // Closing punctuation is pushed to the next line with the character before it (printers:
    // the paper edge is hard).
    Never,
    // Closing punctuation and small kana may hang past the edge (ぶら下げ) rather than start a
    // line (the screen, which has a margin).
    Allowed,
};

// The width of code points [begin, end) of the paragraph, in the caller's unit.
using WidthFn = std::function<double(std::size_t begin, std::size_t end)>;

// Breaks one paragraph into lines no wider than `maxWidth` (except hanging punctuation and a
// single character wider than the line). Spaces at the ends of a line are not part of it.
// An empty or all-space paragraph gives no lines.
std::vector<Span> breakParagraph(std::u32string_view paragraph, double maxWidth,
                                 const WidthFn& width, Hanging hanging = Hanging::Never);

// Breaks UTF-8 text into lines: '\n' forces a break (a final '\n' adds nothing), an empty
// paragraph is an empty line, empty text gives no lines. `measure` gets a UTF-8 substring.
std::vector<std::string> wrap(std::string_view utf8, double maxWidth,
                              const std::function<double(std::string_view)>& measure,
                              Hanging hanging = Hanging::Never);

// True when a line ending with `before` may be followed by a line starting with `after` (both
// UTF-8, spaces at the break already dropped): the break falls between two units and breaks
// no 禁則 rule. For tests of printed output.
bool breakAllowed(std::string_view before, std::string_view after);

} // namespace uketsuke::linebreak
