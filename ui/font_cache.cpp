#include "ui/font_cache.hpp"

#include "base/files.hpp"

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace uketsuke::ui {
namespace {

constexpr char kMagic[8] = {'U', 'K', 'F', 'O', 'N', 'T', 'S', '2'};
// Far beyond any atlas the terminal builds; a length above these is a corrupt file.
constexpr std::uint32_t kMaxSide = 16384;
constexpr std::uint32_t kMaxFonts = 256;
constexpr std::uint32_t kMaxGlyphs = 65536;
constexpr std::uint32_t kMaxKey = 1u << 20;
constexpr int kLines = IM_DRAWLIST_TEX_LINES_WIDTH_MAX + 1;

class Writer {
public:
    template <typename T>
    void put(T value)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        m_out.append(reinterpret_cast<const char*>(&value), sizeof value);
    }
    void bytes(const void* data, std::size_t size)
    {
        m_out.append(static_cast<const char*>(data), size);
    }
    void vec4(const ImVec4& v)
    {
        put(v.x);
        put(v.y);
        put(v.z);
        put(v.w);
    }
    const std::string& text() const { return m_out; }

private:
    std::string m_out;
};

// Reads what Writer wrote; every read is bounds-checked and a short file is an error.
class Reader {
public:
    explicit Reader(std::string_view in) : m_in(in) {}
    template <typename T>
    bool get(T& value)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        if (m_in.size() - m_at < sizeof value) {
            return false;
        }
        std::memcpy(&value, m_in.data() + m_at, sizeof value);
        m_at += sizeof value;
        return true;
    }
    bool view(std::size_t size, std::string_view& out)
    {
        if (m_in.size() - m_at < size) {
            return false;
        }
        out = m_in.substr(m_at, size);
        m_at += size;
        return true;
    }
    bool vec4(ImVec4& v) { return get(v.x) && get(v.y) && get(v.z) && get(v.w); }
    bool atEnd() const { return m_at == m_in.size(); }

private:
    std::string_view m_in;
    std::size_t m_at = 0;
};

bool finite(float v)
{
    return v == v && v > -1.0e9f && v < 1.0e9f;
}

bool unit(float v)
{
    return v >= 0.0f && v <= 1.0f;
}

Unexpected<Error> corrupt(const std::string& path, const std::string& what)
{
    return fail(Errc::StorageCorrupt, "font cache " + path + ": " + what);
}

} // namespace

Result<void> saveAtlas(const std::string& path, std::string_view key, ImFontAtlas& atlas)
{
    if (atlas.TexPixelsAlpha8 == nullptr || atlas.TexWidth <= 0 || atlas.TexHeight <= 0) {
        return fail(Errc::InvalidArgument, "font cache: the atlas has no 8-bit pixels");
    }
    Writer w;
    w.bytes(kMagic, sizeof kMagic);
    w.put(static_cast<std::uint32_t>(key.size()));
    w.bytes(key.data(), key.size());
    w.put(static_cast<std::uint32_t>(atlas.TexWidth));
    w.put(static_cast<std::uint32_t>(atlas.TexHeight));
    w.put(atlas.TexUvWhitePixel.x);
    w.put(atlas.TexUvWhitePixel.y);
    for (const ImVec4& line : atlas.TexUvLines) {
        w.vec4(line);
    }
    w.put(static_cast<std::uint32_t>(atlas.Fonts.Size));
    for (const ImFont* font : atlas.Fonts) {
        w.put(font->FontSize);
        w.put(font->Ascent);
        w.put(font->Descent);
        w.put(static_cast<std::uint32_t>(font->EllipsisChar));
        w.put(static_cast<std::uint32_t>(font->DotChar));
        w.put(static_cast<std::uint32_t>(font->Glyphs.Size));
        for (const ImFontGlyph& g : font->Glyphs) {
            w.put(static_cast<std::uint32_t>(g.Codepoint));
            w.put(static_cast<std::uint8_t>(g.Visible));
            for (float v : {g.AdvanceX, g.X0, g.Y0, g.X1, g.Y1, g.U0, g.V0, g.U1, g.V1}) {
                w.put(v);
            }
        }
    }
    w.bytes(atlas.TexPixelsAlpha8,
            static_cast<std::size_t>(atlas.TexWidth) * static_cast<std::size_t>(atlas.TexHeight));
    files::PublishOptions options;
    options.mode = 0644; // glyphs of the translation files: nothing personal
    return files::publishFile(path, w.text(), options);
}

