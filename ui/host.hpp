#pragma once

// The SDL window, renderer and Dear ImGui context the screens draw into, for the real kiosk and
// for headless runs alike (docs/screens.md): headless uses SDL's offscreen video driver and
// the software renderer, so tests and scripted runs draw exactly the pixels a clinic sees and
// can save them as PNG (read back before present, stb_image_write).
//
// Thread: main only, like everything SDL and ImGui.

#include "base/result.hpp"
#include "hal/text/text_renderer.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/model/strings.hpp"
#include "ui/fonts.hpp"
#include "ui/intents.hpp"
#include "ui/name_texture.hpp"
#include "ui/screen_models.hpp"
#include "ui/screens/screens.hpp"
#include "ui/theme.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct SDL_Window;
struct SDL_Renderer;
typedef union SDL_Event SDL_Event;

namespace uketsuke::ui {

// Which SDL renderer draws the screens.
enum class RendererKind {
    Software,    // SDL's software renderer into the window's framebuffer: no OpenGL loaded
    Accelerated, // SDL's OpenGL (ES) renderer
};

// The renderer `setting` (ui.renderer) gives on the video driver `driver`
// (SDL_GetCurrentVideoDriver()): Software and Accelerated are taken as they are; Auto is
// software where the driver has a framebuffer of its own ("x11", "offscreen", "dummy") and
// accelerated where SDL would show even a software frame through OpenGL ("kmsdrm", "wayland"),
// and software on a driver not named here. Names are compared in lower case (SDL says
// "KMSDRM" on some builds). Headless runs always draw in software (their
// pixels are the reference; HostOptions::headless).
RendererKind chooseRenderer(kiosk::config::Renderer setting, std::string_view driver);
// `text` with ASCII letters in lower case.
std::string lowerCase(std::string_view text);

struct HostOptions {
    std::string title = "Uketsuke";
    int width = 1280;
    int height = 800;
    bool fullscreen = false;
    // Offscreen video driver (unless SDL_VIDEODRIVER says otherwise) and the software renderer.
    bool headless = false;
    // ui.renderer, for a window (not headless).
    kiosk::config::Renderer renderer = kiosk::config::Renderer::Auto;
    FontFiles fonts;
    // The folder the built font atlases are kept in (FontLibrary::setCacheDir); empty: none.
    std::string fontCache;
    hal::text::FontConfig nameFont;
    // Every table a screen may draw from, the default first: the atlas holds their characters
    // and the language picker offers them in this order.
    std::vector<const kiosk::model::StringTable*> tables;
};

// Input for one frame, applied between ImGui_ImplSDL2_NewFrame() and ImGui::NewFrame().
struct FrameInput {
    // Headless scripts: the mouse is exactly this for the frame.
    bool driveMouse = false;
    ImVec2 mousePos{-1.0e30f, -1.0e30f};
    bool mouseDown = false;
    // Real input: ignore presses (just after a screen change, against double taps), and forget
    // the pointer position (the frame after a touch was released, so no button stays hot).
    bool blockPress = false;
    bool forgetPosition = false;
    // Tests: keep the frame's pixels in FrameOutput::pixels (read back before present).
    bool keepPixels = false;
    // Tests: hand ImGui's triangles to the renderer as they are (no simplifyForSoftware), to
    // compare the pixels.
    bool plainDrawing = false;
    // Nothing but the animated rectangles (animatedRects(), the spinner) changed since the last
    // frame: a renderer that keeps its frame (software) redraws and presents only those. The
    // host draws the whole frame anyway when it cannot tell (first frame, new size, new fonts).
    bool animationOnly = false;
};

// A frame's pixels, RGB, row after row.
struct Pixels {
    int width = 0;
    int height = 0;
    std::vector<unsigned char> rgb;
};

struct FrameOutput {
    Intents intents;
    std::optional<Error> captureError;
    Pixels pixels; // when FrameInput::keepPixels
};

// Sets what the process's environment should say before SDL starts, where nothing else set it
// (an integrator's own value stays): XCOMPOSEFILE=/dev/null, since Xlib reads and parses the
// locale's whole Compose table (twice, about 20 ms of the start) when SDL opens its input method
// on X11, and a touch terminal composes no dead-key sequences. Call it before any thread starts:
// setenv() is not safe beside getenv() in another thread.
void prepareEnvironment();

// Pushes an SDL user event with `code` when a Host has SDL's event queue running, and does
// nothing otherwise (before the window opens, after it closed). Thread: any; a shutdown waits
// for a push in progress, so a worker can never push into a queue being torn down.
void pushUserEvent(int code);

// Wakes a Host::waitForWake() in progress (or makes the next one return at once). Thread: any;
// async-signal-safe (one write to an eventfd).
void wakeHost();

class Host {
public:
    // Initialises SDL video, opens the window (full screen, windowed or offscreen), creates the
    // renderer and ImGui, and builds the fonts. Errors: ConfigMissing / ConfigInvalid (fonts),
    // Internal (SDL could not start: the message says what SDL said).
    static Result<std::unique_ptr<Host>> create(const HostOptions& options);
    ~Host();
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    const Theme& theme() const { return m_theme; }
    // Large text and high contrast for the frames that follow (the patient's choice, from the
    // flow's State::display): the theme changes at once; large text also changes the font
    // library's scale, and the next frame() builds the atlas again before it draws.
    void setDisplay(DisplayMode mode);
    DisplayMode display() const { return m_mode; }
    // The default language's fonts, and those `table`'s words are drawn with.
    const FontSet& fonts() const { return m_fonts.defaultSet(); }
    const FontSet& fontsFor(const kiosk::model::StringTable& table) const
    {
        return m_fonts.forTable(table);
    }
    SDL_Window* window() const { return m_window; }
    SDL_Renderer* renderer() const { return m_renderer; }
    // SDL_GetCurrentVideoDriver() in lower case: "x11", "wayland", "kmsdrm", "offscreen", ...
    std::string videoDriver() const;
    // Whether SDL_WaitEventTimeout really sleeps on this driver (docs/performance.md); dummy,
    // offscreen and kmsdrm wake every millisecond: the shell sleeps in waitForWake() instead.
    bool waitsForReal() const;

