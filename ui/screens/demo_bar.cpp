#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

#include <cmath>

namespace uketsuke::ui {

void drawDemoBar(const DemoBarModel& m, Intents& out)
{
    const ScreenContext& ui = m.ui;
    const Theme& t = *ui.theme;
    ImGui::PushStyleColor(ImGuiCol_WindowBg, t.color.demoBar);
    beginScreen(ui, "demo_bar");
    ImGui::PopStyleColor();
    float pad = std::round(t.demoBarHeight * 0.12f);
    float h = t.demoBarHeight - 2.0f * pad;
    float y = ui.origin.y + pad;
    float x = ui.origin.x + t.margin;
    ImFont* font = ui.fonts->small;
    std::string label = ui.tr("screen.demo.label");
    ImGui::GetWindowDrawList()->AddText(
        font, font->FontSize, ImVec2(x, std::round(y + (h - font->FontSize) * 0.5f)),
        toU32(t.color.onPrimary), label.c_str());
    x += font->CalcTextSizeA(font->FontSize, 1.0e9f, 0.0f, label.c_str()).x + t.gap;
    float w = std::round(t.buttonWidth * 0.7f);
    bigButton(ui, {ButtonId::DemoInsert, ui.tr("screen.demo.insert"), ButtonKind::Demo,
                   !m.cardPresent},
              ImVec2(x, y), ImVec2(w, h), out, font);
    bigButton(ui, {ButtonId::DemoRemove, ui.tr("screen.demo.remove"), ButtonKind::Demo,
                   m.cardPresent},
              ImVec2(x + w + t.gap, y), ImVec2(w, h), out, font);
    endScreen();
}

} // namespace uketsuke::ui
