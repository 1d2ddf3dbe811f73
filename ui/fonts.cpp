#include "ui/fonts.hpp"

#include "base/log.hpp"

#include <imgui_freetype.h>

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
            // The desk's page shares the translation files; the terminal never draws its words.
            if (key.rfind("desk.", 0) == 0) {
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

Result<void> FontSet::load(ImFontAtlas& atlas, const FontFiles& files, const Theme& theme,
                           const std::vector<const kiosk::model::StringTable*>& tables)
{
    m_tableRanges = glyphRangesFor(tables);
    ImFontGlyphRangesBuilder hugeBuilder;
    hugeBuilder.AddText(kHugeGlyphs);
    m_hugeRanges.clear();
    hugeBuilder.BuildRanges(&m_hugeRanges);

    // Each file is read once and shared by the sizes cut from it; the atlas does not own the
    // bytes, which are released after the build.
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

    ImFontGlyphRangesBuilder honorificBuilder;
    honorificBuilder.AddText(" ");
    for (const auto* table : tables) {
        if (table != nullptr) {
            std::string suffix = table->tr("screen.result.honorific");
            honorificBuilder.AddText(suffix.c_str(), suffix.c_str() + suffix.size());
        }
    }
    m_honorificRanges.clear();
    honorificBuilder.BuildRanges(&m_honorificRanges);

    atlas.Clear();
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    atlas.Flags |= ImFontAtlasFlags_NoMouseCursors;
    // Square rather than tall: ImGui picks 1024 px wide below ~1430 px of square area, and the
    // glyphs of every translation file then need a 1024x4096 texture, beyond what small GPUs
    // take (2048 px). 2048 wide holds the same glyphs within 2048x2048.
    atlas.TexDesiredWidth = 2048;

    auto add = [&](float px, bool wantBold, const ImWchar* ranges) {
        ImFontConfig config;
        config.FontDataOwnedByAtlas = false;
        config.OversampleH = 1;
        config.OversampleV = 1;
        config.PixelSnapH = true;
        std::vector<char>& data = (wantBold && !boldData.empty()) ? boldData : *regularData;
        config.FontNo = wantBold && !boldData.empty() ? files.boldIndex : files.regularIndex;
        if (wantBold && boldData.empty()) {
            config.FontBuilderFlags |= ImGuiFreeTypeBuilderFlags_Bold;
        }
        return atlas.AddFontFromMemoryTTF(data.data(), static_cast<int>(data.size()), px, &config,
                                          ranges);
    };
    // The first font added is ImGui's default.
    text = add(theme.textPx, false, m_tableRanges.Data);
    bold = add(theme.textPx, true, m_tableRanges.Data);
    title = add(theme.titlePx, true, m_tableRanges.Data);
    huge = add(theme.hugePx, true, m_hugeRanges.Data);
    small = add(theme.smallPx, false, m_tableRanges.Data);
    honorific = add(theme.titlePx, false, m_honorificRanges.Data);

    bool built = text && bold && title && huge && small && honorific && atlas.Build();
    atlas.ClearInputData(); // the bytes below go away with this function
    if (!built) {
        atlas.Clear();
        return fail(Errc::ConfigInvalid, "ui.font: FreeType could not build the font atlas from " +
                                             files.regular);
    }
    UKETSUKE_LOG(kLog, Info) << "font atlas " << atlas.TexWidth << "x" << atlas.TexHeight
                             << " px, text " << theme.textPx << " px, "
                             << (files.bold.empty() ? "synthetic bold" : "bold face");
    return ok();
}

} // namespace uketsuke::ui
