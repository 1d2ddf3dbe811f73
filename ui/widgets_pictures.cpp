#include "ui/widgets.hpp"

// Pictures: round icons, the card and reader illustration, the spinner.

#include "ui/widgets_draw.hpp"

#include <algorithm>
#include <cmath>

namespace uketsuke::ui {

using namespace widgets_detail;

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

std::vector<AnimatedRect>& animatedRects()
{
    static std::vector<AnimatedRect> rects;
    return rects;
}

void spinner(const ScreenContext& ctx, ImVec2 center, float radius)
{
    constexpr int kDots = 12;
    const Palette& p = ctx.theme->color;
    int head = static_cast<int>(std::fmod(ctx.seconds * 8.0, static_cast<double>(kDots)));
    float dotR = radius * 0.15f;
    // The dots and their anti-aliased edge.
    const float reach = radius + dotR + 2.0f;
    animatedRects().push_back({ImVec2(center.x - reach, center.y - reach),
                               ImVec2(center.x + reach, center.y + reach)});
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
