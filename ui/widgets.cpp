#include "ui/widgets.hpp"

// The screen's frame: its area and its one full-screen window. The other widgets live by job in
// widgets_text.cpp, widgets_buttons.cpp, widgets_pin.cpp and widgets_pictures.cpp.

namespace uketsuke::ui {

Rect contentRect(const ScreenContext& ctx)
{
    float m = ctx.theme->margin;
    return {{ctx.origin.x + m, ctx.origin.y + m},
            {ctx.origin.x + ctx.size.x - m, ctx.origin.y + ctx.size.y - m}};
}

void beginScreen(const ScreenContext& ctx, const char* name)
{
    ImGui::SetNextWindowPos(ctx.origin);
    ImGui::SetNextWindowSize(ctx.size);
    constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings |
                                        ImGuiWindowFlags_NoBringToFrontOnFocus |
                                        ImGuiWindowFlags_NoScrollWithMouse |
                                        ImGuiWindowFlags_NoNav;
    ImGui::Begin(name, nullptr, kFlags);
}

void endScreen()
{
    ImGui::End();
}

} // namespace uketsuke::ui
