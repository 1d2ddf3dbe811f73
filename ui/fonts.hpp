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

#include <cstddef>
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

// What the layout itself may add around table text.
inline constexpr const char* kLayoutGlyphs = "、。・…「」（）：　●";

// Which characters the receipt-number font holds (the only free text drawn at the huge size).
inline constexpr const char* kHugeGlyphs = "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ";

// The fonts of one face. The huge font (receipt numbers, kHugeGlyphs) is the default set's in
// every set.
struct FontSet {
    ImFont* text = nullptr;  // regular, Theme::textPx
    ImFont* bold = nullptr;  // bold, Theme::textPx: button labels, emphasis
    ImFont* title = nullptr; // bold, Theme::titlePx, the characters of drawnAtTitleSize()
    ImFont* huge = nullptr;  // bold, Theme::hugePx, kHugeGlyphs only
    ImFont* small = nullptr; // regular, Theme::smallPx
    // Regular, Theme::titlePx, only the characters of the honorific after a patient's name
    // (様), which must match the regular-weight name image beside it.
    ImFont* honorific = nullptr;
};

// Every FontSet of the terminal, one per font face the tables ask for, built into one atlas
// at start-up, and again when the scale changes.
//
// The scale (large text): the atlas holds one set of sizes, the theme's times scale(). Setting
// another scale does not build anything; the owner of the atlas (Host::frame) sees stale() and
// calls rebuild() before the next frame, then uploads the atlas again. The font files are
// mapped (mmap) while the atlas builds, never copied, and unmapped after.
class FontLibrary {
public:
    // Adds the fonts to `atlas` and builds it with FreeType. The characters come from every
    // table in `tables`, each table's into the set of its face (the first table's face is the
    // default set). Keeps `files`, the sizes and `tables` (which must outlive the library) for
    // rebuild(). Errors: ConfigMissing (a font file cannot be read), ConfigInvalid (FreeType
    // cannot build the atlas from it). Thread: main.
    Result<void> load(ImFontAtlas& atlas, const FontFiles& files, const Theme& theme,
                      const std::vector<const kiosk::model::StringTable*>& tables);

    // Every size is multiplied by `scale` (1.0: the theme's sizes; clamped to 0.5-3.0) from the
    // next rebuild() on. Thread: main.
    void setScale(float scale);
    float scale() const { return m_scale; }
    // Whether the atlas no longer matches scale() or the languages in use (rebuild() is due).
    bool stale() const;

    // The atlas starts with the default table's characters (and every table's language.name,
    // for the picker); `table`'s are added by the next rebuild() after its first use() (the
    // host calls it for the table of each frame). Thread: main.
    void use(const kiosk::model::StringTable& table);
    // Whether `lang`'s characters are (or are due to be) in the atlas.
    bool inUse(const std::string& lang) const;
    // Each built atlas is kept in a file of the folder `dir` named by a hash of its key, and
    // read back from there when nothing it was built from changed (ui/font_cache.hpp): the
    // start's, another language's, large text's. The newest kCacheFiles stay. Empty (the
    // default): always built. Call before load().
    void setCacheDir(std::string dir) { m_cacheDir = std::move(dir); }
    static constexpr std::size_t kCacheFiles = 8;
    // Whether the last build came from a cache file, and which file it was (or was written).
    bool fromCache() const { return m_cacheUsed; }
    const std::string& cacheFile() const { return m_cacheFile; }

    // Builds `atlas` again from what load() was given, at scale(). The FontSet pointers handed
    // out before stay valid (the same sets, new fonts in them). Errors: those of load().
    Result<void> rebuild(ImFontAtlas& atlas);

