#include "base/line_break.hpp"

#include "base/utf8.hpp"

#include <array>

namespace uketsuke::linebreak {
namespace {

// Marks that belong to the character before them and must never be separated from it.
bool attachesToPrevious(char32_t c)
{
    return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) ||
           (c >= 0x180B && c <= 0x180D) || (c >= 0x0300 && c <= 0x036F) || c == 0x3099 ||
           c == 0x309A || c == 0x200D;
}

// A letter of a script written with spaces between words, where a line breaks only at a
// space: ASCII, Latin with its accents (Vietnamese: ế ộ ữ, Latin Extended Additional), Greek and
// Cyrillic, and Hangul (Korean is spaced by word, and breaking inside one reads badly).
bool isWordChar(char32_t c)
{
    return (c > 0x20 && c < 0x7F) || (c > 0xA0 && c < 0x2000 && !attachesToPrevious(c)) ||
           (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0xAC00 && c <= 0xD7A3) ||
           (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F);
}

bool isDigit(char32_t c)
{
    return (c >= U'0' && c <= U'9') || (c >= U'０' && c <= U'９');
}

bool isKatakana(char32_t c)
{
    return (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC || (c >= 0xFF66 && c <= 0xFF9F) ||
           (c >= 0x31F0 && c <= 0x31FF);
}

bool isIdeograph(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) || c == U'々';
}

// Endings that read badly split across lines; the longest match wins.
constexpr std::array<std::u32string_view, 15> kWords = {
    U"ございません", U"いただけます", U"ございます", U"いたします", U"できません",
    U"ください",     U"できます",     U"でしょう",   U"下さい",     U"ません",
    U"ました",       U"でした",       U"します",     U"ます",       U"です"};

// The counter kana between a number and its unit: 3か月, 3ヶ月, 3カ月, 3箇月.
bool isCounterKana(char32_t c)
{
    return c == U'か' || c == U'カ' || c == U'ヶ' || c == U'ケ' || c == U'ヵ' || c == U'箇';
}

std::size_t clusterEnd(std::u32string_view p, std::size_t i)
{
    std::size_t end = i + 1;
    while (end < p.size() && attachesToPrevious(p[end])) {
        ++end;
    }
    return end;
}

// Units before 禁則 merging.
std::vector<Span> rawUnits(std::u32string_view p)
{
    std::vector<Span> out;
    std::size_t i = 0;
    while (i < p.size()) {
        Span unit{i, clusterEnd(p, i)};
        const char32_t c = p[i];
        if (isSpace(c)) {
            while (unit.end < p.size() && isSpace(p[unit.end])) {
                ++unit.end;
            }
        } else if (isWordChar(c) || isDigit(c)) {
            const bool word = isWordChar(c);
            auto same = [&](char32_t d) { return word ? isWordChar(d) : isDigit(d); };
            while (unit.end < p.size() && same(p[unit.end])) {
                unit.end = clusterEnd(p, unit.end);
            }
            // A number keeps its counter: 3か月, 12月, ３日.
            if (isDigit(p[unit.end - 1]) && unit.end < p.size()) {
                if (isCounterKana(p[unit.end]) && unit.end + 1 < p.size() &&
                    isIdeograph(p[unit.end + 1])) {
                    unit.end = clusterEnd(p, unit.end + 1);
                } else if (isIdeograph(p[unit.end])) {
                    unit.end = clusterEnd(p, unit.end);
                }
            }
        } else if (isKatakana(c) && c != U'ー') {
            while (unit.end < p.size() && isKatakana(p[unit.end])) {
                unit.end = clusterEnd(p, unit.end);
            }
        } else {
            for (std::u32string_view word : kWords) {
                if (p.substr(i, word.size()) == word) {
                    unit.end = i + word.size();
                    break;
                }
            }
        }
        out.push_back(unit);
        i = unit.end;
    }
    return out;
}

// 禁則: an opening bracket joins what follows it; closing punctuation joins what precedes it
// unless it may hang.
std::vector<Span> mergedUnits(std::u32string_view p, bool mergeNoStart)
{
    std::vector<Span> out;
    bool joinNext = false;
    for (const Span& unit : rawUnits(p)) {
        const bool space = isSpace(p[unit.begin]);
        if (!out.empty() && !space &&
            (joinNext || (mergeNoStart && mustNotStartLine(p[unit.begin]) &&
                          !isSpace(p[out.back().begin])))) {
            out.back().end = unit.end;
        } else {
            out.push_back(unit);
        }
        joinNext = !space && mustNotEndLine(p[unit.end - 1]);
    }
    return out;
}

} // namespace

