#include "hal/text/text_renderer.hpp"

#include "base/line_break.hpp"
#include "base/utf8.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <filesystem>
#include <mutex>

namespace uketsuke::hal::text {
namespace {

// Bitmaps larger than this (bytes) are refused rather than allocated.
constexpr std::size_t kMaxBitmapBytes = std::size_t{32} * 1024 * 1024;

bool isVariationSelector(char32_t c)
{
    return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) ||
           (c >= 0x180B && c <= 0x180D);
}

// Characters with no ink and no advance of their own: controls, zero-width format characters,
// the byte order mark and variation selectors (which pick the glyph of the character before).
bool isIgnorable(char32_t c)
{
    if (c == U'\t') {
        return false;
    }
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x200B && c <= 0x200F) || c == 0x2028 ||
           c == 0x2029 || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF || isVariationSelector(c);
}

// 26.6 fixed point to whole pixels.
int ceilPixels(FT_Pos v)
{
    return static_cast<int>(v >= 0 ? (v + 63) / 64 : -((-v) / 64));
}

int floorPixels(FT_Pos v)
{
    return static_cast<int>(v >= 0 ? v / 64 : -((-v + 63) / 64));
}

// One code point's place on the line. Ignorable code points have no glyph and no advance.
struct Placed {
    FT_UInt glyph = 0;
    bool drawn = false;   // false for ignorable code points
    bool missing = false; // the font has no glyph (or the text held U+FFFD)
    FT_Pos kern = 0;      // kerning against the previous drawn glyph, 26.6
    FT_Pos advance = 0;   // 26.6
};

struct GlyphImage {
    int left = 0; // bitmap x of the glyph's first column
    int top = 0;  // bitmap y of the glyph's first row, relative to the baseline
    int width = 0;
    int rows = 0;
    std::vector<std::uint8_t> pixels;
};

} // namespace

std::u32string decodeUtf8(std::string_view utf8, int* invalidSequences)
{
    return utf8::decode(utf8, invalidSequences);
}

struct TextRenderer::Impl {
    mutable std::mutex mutex;
    FT_Library library = nullptr;
    FT_Face face = nullptr;

    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    ~Impl()
    {
        if (face != nullptr) {
            FT_Done_Face(face);
        }
        if (library != nullptr) {
            FT_Done_FreeType(library);
        }
    }

    // Caller holds the mutex.
    Result<void> setSize(int pixelSize) const
    {
        if (pixelSize < 1 || pixelSize > kMaxPixelSize) {
            return fail(Errc::InvalidArgument,
                        "pixel size " + std::to_string(pixelSize) + " out of range");
        }
        if (FT_Error e = FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(pixelSize)); e != 0) {
            return fail(Errc::Internal, "FT_Set_Pixel_Sizes failed", e);
        }
        return ok();
    }

    FT_UInt glyphFor(char32_t c, char32_t next) const
    {
        FT_UInt glyph = 0;
        if (isVariationSelector(next)) {
            // Ideographic variation sequences (e.g. 葛 + VS17) through the font's cmap 14; the
            // base character's default glyph when the font lacks the sequence.
            glyph = FT_Face_GetCharVariantIndex(face, c, next);
        }
        if (glyph == 0) {
            glyph = FT_Get_Char_Index(face, c);
        }
        return glyph;
    }

    // Places every code point: glyph, kerning and advance at the current size.
    // Caller holds the mutex and has set the size.
    Result<std::vector<Placed>> place(const std::u32string& cps) const
    {
        if (cps.size() > kMaxCodePoints) {
            return fail(Errc::InvalidArgument, "text too long to render");
        }
        std::vector<Placed> placed(cps.size());
        const bool kerning = FT_HAS_KERNING(face);
        FT_UInt previous = 0;
        for (std::size_t i = 0; i < cps.size(); ++i) {
            char32_t c = cps[i];
            if (isIgnorable(c)) {
                continue;
            }
            if (c == U'\t') {
                c = U' ';
            }
            const char32_t next = i + 1 < cps.size() ? cps[i + 1] : 0;
            Placed& p = placed[i];
            p.drawn = true;
            p.glyph = glyphFor(c, next);
            p.missing = p.glyph == 0 || c == kReplacementCharacter;
            if (kerning && previous != 0 && p.glyph != 0) {
                FT_Vector delta{};
                if (FT_Get_Kerning(face, previous, p.glyph, FT_KERNING_DEFAULT, &delta) == 0) {
                    p.kern = delta.x;
                }
            }
            if (FT_Error e = FT_Load_Glyph(face, p.glyph, FT_LOAD_DEFAULT); e != 0) {
                return fail(Errc::Internal, "FT_Load_Glyph failed", e);
            }
            p.advance = face->glyph->advance.x;
            previous = p.glyph;
        }
        return placed;
    }

    static FT_Pos span(const std::vector<Placed>& placed, std::size_t begin, std::size_t end)
    {
        FT_Pos width = 0;
        bool first = true;
        for (std::size_t i = begin; i < end; ++i) {
            if (!placed[i].drawn) {
                continue;
            }
            width += (first ? 0 : placed[i].kern) + placed[i].advance;
            first = false;
        }
        return width;
    }

    int lineHeightLocked() const
    {
        return ceilPixels(face->size->metrics.ascender) -
               floorPixels(face->size->metrics.descender);
    }
};