    // The set `table`'s words are drawn with; the default set for a table not loaded.
    const FontSet& forTable(const kiosk::model::StringTable& table) const;
    const FontSet& defaultSet() const { return m_sets.front(); }
    // How many faces (sets) the atlas holds.
    std::size_t faceCount() const { return m_sets.size(); }

private:
    Result<void> build(ImFontAtlas& atlas);
    // The characters drawn with one face: every text of the tables in `used` whose key `keep`
    // accepts, and with `names` every table's language.name (the picker shows them all).
    static std::string glyphText(const std::vector<const kiosk::model::StringTable*>& tables,
                                 const std::vector<std::string>& used,
                                 bool (*keep)(std::string_view), bool names);

    void saveToCache(ImFontAtlas& atlas, const std::string& key) const;

    FontFiles m_files;
    std::string m_cacheDir;
    std::string m_cacheFile;
    bool m_cacheUsed = false;
    float m_textPx = 0.0f;
    float m_titlePx = 0.0f;
    float m_hugePx = 0.0f;
    float m_smallPx = 0.0f;
    std::vector<const kiosk::model::StringTable*> m_tables;
    float m_scale = 1.0f;
    float m_builtScale = 1.0f;
    std::vector<std::string> m_used; // languages whose words the atlas holds, the default first
    std::size_t m_builtUsed = 0;
    std::vector<FontSet> m_sets{1};                 // never empty; the default first
    std::vector<std::pair<std::string, std::size_t>> m_setOfLanguage;
    std::vector<ImVector<ImWchar>> m_ranges;         // alive while the atlas builds
};

// The index of the face named `family` ("Noto Sans CJK SC") in the font file `data` (a
// collection or a single face); nullopt when it has no such face.
std::optional<int> findFace(std::string_view data, const std::string& family);

// A font file mapped read-only into memory (the pages are the page cache's, shared with every
// other process that maps it, and not copied); unmapped when destroyed. Errors: ConfigMissing
// (cannot open or map `path`), ConfigInvalid (empty).
class MappedFile {
public:
    static Result<MappedFile> open(const std::string& path);
    MappedFile() = default;
    ~MappedFile();
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::string_view bytes() const { return {m_data, m_size}; }
    bool empty() const { return m_size == 0; }

private:
    const char* m_data = nullptr;
    std::size_t m_size = 0;
};

// Whether the screens may draw the text of `key` (false for the desk page's "desk.*", the
// slip's "slip.*" and the test slip's "doctor.*": the browser and the printer draw those).
bool drawnOnScreen(std::string_view key);

// Whether the screens may draw the text of `key` at the title size (FontSet::title): the
// titles ("….title"), the staff menu's headings and question, and the labels of the main
// buttons (始める, OK, 確認する and what it says while a field is missing, the eras). The title
// font holds only their characters, ASCII (the keypad's digits) and kLayoutGlyphs: with every
// character of the tables it was a third of the atlas. A button whose label it cannot draw takes
// the bold font (bigButton); addText counts a character its font lacks (missingGlyphs()).
bool drawnAtTitleSize(std::string_view key);

// Whether `font` has a glyph of its own for every character of `text` (line breaks aside).
bool hasGlyphs(const ImFont* font, std::string_view text);

// How many characters the terminal was asked to draw with a font that has no glyph for them
// (ImGui draws its fallback glyph; the first few are logged): a string drawn at a size whose
// font was not given its characters. The golden screens keep it at 0. Thread: main.
std::size_t missingGlyphs();
void noteMissingGlyphs(const ImFont* font, std::string_view text);
// ImDrawList::AddText, counting the characters `font` lacks: every text the terminal draws
// goes through here (drawText, buttons, the strip, the receipt number, form values).
void addText(ImDrawList* list, const ImFont* font, float size, ImVec2 pos, ImU32 colour,
             std::string_view text);

// The glyph ranges for a set of tables: ASCII, the Japanese punctuation the layout adds, and
// every character of every text drawnOnScreen().
ImVector<ImWchar> glyphRangesFor(const std::vector<const kiosk::model::StringTable*>& tables);

} // namespace uketsuke::ui
