#pragma once

// Dear ImGui's SDL_Renderer backend (Debian ships it only as a documentation example, so it is
// compiled here, in sdlrenderer.cpp) and what the terminal adds to it.

#include <imgui_impl_sdlrenderer.h>

namespace uketsuke::ui {

// Uploads the font atlas from its 8-bit pixels, in place of the backend's
// ImGui_ImplSDLRenderer_CreateFontsTexture: that one asks ImGui for an RGBA copy of the whole
// atlas first (4 bytes a pixel, 16 MB at 1920x1080) and hands it to SDL, which copies it once
// more. Here the 8-bit rows are widened a band at a time into a small buffer and uploaded band
// by band, the same texture (RGBA32, white with the glyph's coverage as alpha, blended) with no
// full-size copy. The backend owns the texture as if it had made it (DestroyFontsTexture frees
// it). Needs ImGui_ImplSDLRenderer_Init; returns false if SDL refuses the texture.
bool uploadFontAtlas();

} // namespace uketsuke::ui
