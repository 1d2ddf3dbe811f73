// Dear ImGui's SDL_Renderer backend, compiled from the source Debian ships as an example
// (cmake/Dependencies.cmake finds it), and uploadFontAtlas(), which needs the backend's own data.
// Not our code above the include: built without our warnings (ui/CMakeLists.txt).

#include UKETSUKE_IMGUI_SDLRENDERER_CPP

#include "ui/imgui_backend/sdlrenderer.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace uketsuke::ui {

bool uploadFontAtlas()
{
    ImGuiIO& io = ImGui::GetIO();
    ImGui_ImplSDLRenderer_Data* bd = ImGui_ImplSDLRenderer_GetBackendData();
    if (bd == nullptr) {
        return false;
    }
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    unsigned char* alpha = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsAlpha8(&alpha, &width, &height);
    if (alpha == nullptr || width <= 0 || height <= 0) {
        return false;
    }
    SDL_Texture* texture = SDL_CreateTexture(bd->SDLRenderer, SDL_PIXELFORMAT_RGBA32,
                                             SDL_TEXTUREACCESS_STATIC, width, height);
    if (texture == nullptr) {
        return false;
    }
    // Bands of 64 rows: 512 KB at 2048 px, in the cache while it is filled and sent.
    constexpr int kBand = 64;
    std::vector<std::uint32_t> band(static_cast<std::size_t>(width) * kBand);
    for (int top = 0; top < height; top += kBand) {
        const int rows = std::min(kBand, height - top);
        const unsigned char* src = alpha + static_cast<std::size_t>(top) * width;
        const std::size_t count = static_cast<std::size_t>(rows) * width;
        for (std::size_t i = 0; i < count; ++i) {
            band[i] = IM_COL32(255, 255, 255, src[i]); // what GetTexDataAsRGBA32 makes
        }
        const SDL_Rect rect{0, top, width, rows};
        if (SDL_UpdateTexture(texture, &rect, band.data(), width * 4) != 0) {
            SDL_DestroyTexture(texture);
            return false;
        }
    }
    SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND);
    bd->FontTexture = texture;
    io.Fonts->SetTexID(static_cast<ImTextureID>(texture));
    return true;
}

} // namespace uketsuke::ui