    // Which renderer draws (chooseRenderer(), or software when no accelerated one started).
    RendererKind rendererKind() const { return m_rendererKind; }

    // For drivers whose SDL wait does not sleep (waitsForReal() false): blocks in poll() until
    // `deadline`, a pushUserEvent()/wakeHost(), or input on the evdev devices SDL reads
    // (/dev/input/event*, kmsdrm), and returns; the caller then takes SDL's events.
    void waitForWake(std::chrono::steady_clock::time_point deadline);

    // Large text: every font size times `scale` (1.0: the theme's). The atlas is built again at
    // that scale before the next frame (FontLibrary::setScale()). Thread: main.
    void setFontScale(float scale) { m_fonts.setScale(scale); }
    float fontScale() const { return m_fonts.scale(); }
    // Makes sure the atlas holds `table`'s characters (built again now when it did not: the
    // atlas starts with the default language's). frame() does it for the table it draws.
    // Errors: those of FontLibrary::rebuild().
    Result<void> useLanguage(const kiosk::model::StringTable& table);
    // How many times the atlas was built or read from the cache (1 after create()).
    int atlasBuilds() const { return m_atlasBuilds; }
    const FontLibrary& fontLibrary() const { return m_fonts; }

    // Passes an SDL event to the ImGui platform backend.
    void processEvent(const SDL_Event& event);

    // The context for a patient's screen drawn this frame with `strings`: the display above
    // the strip (every patient screen has one, so their layouts shrink once, whatever it holds).
    ScreenContext screenContext(const kiosk::model::StringTable& strings, double seconds) const;
    // The whole display: the staff screens and the not-ready screen, which have no strip.
    ScreenContext fullScreenContext(const kiosk::model::StringTable& strings,
                                    double seconds) const;
    // The strip along the bottom (theme.stripHeight).
    ScreenContext stripContext(const kiosk::model::StringTable& strings) const;

    // Draws one frame of `model` (and the strip when given), presents it, and returns what was
    // pressed. When `capturePath` is not empty the frame is also written there as a PNG, read
    // back before present.
    FrameOutput frame(ScreenModel model, const std::optional<StripModel>& strip,
                      const FrameInput& input, const std::string& capturePath = {});

    // Writes the current back buffer as PNG (call only between render and present: frame()
    // does). Errors: Internal (read-back failed), StorageError (cannot write the file).
    Result<void> capture(const std::string& path);
    // The current back buffer (the same moment). Errors: Internal (read-back failed).
    Result<Pixels> readPixels();

private:
    Host() = default;
    Result<void> init(const HostOptions& options);
    // Builds the atlas again when stale and uploads it; the next frame is drawn whole.
    Result<void> refreshFonts();
    void updateNameSize();
    void openInputs();

    SDL_Window* m_window = nullptr;
    SDL_Renderer* m_renderer = nullptr;
    bool m_sdlStarted = false;
    bool m_imguiStarted = false;
    bool m_platformStarted = false;
    bool m_rendererStarted = false;
    Theme m_theme;
    ImVec2 m_displaySize{0.0f, 0.0f};
    float m_dpi = 0.0f;
    DisplayMode m_mode;
    FontLibrary m_fonts;
    std::vector<LanguageChoice> m_languages; // from HostOptions::tables
    std::optional<hal::text::TextRenderer> m_text;
    std::unique_ptr<NameTextures> m_names;
    int m_namePixelSize = 0; // the name renderer's em that matches the title font
    int m_minNamePixelSize = 0; // the em of theme.minNamePx: a longer name wraps instead
    RendererKind m_rendererKind = RendererKind::Software;
    int m_atlasBuilds = 0;
    // Whether the renderer's frame still holds the last frame drawn (software renderer, same
    // size, same fonts): an animation-only frame may then redraw only its rectangles.
    bool m_frameKept = false;
    int m_keptWidth = 0;
    int m_keptHeight = 0;
    std::vector<int> m_inputFds; // evdev devices polled by waitForWake() (kmsdrm)
};

} // namespace uketsuke::ui
