#include "ui/host.hpp"

#include "base/log.hpp"
#include "ui/imgui_backend/sdlrenderer.hpp"
#include "ui/soft_draw.hpp"
#include "ui/widgets.hpp"

#include <SDL.h>
#include <imgui_impl_sdl.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <vector>

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace uketsuke::ui {
namespace {

const log::Category kLog("ui.host");

// Whether SDL's event queue may take pushes from other threads (see pushUserEvent).
struct EventGate {
    std::mutex mutex;
    bool open = false;
};
EventGate g_events;

void setEventsOpen(bool open)
{
    std::lock_guard lock(g_events.mutex);
    g_events.open = open;
}

// The eventfd waitForWake() sleeps on: written by every pushUserEvent() and wakeHost(). One
// for the process, made before main() runs threads (never closed).
int wakeFd()
{
    static const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return fd;
}
const int g_wakeFdMade = wakeFd();

void drain(int fd)
{
    char buffer[512];
    while (::read(fd, buffer, sizeof buffer) > 0) {
    }
}

Unexpected<Error> sdlFailure(const std::string& what)
{
    return fail(Errc::Internal, what + ": " + SDL_GetError());
}

} // namespace

void pushUserEvent(int code)
{
    std::lock_guard lock(g_events.mutex);
    if (!g_events.open) {
        return;
    }
    SDL_Event event{};
    event.type = SDL_USEREVENT;
    event.user.code = code;
    SDL_PushEvent(&event);
    wakeHost();
}

void wakeHost()
{
    if (g_wakeFdMade >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto written = ::write(g_wakeFdMade, &one, sizeof one);
    }
}

std::string lowerCase(std::string_view text)
{
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

RendererKind chooseRenderer(kiosk::config::Renderer setting, std::string_view driverName)
{
    // SDL names the KMS/DRM driver "KMSDRM" on some builds (docs/image.md).
    const std::string driver = lowerCase(driverName);
    switch (setting) {
    case kiosk::config::Renderer::Software:
        return RendererKind::Software;
    case kiosk::config::Renderer::Accelerated:
        return RendererKind::Accelerated;
    case kiosk::config::Renderer::Auto:
        break;
    }
    // SDL 2.26 has no framebuffer of its own for these: a software frame would go through an
    // OpenGL (ES) texture anyway, so the software renderer would only add a copy.
    if (driver == "kmsdrm" || driver == "wayland") {
        return RendererKind::Accelerated;
    }
    return RendererKind::Software;
}

void prepareEnvironment()
{
    ::setenv("XCOMPOSEFILE", "/dev/null", 0);
}

Result<std::unique_ptr<Host>> Host::create(const HostOptions& options)
{
    std::unique_ptr<Host> host(new Host());
    auto started = host->init(options);
    if (!started) {
        return fail(started.error());
    }
    return host;
}

Result<void> Host::init(const HostOptions& options)
{
    if (options.headless) {
        // An explicit SDL_VIDEODRIVER (say, x11 to watch a script run) wins.
        if (std::getenv("SDL_VIDEODRIVER") == nullptr) {
            SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
        }
    }
    // Touch arrives as mouse events (the ImGui 1.86 backend has no finger handling).
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    // Only video (and events): no joystick, game controller or sensor for SDL to poll.
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        return sdlFailure("SDL_Init");
    }
    m_sdlStarted = true;
    setEventsOpen(true);

    m_rendererKind = options.headless ? RendererKind::Software
                                      : chooseRenderer(options.renderer, videoDriver());
    if (m_rendererKind == RendererKind::Software) {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        // The software renderer draws straight into the window's own framebuffer (X11 shared
        // memory, offscreen): no GL/EGL behind it, so Mesa is never loaded.
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }

    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    if (options.fullscreen && !options.headless) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    }
    m_window = SDL_CreateWindow(options.title.c_str(), SDL_WINDOWPOS_CENTERED,
                                SDL_WINDOWPOS_CENTERED, options.width, options.height, flags);
    if (m_window == nullptr) {
        return sdlFailure("SDL_CreateWindow");
    }
    if (m_rendererKind == RendererKind::Software) {
        m_renderer = SDL_CreateRenderer(m_window, -1, SDL_RENDERER_SOFTWARE);
    } else {
        m_renderer = SDL_CreateRenderer(m_window, -1,
                                        SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
        if (m_renderer == nullptr) {
            UKETSUKE_LOG(kLog, Warn) << "no accelerated renderer (" << SDL_GetError()
                                     << "), using software";
            m_rendererKind = RendererKind::Software;
            m_renderer = SDL_CreateRenderer(m_window, -1, SDL_RENDERER_SOFTWARE);
        }
    }
    if (m_renderer == nullptr) {
        return sdlFailure("SDL_CreateRenderer");
    }
    if (options.fullscreen && !options.headless) {
        SDL_ShowCursor(SDL_DISABLE); // a touch kiosk shows no pointer
    }

    int w = 0;
    int h = 0;
    SDL_GetWindowSize(m_window, &w, &h);
    float dpi = 0.0f;
    if (!options.headless) {
        float ddpi = 0.0f;
        if (SDL_GetDisplayDPI(SDL_GetWindowDisplayIndex(m_window), &ddpi, nullptr, nullptr) == 0 &&
            ddpi > 50.0f && ddpi < 600.0f) {
            dpi = ddpi;
        }
    }
    m_displaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    m_dpi = dpi;
    m_theme = makeTheme(m_displaySize, m_dpi, m_mode);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    m_imguiStarted = true;
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // nothing is saved: every start looks the same
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
    applyTheme(m_theme, ImGui::GetStyle());

    m_fonts.setCacheDir(options.fontCache);
    auto fonts = m_fonts.load(*io.Fonts, options.fonts, m_theme, options.tables);
    if (!fonts) {
        return fonts;
    }
    ++m_atlasBuilds;
    // The picker names each language in its own words, in the order of the tables.
    for (const auto* table : options.tables) {
        if (table == nullptr) {
            continue;
        }
        if (m_languages.size() == static_cast<std::size_t>(kMaxLanguages)) {
            UKETSUKE_LOG(kLog, Warn) << "more than " << kMaxLanguages
                                     << " languages: the picker leaves out " << table->lang();
            continue;
        }
        m_languages.push_back({table->lang(), table->tr("language.name"), &fontsFor(*table)});
    }
    if (!ImGui_ImplSDL2_InitForSDLRenderer(m_window)) {
        return fail(Errc::Internal, "ImGui SDL2 backend did not start");
    }
    m_platformStarted = true;
    if (!ImGui_ImplSDLRenderer_Init(m_renderer)) {
        return fail(Errc::Internal, "ImGui SDL_Renderer backend did not start");
    }
    m_rendererStarted = true;
    // The atlas is uploaded once, now, from its 8-bit pixels (no RGBA copy of the whole atlas);
    // then the 8-bit copy is freed: only the SDL texture stays.
    if (!uploadFontAtlas()) {
        return fail(Errc::Internal, "ImGui could not upload the font atlas");
    }
    io.Fonts->ClearTexData();
    // FreeType's and the atlas builder's freed memory goes back to the system, not kept in the
    // heap for nothing (glibc keeps freed small blocks otherwise).
    ::malloc_trim(0);
    SDL_RendererInfo info{};
    SDL_GetRendererInfo(m_renderer, &info);
    if ((info.max_texture_width > 0 && io.Fonts->TexWidth > info.max_texture_width) ||
        (info.max_texture_height > 0 && io.Fonts->TexHeight > info.max_texture_height)) {
        UKETSUKE_LOG(kLog, Warn) << "font atlas " << io.Fonts->TexWidth << "x"
                                 << io.Fonts->TexHeight << " exceeds the renderer's "
                                 << info.max_texture_width << "x" << info.max_texture_height;
    }

    auto text = hal::text::TextRenderer::open(options.nameFont);
    if (text) {
        m_text.emplace(std::move(*text));
    } else {
        UKETSUKE_LOG(kLog, Warn) << "name renderer unavailable, names will not be shown: "
                                 << text.error().message;
    }
    m_names = std::make_unique<NameTextures>(m_renderer, m_text ? &*m_text : nullptr);
    updateNameSize();
    if (!waitsForReal()) {
        openInputs();
    }
    UKETSUKE_LOG(kLog, Info) << "display " << w << "x" << h << " via " << videoDriver() << "/"
                             << (info.name != nullptr ? info.name : "?") << ", text "
                             << m_theme.textPx << " px, buttons " << m_theme.buttonHeight
                             << " px";
    return ok();
}

void Host::updateNameSize()
{
    // ImGui's FreeType size is the ascender-to-descender height; the name renderer takes pixels
    // per em. Match them so the name and the honorific after it are the same size.
    float emPerLine = 0.69f;
    if (m_text) {
        // 500: render() takes at most hal::text::kMaxPixelSize (512) pixels per em.
        if (auto line = m_text->lineHeight(500); line && *line > 0) {
            emPerLine = 500.0f / static_cast<float>(*line);
        }
    }
    m_namePixelSize = static_cast<int>(std::lround(m_theme.titlePx * emPerLine));
    // Rounded up: a wrapped name's lines are never lower than theme.minNamePx.
    m_minNamePixelSize = std::min(
        m_namePixelSize, static_cast<int>(std::ceil(m_theme.minNamePx * emPerLine)));
}

void Host::setDisplay(DisplayMode mode)
{
    if (mode == m_mode) {
        return;
    }
    m_mode = mode;
    m_theme = makeTheme(m_displaySize, m_dpi, mode);
    applyTheme(m_theme, ImGui::GetStyle());
    // Large text: the atlas is built again at this scale before the next frame (refreshFonts).
    m_fonts.setScale(ui::fontScale(mode));
    updateNameSize();
    m_frameKept = false;
    UKETSUKE_LOG(kLog, Info) << "display: large text " << (mode.largeText ? "on" : "off")
                             << ", high contrast " << (mode.highContrast ? "on" : "off");
}

Host::~Host()
{
    for (int fd : m_inputFds) {
        ::close(fd);
    }
    m_names.reset();
    if (m_rendererStarted) {
        ImGui_ImplSDLRenderer_Shutdown();
    }
    if (m_platformStarted) {
        ImGui_ImplSDL2_Shutdown();
    }
    if (m_imguiStarted) {
        ImGui::DestroyContext();
    }
    if (m_renderer != nullptr) {
        SDL_DestroyRenderer(m_renderer);
    }
    if (m_window != nullptr) {
        SDL_DestroyWindow(m_window);
    }
    if (m_sdlStarted) {
        setEventsOpen(false);
        SDL_Quit();
    }
}

std::string Host::videoDriver() const
{
    const char* driver = SDL_GetCurrentVideoDriver();
    return lowerCase(driver != nullptr ? driver : ""); // "KMSDRM" on some SDL builds
}

bool Host::waitsForReal() const
{
    std::string driver = videoDriver();
    return driver != "dummy" && driver != "offscreen" && driver != "kmsdrm" &&
           driver != "evdev";
}

void Host::openInputs()
{
    // Only where SDL reads the devices itself (kmsdrm, evdev): elsewhere input arrives through
    // the display server, or not at all (offscreen, dummy).
    const std::string driver = videoDriver();
    if (driver != "kmsdrm" && driver != "evdev") {
        return;
    }
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/dev/input", ec)) {
        if (entry.path().filename().string().rfind("event", 0) != 0) {
            continue;
        }
        // Our own reader of each device: every open file gets every event, so draining ours
        // takes nothing from SDL's.
        int fd = ::open(entry.path().c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) {
            m_inputFds.push_back(fd);
        }
    }
    UKETSUKE_LOG(kLog, Info) << "idle wait: " << m_inputFds.size() << " input device(s)";
}

