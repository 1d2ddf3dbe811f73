#include "ui/soft_draw.hpp"

#include <SDL.h>

#include <algorithm>
#include <cmath>

namespace uketsuke::ui {

namespace {

bool samplesWhite(const ImDrawVert& v, ImVec2 white)
{
    return v.uv.x == white.x && v.uv.y == white.y;
}

bool opaque(const ImDrawVert& v)
{
    return (v.col & IM_COL32_A_MASK) == IM_COL32_A_MASK;
}

// Whether triangles t and t+1 are an opaque axis-aligned rectangle of one colour, as ImGui
// writes one ((a, b, c), (a, c, d)), of at least kMinOpaqueRect pixels.
bool opaqueRect(const ImDrawIdx* idx, const ImDrawVert* vtx, int t, int count)
{
    if (t + 1 >= count) {
        return false;
    }
    const ImDrawIdx* i = idx + 3 * t;
    if (i[3] != i[0] || i[4] != i[2]) {
        return false;
    }
    const ImDrawVert& a = vtx[i[0]];
    const ImDrawVert& b = vtx[i[1]];
    const ImDrawVert& c = vtx[i[2]];
    const ImDrawVert& d = vtx[i[5]];
    if (!opaque(a) || b.col != a.col || c.col != a.col || d.col != a.col) {
        return false;
    }
    // a and c are opposite corners; b and d share a coordinate with each, either way round.
    const bool across = b.pos.y == a.pos.y && b.pos.x == c.pos.x && d.pos.x == a.pos.x &&
                        d.pos.y == c.pos.y;
    const bool down = b.pos.x == a.pos.x && b.pos.y == c.pos.y && d.pos.y == a.pos.y &&
                      d.pos.x == c.pos.x;
    if (!across && !down) {
        return false;
    }
    const float area = (c.pos.x - a.pos.x) * (c.pos.y - a.pos.y);
    return std::abs(area) >= kMinOpaqueRect;
}

// The command's clip rectangle on the renderer, projected as the backend projects its own
// commands'. False if nothing of it is on the screen.
bool clipTo(SDL_Renderer* renderer, const ImDrawCmd& cmd)
{
    const ImDrawData* data = ImGui::GetDrawData();
    if (data == nullptr) {
        return false;
    }
    float rsx = 1.0f;
    float rsy = 1.0f;
    SDL_RenderGetScale(renderer, &rsx, &rsy);
    const ImVec2 scale(rsx == 1.0f ? data->FramebufferScale.x : 1.0f,
                       rsy == 1.0f ? data->FramebufferScale.y : 1.0f);
    const auto fbWidth = static_cast<float>(static_cast<int>(data->DisplaySize.x * scale.x));
    const auto fbHeight = static_cast<float>(static_cast<int>(data->DisplaySize.y * scale.y));
    const ImVec2 lo(std::max(0.0f, (cmd.ClipRect.x - data->DisplayPos.x) * scale.x),
                    std::max(0.0f, (cmd.ClipRect.y - data->DisplayPos.y) * scale.y));
    const ImVec2 hi(std::min(fbWidth, (cmd.ClipRect.z - data->DisplayPos.x) * scale.x),
                    std::min(fbHeight, (cmd.ClipRect.w - data->DisplayPos.y) * scale.y));
    if (hi.x <= lo.x || hi.y <= lo.y) {
        return false;
    }
    const SDL_Rect clip{static_cast<int>(lo.x), static_cast<int>(lo.y),
                        static_cast<int>(hi.x - lo.x), static_cast<int>(hi.y - lo.y)};
    SDL_RenderSetClipRect(renderer, &clip);
    return true;
}

// Callback commands of simplifyForSoftware(); the renderer is in UserCallbackData. Both leave
// the renderer blending, as the triangles without a texture around them need.

// Opaque triangles of no texture, drawn without blending: SDL writes them straight into the
// frame instead of into a scratch surface the size of each triangle's box that it then blends.
void drawOpaque(const ImDrawList* list, const ImDrawCmd* cmd)
{
    auto* renderer = static_cast<SDL_Renderer*>(cmd->UserCallbackData);
    if (renderer == nullptr || !clipTo(renderer, *cmd)) {
        return;
    }
    const ImDrawVert* vtx = list->VtxBuffer.Data + cmd->VtxOffset;
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
    SDL_RenderGeometryRaw(renderer, nullptr, &vtx->pos.x, static_cast<int>(sizeof(ImDrawVert)),
                          reinterpret_cast<const SDL_Color*>(&vtx->col),
                          static_cast<int>(sizeof(ImDrawVert)), &vtx->uv.x,
                          static_cast<int>(sizeof(ImDrawVert)),
                          list->VtxBuffer.Size - static_cast<int>(cmd->VtxOffset),
                          list->IdxBuffer.Data + cmd->IdxOffset,
                          static_cast<int>(cmd->ElemCount), static_cast<int>(sizeof(ImDrawIdx)));
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND);
}

// An opaque rectangle (two triangles, (a, b, c), (a, c, d)): the rectangle SDL's software
// renderer would fill for them (top-left corner, bottom-right minus it), without blending.
void fillOpaqueRect(const ImDrawList* list, const ImDrawCmd* cmd)
{
    auto* renderer = static_cast<SDL_Renderer*>(cmd->UserCallbackData);
    if (renderer == nullptr || !clipTo(renderer, *cmd)) {
        return;
    }
    const ImDrawVert* vtx = list->VtxBuffer.Data + cmd->VtxOffset;
    const ImDrawIdx* idx = list->IdxBuffer.Data + cmd->IdxOffset;
    const ImVec2 a = vtx[idx[0]].pos;
    const ImVec2 c = vtx[idx[2]].pos;
    const ImU32 col = vtx[idx[0]].col;
    const ImVec2 lo(std::min(a.x, c.x), std::min(a.y, c.y));
    const ImVec2 hi(std::max(a.x, c.x), std::max(a.y, c.y));
    const SDL_FRect area{lo.x, lo.y, hi.x - lo.x, hi.y - lo.y};
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(renderer, static_cast<Uint8>(col >> IM_COL32_R_SHIFT),
                           static_cast<Uint8>(col >> IM_COL32_G_SHIFT),
                           static_cast<Uint8>(col >> IM_COL32_B_SHIFT), 255);
    SDL_RenderFillRectF(renderer, &area);
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND);
}

} // namespace

