#pragma once

// The fonts ImGui draws the screens with: Noto Sans CJK JP (Debian fonts-noto-cjk), located at
// run time from kiosk.toml `ui.font`, never copied into the repository.
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

#include <string>
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

class FontSet {
public:
    ImFont* text = nullptr;  // regular, Theme::textPx
    ImFont* bold = nullptr;  // bold, Theme::textPx: button labels, emphasis
    ImFont* title = nullptr; // bold, Theme::titlePx
    ImFont* huge = nullptr;  // bold, Theme::hugePx, kHugeGlyphs only
    ImFont* small = nullptr; // regular, Theme::smallPx
    // Regular, Theme::titlePx, only the characters of the honorific after a patient's name
    // (様), which must match the regular-weight name image beside it.
    ImFont* honorific = nullptr;

    // Adds the fonts to `atlas` and builds it with FreeType. The characters come from every
    // table in `tables`. Errors: ConfigMissing (a font file cannot be read), ConfigInvalid
    // (FreeType cannot build the atlas from it). Thread: main.
    Result<void> load(ImFontAtlas& atlas, const FontFiles& files, const Theme& theme,
                      const std::vector<const kiosk::model::StringTable*>& tables);

private:
    ImVector<ImWchar> m_tableRanges;
    ImVector<ImWchar> m_hugeRanges;
    ImVector<ImWchar> m_honorificRanges;
};

// The glyph ranges for a set of tables: ASCII, the Japanese punctuation the layout adds, and
// every character of every text.
ImVector<ImWchar> glyphRangesFor(const std::vector<const kiosk::model::StringTable*>& tables);

} // namespace uketsuke::ui