Result<void> loadAtlas(const std::string& path, std::string_view key, ImFontAtlas& atlas)
{
    auto data = files::readFile(path);
    if (!data) {
        return fail(data.error());
    }
    atlas.Clear();
    Reader r(*data);
    std::string_view magic;
    if (!r.view(sizeof kMagic, magic) || std::memcmp(magic.data(), kMagic, sizeof kMagic) != 0) {
        return corrupt(path, "not a font cache of this version");
    }
    std::uint32_t keySize = 0;
    std::string_view stored;
    if (!r.get(keySize) || keySize > kMaxKey || !r.view(keySize, stored)) {
        return corrupt(path, "truncated key");
    }
    if (stored != key) {
        return fail(Errc::ConfigInvalid,
                    "font cache " + path + " is for other fonts, strings or sizes");
    }
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    ImVec2 white;
    if (!r.get(width) || !r.get(height) || width == 0 || height == 0 || width > kMaxSide ||
        height > kMaxSide || !r.get(white.x) || !r.get(white.y) || !unit(white.x) ||
        !unit(white.y)) {
        return corrupt(path, "bad atlas size");
    }
    ImVec4 lines[kLines];
    for (ImVec4& line : lines) {
        if (!r.vec4(line) || !unit(line.x) || !unit(line.y) || !unit(line.z) || !unit(line.w)) {
            return corrupt(path, "bad baked lines");
        }
    }
    std::uint32_t fonts = 0;
    if (!r.get(fonts) || fonts == 0 || fonts > kMaxFonts) {
        return corrupt(path, "bad font count");
    }
    for (std::uint32_t i = 0; i < fonts; ++i) {
        float size = 0.0f;
        float ascent = 0.0f;
        float descent = 0.0f;
        std::uint32_t ellipsis = 0;
        std::uint32_t dot = 0;
        std::uint32_t glyphs = 0;
        if (!r.get(size) || !r.get(ascent) || !r.get(descent) || !r.get(ellipsis) ||
            !r.get(dot) || !r.get(glyphs) || !(size > 0.0f && size < 4096.0f) ||
            !finite(ascent) || !finite(descent) || glyphs > kMaxGlyphs ||
            ellipsis > IM_UNICODE_CODEPOINT_MAX || dot > IM_UNICODE_CODEPOINT_MAX) {
            atlas.Clear();
            return corrupt(path, "bad metrics of font " + std::to_string(i));
        }
        ImFont* font = IM_NEW(ImFont);
        atlas.Fonts.push_back(font);
        font->ContainerAtlas = &atlas;
        font->FontSize = size;
        font->Ascent = ascent;
        font->Descent = descent;
        font->Glyphs.reserve(static_cast<int>(glyphs));
        for (std::uint32_t g = 0; g < glyphs; ++g) {
            std::uint32_t codepoint = 0;
            std::uint8_t visible = 0;
            float v[9] = {};
            bool read = r.get(codepoint) && r.get(visible);
            for (float& each : v) {
                read = read && r.get(each);
            }
            bool valid = read && codepoint <= IM_UNICODE_CODEPOINT_MAX && visible <= 1;
            for (int k = 0; valid && k < 5; ++k) {
                valid = finite(v[k]);
            }
            for (int k = 5; valid && k < 9; ++k) {
                valid = unit(v[k]);
            }
            if (!valid) {
                atlas.Clear();
                return corrupt(path, "bad glyph " + std::to_string(g) + " of font " +
                                         std::to_string(i));
            }
            font->AddGlyph(nullptr, static_cast<ImWchar>(codepoint), v[1], v[2], v[3], v[4],
                           v[5], v[6], v[7], v[8], v[0]);
            font->Glyphs.back().Visible = visible != 0;
        }
        font->EllipsisChar = static_cast<ImWchar>(ellipsis);
        font->DotChar = static_cast<ImWchar>(dot);
    }
    const std::size_t pixelCount = static_cast<std::size_t>(width) * height;
    std::string_view pixels;
    if (!r.view(pixelCount, pixels) || !r.atEnd()) {
        atlas.Clear();
        return corrupt(path, "the pixels are not width x height bytes");
    }
    atlas.TexWidth = static_cast<int>(width);
    atlas.TexHeight = static_cast<int>(height);
    atlas.TexUvScale = ImVec2(1.0f / static_cast<float>(width), 1.0f / static_cast<float>(height));
    atlas.TexUvWhitePixel = white;
    for (int i = 0; i < kLines; ++i) {
        atlas.TexUvLines[i] = lines[i];
    }
    atlas.TexPixelsAlpha8 = static_cast<unsigned char*>(IM_ALLOC(pixelCount));
    std::memcpy(atlas.TexPixelsAlpha8, pixels.data(), pixelCount);
    for (ImFont* font : atlas.Fonts) {
        font->BuildLookupTable();
    }
    atlas.TexReady = true;
    return ok();
}

} // namespace uketsuke::ui
