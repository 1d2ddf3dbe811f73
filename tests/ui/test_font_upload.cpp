// The font atlas upload (ui/imgui_backend/sdlrenderer.hpp): the texture made band by band from
// the 8-bit atlas holds exactly what the backend's own upload made from ImGui's RGBA copy.

#include "ui/imgui_backend/sdlrenderer.hpp"

#include <catch2/catch.hpp>

#include <SDL.h>
#include <imgui.h>

#include <cstring>
#include <vector>

namespace uketsuke::ui {
namespace {

TEST_CASE("the font atlas is uploaded from its 8-bit pixels as the backend's RGBA would be",
          "[fonts]")
{
    IMGUI_CHECKVERSION();
    ImGuiContext* context = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    // Rows not a multiple of the upload's bands: the last band is a short one.
    io.Fonts->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    io.Fonts->TexDesiredWidth = 256;
    ImFontConfig config;
    for (float size : {13.0f, 26.0f, 39.0f}) {
        config.SizePixels = size;
        io.Fonts->AddFontDefault(&config);
    }
    unsigned char* alpha = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsAlpha8(&alpha, &width, &height);
    REQUIRE(width == 256);
    REQUIRE(height > 64);
    REQUIRE(height % 64 != 0);

    SDL_Surface* target = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32,
                                                         SDL_PIXELFORMAT_RGBA32);
    REQUIRE(target != nullptr);
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(target);
    REQUIRE(renderer != nullptr);
    REQUIRE(ImGui_ImplSDLRenderer_Init(renderer));
    REQUIRE(uploadFontAtlas());
    auto* texture = static_cast<SDL_Texture*>(io.Fonts->TexID);
    REQUIRE(texture != nullptr);
    SDL_BlendMode blend = SDL_BLENDMODE_NONE;
    SDL_GetTextureBlendMode(texture, &blend);
    CHECK(blend == SDL_BLENDMODE_BLEND);

    // Copy the texture as it is (no blending) and compare it with ImGui's own RGBA copy.
    SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_NONE);
    REQUIRE(SDL_RenderCopy(renderer, texture, nullptr, nullptr) == 0);
    SDL_RenderPresent(renderer);
    unsigned char* rgba = nullptr;
    io.Fonts->GetTexDataAsRGBA32(&rgba, &width, &height);
    REQUIRE(rgba != nullptr);
    std::size_t differing = 0;
    for (int y = 0; y < height; ++y) {
        const auto* row = static_cast<const unsigned char*>(target->pixels) +
                          static_cast<std::ptrdiff_t>(y) * target->pitch;
        if (std::memcmp(row, rgba + static_cast<std::size_t>(y) * width * 4,
                        static_cast<std::size_t>(width) * 4) != 0) {
            ++differing;
        }
    }
    CHECK(differing == 0);

    // Uploading again (large text rebuilds the atlas) replaces the texture the backend owns.
    REQUIRE(uploadFontAtlas());
    CHECK(io.Fonts->TexID != nullptr);
    ImGui_ImplSDLRenderer_Shutdown();
    CHECK(io.Fonts->TexID == nullptr);
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(target);
    ImGui::DestroyContext(context);
}

} // namespace
} // namespace uketsuke::ui