void Host::waitForWake(std::chrono::steady_clock::time_point deadline)
{
    const auto now = std::chrono::steady_clock::now();
    if (deadline <= now) {
        return;
    }
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
    std::vector<pollfd> fds;
    fds.reserve(m_inputFds.size() + 1);
    if (g_wakeFdMade >= 0) {
        fds.push_back(pollfd{g_wakeFdMade, POLLIN, 0});
    }
    for (int fd : m_inputFds) {
        fds.push_back(pollfd{fd, POLLIN, 0});
    }
    int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(ms, 60000)));
    if (ready <= 0) {
        return; // the deadline, or a signal (whose handler woke us through wakeHost())
    }
    for (const auto& fd : fds) {
        if ((fd.revents & POLLIN) != 0) {
            drain(fd.fd);
        }
    }
}

Result<void> Host::useLanguage(const kiosk::model::StringTable& table)
{
    m_fonts.use(table);
    return refreshFonts();
}

Result<void> Host::refreshFonts()
{
    if (!m_fonts.stale()) {
        return ok();
    }
    ImGuiIO& io = ImGui::GetIO();
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    auto built = m_fonts.rebuild(*io.Fonts);
    if (!built) {
        return built;
    }
    ++m_atlasBuilds;
    if (!uploadFontAtlas()) {
        return fail(Errc::Internal, "ImGui could not upload the font atlas");
    }
    io.Fonts->ClearTexData();
    ::malloc_trim(0);
    m_frameKept = false;
    return ok();
}

