#pragma once

// The fonts ImGui draws the screens with: Noto Sans CJK (Debian fonts-noto-cjk), located at run
// time from kiosk.toml `ui.font`, never copied into the repository. Its JP face (the default,
// `ui.font_face`) also holds Hangul, simplified Chinese and Vietnamese (Latin Extended
// Additional, precomposed: ế ộ ữ), so one collection serves every translation file.
//
// A translation file may ask for another face of the collection by its family name
// ("language.font": "Noto Sans CJK SC"): Noto Sans CJK is pan-CJK, and a Han character such as
// 骨 or 写 has different glyph forms for Chinese and Japanese readers. Each face gets its own
// FontSet holding only the characters of its own tables, in the one atlas, so the Chinese set
// costs its own characters and not a copy of the Japanese ones. A face the configured font does
// not have falls back to the configured face.
//
// Glyph ranges are ASCII plus every character of the string tables (ImFontGlyphRangesBuilder),
// built with FreeType. Dear ImGui 1.86 has a fixed atlas and 16-bit ImWchar: the full Japanese
// range (3685 glyphs) at kiosk text sizes would push the atlas beyond 2048 px, and nothing but
// table text and digits is drawn through ImGui (patient names go through the name renderer,
// ui/name_texture.hpp). So the atlas holds exactly what the screens can show.

#include "base/result.hpp"
#include "kiosk/model/strings.hpp"
#include "ui/theme.hpp"

#include <imgui.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uketsuke::ui {

struct FontFiles {
    std::string regular;
    int regularIndex = 0;
    std::string bold; // empty: synthesise bold from the regular face
    int boldIndex = 0;
};

// Checks that `configured` exists and finds its bold sibling ("...-Regular.ttc" ->
// "...-Bold.ttc"). Errors: ConfigMissing with one line naming the file, the config key and the
// Debian package that provides it.
Result<FontFiles> locateFonts(const std::string& configured, int faceIndex);

// Which characters the receipt-number font holds (the only free text drawn at the huge size).
inline constexpr const char* kHugeGlyphs = "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ";

// The fonts of one face. The huge font (receipt numbers, kHugeGlyphs) is the default set's in
// every set.
struct FontSet {
    ImFont* text = nullptr;  // regular, Theme::textPx
    ImFont* bold = nullptr;  // bold, Theme::textPx: button labels, emphasis
    ImFont* title = nullptr; // bold, Theme::titlePx
    ImFont* huge = nullptr;  // bold, Theme::hugePx, kHugeGlyphs only
    ImFont* small = nullptr; // regular, Theme::smallPx
    // Regular, Theme::titlePx, only the characters of the honorific after a patient's name
    // (様), which must match the regular-weight name image beside it.
    ImFont* honorific = nullptr;
};

// Every FontSet of the terminal, one per font face the tables ask for, built into one atlas
// once at start-up.
class FontLibrary {
public:
    // Adds the fonts to `atlas` and builds it with FreeType. The characters come from every
    // table in `tables`, each table's into the set of its face (the first table's face is the
    // default set). Errors: ConfigMissing (a font file cannot be read), ConfigInvalid (FreeType
    // cannot build the atlas from it). Thread: main.
    Result<void> load(ImFontAtlas& atlas, const FontFiles& files, const Theme& theme,
                      const std::vector<const kiosk::model::StringTable*>& tables);

    // The set `table`'s words are drawn with; the default set for a table not loaded.
    const FontSet& forTable(const kiosk::model::StringTable& table) const;
    const FontSet& defaultSet() const { return m_sets.front(); }
    // How many faces (sets) the atlas holds.
    std::size_t faceCount() const { return m_sets.size(); }

private:
    std::vector<FontSet> m_sets{1};                 // never empty; the default first
    std::vector<std::pair<std::string, std::size_t>> m_setOfLanguage;
    std::vector<ImVector<ImWchar>> m_ranges;         // alive while the atlas builds
};

// The index of the face named `family` ("Noto Sans CJK SC") in the font file `data` (a
// collection or a single face); nullopt when it has no such face.
std::optional<int> findFace(const std::vector<char>& data, const std::string& family);

// Whether the screens may draw the text of `key` (false for the desk page's "desk.*", the
// slip's "slip.*" and the test slip's "doctor.*": the browser and the printer draw those).
bool drawnOnScreen(std::string_view key);

// The glyph ranges for a set of tables: ASCII, the Japanese punctuation the layout adds, and
// every character of every text drawnOnScreen().
ImVector<ImWchar> glyphRangesFor(const std::vector<const kiosk::model::StringTable*>& tables);

} // namespace uketsuke::ui
