#include "ui/widgets.hpp"

#include "base/line_break.hpp"

#include <algorithm>
#include <cmath>

namespace uketsuke::ui {
namespace {

constexpr float kPi = 3.14159265358979f;
constexpr float kLineSpacing = 1.25f; // line height / ImGui font size

ImDrawList* drawList()
{
    return ImGui::GetWindowDrawList();
}

float lineHeight(const ImFont* font)
{
    // ImGui's FreeType size is ascender-to-descender (about 1.45 em for Noto CJK), so lines
    // are about 1.8 em apart: airy, for poor sight.
    return std::round(font->FontSize * kLineSpacing);
}

struct ButtonColours {
    ImVec4 face;
    ImVec4 pressed;
    ImVec4 text;
    ImVec4 border;
};

ButtonColours coloursFor(const Palette& c, ButtonKind kind, bool enabled)
{
    if (kind == ButtonKind::Demo) {
        // Light keys on the dark strip; a key that does nothing now fades into the strip.
        return enabled ? ButtonColours{c.surface, c.secondaryPressed, c.text, c.surface}
                       : ButtonColours{c.demoBarIdle, c.demoBarIdle, c.demoBarIdleText,
                                       c.demoBarIdle};
    }
    if (!enabled) {
        return {c.disabled, c.disabled, c.onDisabled, c.disabled};
    }
    switch (kind) {
    case ButtonKind::Primary:
    case ButtonKind::Selected:
        return {c.primary, c.primaryPressed, c.onPrimary, c.primary};
    case ButtonKind::Secondary:
        return {c.surface, c.secondaryPressed, c.onSecondary, c.primary};
    case ButtonKind::Key:
        return {c.surface, c.secondaryPressed, c.text, c.border};
    case ButtonKind::Demo:
        break;
    }
    return {c.surface, c.secondaryPressed, c.text, c.border};
}

} // namespace

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
        drawList()->AddText(font, font->FontSize, ImVec2(x, y), col, line.c_str());
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

bool bigButton(const ScreenContext& ctx, const ButtonSpec& spec, ImVec2 pos, ImVec2 size,
               Intents& out, ImFont* font)
{
    const Theme& t = *ctx.theme;
    float minTarget = kMinTargetMm * t.pxPerMm;
    if (spec.kind != ButtonKind::Demo) {
        size.x = std::max(size.x, minTarget);
        size.y = std::max(size.y, minTarget);
    }
    ButtonColours colours = coloursFor(t.color, spec.kind, spec.enabled);

    ImGui::SetCursorScreenPos(pos);
    ImGui::PushStyleColor(ImGuiCol_Button, colours.face);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, colours.face);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, colours.pressed);
    ImGui::PushStyleColor(ImGuiCol_Text, colours.text);
    ImGui::PushStyleColor(ImGuiCol_Border, colours.border);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, t.rounding);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, t.borderWidth);
    // Labels are centred in the button; no padding may push them off centre in a low button.
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(t.gap * 0.5f, 0.0f));
    // A label that would be clipped falls back to the smaller font rather than lose letters.
    ImFont* labelFont = font != nullptr ? font : ctx.fonts->bold;
    float room = size.x - t.gap;
    if (labelFont->CalcTextSizeA(labelFont->FontSize, 1.0e9f, 0.0f, spec.label.c_str()).x > room) {
        labelFont = ctx.fonts->small;
    }
    ImGui::PushFont(labelFont);
    if (!spec.enabled) {
        ImGui::BeginDisabled();
    }
    std::string label = spec.label + "##" + buttonIdName(spec.id);
    bool pressed = ImGui::Button(label.c_str(), size);
    if (!spec.enabled) {
        ImGui::EndDisabled();
    }
    out.drawn.push_back({spec.id, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), spec.enabled});
    ImGui::PopFont();
    ImGui::PopStyleVar(3);
    ImGui::PopStyleColor(5);
    pressed = pressed && spec.enabled;
    if (pressed) {
        out.pressed.push_back(spec.id);
    }
    return pressed;
}

void buttonRow(const ScreenContext& ctx, const std::vector<ButtonSpec>& buttons, Rect row,
               Intents& out)
{
    if (buttons.empty()) {
        return;
    }
    const Theme& t = *ctx.theme;
    float n = static_cast<float>(buttons.size());
    float gap = std::round(t.gap * 1.5f);
    float width = std::min(t.buttonWidth, (row.width() - (n - 1.0f) * gap) / n);
    float total = n * width + (n - 1.0f) * gap;
    float x = std::round(row.center().x - total * 0.5f);
    for (const auto& spec : buttons) {
        bigButton(ctx, spec, ImVec2(x, row.min.y), ImVec2(width, row.height()), out);
        x += width + gap;
    }
}

