#include "ui/widgets.hpp"

// Text: wrapped lines (the 禁則 breaker of base/line_break.hpp), framed rectangles, note panels.

#include "base/line_break.hpp"
#include "ui/fonts.hpp"
#include "ui/widgets_draw.hpp"

#include <algorithm>
#include <cmath>

namespace uketsuke::ui {

using namespace widgets_detail;

std::vector<std::string> wrapLines(std::string_view text, float maxWidth,
                                   const std::function<float(std::string_view)>& measure)
{
    // The shared 禁則 breaker (base/line_break.hpp); on screen closing punctuation may hang
    // into the margin. Every paragraph gives at least one line, so "" and "a\n" keep their
    // height.
    auto width = [&measure](std::string_view s) { return static_cast<double>(measure(s)); };
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (true) {
        std::size_t end = text.find('\n', start);
        std::string_view paragraph =
            text.substr(start, end == std::string_view::npos ? text.npos : end - start);
        auto wrapped = linebreak::wrap(paragraph, maxWidth, width, linebreak::Hanging::Allowed);
        if (wrapped.empty()) {
            lines.emplace_back();
        }
        for (std::string& line : wrapped) {
            lines.push_back(std::move(line));
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return lines;
}

namespace {

std::vector<std::string> fontLines(ImFont* font, std::string_view text, float maxWidth)
{
    auto measure = [font](std::string_view s) {
        return font->CalcTextSizeA(font->FontSize, 1.0e9f, 0.0f, s.data(), s.data() + s.size()).x;
    };
    auto lines = wrapLines(text, maxWidth, measure);
    // Balance the lines: the narrowest width that needs no more lines, so a paragraph never
    // ends with a lonely "い。" (centred text reads calmer in even lines).
    float lo = maxWidth * 0.5f;
    float hi = maxWidth;
    for (int i = 0; i < 8 && hi - lo > 4.0f; ++i) {
        float mid = (lo + hi) * 0.5f;
        if (wrapLines(text, mid, measure).size() <= lines.size()) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    if (hi < maxWidth) {
        lines = wrapLines(text, hi, measure);
    }
    return lines;
}

} // namespace

float measureText(ImFont* font, std::string_view text, float maxWidth)
{
    return static_cast<float>(fontLines(font, text, maxWidth).size()) * lineHeight(font);
}

float drawText(ImFont* font, std::string_view text, ImVec2 pos, float maxWidth, Align align,
               const ImVec4& colour)
{
    auto lines = fontLines(font, text, maxWidth);
    float step = lineHeight(font);
    // Centre the glyphs within each airy line.
    float y = pos.y + std::round((step - font->FontSize) * 0.5f);
    ImU32 col = toU32(colour);
    for (const auto& line : lines) {
        float x = pos.x;
        if (align == Align::Center) {
            float w = font->CalcTextSizeA(font->FontSize, 1.0e9f, 0.0f, line.c_str()).x;
            x = std::round(pos.x - w * 0.5f);
        }
        addText(drawList(), font, font->FontSize, ImVec2(x, y), col, line);
        y += step;
    }
    return static_cast<float>(lines.size()) * step;
}

void framedRect(ImVec2 min, ImVec2 max, const ImVec4& fill, const ImVec4& border, float rounding,
                float borderWidth)
{
    drawList()->AddRectFilled(min, max, toU32(border), rounding);
    drawList()->AddRectFilled(ImVec2(min.x + borderWidth, min.y + borderWidth),
                              ImVec2(max.x - borderWidth, max.y - borderWidth), toU32(fill),
                              std::max(0.0f, rounding - borderWidth));
}

float textWidth(ImFont* font, std::string_view text, float maxWidth)
{
    float widest = 0.0f;
    for (const auto& line : fontLines(font, text, maxWidth)) {
        widest = std::max(widest,
                          font->CalcTextSizeA(font->FontSize, 1.0e9f, 0.0f, line.c_str()).x);
    }
    return std::ceil(widest);
}

namespace {

struct PanelLayout {
    float pad;
    float iconRadius;
    float textMax; // the widest the text may be
};

PanelLayout panelLayout(const ScreenContext& ctx, float maxWidth, const ImFont* font)
{
    const Theme& t = *ctx.theme;
    float iconRadius = std::round(font->FontSize * 0.45f);
    return {t.gap, iconRadius, maxWidth - 3.0f * t.gap - 2.0f * iconRadius};
}

} // namespace

ImVec2 measurePanel(const ScreenContext& ctx, std::string_view text, float maxWidth, ImFont* font)
{
    font = font != nullptr ? font : ctx.fonts->bold;
    PanelLayout l = panelLayout(ctx, maxWidth, font);
    float w = textWidth(font, text, l.textMax) + 3.0f * l.pad + 2.0f * l.iconRadius;
    float h = std::max(measureText(font, text, l.textMax), 2.0f * l.iconRadius) + 2.0f * l.pad;
    return {std::min(w, maxWidth), h};
}

ImVec2 notePanel(const ScreenContext& ctx, PanelKind kind, std::string_view text, ImVec2 pos,
                 float maxWidth, Align align, ImFont* font)
{
    const Theme& t = *ctx.theme;
    font = font != nullptr ? font : ctx.fonts->bold;
    PanelLayout l = panelLayout(ctx, maxWidth, font);
    ImVec2 size = measurePanel(ctx, text, maxWidth, font);
    if (align == Align::Center) {
        pos.x = std::round(pos.x - size.x * 0.5f);
    }
    ImVec2 max(pos.x + size.x, pos.y + size.y);
    bool attention = kind == PanelKind::Attention;
    framedRect(pos, max, attention ? t.color.attention : t.color.info,
               attention ? t.color.attentionInk : t.color.primary, t.rounding, t.borderWidth);
    drawIcon(ctx, attention ? Icon::Warning : Icon::Info,
             ImVec2(pos.x + l.pad + l.iconRadius, pos.y + size.y * 0.5f), l.iconRadius);
    float textH = measureText(font, text, l.textMax);
    ImVec2 textPos(pos.x + 2.0f * l.pad + 2.0f * l.iconRadius, pos.y + (size.y - textH) * 0.5f);
    drawText(font, text, textPos, l.textMax, Align::Left, t.color.text);
    return size;
}

} // namespace uketsuke::ui