void Host::processEvent(const SDL_Event& event)
{
    ImGui_ImplSDL2_ProcessEvent(&event);
}

ScreenContext Host::fullScreenContext(const kiosk::model::StringTable& strings,
                                      double seconds) const
{
    ScreenContext ctx;
    ctx.strings = &strings;
    ctx.theme = &m_theme;
    ctx.fonts = &m_fonts.forTable(strings);
    ctx.languages = &m_languages;
    ctx.origin = ImVec2(0.0f, 0.0f);
    ctx.size = m_theme.display;
    ctx.seconds = seconds;
    return ctx;
}

ScreenContext Host::screenContext(const kiosk::model::StringTable& strings, double seconds) const
{
    ScreenContext ctx = fullScreenContext(strings, seconds);
    ctx.size.y -= m_theme.stripHeight;
    return ctx;
}

ScreenContext Host::stripContext(const kiosk::model::StringTable& strings) const
{
    ScreenContext ctx = fullScreenContext(strings, 0.0);
    ctx.origin = ImVec2(0.0f, m_theme.display.y - m_theme.stripHeight);
    ctx.size = ImVec2(m_theme.display.x, m_theme.stripHeight);
    return ctx;
}

FrameOutput Host::frame(ScreenModel model, const std::optional<StripModel>& strip,
                        const FrameInput& input, const std::string& capturePath)
{
    FrameOutput out;
    // The words of this frame's language in the atlas, at the scale asked for (a language's
    // first frame, or large text switched: built again now, drawn whole).
    if (const auto* strings = contextOf(model).strings; strings != nullptr) {
        m_fonts.use(*strings);
    }
    if (auto fonts = refreshFonts(); !fonts) {
        UKETSUKE_LOG(kLog, Error) << "font atlas: " << fonts.error().message;
    }
    animatedRects().clear();
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    if (input.driveMouse) {
        io.MousePos = input.mousePos;
        for (bool& down : io.MouseDown) {
            down = false;
        }
        io.MouseDown[0] = input.mouseDown;
    } else {
        if (input.forgetPosition) {
            io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        }
        if (input.blockPress) {
            for (bool& down : io.MouseDown) {
                down = false;
            }
        }
    }
    ImGui::NewFrame();

    ScreenContext& ctx = contextOf(model);
    ctx.shownKeys = &out.intents.shownKeys;
    if (auto* result = std::get_if<ResultModel>(&model)) {
        result->name = m_names->get(result->patientName.reveal(), m_namePixelSize,
                                    resultNameWidth(*result), m_minNamePixelSize);
    } else {
        m_names->release();
    }
    drawScreen(model, out.intents);
    if (strip) {
        StripModel bar = *strip;
        bar.ui.shownKeys = &out.intents.shownKeys;
        drawStrip(bar, out.intents);
    }
    ImGui::Render();
    ImDrawData* drawData = ImGui::GetDrawData();

    int outW = 0;
    int outH = 0;
    SDL_GetRendererOutputSize(m_renderer, &outW, &outH);
    // Only the animated rectangles when nothing else changed and the renderer still holds the
    // last frame: every draw command is clipped to their union, the rest is left as it was.
    std::optional<SDL_Rect> dirty;
    if (input.animationOnly && m_frameKept && outW == m_keptWidth && outH == m_keptHeight &&
        !animatedRects().empty()) {
        ImVec2 lo = animatedRects().front().min;
        ImVec2 hi = animatedRects().front().max;
        for (const auto& r : animatedRects()) {
            lo = ImVec2(std::min(lo.x, r.min.x), std::min(lo.y, r.min.y));
            hi = ImVec2(std::max(hi.x, r.max.x), std::max(hi.y, r.max.y));
        }
        const int x0 = std::clamp(static_cast<int>(std::floor(lo.x)), 0, outW);
        const int y0 = std::clamp(static_cast<int>(std::floor(lo.y)), 0, outH);
        const int x1 = std::clamp(static_cast<int>(std::ceil(hi.x)), 0, outW);
        const int y1 = std::clamp(static_cast<int>(std::ceil(hi.y)), 0, outH);
        if (x1 > x0 && y1 > y0) {
            dirty = SDL_Rect{x0, y0, x1 - x0, y1 - y0};
            const ImVec4 clip(static_cast<float>(x0), static_cast<float>(y0),
                              static_cast<float>(x1), static_cast<float>(y1));
            for (int i = 0; i < drawData->CmdListsCount; ++i) {
                for (ImDrawCmd& cmd : drawData->CmdLists[i]->CmdBuffer) {
                    cmd.ClipRect.x = std::max(cmd.ClipRect.x, clip.x);
                    cmd.ClipRect.y = std::max(cmd.ClipRect.y, clip.y);
                    cmd.ClipRect.z = std::min(cmd.ClipRect.z, clip.z);
                    cmd.ClipRect.w = std::min(cmd.ClipRect.w, clip.w);
                }
            }
        }
    }

    const ImVec4& bg = m_theme.color.background;
    SDL_SetRenderDrawColor(m_renderer, static_cast<Uint8>(bg.x * 255.0f),
                           static_cast<Uint8>(bg.y * 255.0f), static_cast<Uint8>(bg.z * 255.0f),
                           255);
    SDL_SetRenderDrawBlendMode(m_renderer, SDL_BLENDMODE_NONE);
    if (dirty) {
        SDL_RenderFillRect(m_renderer, &*dirty);
    } else {
        SDL_RenderClear(m_renderer);
    }
    if (m_rendererKind == RendererKind::Software && !input.plainDrawing) {
        simplifyForSoftware(*drawData, io.Fonts->TexUvWhitePixel, m_renderer);
    }
    // Triangles without a texture (simplifyForSoftware) blend in the renderer's own mode.
    SDL_SetRenderDrawBlendMode(m_renderer, SDL_BLENDMODE_BLEND);
    ImGui_ImplSDLRenderer_RenderDrawData(drawData);
    if (!capturePath.empty()) {
        auto written = capture(capturePath);
        if (!written) {
            out.captureError = written.error();
        }
    }
    if (input.keepPixels) {
        auto pixels = readPixels();
        if (pixels) {
            out.pixels = std::move(*pixels);
        } else {
            out.captureError = pixels.error();
        }
    }
    if (dirty) {
        // The software renderer draws into the window's framebuffer: send only the rectangle.
        SDL_RenderFlush(m_renderer);
        SDL_UpdateWindowSurfaceRects(m_window, &*dirty, 1);
    } else {
        SDL_RenderPresent(m_renderer);
    }
    // A software frame stays in the window's framebuffer; an accelerated one is undefined
    // after present (double buffering).
    m_frameKept = m_rendererKind == RendererKind::Software;
    m_keptWidth = outW;
    m_keptHeight = outH;
    // The model (and its name) goes out of scope here; shownKeys pointed into `out`.
    return out;
}

Result<Pixels> Host::readPixels()
{
    Pixels p;
    if (SDL_GetRendererOutputSize(m_renderer, &p.width, &p.height) != 0 || p.width <= 0 ||
        p.height <= 0) {
        return sdlFailure("SDL_GetRendererOutputSize");
    }
    p.rgb.resize(static_cast<std::size_t>(p.width) * static_cast<std::size_t>(p.height) * 3);
    if (SDL_RenderReadPixels(m_renderer, nullptr, SDL_PIXELFORMAT_RGB24, p.rgb.data(),
                             p.width * 3) != 0) {
        return sdlFailure("SDL_RenderReadPixels");
    }
    return p;
}

Result<void> Host::capture(const std::string& path)
{
    auto p = readPixels();
    if (!p) {
        return fail(p.error());
    }
    if (stbi_write_png(path.c_str(), p->width, p->height, 3, p->rgb.data(), p->width * 3) == 0) {
        return fail(Errc::StorageError, "cannot write " + path);
    }
    return ok();
}

} // namespace uketsuke::ui