TextRenderer::TextRenderer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TextRenderer::TextRenderer(TextRenderer&&) noexcept = default;
TextRenderer& TextRenderer::operator=(TextRenderer&&) noexcept = default;
TextRenderer::~TextRenderer() = default;

Result<TextRenderer> TextRenderer::open(const FontConfig& config)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(config.path, ec)) {
        return fail(Errc::ConfigMissing, "font file not found: " + config.path);
    }
    if (config.faceIndex < 0) {
        return fail(Errc::ConfigInvalid, "font face index must not be negative");
    }
    auto impl = std::make_unique<Impl>();
    if (FT_Error e = FT_Init_FreeType(&impl->library); e != 0) {
        impl->library = nullptr;
        return fail(Errc::Internal, "FT_Init_FreeType failed", e);
    }
    if (FT_Error e = FT_New_Face(impl->library, config.path.c_str(), config.faceIndex, &impl->face);
        e != 0) {
        impl->face = nullptr;
        return fail(Errc::ConfigInvalid,
                    "cannot open face " + std::to_string(config.faceIndex) + " of " + config.path,
                    e);
    }
    if (!FT_IS_SCALABLE(impl->face) || FT_Select_Charmap(impl->face, FT_ENCODING_UNICODE) != 0) {
        return fail(Errc::ConfigInvalid, config.path + ": not a scalable Unicode font");
    }
    return TextRenderer(std::move(impl));
}

Result<int> TextRenderer::lineHeight(int pixelSize) const
{
    std::lock_guard lock(m_impl->mutex);
    if (auto sized = m_impl->setSize(pixelSize); !sized) {
        return fail(std::move(sized).error());
    }
    return m_impl->lineHeightLocked();
}

Result<int> TextRenderer::measure(std::string_view utf8, int pixelSize) const
{
    const std::u32string cps = decodeUtf8(utf8);
    std::lock_guard lock(m_impl->mutex);
    if (auto sized = m_impl->setSize(pixelSize); !sized) {
        return fail(std::move(sized).error());
    }
    auto placed = m_impl->place(cps);
    if (!placed) {
        return fail(std::move(placed).error());
    }
    return ceilPixels(Impl::span(*placed, 0, placed->size()));
}

int TextRenderer::countMissingGlyphs(std::string_view utf8) const
{
    const std::u32string cps = decodeUtf8(utf8);
    std::lock_guard lock(m_impl->mutex);
    int missing = 0;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const char32_t c = cps[i];
        if (isIgnorable(c) || c == U'\t') {
            continue;
        }
        const char32_t next = i + 1 < cps.size() ? cps[i + 1] : 0;
        if (c == kReplacementCharacter || m_impl->glyphFor(c, next) == 0) {
            ++missing;
        }
    }
    return missing;
}