SoftDrawStats simplifyForSoftware(ImDrawData& data, ImVec2 whitePixelUv, SDL_Renderer* renderer)
{
    SoftDrawStats stats;
    enum class Kind { Textured, Solid, Opaque };
    for (int n = 0; n < data.CmdListsCount; ++n) {
        ImDrawList& list = *data.CmdLists[n];
        ImVector<ImDrawCmd> commands;
        commands.reserve(list.CmdBuffer.Size * 2);
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            if (cmd.UserCallback != nullptr || cmd.ElemCount < 3) {
                commands.push_back(cmd);
                continue;
            }
            const ImDrawVert* vtx = list.VtxBuffer.Data + cmd.VtxOffset;
            const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
            const int triangles = static_cast<int>(cmd.ElemCount / 3);
            auto kindOf = [&](int t) {
                const ImDrawVert& a = vtx[idx[3 * t]];
                const ImDrawVert& b = vtx[idx[3 * t + 1]];
                const ImDrawVert& c = vtx[idx[3 * t + 2]];
                if (!samplesWhite(a, whitePixelUv) || !samplesWhite(b, whitePixelUv) ||
                    !samplesWhite(c, whitePixelUv)) {
                    return Kind::Textured;
                }
                const bool allOpaque = opaque(a) && opaque(b) && opaque(c);
                return allOpaque && renderer != nullptr ? Kind::Opaque : Kind::Solid;
            };
            auto part = [&](int from, int to) {
                ImDrawCmd piece = cmd;
                piece.IdxOffset = cmd.IdxOffset + static_cast<unsigned>(3 * from);
                piece.ElemCount = static_cast<unsigned>(3 * (to - from));
                return piece;
            };
            int runStart = 0;
            Kind runKind = kindOf(0);
            auto closeRun = [&](int end) {
                if (end == runStart) {
                    return;
                }
                ImDrawCmd piece = part(runStart, end);
                if (runKind != Kind::Textured) {
                    piece.TextureId = nullptr;
                    ++stats.solidCommands;
                }
                if (runKind == Kind::Opaque) {
                    piece.UserCallback = drawOpaque;
                    piece.UserCallbackData = renderer;
                    ++stats.opaqueRuns;
                }
                commands.push_back(piece);
            };
            for (int t = 0; t < triangles;) {
                const Kind kind = kindOf(t);
                if (kind == Kind::Opaque && opaqueRect(idx, vtx, t, triangles)) {
                    closeRun(t);
                    ImDrawCmd fill = part(t, t + 2);
                    fill.TextureId = nullptr;
                    fill.UserCallback = fillOpaqueRect;
                    fill.UserCallbackData = renderer;
                    commands.push_back(fill);
                    ++stats.opaqueRects;
                    t += 2;
                    runStart = t;
                    runKind = t < triangles ? kindOf(t) : kind;
                    continue;
                }
                if (kind != runKind) {
                    closeRun(t);
                    runStart = t;
                    runKind = kind;
                }
                ++t;
            }
            closeRun(triangles);
        }
        list.CmdBuffer.swap(commands);
    }
    return stats;
}

} // namespace uketsuke::ui