bool fieldBox(const ScreenContext& ctx, const FieldBoxSpec& spec, ImVec2 pos, ImVec2 size,
              Intents& out, ImFont* font)
{
    const Theme& t = *ctx.theme;
    const Palette& c = t.color;
    float minTarget = kMinTargetMm * t.pxPerMm;
    size.x = std::max(size.x, minTarget);
    size.y = std::max(size.y, minTarget);
    font = font != nullptr ? font : ctx.fonts->bold;

    ImGui::SetCursorScreenPos(pos);
    std::string id = std::string("##") + buttonIdName(spec.id);
    bool pressed = ImGui::InvisibleButton(id.c_str(), size);
    bool held = ImGui::IsItemActive();
    ImVec2 min = ImGui::GetItemRectMin();
    ImVec2 max = ImGui::GetItemRectMax();
    out.drawn.push_back({spec.id, min, max, true});
    if (pressed) {
        out.pressed.push_back(spec.id);
    }

    ImVec4 fill = spec.selected ? c.info : c.surface;
    if (held) {
        fill = c.secondaryPressed;
    }
    ImVec4 frame = spec.selected ? c.primary : (spec.attention ? c.attentionInk : c.border);
    float width = spec.selected || spec.attention ? t.borderWidth * 2.0f : t.borderWidth;
    framedRect(min, max, fill, frame, t.rounding, width);

    // The value, left-aligned and centred vertically; its end when it does not fit.
    float pad = std::round(t.gap * 0.5f) + width;
    bool caret = spec.selected && spec.caret;
    float room = size.x - 2.0f * pad - (caret ? width * 2.0f : 0.0f);
    auto measure = [font](const std::string& s) {
        return font->CalcTextSizeA(font->FontSize, 1.0e9f, 0.0f, s.c_str()).x;
    };
    std::string shown = spec.value;
    if (measure(shown) > room) {
        constexpr const char* kEllipsis = "…";
        std::size_t start = 0;
        do {
            ++start;
            while (start < spec.value.size() &&
                   (static_cast<unsigned char>(spec.value[start]) & 0xC0) == 0x80) {
                ++start;
            }
            shown = kEllipsis + spec.value.substr(start);
        } while (start < spec.value.size() && measure(shown) > room);
    }
    float textW = measure(shown);
    float y = std::round(min.y + (size.y - font->FontSize) * 0.5f);
    ImGui::GetWindowDrawList()->AddText(font, font->FontSize, ImVec2(min.x + pad, y),
                                        toU32(c.text), shown.c_str());
    if (caret) {
        // A caret after the text: this is where the keypad types.
        float x = std::min(min.x + pad + textW + width, max.x - pad);
        float h = font->FontSize * 0.8f;
        float top = std::round(min.y + (size.y - h) * 0.5f);
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(x, top), ImVec2(x + width, top + h),
                                                  toU32(c.primary));
    }
    return pressed;
}

float keypadHeight(const Theme& theme)
{
    return 4.0f * theme.keyHeight + 3.0f * std::round(theme.gap * 0.66f);
}

void numericKeypad(const ScreenContext& ctx, Rect area, Intents& out)
{
    const Theme& t = *ctx.theme;
    float gap = std::round(t.gap * 0.66f);
    float keyWidth = std::floor((area.width() - 2.0f * gap) / 3.0f);
    float keyHeight = std::max(t.keyHeight, std::floor((area.height() - 3.0f * gap) / 4.0f));
    // The phone layout: fixed, never shuffled by default (devices.md §2.1).
    static constexpr int kDigits[3][3] = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    auto keyPos = [&](int row, int col) {
        return ImVec2(area.min.x + static_cast<float>(col) * (keyWidth + gap),
                      area.min.y + static_cast<float>(row) * (keyHeight + gap));
    };
    for (int row = 0; row < 3; ++row) {
        for (int col = 0; col < 3; ++col) {
            int digit = kDigits[row][col];
            bigButton(ctx,
                      {digitButton(digit), std::string(1, static_cast<char>('0' + digit)),
                       ButtonKind::Key, true},
                      keyPos(row, col), ImVec2(keyWidth, keyHeight), out, ctx.fonts->title);
        }
    }
    bigButton(ctx, {ButtonId::Clear, ctx.tr("screen.keypad.clear"), ButtonKind::Key, true},
              keyPos(3, 0), ImVec2(keyWidth, keyHeight), out);
    bigButton(ctx, {ButtonId::Digit0, "0", ButtonKind::Key, true}, keyPos(3, 1),
              ImVec2(keyWidth, keyHeight), out, ctx.fonts->title);
    bigButton(ctx, {ButtonId::Back, ctx.tr("screen.keypad.back"), ButtonKind::Key, true},
              keyPos(3, 2), ImVec2(keyWidth, keyHeight), out);
}

