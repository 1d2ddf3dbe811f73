#pragma once

// The one text/name renderer (docs/slip.md): FreeType draws UTF-8 text of
// any plane (𠮷 U+20BB7, 髙, 﨑, 邉, ideographic variation sequences) into an 8-bit coverage
// bitmap. The terminal uploads the bitmap as a texture for a patient's name and the printers
// draw the same bitmap into the slip, so the screen and the slip can never disagree about a
// name. No SDL here: ui/ does the upload.
//
// A character the font has no glyph for is counted in Bitmap::missingGlyphs (and drawn as the
// font's .notdef box): callers flag the record for staff instead of showing tofu or ● to a
// patient (docs/slip.md).

#include "base/result.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::hal::text {

inline constexpr const char* kDefaultFontPath =
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
// Face 0 of Debian's NotoSansCJK-Regular.ttc is "Noto Sans CJK JP": Japanese glyph forms for
// the Han code points shared with Chinese and Korean.
inline constexpr int kDefaultFaceIndex = 0;

// The largest pixel size render() accepts, and the most code points it lays out in one call.
inline constexpr int kMaxPixelSize = 512;
inline constexpr std::size_t kMaxCodePoints = 4096;

struct FontConfig {
    std::string path = kDefaultFontPath;
    int faceIndex = kDefaultFaceIndex;
};

// One line of text as 8-bit coverage, row-major, `width * height` bytes: 0 = background,
// 255 = full ink. The box spans the font's ascender to descender, so lines rendered at the
// same pixel size have the same height and share a baseline.
struct Bitmap {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> alpha;
    // Rows from the top of the bitmap to the baseline.
    int baseline = 0;
    // Characters that could not be drawn faithfully: code points the font lacks (drawn as
    // .notdef) and invalid UTF-8 sequences (drawn as U+FFFD). Non-zero means: do not show or
    // print this as a name; flag it for staff.
    int missingGlyphs = 0;

    std::uint8_t at(int x, int y) const
    {
        return alpha[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                     static_cast<std::size_t>(x)];
    }
};

inline constexpr char32_t kReplacementCharacter = U'\uFFFD';

// utf8::decode (base/utf8.hpp): strict, each maximal invalid subsequence becomes one U+FFFD and
// `invalidSequences` (when given) counts them. Never reads past the end of `utf8`.
std::u32string decodeUtf8(std::string_view utf8, int* invalidSequences = nullptr);

class TextRenderer {
public:
    // Opens face `config.faceIndex` of the font file.
    // Errors: ConfigMissing (no such file), ConfigInvalid (not a font FreeType can read, or no
    // such face), Internal (FreeType could not start).
    static Result<TextRenderer> open(const FontConfig& config = {});

    TextRenderer(TextRenderer&&) noexcept;
    TextRenderer& operator=(TextRenderer&&) noexcept;
    ~TextRenderer();

    // Lays `utf8` out left to right on one line (advances plus the font's kerning; control
    // characters other than tab are skipped, tab is a space) and draws it at `pixelSize`
    // pixels per em. Empty text gives a zero-width bitmap of the line's height.
    // Thread: any; calls on one renderer are serialised by an internal mutex.
    // Errors: InvalidArgument (pixelSize outside 1..kMaxPixelSize, or more than kMaxCodePoints
    // code points), Internal (FreeType failed to load or render a glyph).
    Result<Bitmap> render(std::string_view utf8, int pixelSize) const;

    // The advance width in pixels render() would lay `utf8` out to (without glyph overhang).
    // Same thread rules and errors as render().
    Result<int> measure(std::string_view utf8, int pixelSize) const;

    // The height of one line at `pixelSize` (ascender to descender), as render() uses.
    Result<int> lineHeight(int pixelSize) const;

    // Breaks `utf8` into lines no wider than `maxWidth` pixels at `pixelSize` with the shared
    // 禁則 breaker (base/line_break.hpp, no hanging): closing punctuation and small kana do not
    // start a line, opening brackets do not end one, words such as ください, 3か月, katakana
    // words and runs of ASCII non-space characters stay together unless alone wider than a
    // line. Spaces at a break are dropped; '\n' forces a break. A character wider than
    // the line gets a line of its own; an empty paragraph gives an empty line and empty text
    // no lines. Same thread rules and errors as render() (the code point limit applies per
    // paragraph), plus InvalidArgument for maxWidth < 1.
    Result<std::vector<std::string>> wrap(std::string_view utf8, int pixelSize, int maxWidth) const;

    // How many code points of `utf8` the font cannot draw (invalid UTF-8 counts too), without
    // drawing anything. Thread: any.
    int countMissingGlyphs(std::string_view utf8) const;

private:
    struct Impl;
    explicit TextRenderer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace uketsuke::hal::text
