#pragma once

// A patient's name on screen. Dear ImGui 1.86 cannot draw characters beyond the BMP (𠮷), so
// names go through the one name renderer (hal/text/text_renderer.hpp), the same that draws the
// slip, and are uploaded as an SDL texture that the Result screen draws with ImGui's image
// calls. A name with a character the font lacks is not shown at all (never tofu or ● in front
// of a patient); the desk flags it.

#include "hal/text/text_renderer.hpp"
#include "ui/screen_models.hpp"

#include <string>

struct SDL_Renderer;
struct SDL_Texture;

namespace uketsuke::ui {

class NameTextures {
public:
    // `text` may be null (the font could not be opened): then no name is ever shown.
    NameTextures(SDL_Renderer* renderer, const hal::text::TextRenderer* text);
    ~NameTextures();
    NameTextures(const NameTextures&) = delete;
    NameTextures& operator=(const NameTextures&) = delete;

    // The image of `utf8` at `pixelSize` (pixels per em) on one line when it is no wider than
    // `maxWidth`; a longer name is wrapped (the 禁則 breaker, words kept whole) onto two lines
    // at `pixelSize`, or if it needs more, at the size that puts it on two, but never smaller
    // than `minPixelSize`: then on as many lines as it takes. Lines are centred in the image.
    // Rendered once and kept while the same name is asked for at the same sizes. An empty
    // image when the name is empty, cannot be drawn faithfully or the upload fails.
    // Thread: main (the renderer's thread).
    NameImage get(const std::string& utf8, int pixelSize, float maxWidth = 1.0e9f,
                  int minPixelSize = 1);

    // Drops the texture and forgets the name (personal data is kept no longer than shown).
    void release();

private:
    SDL_Renderer* m_renderer;
    const hal::text::TextRenderer* m_text;
    SDL_Texture* m_texture = nullptr;
    std::string m_name;
    int m_pixelSize = 0;
    float m_maxWidth = 0.0f;
    int m_minPixelSize = 0;
    NameImage m_image;
};

} // namespace uketsuke::ui
