#pragma once

// A frame's draw data made cheaper for SDL's software renderer, drawing the same picture
// (docs/performance.md).

#include <imgui.h>

struct SDL_Renderer;

namespace uketsuke::ui {

// What simplifyForSoftware() changed in one frame (tests read it).
struct SoftDrawStats {
    int solidCommands = 0; // draw commands that now name no texture
    int opaqueRuns = 0;    // runs of opaque triangles drawn without blending
    int opaqueRects = 0;   // opaque rectangles filled without blending
};

// ImGui draws every shape as textured triangles that sample the atlas' white pixel. SDL's
// software renderer samples the texture for each pixel of such a triangle, draws a blended
// triangle into a scratch surface the size of its box and blends that into the frame (a rounded
// button is a fan of triangles around one corner: its box is drawn once per triangle), and
// blends even an opaque rectangle pixel by pixel. So each draw command is split, in the order
// it draws, into:
//
// - runs of triangles that sample the texture (text, pictures), as they were;
// - runs of triangles that only sample the white pixel, with no texture (the same colour: the
//   white pixel is opaque white; SDL's modulation rounded it by up to 2 levels of 255);
// - with a renderer: runs of those that are also opaque, as callback commands that draw them
//   without blending (straight into the frame), and opaque axis-aligned rectangles of at
//   least kMinOpaqueRect pixels, as callback commands that fill them without blending.
//
// The triangles stay as ImGui made them (SDL's rasteriser covers other pixels if they are
// triangulated otherwise). Call it after ImGui::Render(), before the backend draws, with the
// renderer blending (SDL_BLENDMODE_BLEND), as it is left.
inline constexpr float kMinOpaqueRect = 256.0f;
SoftDrawStats simplifyForSoftware(ImDrawData& data, ImVec2 whitePixelUv,
                                  SDL_Renderer* renderer);

} // namespace uketsuke::ui