void pinDots(const ScreenContext& ctx, ImVec2 center, std::size_t filled, std::size_t length)
{
    const Theme& t = *ctx.theme;
    float r = t.dotRadius;
    float step = std::round(r * 3.4f);
    float x = center.x - step * (static_cast<float>(length) - 1.0f) * 0.5f;
    for (std::size_t i = 0; i < length; ++i) {
        ImVec2 c(x + step * static_cast<float>(i), center.y);
        if (i < filled) {
            drawList()->AddCircleFilled(c, r, toU32(t.color.text), 48);
        } else {
            drawList()->AddCircle(c, r - t.borderWidth * 0.5f, toU32(t.color.border), 48,
                                  t.borderWidth);
        }
    }
}

void drawIcon(const ScreenContext& ctx, Icon icon, ImVec2 c, float r)
{
    const Palette& p = ctx.theme->color;
    ImDrawList* dl = drawList();
    ImU32 white = toU32(p.onPrimary);
    auto at = [&](float x, float y) { return ImVec2(c.x + x * r, c.y + y * r); };
    switch (icon) {
    case Icon::Check: {
        dl->AddCircleFilled(c, r, toU32(p.success), 64);
        ImVec2 points[] = {at(-0.45f, 0.02f), at(-0.12f, 0.34f), at(0.48f, -0.30f)};
        dl->AddPolyline(points, 3, white, 0, r * 0.17f);
        break;
    }
    case Icon::Warning: {
        dl->AddCircleFilled(c, r, toU32(p.attentionInk), 64);
        dl->AddRectFilled(at(-0.09f, -0.58f), at(0.09f, 0.18f), toU32(p.attention), r * 0.06f);
        dl->AddCircleFilled(at(0.0f, 0.42f), r * 0.11f, toU32(p.attention), 24);
        break;
    }
    case Icon::Lock: {
        dl->AddCircleFilled(c, r, toU32(p.primary), 64);
        dl->PathArcTo(at(0.0f, -0.08f), r * 0.27f, kPi, 2.0f * kPi, 24);
        dl->PathStroke(white, 0, r * 0.12f);
        dl->AddLine(at(-0.27f, -0.08f), at(-0.27f, 0.02f), white, r * 0.12f);
        dl->AddLine(at(0.27f, -0.08f), at(0.27f, 0.02f), white, r * 0.12f);
        dl->AddRectFilled(at(-0.44f, -0.02f), at(0.44f, 0.52f), white, r * 0.08f);
        dl->AddCircleFilled(at(0.0f, 0.2f), r * 0.09f, toU32(p.primary), 16);
        dl->AddRectFilled(at(-0.04f, 0.2f), at(0.04f, 0.38f), toU32(p.primary));
        break;
    }
    case Icon::Staff: {
        dl->AddCircleFilled(c, r, toU32(p.primary), 64);
        dl->AddCircleFilled(at(0.0f, -0.24f), r * 0.23f, white, 32);
        dl->PathArcTo(at(0.0f, 0.56f), r * 0.46f, kPi, 2.0f * kPi, 32);
        dl->PathFillConvex(white);
        break;
    }
    case Icon::Info: {
        dl->AddCircleFilled(c, r, toU32(p.primary), 64);
        dl->AddCircleFilled(at(0.0f, -0.42f), r * 0.11f, white, 24);
        dl->AddRectFilled(at(-0.09f, -0.18f), at(0.09f, 0.55f), white, r * 0.06f);
        break;
    }
    }
}