Result<Bitmap> TextRenderer::render(std::string_view utf8, int pixelSize) const
{
    const std::u32string cps = decodeUtf8(utf8);
    std::lock_guard lock(m_impl->mutex);
    if (auto sized = m_impl->setSize(pixelSize); !sized) {
        return fail(std::move(sized).error());
    }
    auto placedResult = m_impl->place(cps);
    if (!placedResult) {
        return fail(std::move(placedResult).error());
    }
    const std::vector<Placed>& placed = *placedResult;
    FT_Face face = m_impl->face;

    Bitmap out;
    out.baseline = ceilPixels(face->size->metrics.ascender);
    out.height = m_impl->lineHeightLocked();

    // Render each glyph at its pen position (whole pixels: hinted advances are whole pixels
    // already), remembering the horizontal extent including overhangs.
    std::vector<GlyphImage> images;
    FT_Pos pen = 0;
    bool first = true;
    int minX = 0;
    int maxX = 0;
    for (const Placed& p : placed) {
        if (!p.drawn) {
            continue;
        }
        out.missingGlyphs += p.missing ? 1 : 0;
        pen += first ? 0 : p.kern;
        first = false;
        if (FT_Error e = FT_Load_Glyph(face, p.glyph, FT_LOAD_DEFAULT); e != 0) {
            return fail(Errc::Internal, "FT_Load_Glyph failed", e);
        }
        if (FT_Error e = FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL); e != 0) {
            return fail(Errc::Internal, "FT_Render_Glyph failed", e);
        }
        const FT_Bitmap& src = face->glyph->bitmap;
        const int penX = floorPixels(pen + 32);
        pen += p.advance;
        if (src.width == 0 || src.rows == 0) {
            continue;
        }
        if (src.pixel_mode != FT_PIXEL_MODE_GRAY && src.pixel_mode != FT_PIXEL_MODE_MONO) {
            continue; // no colour or LCD glyphs in the fonts we configure
        }
        GlyphImage image;
        image.left = penX + face->glyph->bitmap_left;
        image.top = -face->glyph->bitmap_top;
        image.width = static_cast<int>(src.width);
        image.rows = static_cast<int>(src.rows);
        image.pixels.resize(static_cast<std::size_t>(src.width) * src.rows);
        const int pitch = src.pitch < 0 ? -src.pitch : src.pitch;
        for (int row = 0; row < image.rows; ++row) {
            // A negative pitch means the rows are stored bottom-up.
            const int srcRow = src.pitch < 0 ? image.rows - 1 - row : row;
            const unsigned char* line = src.buffer + static_cast<std::ptrdiff_t>(srcRow) *
                                                         static_cast<std::ptrdiff_t>(pitch);
            for (int col = 0; col < image.width; ++col) {
                std::uint8_t value = 0;
                if (src.pixel_mode == FT_PIXEL_MODE_GRAY) {
                    const unsigned grays = src.num_grays > 1 ? src.num_grays - 1u : 255u;
                    value = static_cast<std::uint8_t>(line[col] * 255u / grays);
                } else {
                    value = (line[col / 8] & (0x80u >> (col % 8))) != 0 ? 255 : 0;
                }
                image.pixels[static_cast<std::size_t>(row) * src.width +
                             static_cast<std::size_t>(col)] = value;
            }
        }
        minX = std::min(minX, image.left);
        maxX = std::max(maxX, image.left + image.width);
        images.push_back(std::move(image));
    }
    maxX = std::max(maxX, ceilPixels(pen));

    out.width = maxX - minX;
    const std::size_t bytes =
        static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height);
    if (bytes > kMaxBitmapBytes) {
        return fail(Errc::InvalidArgument, "text too large to render");
    }
    out.alpha.assign(bytes, 0);
    for (const GlyphImage& image : images) {
        const int x0 = image.left - minX;
        const int y0 = out.baseline + image.top;
        for (int row = 0; row < image.rows; ++row) {
            const int y = y0 + row;
            if (y < 0 || y >= out.height) {
                continue; // the box is ascender to descender; nothing in Noto CJK reaches out
            }
            for (int col = 0; col < image.width; ++col) {
                const std::size_t at =
                    static_cast<std::size_t>(y) * out.width + static_cast<std::size_t>(x0 + col);
                const std::uint8_t v = image.pixels[static_cast<std::size_t>(row) * image.width +
                                                    static_cast<std::size_t>(col)];
                out.alpha[at] = std::max(out.alpha[at], v);
            }
        }
    }
    return out;
}

Result<std::vector<std::string>> TextRenderer::wrap(std::string_view utf8, int pixelSize,
                                                    int maxWidth) const
{
    if (maxWidth < 1) {
        return fail(Errc::InvalidArgument, "wrap width must be positive");
    }
    std::u32string all = decodeUtf8(utf8);
    if (!all.empty() && all.back() == U'\n') {
        all.pop_back(); // a final newline ends the last line; it does not add an empty one
    }
    std::vector<std::string> lines;
    if (all.empty()) {
        return lines;
    }
    std::lock_guard lock(m_impl->mutex);
    if (auto sized = m_impl->setSize(pixelSize); !sized) {
        return fail(std::move(sized).error());
    }
    const double limit = static_cast<double>(maxWidth) * 64.0;

    std::size_t paragraphStart = 0;
    while (paragraphStart <= all.size()) {
        std::size_t paragraphEnd = all.find(U'\n', paragraphStart);
        if (paragraphEnd == std::u32string::npos) {
            paragraphEnd = all.size();
        }
        std::u32string cps = all.substr(paragraphStart, paragraphEnd - paragraphStart);
        if (!cps.empty() && cps.back() == U'\r') {
            cps.pop_back();
        }
        paragraphStart = paragraphEnd + 1;

        auto placedResult = m_impl->place(cps);
        if (!placedResult) {
            return fail(std::move(placedResult).error());
        }
        const std::vector<Placed>& placed = *placedResult;
        // The shared 禁則 breaker (base/line_break), measured in 26.6 units with kerning.
        const auto spans = linebreak::breakParagraph(
            cps, limit,
            [&placed](std::size_t begin, std::size_t end) {
                return static_cast<double>(Impl::span(placed, begin, end));
            });
        if (spans.empty()) {
            lines.emplace_back(); // an empty paragraph (or only spaces) is an empty line
        }
        for (const linebreak::Span& span : spans) {
            lines.push_back(
                utf8::encode(std::u32string_view(cps).substr(span.begin, span.end - span.begin)));
        }
    }
    return lines;
}

} // namespace uketsuke::hal::text
