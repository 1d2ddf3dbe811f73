#include "ui/screens/message_layout.hpp"

#include <algorithm>
#include <cmath>

namespace uketsuke::ui {

float textColumnWidth(const ScreenContext& ctx, float available)
{
    return std::min(available, std::round(ctx.theme->textPx * 27.5f));
}

void drawMessageScreen(const ScreenContext& ctx, const char* windowName, const Message& message,
                       Intents& out)
{
    const Theme& t = *ctx.theme;
    const FontSet& f = *ctx.fonts;
    beginScreen(ctx, windowName);
    Rect content = contentRect(ctx);

    float buttonsTop = content.max.y;
    if (!message.buttons.empty()) {
        buttonsTop = content.max.y - buttonRowHeight(ctx, message.buttons, content.width());
    }
    float width = textColumnWidth(ctx, content.width());
    float cx = content.center().x;

    ImFont* titleFont = f.title;
    ImFont* leadFont = f.text;
    float titleH = message.title.empty() ? 0.0f : measureText(titleFont, message.title, width);
    float leadH = message.lead.empty() ? 0.0f : measureText(leadFont, message.lead, width);
    float panelW = std::min(content.width(), width + 2.0f * t.gap);
    float panelH = message.note.empty() ? 0.0f : measurePanel(ctx, message.note, panelW).y;

    float pictureH = 0.0f;
    switch (message.picture) {
    case Message::Picture::None:
        break;
    case Message::Picture::Icon:
        pictureH = std::round(t.titlePx * 2.4f);
        break;
    case Message::Picture::Card:
        pictureH = std::round(content.height() * 0.34f);
        break;
    case Message::Picture::Spinner:
        pictureH = std::round(t.titlePx * 2.4f);
        break;
    }
    auto blockHeight = [&](float picture) {
        float h = picture;
        for (float part : {titleH, leadH, panelH}) {
            if (part > 0.0f) {
                h += (h > 0.0f ? t.gap : 0.0f) + part;
            }
        }
        return h;
    };
    float available = buttonsTop - content.min.y - t.gap;
    // Long words in large text (easy Japanese): when even without the picture they do not
    // fit, the title takes the bold body font, then the lead the small one (still 32 px or
    // more at 1920x1080), rather than run under the strip.
    if (blockHeight(0.0f) > available && titleH > 0.0f) {
        titleFont = f.bold;
        titleH = measureText(titleFont, message.title, width);
    }
    if (blockHeight(0.0f) > available && leadH > 0.0f) {
        leadFont = f.small;
        leadH = measureText(leadFont, message.lead, width);
    }
    float total = blockHeight(pictureH);
    if (total > available && pictureH > 0.0f) {
        pictureH = std::max(0.0f, pictureH - (total - available));
        if (pictureH < t.titlePx) {
            pictureH = 0.0f;
        }
        total = blockHeight(pictureH);
    }
    float y = content.min.y + std::max(0.0f, std::round((available - total) * 0.45f));

    if (pictureH > 0.0f) {
        Rect area{{cx - width * 0.5f, y}, {cx + width * 0.5f, y + pictureH}};
        switch (message.picture) {
        case Message::Picture::Icon:
            drawIcon(ctx, message.icon, area.center(), pictureH * 0.42f);
            break;
        case Message::Picture::Card:
            drawCardAndReader(ctx, area, message.pose);
            break;
        case Message::Picture::Spinner:
            spinner(ctx, area.center(), pictureH * 0.36f);
            break;
        case Message::Picture::None:
            break;
        }
        y += pictureH + t.gap;
    }
    if (titleH > 0.0f) {
        drawText(titleFont, message.title, ImVec2(cx, y), width, Align::Center, t.color.text);
        y += titleH + t.gap;
    }
    if (leadH > 0.0f) {
        drawText(leadFont, message.lead, ImVec2(cx, y), width, Align::Center, t.color.text);
        y += leadH + t.gap;
    }
    if (panelH > 0.0f) {
        notePanel(ctx, message.noteKind, message.note, ImVec2(cx, y), panelW, Align::Center);
    }
    if (!message.buttons.empty()) {
        buttonRow(ctx, message.buttons, Rect{{content.min.x, buttonsTop}, content.max}, out);
    }
    endScreen();
}

void drawStillThere(const ScreenContext& ctx, const char* windowName, Intents& out)
{
    Message msg;
    msg.picture = Message::Picture::Icon;
    msg.icon = Icon::Info;
    msg.title = ctx.tr("screen.still_there.title");
    msg.lead = ctx.tr("screen.still_there.lead");
    msg.buttons = {
        {ButtonId::MoreTime, ctx.tr("screen.still_there.more_time"), ButtonKind::Primary},
        {ButtonId::Cancel, ctx.tr("screen.common.cancel"), ButtonKind::Secondary},
    };
    drawMessageScreen(ctx, windowName, msg, out);
}

PinLayout pinLayout(const ScreenContext& ctx, Rect content, bool help)
{
    const Theme& t = *ctx.theme;
    const bool landscape = content.width() > content.height() * 1.15f;
    const float okH = t.buttonHeight;
    const float minPad = keypadHeight(t);
    PinLayout l;
    l.words = content;
    if (landscape) {
        float columnGap = std::round(t.gap * 2.0f);
        float padW = std::min(std::round(content.width() * 0.41f), t.keyHeight * 6.0f);
        float padH = std::clamp(content.height() - okH - t.gap, minPad, minPad * 1.25f);
        l.pad = {{content.max.x - padW, content.min.y}, {content.max.x, content.min.y + padH}};
        l.ok = {{l.pad.min.x, l.pad.max.y + t.gap}, {l.pad.max.x, l.pad.max.y + t.gap + okH}};
        l.words.max.x = l.pad.min.x - columnGap;
        float cx = l.words.center().x;
        if (help) {
            // Help (the longer label) on the left, Cancel next to OK.
            float helpW = std::round(std::min(l.words.width() * 0.6f, t.buttonWidth * 1.4f));
            float cancelW = std::round(std::min(l.words.width() - helpW - t.gap, t.buttonWidth));
            float left = std::round(cx - (helpW + t.gap + cancelW) * 0.5f);
            l.help = {{left, l.ok.min.y}, {left + helpW, l.ok.max.y}};
            l.cancel = {{l.help.max.x + t.gap, l.ok.min.y},
                        {l.help.max.x + t.gap + cancelW, l.ok.max.y}};
        } else {
            float cancelW = std::min(l.words.width(), t.buttonWidth);
            l.cancel = {{std::round(cx - cancelW * 0.5f), l.ok.min.y},
                        {std::round(cx + cancelW * 0.5f), l.ok.max.y}};
        }
        l.words.max.y = l.ok.min.y - t.gap;
    } else {
        float padW = std::min(content.width(), t.keyHeight * 6.0f);
        float padH = minPad * 1.15f;
        float cx = content.center().x;
        l.ok = {{cx + t.gap * 0.5f, content.max.y - okH}, {cx + padW * 0.5f, content.max.y}};
        l.cancel = {{cx - padW * 0.5f, l.ok.min.y}, {cx - t.gap * 0.5f, l.ok.max.y}};
        l.pad = {{cx - padW * 0.5f, l.ok.min.y - t.gap * 2.0f - padH},
                 {cx + padW * 0.5f, l.ok.min.y - t.gap * 2.0f}};
        l.words.max.y = l.pad.min.y - t.gap;
        if (help) {
            l.help = {{l.pad.min.x, l.pad.min.y - t.gap - okH}, {l.pad.max.x, l.pad.min.y - t.gap}};
            l.words.max.y = l.help.min.y - t.gap;
        }
    }
    return l;
}

} // namespace uketsuke::ui