void drawCardAndReader(const ScreenContext& ctx, Rect area, CardPose pose)
{
    const Palette& p = ctx.theme->color;
    ImDrawList* dl = drawList();
    float h = area.height();
    // The reader: a dark slab with a lighter touch zone, seen from the front.
    float readerW = std::min(area.width() * 0.7f, h * 1.5f);
    float readerH = std::round(h * 0.26f);
    ImVec2 readerMin(std::round(area.center().x - readerW * 0.5f), area.max.y - readerH);
    ImVec2 readerMax(readerMin.x + readerW, area.max.y);
    float rr = readerH * 0.25f;
    dl->AddRectFilled(readerMin, readerMax, toU32(p.illustration), rr);
    float zoneInset = readerH * 0.18f;
    dl->AddRectFilled(ImVec2(readerMin.x + zoneInset * 2.0f, readerMin.y + zoneInset),
                      ImVec2(readerMax.x - zoneInset * 2.0f, readerMax.y - zoneInset),
                      toU32(ImVec4(0.36f, 0.42f, 0.48f, 1.0f)), rr * 0.6f);

    // The card: ID-1 proportions (85.6 x 54 mm) with a chip and a photo box.
    // Lying on the reader the card may be large; above it, it leaves room for an arrow.
    float cardRoom = (h - readerH) * (pose == CardPose::OnReader ? 0.9f : 0.6f);
    float cardW = std::round(std::min(readerW * 0.62f, cardRoom * 1.585f));
    float cardH = std::round(cardW / 1.585f);
    float cardY = 0.0f;
    switch (pose) {
    case CardPose::OnReader:
        cardY = readerMin.y - cardH * 0.55f;
        break;
    case CardPose::Above:
    case CardPose::LiftOff:
        cardY = area.min.y;
        break;
    }
    ImVec2 cardMin(std::round(area.center().x - cardW * 0.5f), std::round(cardY));
    ImVec2 cardMax(cardMin.x + cardW, cardMin.y + cardH);
    float cr = cardW * 0.06f;
    dl->AddRectFilled(ImVec2(cardMin.x + cardW * 0.02f, cardMin.y + cardW * 0.03f),
                      ImVec2(cardMax.x + cardW * 0.02f, cardMax.y + cardW * 0.03f),
                      toU32(ImVec4(0.0f, 0.0f, 0.0f, 0.18f)), cr);
    dl->AddRectFilled(cardMin, cardMax, toU32(p.card), cr);
    dl->AddRect(cardMin, cardMax, toU32(p.border), cr, 0, std::max(2.0f, cardW * 0.012f));
    auto onCard = [&](float x, float y) {
        return ImVec2(cardMin.x + x * cardW, cardMin.y + y * cardH);
    };
    dl->AddRectFilled(onCard(0.09f, 0.34f), onCard(0.27f, 0.62f),
                      toU32(ImVec4(0.85f, 0.68f, 0.25f, 1.0f)), cardW * 0.02f);
    dl->AddRectFilled(onCard(0.66f, 0.18f), onCard(0.90f, 0.70f),
                      toU32(ImVec4(0.70f, 0.76f, 0.82f, 1.0f)), cardW * 0.015f);
    for (int i = 0; i < 3; ++i) {
        float y = 0.22f + 0.2f * static_cast<float>(i);
        dl->AddRectFilled(onCard(0.33f, y), onCard(0.58f, y + 0.06f),
                          toU32(ImVec4(0.55f, 0.62f, 0.70f, 1.0f)), cardW * 0.01f);
    }

    if (pose == CardPose::OnReader) {
        return;
    }
    // An arrow between the card and the reader, down (place) or up (take).
    float top = cardMax.y + h * 0.04f;
    float bottom = readerMin.y - h * 0.04f;
    if (bottom - top < h * 0.08f) {
        return;
    }
    float x = area.center().x;
    float head = std::min((bottom - top) * 0.5f, cardW * 0.12f);
    float thick = head * 0.45f;
    ImU32 ink = toU32(p.primary);
    if (pose == CardPose::Above) {
        dl->AddRectFilled(ImVec2(x - thick * 0.5f, top), ImVec2(x + thick * 0.5f, bottom - head),
                          ink);
        dl->AddTriangleFilled(ImVec2(x - head, bottom - head), ImVec2(x + head, bottom - head),
                              ImVec2(x, bottom), ink);
    } else {
        dl->AddRectFilled(ImVec2(x - thick * 0.5f, top + head), ImVec2(x + thick * 0.5f, bottom),
                          ink);
        dl->AddTriangleFilled(ImVec2(x - head, top + head), ImVec2(x, top),
                              ImVec2(x + head, top + head), ink);
    }
}

void spinner(const ScreenContext& ctx, ImVec2 center, float radius)
{
    constexpr int kDots = 12;
    const Palette& p = ctx.theme->color;
    int head = static_cast<int>(std::fmod(ctx.seconds * 8.0, static_cast<double>(kDots)));
    float dotR = radius * 0.15f;
    for (int i = 0; i < kDots; ++i) {
        float angle = 2.0f * kPi * static_cast<float>(i) / static_cast<float>(kDots) - kPi * 0.5f;
        int behind = (head - i + kDots) % kDots;
        float alpha = std::max(0.18f, 1.0f - static_cast<float>(behind) * 0.12f);
        ImVec4 colour = p.primary;
        colour.w = alpha;
        ImVec2 c(center.x + std::cos(angle) * radius, center.y + std::sin(angle) * radius);
        drawList()->AddCircleFilled(c, dotR, toU32(colour), 0);
    }
}

} // namespace uketsuke::ui
