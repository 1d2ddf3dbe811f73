#include "ui/fonts.hpp"

#include "base/log.hpp"
#include "ui/font_cache.hpp"

#include <imgui_freetype.h>
#include <imgui_internal.h> // ImTextCharFromUtf8

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace uketsuke::ui {
namespace {

const log::Category kLog("ui.fonts");

std::string boldSibling(const std::string& regular)
{
    std::filesystem::path path(regular);
    std::string name = path.filename().string();
    auto pos = name.find("Regular");
    if (pos == std::string::npos) {
        return {};
    }
    name.replace(pos, std::string("Regular").size(), "Bold");
    auto bold = path.parent_path() / name;
    std::error_code ec;
    return std::filesystem::is_regular_file(bold, ec) ? bold.string() : std::string();
}

} // namespace

bool drawnOnScreen(std::string_view key)
{
    for (std::string_view prefix : {"desk.", "slip.", "doctor."}) {
        if (key.substr(0, prefix.size()) == prefix) {
            return false;
        }
    }
    return true;
}

bool drawnAtTitleSize(std::string_view key)
{
    constexpr std::string_view kTitle = ".title";
    if (key.size() >= kTitle.size() && key.substr(key.size() - kTitle.size()) == kTitle) {
        return true;
    }
    // What the screens draw with FontSet::title besides the titles (ui/screens: the staff
    // menu's headings, the insurance form's eras and 確認する, whose label names a field).
    for (std::string_view prefix : {"staff.menu.", "screen.enter_insurance.era.",
                                    "screen.enter_insurance.submit",
                                    "screen.enter_insurance.short."}) {
        if (key.substr(0, prefix.size()) == prefix) {
            return true;
        }
    }
    for (std::string_view exact : {"screen.keypad.ok", "screen.idle.start",
                                   "screen.idle.insurance_card", "staff.visual.question",
                                   "staff.enrol.submit", "staff.pair.submit"}) {
        if (key == exact) {
            return true;
        }
    }
    return false;
}

namespace {

// Calls `f` with each character of `text` but line breaks, until it returns false.
template <typename F>
void forEachChar(std::string_view text, F f)
{
    const char* at = text.data();
    const char* end = text.data() + text.size();
    while (at < end) {
        unsigned int c = 0;
        at += ImTextCharFromUtf8(&c, at, end);
        if (c == 0) {
            return;
        }
        if (c != '\n' && c != '\r' && !f(static_cast<ImWchar>(c))) {
            return;
        }
    }
}

std::size_t g_missingGlyphs = 0;

} // namespace

bool hasGlyphs(const ImFont* font, std::string_view text)
{
    bool all = true;
    forEachChar(text, [&](ImWchar c) {
        all = font->FindGlyphNoFallback(c) != nullptr;
        return all;
    });
    return all;
}

std::size_t missingGlyphs()
{
    return g_missingGlyphs;
}

void noteMissingGlyphs(const ImFont* font, std::string_view text)
{
    forEachChar(text, [&](ImWchar c) {
        if (font->FindGlyphNoFallback(c) == nullptr && g_missingGlyphs++ < 8) {
            // The first few name the string; a frame loop would repeat them every frame.
            UKETSUKE_LOG(kLog, Warn) << "no glyph for U+" << std::hex << static_cast<unsigned>(c)
                                     << std::dec << " in the " << font->FontSize << " px font";
        }
        return true;
    });
}

void addText(ImDrawList* list, const ImFont* font, float size, ImVec2 pos, ImU32 colour,
             std::string_view text)
{
    noteMissingGlyphs(font, text);
    list->AddText(font, size, pos, colour, text.data(), text.data() + text.size());
}

Result<FontFiles> locateFonts(const std::string& configured, int faceIndex)
{
    std::error_code ec;
    if (configured.empty() || !std::filesystem::is_regular_file(configured, ec)) {
        return fail(Errc::ConfigMissing,
                    "ui.font: font file '" + configured +
                        "' not found; install Noto Sans CJK JP (apt-get install fonts-noto-cjk) "
                        "or set ui.font in kiosk.toml to a Japanese OpenType font");
    }
    FontFiles files;
    files.regular = configured;
    files.regularIndex = faceIndex;
    files.bold = boldSibling(configured);
    files.boldIndex = faceIndex;
    return files;
}

ImVector<ImWchar> glyphRangesFor(const std::vector<const kiosk::model::StringTable*>& tables)
{
    ImFontGlyphRangesBuilder builder;
    static constexpr ImWchar kBasic[] = {0x0020, 0x007E, 0};
    builder.AddRanges(kBasic);
    // What the layout itself may add around table text.
    builder.AddText(kLayoutGlyphs);
    for (const auto* table : tables) {
        if (table == nullptr) {
            continue;
        }
        for (const auto& key : table->keys()) {
            // The desk's page, the slip and the test slip share the translation files; the screen
            // never draws their words (the browser and the printer's renderer do).
            if (!drawnOnScreen(key)) {
                continue;
            }
            std::string text = table->tr(key);
            builder.AddText(text.c_str(), text.c_str() + text.size());
        }
    }
    ImVector<ImWchar> ranges;
    builder.BuildRanges(&ranges);
    return ranges;
}

Result<MappedFile> MappedFile::open(const std::string& path)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return fail(Errc::ConfigMissing, "ui.font: cannot read " + path);
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        ::close(fd);
        return fail(Errc::ConfigMissing, "ui.font: cannot read " + path);
    }
    if (info.st_size <= 0) {
        ::close(fd);
        return fail(Errc::ConfigInvalid, "ui.font: " + path + " is empty");
    }
    auto size = static_cast<std::size_t>(info.st_size);
    void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd); // the mapping keeps the file
    if (data == MAP_FAILED) {
        return fail(Errc::ConfigMissing, "ui.font: cannot map " + path);
    }
    MappedFile file;
    file.m_data = static_cast<const char*>(data);
    file.m_size = size;
    return file;
}

