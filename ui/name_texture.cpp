#include "ui/name_texture.hpp"

#include "base/log.hpp"

#include <SDL.h>

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
    m_image = NameImage{};
}

NameImage NameTextures::get(const std::string& utf8, int pixelSize)
{
    if (utf8 == m_name && pixelSize == m_pixelSize) {
        return m_image;
    }
    release();
    m_name = utf8;
    m_pixelSize = pixelSize;
    if (utf8.empty() || m_text == nullptr || m_renderer == nullptr) {
        return m_image;
    }
    auto bitmap = m_text->render(utf8, pixelSize);
    if (!bitmap) {
        UKETSUKE_LOG(kLog, Warn) << "name not rendered: " << errcName(bitmap.error().code);
        return m_image;
    }
    if (bitmap->missingGlyphs > 0) {
        // Never show a name with boxes in it; the desk sees the record as it is.
        UKETSUKE_LOG(kLog, Warn) << "name not shown: " << bitmap->missingGlyphs
                                 << " character(s) missing from the font";
        return m_image;
    }
    if (bitmap->width <= 0 || bitmap->height <= 0) {
        return m_image;
    }
    // White with the coverage as alpha; the screen tints it with the ink colour.
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(bitmap->width) *
                                   static_cast<std::size_t>(bitmap->height) * 4);
    for (std::size_t i = 0; i < bitmap->alpha.size(); ++i) {
        rgba[i * 4 + 0] = 255;
        rgba[i * 4 + 1] = 255;
        rgba[i * 4 + 2] = 255;
        rgba[i * 4 + 3] = bitmap->alpha[i];
    }
    m_texture = SDL_CreateTexture(m_renderer, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC,
                                  bitmap->width, bitmap->height);
    if (m_texture == nullptr) {
        UKETSUKE_LOG(kLog, Warn) << "name texture not created: " << SDL_GetError();
        return m_image;
    }
    SDL_SetTextureBlendMode(m_texture, SDL_BLENDMODE_BLEND);
    SDL_UpdateTexture(m_texture, nullptr, rgba.data(), bitmap->width * 4);
    m_image.texture = m_texture;
    m_image.size = ImVec2(static_cast<float>(bitmap->width), static_cast<float>(bitmap->height));
    m_image.baseline = static_cast<float>(bitmap->baseline);
    return m_image;
}

} // namespace uketsuke::ui