bool mustNotStartLine(char32_t c)
{
    static constexpr std::u32string_view kNoStart =
        U"、。，．・：；？！゛゜ヽヾゝゞ々ー）］｝」』】〕〉》〙〗〟’”｠»…‥"
        U"ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
        U"｡｣､･ｰｧｨｩｪｫｬｭｮｯ),.:;!?]}%％";
    return kNoStart.find(c) != std::u32string_view::npos || (c >= 0x31F0 && c <= 0x31FF);
}

bool mustNotEndLine(char32_t c)
{
    static constexpr std::u32string_view kNoEnd = U"（［｛「『【〔〈《〘〖〝‘“｟«｢([{";
    return kNoEnd.find(c) != std::u32string_view::npos;
}

bool isSpace(char32_t c)
{
    return c == U' ' || c == U'\t' || c == 0x3000;
}

std::vector<Span> units(std::u32string_view paragraph)
{
    return mergedUnits(paragraph, true);
}

std::vector<Span> breakParagraph(std::u32string_view p, double maxWidth, const WidthFn& width,
                                 Hanging hanging)
{
    const bool hang = hanging == Hanging::Allowed;
    std::vector<Span> lines;
    Span line;
    bool empty = true;
    auto flush = [&] {
        std::size_t end = line.end;
        while (end > line.begin && isSpace(p[end - 1])) {
            --end;
        }
        lines.push_back({line.begin, end});
        empty = true;
    };
    auto startWith = [&](const Span& unit) {
        if (width(unit.begin, unit.end) <= maxWidth) {
            line = unit;
            empty = false;
            return;
        }
        // Wider than a line on its own: cut between characters (marks stay attached).
        for (std::size_t i = unit.begin; i < unit.end;) {
            const std::size_t next = clusterEnd(p, i);
            if (!empty && width(line.begin, next) > maxWidth) {
                flush();
            }
            if (empty) {
                line.begin = i;
                empty = false;
            }
            line.end = next;
            i = next;
        }
    };
    for (const Span& unit : mergedUnits(p, !hang)) {
        if (isSpace(p[unit.begin])) {
            if (!empty) {
                line.end = unit.end; // trimmed again at the break
            }
            continue;
        }
        if (empty) {
            startWith(unit);
        } else if (width(line.begin, unit.end) <= maxWidth ||
                   (hang && mustNotStartLine(p[unit.begin]))) {
            line.end = unit.end;
        } else {
            flush();
            startWith(unit);
        }
    }
    if (!empty) {
        flush();
    }
    return lines;
}

std::vector<std::string> wrap(std::string_view text, double maxWidth,
                              const std::function<double(std::string_view)>& measure,
                              Hanging hanging)
{
    std::u32string all = utf8::decode(text);
    if (!all.empty() && all.back() == U'\n') {
        all.pop_back(); // a final newline ends the last line; it does not add an empty one
    }
    std::vector<std::string> lines;
    if (all.empty()) {
        return lines;
    }
    std::size_t start = 0;
    while (start <= all.size()) {
        std::size_t end = all.find(U'\n', start);
        if (end == std::u32string::npos) {
            end = all.size();
        }
        std::u32string_view p = std::u32string_view(all).substr(start, end - start);
        if (!p.empty() && p.back() == U'\r') {
            p.remove_suffix(1);
        }
        start = end + 1;
        auto width = [&](std::size_t b, std::size_t e) {
            return measure(utf8::encode(p.substr(b, e - b)));
        };
        const auto spans = breakParagraph(p, maxWidth, width, hanging);
        if (spans.empty()) {
            lines.emplace_back();
        }
        for (const Span& s : spans) {
            lines.push_back(utf8::encode(p.substr(s.begin, s.end - s.begin)));
        }
    }
    return lines;
}

bool breakAllowed(std::string_view before, std::string_view after)
{
    const std::u32string a = utf8::decode(before);
    const std::u32string b = utf8::decode(after);
    if (a.empty() || b.empty()) {
        return true;
    }
    if (isWordChar(a.back()) && isWordChar(b.front()) && !isDigit(a.back())) {
        return true; // spaced words: the space between them was dropped at the break
    }
    const std::u32string joined = a + b;
    for (const Span& unit : units(joined)) {
        if (unit.begin == a.size()) {
            return true;
        }
        if (unit.begin > a.size()) {
            break;
        }
    }
    return false;
}

} // namespace uketsuke::linebreak