MappedFile::~MappedFile()
{
    if (m_data != nullptr) {
        ::munmap(const_cast<char*>(m_data), m_size);
    }
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0))
{
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept
{
    if (this != &other) {
        if (m_data != nullptr) {
            ::munmap(const_cast<char*>(m_data), m_size);
        }
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

std::optional<int> findFace(std::string_view data, const std::string& family)
{
    if (family.empty() || data.empty()) {
        return std::nullopt;
    }
    FT_Library library = nullptr;
    if (FT_Init_FreeType(&library) != 0) {
        return std::nullopt;
    }
    std::optional<int> found;
    long faces = 1;
    for (long index = 0; index < faces && !found; ++index) {
        FT_Face face = nullptr;
        if (FT_New_Memory_Face(library, reinterpret_cast<const FT_Byte*>(data.data()),
                               static_cast<FT_Long>(data.size()), index, &face) != 0) {
            break;
        }
        faces = face->num_faces;
        if (face->family_name != nullptr && family == face->family_name) {
            found = static_cast<int>(index);
        }
        FT_Done_Face(face);
    }
    FT_Done_FreeType(library);
    return found;
}

Result<void> FontLibrary::load(ImFontAtlas& atlas, const FontFiles& files, const Theme& theme,
                               const std::vector<const kiosk::model::StringTable*>& tables)
{
    m_files = files;
    m_textPx = theme.textPx;
    m_titlePx = theme.titlePx;
    m_hugePx = theme.hugePx;
    m_smallPx = theme.smallPx;
    m_tables.clear();
    for (const auto* table : tables) {
        if (table != nullptr) {
            m_tables.push_back(table);
        }
    }
    // The default language's words at start; the others' when first shown (use()).
    m_used.clear();
    if (!m_tables.empty()) {
        m_used.push_back(m_tables.front()->lang());
    }
    return build(atlas);
}

void FontLibrary::setScale(float scale)
{
    m_scale = std::clamp(scale, 0.5f, 3.0f);
}

bool FontLibrary::stale() const
{
    return m_builtScale != m_scale || m_builtUsed != m_used.size();
}

void FontLibrary::use(const kiosk::model::StringTable& table)
{
    if (std::find(m_used.begin(), m_used.end(), table.lang()) == m_used.end()) {
        m_used.push_back(table.lang());
    }
}

bool FontLibrary::inUse(const std::string& lang) const
{
    return std::find(m_used.begin(), m_used.end(), lang) != m_used.end();
}

Result<void> FontLibrary::rebuild(ImFontAtlas& atlas)
{
    return build(atlas);
}

std::string FontLibrary::glyphText(const std::vector<const kiosk::model::StringTable*>& tables,
                                   const std::vector<std::string>& used,
                                   bool (*keep)(std::string_view), bool names)
{
    std::string text;
    for (const auto* table : tables) {
        // The picker names every language in its own words, whether used yet or not.
        if (names && table->has("language.name")) {
            text += table->tr("language.name");
        }
        if (std::find(used.begin(), used.end(), table->lang()) == used.end()) {
            continue;
        }
        for (const auto& key : table->keys()) {
            if (drawnOnScreen(key) && keep(key)) {
                text += table->tr(key);
            }
        }
    }
    return text;
}

Result<void> FontLibrary::build(ImFontAtlas& atlas)
{
    // Each file is mapped once and shared by every font cut from it: the atlas is told it owns
    // the bytes (so AddFont does not copy them) and then that it does not (so it never frees
    // them); they are unmapped after the build.
    auto regular = MappedFile::open(m_files.regular);
    if (!regular) {
        return fail(regular.error());
    }
    MappedFile boldFile;
    if (!m_files.bold.empty()) {
        if (auto mapped = MappedFile::open(m_files.bold)) {
            boldFile = std::move(*mapped);
        }
    }
    const std::string_view regularData = regular->bytes();
    const std::string_view boldData = boldFile.bytes();

    // The faces, in the order of the tables that name them (the default table's first).
    struct Face {
        int regular = 0;
        int bold = 0;
        std::vector<const kiosk::model::StringTable*> tables;
    };
    std::vector<Face> faces;
    m_setOfLanguage.clear();
    for (const auto* table : m_tables) {
        std::string family = table->has("language.font") ? table->tr("language.font") : "";
        Face wanted{m_files.regularIndex, m_files.boldIndex, {}};
        if (auto index = findFace(regularData, family)) {
            wanted.regular = *index;
            wanted.bold = findFace(boldData, family).value_or(m_files.boldIndex);
        }
        auto it = std::find_if(faces.begin(), faces.end(), [&](const Face& f) {
            return f.regular == wanted.regular && f.bold == wanted.bold;
        });
        if (it == faces.end()) {
            it = faces.insert(faces.end(), wanted);
        }
        it->tables.push_back(table);
        m_setOfLanguage.emplace_back(table->lang(),
                                     static_cast<std::size_t>(it - faces.begin()));
    }
    if (faces.empty()) {
        faces.push_back(Face{m_files.regularIndex, m_files.boldIndex, {}});
    }

    // What the atlas holds, font by font, in the order they are added (the first is ImGui's
    // default): each face's text, bold, title, (the first face's) huge, small and honorific.
    enum class Role { Text, Bold, Title, Huge, Small, Honorific };
    struct Cut {
        std::size_t face = 0;
        Role role = Role::Text;
        float px = 0.0f;
        bool bold = false;
        std::size_t ranges = 0; // into m_ranges
    };
    std::vector<Cut> cuts;
    m_ranges.clear();
    m_ranges.reserve(4 * faces.size() + 1); // Data pointers must not move while building
    auto ranges = [&](ImFontGlyphRangesBuilder& builder) {
        m_ranges.emplace_back();
        builder.BuildRanges(&m_ranges.back());
        return m_ranges.size() - 1;
    };
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const Face& face = faces[i];
        // A face none of whose languages is in use yet draws only its languages' names, in
        // the picker; ASCII and the layout's punctuation come with its first language.
        const bool used = std::any_of(face.tables.begin(), face.tables.end(),
                                      [&](const auto* t) { return inUse(t->lang()); });
        // The first face is always whole: it holds ASCII and the punctuation for every font.
        const bool full = used || i == 0;
        auto builder = [&](bool (*keep)(std::string_view), bool names) {
            ImFontGlyphRangesBuilder b;
            b.AddText(" "); // no font without a glyph
            if (full) {
                static constexpr ImWchar kBasic[] = {0x0020, 0x007E, 0};
                b.AddRanges(kBasic);
                b.AddText(kLayoutGlyphs);
            }
            std::string text = glyphText(face.tables, m_used, keep, names);
            b.AddText(text.c_str(), text.c_str() + text.size());
            return ranges(b);
        };
        const std::size_t tableRanges = builder(drawnOnScreen, true);
        const std::size_t titleRanges = builder(drawnAtTitleSize, false);
        ImFontGlyphRangesBuilder honorificBuilder;
        honorificBuilder.AddText(" ");
        for (const auto* t : face.tables) {
            std::string suffix = t->tr("screen.result.honorific");
            honorificBuilder.AddText(suffix.c_str(), suffix.c_str() + suffix.size());
        }
        const std::size_t honorificRanges = ranges(honorificBuilder);
        // An unused face needs only the picker's two sizes; its other fonts are its bold one
        // (finish()): each font costs ImGui two index tables as long as its highest character
        // (Hangul, in the languages' names).
        if (full) {
            cuts.push_back({i, Role::Text, m_textPx, false, tableRanges});
        }
        cuts.push_back({i, Role::Bold, m_textPx, true, tableRanges});
        if (full) {
            cuts.push_back({i, Role::Title, m_titlePx, true, titleRanges});
        }
        if (i == 0) {
            ImFontGlyphRangesBuilder hugeBuilder;
            hugeBuilder.AddText(kHugeGlyphs);
            cuts.push_back({i, Role::Huge, m_hugePx, true, ranges(hugeBuilder)});
        }
        cuts.push_back({i, Role::Small, m_smallPx, false, tableRanges});
        if (full) {
            cuts.push_back({i, Role::Honorific, m_titlePx, false, honorificRanges});
        }
    }

    // The cache's key: everything above, and the files as they are on disk now.
    std::string key = "uketsuke font atlas 1, imgui " IMGUI_VERSION ", freetype light hinting\n";
    for (const std::string* path : {&m_files.regular, &m_files.bold}) {
        std::error_code ec;
        auto size = path->empty() ? 0 : std::filesystem::file_size(*path, ec);
        auto time = path->empty() ? std::filesystem::file_time_type{}
                                  : std::filesystem::last_write_time(*path, ec);
        key += *path + " " + std::to_string(size) + " " +
               std::to_string(time.time_since_epoch().count()) + "\n";
    }
    for (const Face& face : faces) {
        key += "face " + std::to_string(face.regular) + " " + std::to_string(face.bold) + "\n";
    }
    for (const Cut& cut : cuts) {
        key += "font " + std::to_string(cut.face) + " " +
               std::to_string(static_cast<int>(cut.role)) + " " +
               std::to_string(std::round(cut.px * m_scale)) + " " + (cut.bold ? "b" : "r") +
               " ranges";
        for (const ImWchar* r = m_ranges[cut.ranges].Data; r != nullptr && *r != 0; ++r) {
            key += " " + std::to_string(*r);
        }
        key += "\n";
    }

    // The sets keep their addresses (screens hold pointers to them); only their fonts change.
    if (m_sets.size() != faces.size()) {
        m_sets.assign(faces.size(), FontSet{});
    }
    for (FontSet& set : m_sets) {
        set = FontSet{}; // the same set, filled again below
    }
    auto assign = [&](const Cut& cut, ImFont* font) {
        FontSet& set = m_sets[cut.face];
        switch (cut.role) {
        case Role::Text: set.text = font; break;
        case Role::Bold: set.bold = font; break;
        case Role::Title: set.title = font; break;
        case Role::Huge: set.huge = font; break;
        case Role::Small: set.small = font; break;
        case Role::Honorific: set.honorific = font; break;
        }
    };
    auto finish = [&](const char* how) {
        for (std::size_t i = 1; i < m_sets.size(); ++i) {
            FontSet& set = m_sets[i];
            set.huge = m_sets.front().huge; // receipt numbers: the default set's
            for (ImFont** font : {&set.text, &set.title, &set.honorific}) {
                if (*font == nullptr) {
                    *font = set.bold; // a face not in use yet (see the cuts)
                }
            }
        }
        m_ranges.clear();
        m_builtScale = m_scale;
        m_builtUsed = m_used.size();
        UKETSUKE_LOG(kLog, Info) << "font atlas " << atlas.TexWidth << "x" << atlas.TexHeight
                                 << " px " << how << ", " << faces.size() << " face(s), "
                                 << m_used.size() << " language(s), text "
                                 << std::round(m_textPx * m_scale) << " px, "
                                 << (m_files.bold.empty() ? "synthetic bold" : "bold face");
    };

    m_cacheUsed = false;
    m_cacheFile.clear();
    if (!m_cacheDir.empty()) {
        // One file per key: the start's atlas, another language's, large text's.
        std::uint64_t hash = 1469598103934665603ULL; // FNV-1a
        for (unsigned char c : key) {
            hash = (hash ^ c) * 1099511628211ULL;
        }
        char name[32];
        std::snprintf(name, sizeof name, "atlas-%016llx", static_cast<unsigned long long>(hash));
        m_cacheFile = (std::filesystem::path(m_cacheDir) / name).string();
    }
    if (!m_cacheFile.empty()) {
        auto cached = loadAtlas(m_cacheFile, key, atlas);
        if (cached && atlas.Fonts.Size == static_cast<int>(cuts.size())) {
            for (std::size_t i = 0; i < cuts.size(); ++i) {
                assign(cuts[i], atlas.Fonts[static_cast<int>(i)]);
            }
            m_cacheUsed = true;
            finish("from the cache");
            return ok();
        }
        if (!cached && cached.error().code != Errc::StorageError) {
            // Another key (fonts, strings or sizes changed) or a damaged file: built anew.
            UKETSUKE_LOG(kLog, Info) << cached.error().message << "; building the atlas";
        }
    }

    atlas.Clear();
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    // The height the glyphs need, not the next power of two (SDL takes any size).
    atlas.Flags |= ImFontAtlasFlags_NoMouseCursors | ImFontAtlasFlags_NoPowerOfTwoHeight;
    // 2048 wide rather than ImGui's 1024 (its choice below ~1430 px of square area): the glyphs
    // of every translation file would need a very tall, narrow texture.
    atlas.TexDesiredWidth = 2048;

    bool added = true;
    for (const Cut& cut : cuts) {
        const Face& face = faces[cut.face];
        ImFontConfig config;
        config.FontDataOwnedByAtlas = true; // no copy (see above)
        config.OversampleH = 1;
        config.OversampleV = 1;
        config.PixelSnapH = true;
        const bool boldFace = cut.bold && !boldData.empty();
        std::string_view data = boldFace ? boldData : regularData;
        config.FontNo = boldFace ? face.bold : face.regular;
        if (cut.bold && boldData.empty()) {
            config.FontBuilderFlags |= ImGuiFreeTypeBuilderFlags_Bold;
        }
        // Neither ImGui nor FreeType writes to the bytes (the mapping is read-only).
        ImFont* font = atlas.AddFontFromMemoryTTF(const_cast<char*>(data.data()),
                                                  static_cast<int>(data.size()),
                                                  std::round(cut.px * m_scale), &config,
                                                  m_ranges[cut.ranges].Data);
        if (font != nullptr) {
            atlas.ConfigData.back().FontDataOwnedByAtlas = false; // the bytes stay ours
        }
        added = added && font != nullptr;
        assign(cut, font);
    }

    bool built = added && atlas.Build();
    atlas.ClearInputData(); // the mapped bytes go away with this function
    if (!built) {
        m_ranges.clear();
        atlas.Clear();
        return fail(Errc::ConfigInvalid, "ui.font: FreeType could not build the font atlas from " +
                                             m_files.regular);
    }
    if (!m_cacheFile.empty()) {
        saveToCache(atlas, key);
    }
    finish("built");
    return ok();
}

void FontLibrary::saveToCache(ImFontAtlas& atlas, const std::string& key) const
{
    std::error_code ec;
    std::filesystem::create_directories(m_cacheDir, ec);
    if (auto saved = saveAtlas(m_cacheFile, key, atlas); !saved) {
        UKETSUKE_LOG(kLog, Warn) << "font cache not written: " << saved.error().message;
        return;
    }
    // The newest few stay: the fonts or strings of an update make the others useless.
    std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> files;
    for (const auto& entry : std::filesystem::directory_iterator(m_cacheDir, ec)) {
        if (entry.path().filename().string().rfind("atlas-", 0) == 0) {
            files.emplace_back(entry.last_write_time(ec), entry.path());
        }
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
        return a.first > b.first;
    });
    for (std::size_t i = kCacheFiles; i < files.size(); ++i) {
        std::filesystem::remove(files[i].second, ec);
    }
}

const FontSet& FontLibrary::forTable(const kiosk::model::StringTable& table) const
{
    for (const auto& [lang, set] : m_setOfLanguage) {
        if (lang == table.lang()) {
            return m_sets[set];
        }
    }
    return m_sets.front();
}

} // namespace uketsuke::ui
