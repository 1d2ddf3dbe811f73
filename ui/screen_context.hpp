#pragma once

// What every screen needs besides its own model: the words, the theme, the fonts, the area it
// owns and a clock for spinners. The host (ui/host.hpp) fills one in for each frame.

#include "kiosk/model/strings.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"

#include <imgui.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uketsuke::ui {

// One language the picker offers: a translation file's name ("zh-Hans") and the file's own
// name for itself (its "language.name": 简体中文).
struct LanguageChoice {
    std::string code;
    std::string name;
    const FontSet* fonts = nullptr; // that language's fonts: the name is drawn in its own face
};

struct ScreenContext {
    const kiosk::model::StringTable* strings = nullptr;
    const Theme* theme = nullptr;
    const FontSet* fonts = nullptr;
    ImVec2 origin{0.0f, 0.0f}; // top-left of the screen's area, in pixels
    ImVec2 size{0.0f, 0.0f};
    double seconds = 0.0; // a monotonic clock, for spinners only
    // Every language the terminal speaks, the default first (may be null: none to choose).
    const std::vector<LanguageChoice>* languages = nullptr;
    // Where tr() records the keys it resolved this frame (may be null).
    std::vector<std::string>* shownKeys = nullptr;

    // The text for a "screen.*" key, recorded as shown. Screens name keys literally, so
    // tests/ui can check every key exists in ja.json.
    std::string tr(std::string_view key) const;
    std::string format(std::string_view key,
                       const std::vector<std::pair<std::string, std::string>>& values) const;
    std::string lang() const;
};

} // namespace uketsuke::ui
