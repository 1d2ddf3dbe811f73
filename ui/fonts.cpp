#include "ui/fonts.hpp"

#include "base/log.hpp"

#include <imgui_freetype.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <filesystem>
#include <fstream>

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

Result<std::vector<char>> readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) {
        return fail(Errc::ConfigMissing, "ui.font: cannot read " + path);
    }
    std::streamoff size = in.tellg();
    if (size <= 0) {
        return fail(Errc::ConfigInvalid, "ui.font: " + path + " is empty");
    }
    // One read: the CJK collection is about 20 MB.
    std::vector<char> data(static_cast<std::size_t>(size));
    in.seekg(0);
    if (!in.read(data.data(), size)) {
        return fail(Errc::ConfigMissing, "ui.font: cannot read " + path);
    }
    return data;
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
    builder.AddText("、。・…「」（）：　●");
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

std::optional<int> findFace(const std::vector<char>& data, const std::string& family)
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
    // Each file is read once and shared by every font cut from it: the atlas is told it owns
    // the bytes (so AddFont does not copy them, about 20 MB per font in ImGui 1.86) and then
    // that it does not (so it never frees them); they are released after the build.
    auto regularData = readFile(files.regular);
    if (!regularData) {
        return fail(regularData.error());
    }
    std::vector<char> boldData;
    if (!files.bold.empty()) {
        auto boldFile = readFile(files.bold);
        if (boldFile) {
            boldData = std::move(*boldFile);
        }
    }

    // The faces, in the order of the tables that name them (the default table's first).
    struct Face {
        int regular = 0;
        int bold = 0;
        std::vector<const kiosk::model::StringTable*> tables;
    };
    std::vector<Face> faces;
    m_setOfLanguage.clear();
    for (const auto* table : tables) {
        if (table == nullptr) {
            continue;
        }
        std::string family = table->has("language.font") ? table->tr("language.font") : "";
        Face wanted{files.regularIndex, files.boldIndex, {}};
        if (auto index = findFace(*regularData, family)) {
            wanted.regular = *index;
            wanted.bold = findFace(boldData, family).value_or(files.boldIndex);
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
        faces.push_back(Face{files.regularIndex, files.boldIndex, {}});
    }

    atlas.Clear();
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    // The height the glyphs need, not the next power of two (SDL takes any size): with six
    // languages the glyphs fill about 2048x{H} rather than 2048x4096.
    atlas.Flags |= ImFontAtlasFlags_NoMouseCursors | ImFontAtlasFlags_NoPowerOfTwoHeight;
    // 2048 wide rather than ImGui's 1024 (its choice below ~1430 px of square area): the glyphs
    // of every translation file would need a very tall, narrow texture.
    atlas.TexDesiredWidth = 2048;

    auto add = [&](float px, bool wantBold, const Face& face, const ImWchar* ranges) {
        ImFontConfig config;
        config.FontDataOwnedByAtlas = true; // no copy (see above)
        config.OversampleH = 1;
        config.OversampleV = 1;
        config.PixelSnapH = true;
        std::vector<char>& data = (wantBold && !boldData.empty()) ? boldData : *regularData;
        config.FontNo = wantBold && !boldData.empty() ? face.bold : face.regular;
        if (wantBold && boldData.empty()) {
            config.FontBuilderFlags |= ImGuiFreeTypeBuilderFlags_Bold;
        }
        ImFont* font = atlas.AddFontFromMemoryTTF(data.data(), static_cast<int>(data.size()), px,
                                                  &config, ranges);
        if (font != nullptr) {
            atlas.ConfigData.back().FontDataOwnedByAtlas = false; // the bytes stay ours
        }
        return font;
    };
    auto ranges = [&](ImFontGlyphRangesBuilder& builder) {
        m_ranges.emplace_back();
        builder.BuildRanges(&m_ranges.back());
        return m_ranges.back().Data;
    };
    m_ranges.clear();
    m_ranges.reserve(3 * faces.size() + 1); // Data pointers must not move while building
    m_sets.assign(faces.size(), FontSet{});
    bool added = true;
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const Face& face = faces[i];
        FontSet& set = m_sets[i];
        ImVector<ImWchar> table = glyphRangesFor(face.tables);
        m_ranges.push_back(table);
        const ImWchar* tableRanges = m_ranges.back().Data;
        ImFontGlyphRangesBuilder honorificBuilder;
        honorificBuilder.AddText(" ");
        for (const auto* t : face.tables) {
            if (t != nullptr) {
                std::string suffix = t->tr("screen.result.honorific");
                honorificBuilder.AddText(suffix.c_str(), suffix.c_str() + suffix.size());
            }
        }
        const ImWchar* honorificRanges = ranges(honorificBuilder);
        // The first font added is ImGui's default.
        set.text = add(theme.textPx, false, face, tableRanges);
        set.bold = add(theme.textPx, true, face, tableRanges);
        set.title = add(theme.titlePx, true, face, tableRanges);
        if (i == 0) {
            ImFontGlyphRangesBuilder hugeBuilder;
            hugeBuilder.AddText(kHugeGlyphs);
            set.huge = add(theme.hugePx, true, face, ranges(hugeBuilder));
        } else {
            set.huge = m_sets.front().huge;
        }
        set.small = add(theme.smallPx, false, face, tableRanges);
        set.honorific = add(theme.titlePx, false, face, honorificRanges);
        added = added && set.text && set.bold && set.title && set.huge && set.small &&
                set.honorific;
    }

    bool built = added && atlas.Build();
    atlas.ClearInputData(); // the bytes below go away with this function
    m_ranges.clear();
    if (!built) {
        atlas.Clear();
        return fail(Errc::ConfigInvalid, "ui.font: FreeType could not build the font atlas from " +
                                             files.regular);
    }
    UKETSUKE_LOG(kLog, Info) << "font atlas " << atlas.TexWidth << "x" << atlas.TexHeight
                             << " px, " << faces.size() << " face(s), text " << theme.textPx
                             << " px, " << (files.bold.empty() ? "synthetic bold" : "bold face");
    return ok();
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
