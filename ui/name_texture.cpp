#include "ui/name_texture.hpp"

#include "base/log.hpp"

#include <SDL.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace uketsuke::ui {
namespace {

const log::Category kLog("ui.names");

} // namespace

NameTextures::NameTextures(SDL_Renderer* renderer, const hal::text::TextRenderer* text)
    : m_renderer(renderer), m_text(text)
{
}

NameTextures::~NameTextures()
{
    release();
}

void NameTextures::release()
{
    if (m_texture != nullptr) {
        SDL_DestroyTexture(m_texture);
        m_texture = nullptr;
    }
    // Overwrite before freeing: the name is personal data.
    m_name.assign(m_name.size(), '\0');
    m_name.clear();
    m_pixelSize = 0;
    m_maxWidth = 0.0f;
    m_minPixelSize = 0;
    m_image = NameImage{};
}

NameImage NameTextures::get(const std::string& utf8, int pixelSize, float maxWidth,
                            int minPixelSize)
{
    if (utf8 == m_name && pixelSize == m_pixelSize && maxWidth == m_maxWidth &&
        minPixelSize == m_minPixelSize) {
        return m_image;
    }
    release();
    m_name = utf8;
    m_pixelSize = pixelSize;
    m_maxWidth = maxWidth;
    m_minPixelSize = minPixelSize;
    if (utf8.empty() || m_text == nullptr || m_renderer == nullptr) {
        return m_image;
    }
    if (int missing = m_text->countMissingGlyphs(utf8); missing > 0) {
        // Never show a name with boxes in it; the desk sees the record as it is.
        UKETSUKE_LOG(kLog, Warn) << "name not shown: " << missing
                                 << " character(s) missing from the font";
        return m_image;
    }
    // The lines: one when it fits; else two at this size, or at a smaller one down to the
    // minimum; else as many as the minimum size needs.
    const int width = std::max(1, static_cast<int>(maxWidth));
    std::vector<std::string> lines{utf8};
    int size = pixelSize;
    if (auto w = m_text->measure(utf8, size); w && *w > width) {
        const int floor = std::clamp(minPixelSize, 1, pixelSize);
        while (true) {
            auto wrapped = m_text->wrap(utf8, size, width);
            if (!wrapped) {
                UKETSUKE_LOG(kLog, Warn) << "name not wrapped: "
                                         << errcName(wrapped.error().code);
                return m_image;
            }
            lines = std::move(*wrapped);
            if (lines.size() <= 2 || size <= floor) {
                break;
            }
            size = std::max(floor, static_cast<int>(std::floor(static_cast<float>(size) * 0.92f)));
        }
    }
    std::vector<hal::text::Bitmap> bitmaps;
    for (const auto& line : lines) {
        auto bitmap = m_text->render(line, size);
        if (!bitmap) {
            UKETSUKE_LOG(kLog, Warn) << "name not rendered: " << errcName(bitmap.error().code);
            return m_image;
        }
        if (bitmap->missingGlyphs > 0) {
            UKETSUKE_LOG(kLog, Warn) << "name not shown: " << bitmap->missingGlyphs
                                     << " character(s) missing from the font";
            return m_image;
        }
        bitmaps.push_back(std::move(*bitmap));
    }
    int imageW = 0;
    int lineH = 0;
    for (const auto& b : bitmaps) {
        imageW = std::max(imageW, b.width);
        lineH = std::max(lineH, b.height);
    }
    const int imageH = lineH * static_cast<int>(bitmaps.size());
    if (imageW <= 0 || imageH <= 0) {
        return m_image;
    }
    // White with the coverage as alpha; the screen tints it with the ink colour. Each line
    // centred.
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(imageW) *
                                   static_cast<std::size_t>(imageH) * 4);
    for (std::size_t i = 0; i < rgba.size(); i += 4) {
        rgba[i + 0] = 255;
        rgba[i + 1] = 255;
        rgba[i + 2] = 255;
    }
    for (std::size_t n = 0; n < bitmaps.size(); ++n) {
        const auto& b = bitmaps[n];
        const int left = (imageW - b.width) / 2;
        const int top = static_cast<int>(n) * lineH;
        for (int y = 0; y < b.height; ++y) {
            for (int x = 0; x < b.width; ++x) {
                const std::size_t at = (static_cast<std::size_t>(top + y) *
                                            static_cast<std::size_t>(imageW) +
                                        static_cast<std::size_t>(left + x)) *
                                       4;
                rgba[at + 3] = b.at(x, y);
            }
        }
    }
    m_texture = SDL_CreateTexture(m_renderer, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC,
                                  imageW, imageH);
    if (m_texture == nullptr) {
        UKETSUKE_LOG(kLog, Warn) << "name texture not created: " << SDL_GetError();
        return m_image;
    }
    SDL_SetTextureBlendMode(m_texture, SDL_BLENDMODE_BLEND);
    SDL_UpdateTexture(m_texture, nullptr, rgba.data(), imageW * 4);
    m_image.texture = m_texture;
    m_image.size = ImVec2(static_cast<float>(imageW), static_cast<float>(imageH));
    m_image.lines = static_cast<int>(bitmaps.size());
    m_image.lineHeight = static_cast<float>(lineH);
    m_image.baseline = static_cast<float>((m_image.lines - 1) * lineH + bitmaps.back().baseline);
    m_image.lastLineWidth = static_cast<float>(bitmaps.back().width);
    return m_image;
}

} // namespace uketsuke::ui
