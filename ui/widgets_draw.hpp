#pragma once

// Drawing helpers shared by the widget files (widgets*.cpp); not for screens, which call
// widgets.hpp. Thread: main, inside a frame.

#include <imgui.h>

#include <cmath>

namespace uketsuke::ui::widgets_detail {

inline constexpr float kPi = 3.14159265358979f;
inline constexpr float kLineSpacing = 1.25f; // line height / ImGui font size

inline ImDrawList* drawList()
{
    return ImGui::GetWindowDrawList();
}

inline float lineHeight(const ImFont* font)
{
    // ImGui's FreeType size is ascender-to-descender (about 1.45 em for Noto CJK), so lines
    // are about 1.8 em apart: airy, for poor sight.
    return std::round(font->FontSize * kLineSpacing);
}

} // namespace uketsuke::ui::widgets_detail
