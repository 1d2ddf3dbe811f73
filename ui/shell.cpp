#include "ui/shell.hpp"

#include "base/log.hpp"
#include "ui/actions.hpp"
#include "ui/headless.hpp"
#include "ui/host.hpp"
#include "ui/screen_models.hpp"

#include <SDL.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

namespace uketsuke::ui {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

const log::Category kLog("ui.shell");

// The user-event code of a wake-up (SDL_USEREVENT carries no other meaning for us).
constexpr Sint32 kWakeCode = 0x554B; // "UK"
// Presses are ignored this long after the screen changed: a double tap must not press the
// button that appears where the first tap was.
constexpr milliseconds kTapGuard{350};
// Spinner screens redraw at this period (8 frames a second).
constexpr milliseconds kAnimationPeriod{125};
// Drivers whose wait does not sleep are polled at this period while idle.
constexpr milliseconds kIdleThrottle{15};
// The longest sleep without a reason to wake (a safety net, not a poll).
constexpr milliseconds kMaxSleep{1000};

class TerminalTarget final : public IntentTarget {
public:
    TerminalTarget(kiosk::runner::Terminal& terminal, const DemoControls& demo)
        : m_terminal(terminal), m_demo(demo)
    {
    }
    void apply(const kiosk::runner::Input& input) override { m_terminal.apply(input); }
    void insertCard() override
    {
        if (m_demo.insertCard) {
            m_demo.insertCard();
        }
    }
    void removeCard() override
    {
        if (m_demo.removeCard) {
            m_demo.removeCard();
        }
    }

private:
    kiosk::runner::Terminal& m_terminal;
    const DemoControls& m_demo;
};

// What the loop remembers about the finger (or mouse) between frames: touch has no hover, and
// a double tap must not press a button that appears under the finger (platform.md §5).
class TouchState {
public:
    // Takes one SDL event; returns how many frames it asks for.
    int onEvent(const SDL_Event& event)
    {
        switch (event.type) {
        case SDL_MOUSEBUTTONDOWN:
            m_held = true;
            m_forgetPosition = false;
            return 3;
        case SDL_MOUSEBUTTONUP:
            m_held = false;
            m_suppressUntilRelease = false;
            // ImGui may see a quick tap's press one frame and its release the next: keep the
            // position for both, then forget it.
            m_framesUntilForget = 2;
            return 3;
        case SDL_MOUSEMOTION:
            m_forgetPosition = false;
            return 2;
        case SDL_WINDOWEVENT:
        case SDL_FINGERDOWN:
        case SDL_FINGERUP:
            return 2;
        default:
            return 0;
        }
    }

    // The screen changed: ignore presses for a moment, and a finger still down until it lifts.
    void screenChanged(Clock::time_point now)
    {
        m_guardUntil = now + kTapGuard;
        m_suppressUntilRelease = m_held;
    }

    bool pressesBlocked(Clock::time_point now) const
    {
        return now < m_guardUntil || m_suppressUntilRelease;
    }
    std::optional<Clock::time_point> guardEnds(Clock::time_point now) const
    {
        return m_guardUntil > now ? std::optional(m_guardUntil) : std::nullopt;
    }

    FrameInput input(Clock::time_point now) const
    {
        FrameInput in;
        in.blockPress = pressesBlocked(now);
        in.forgetPosition = m_forgetPosition;
        return in;
    }

    // A frame was drawn; returns whether one more is needed (to drop the position).
    bool frameDrawn()
    {
        if (m_framesUntilForget > 0 && --m_framesUntilForget == 0) {
            m_forgetPosition = true;
            return true;
        }
        return false;
    }

private:
    bool m_held = false;
    bool m_suppressUntilRelease = false;
    bool m_forgetPosition = false;
    int m_framesUntilForget = 0;
    Clock::time_point m_guardUntil{};
};

std::string fileSafe(std::string name)
{
    std::replace(name.begin(), name.end(), ':', '-');
    return name;
}

// "NN-name.png" in `dir`, numbered in the order the screens were reached.
std::string shotPath(const std::string& dir, int number, const std::string& name)
{
    std::string nn = std::to_string(number);
    if (nn.size() < 2) {
        nn.insert(0, 2 - nn.size(), '0');
    }
    return dir + "/" + nn + "-" + name + ".png";
}

int clampMs(Clock::duration d)
{
    auto ms = std::chrono::duration_cast<milliseconds>(d).count();
    return static_cast<int>(std::clamp<long long>(ms, 0, kMaxSleep.count()));
}

// Loads --script (checking that the simulated devices it uses are there) and creates the
// --screenshots folder. Returns 0, or the exit status after one line on stderr.
int prepareScript(const kiosk::config::KioskConfig& config, const DemoControls& demo,
                  std::optional<ScriptPlayer>& player)
{
    if (config.headless || !config.script.empty()) {
        if (config.script.empty()) {
            std::cerr << "uketsuke-kiosk: --headless needs --script FILE\n";
            return 2;
        }
        auto script = loadScript(config.script);
        if (!script) {
            std::cerr << "uketsuke-kiosk: " << script.error().message << "\n";
            return 2;
        }
        if (script->usesCard() && (!demo.insertCard || !demo.removeCard)) {
            std::cerr << "uketsuke-kiosk: " << config.script
                      << ": insert-card / remove-card need the simulated reader (reader = "
                         "\"sim\")\n";
            return 2;
        }
        if (script->usesPad() && (!demo.typeOnPad || !demo.cancelOnPad)) {
            std::cerr << "uketsuke-kiosk: " << config.script
                      << ": pad-type / pad-cancel need the simulated reader with its PIN pad "
                         "(reader = \"sim\", sim.pin_pad = true)\n";
            return 2;
        }
        player.emplace(std::move(*script));
    }
    if (!config.screenshots.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(config.screenshots, ec);
        if (ec) {
            std::cerr << "uketsuke-kiosk: --screenshots: cannot create " << config.screenshots
                      << ": " << ec.message() << "\n";
            return 2;
        }
    }
    return 0;
}

// Opens the window (or the offscreen one) with `tables`. Returns null and sets `status` to the
// exit status after one line on stderr when it cannot.
std::unique_ptr<Host> openHost(const kiosk::config::KioskConfig& config,
                               const std::vector<const kiosk::model::StringTable*>& tables,
                               int& status)
{
    auto fontFiles = locateFonts(config.font, config.fontIndex);
    if (!fontFiles) {
        std::cerr << "uketsuke-kiosk: " << fontFiles.error().message << "\n";
        status = 2;
        return nullptr;
    }
    HostOptions options;
    options.title = "Uketsuke";
    options.width = config.width;
    options.height = config.height;
    options.fullscreen = config.fullscreen;
    options.headless = config.headless;
    options.fonts = *fontFiles;
    options.nameFont = hal::text::FontConfig{config.font, config.fontIndex};
    options.tables = tables;
    options.demoBar = config.demoControls;
    auto created = Host::create(options);
    if (!created) {
        std::cerr << "uketsuke-kiosk: " << created.error().message << "\n";
        status = created.error().code == Errc::ConfigMissing ||
                         created.error().code == Errc::ConfigInvalid
                     ? 2
                     : 1;
        return nullptr;
    }
    return std::move(*created);
}

} // namespace

std::function<void()> makeSdlWake()
{
    return [] { pushUserEvent(kWakeCode); };
}

namespace {
std::atomic<bool> g_quitRequested{false};
} // namespace

void requestQuit()
{
    g_quitRequested = true;
    SDL_Event event{};
    event.type = SDL_QUIT;
    SDL_PushEvent(&event); // fails harmlessly before the window opened: the flag is seen then
}

int runKiosk(const kiosk::config::KioskConfig& config, const kiosk::model::StringCatalog& strings,
             kiosk::runner::Terminal& terminal, const DemoControls& demo)
{
    // The script first: a bad script should fail before a window opens.
    std::optional<ScriptPlayer> player;
    if (int status = prepareScript(config, demo, player); status != 0) {
        return status;
    }

    // A patient can switch between Japanese and English on screen (the flow keeps the choice).
    const bool canSwitchLanguage = strings.has("ja") && strings.has("en");
    std::vector<const kiosk::model::StringTable*> tableList;
    for (const auto& lang : strings.languages()) {
        tableList.push_back(&strings.table(lang));
    }
    int hostStatus = 0;
    auto created = openHost(config, tableList, hostStatus);
    if (!created) {
        return hostStatus;
    }
    Host& host = *created;
    bool realWait = host.waitsForReal();
    UKETSUKE_LOG(kLog, Info) << "video driver " << host.videoDriver()
                             << (realWait ? " (sleeps while idle)" : " (idle throttle)");

    TerminalTarget target(terminal, demo);
    const Clock::time_point start = Clock::now();
    int framesToDraw = 3;
    std::string lastScreen;
    Clock::time_point nextAnimation = start;
    TouchState touch;

    std::uint64_t serial = 0;
    Intents lastIntents;
    std::string lastFrameScreen;
    std::string lastShotScreen;
    int shotNumber = 0;
    std::string pendingShot;
    std::vector<PlayerAction> actions;

    while (true) {
        // 1. Sleep until something can change what the screen shows.
        Clock::time_point now = Clock::now();
        bool drawSoon = framesToDraw > 0 || (player && player->needsFrame());
        Clock::time_point wakeAt = now + kMaxSleep;
        if (auto timer = terminal.nextTimer()) {
            wakeAt = std::min(wakeAt, *timer);
        }
        if (isAnimated(terminal.state().phase)) {
            wakeAt = std::min(wakeAt, nextAnimation);
        }
        if (auto guard = touch.guardEnds(now)) {
            wakeAt = std::min(wakeAt, *guard); // a waiting script tap may go then
        }
        if (player) {
            if (auto deadline = player->deadline()) {
                wakeAt = std::min(wakeAt, *deadline);
            }
        }
        SDL_Event event;
        int got = 0;
        if (drawSoon) {
            got = SDL_PollEvent(&event);
        } else if (realWait) {
            got = SDL_WaitEventTimeout(&event, std::max(1, clampMs(wakeAt - now)));
        } else {
            terminal.waitForEvents(std::min(wakeAt, now + kIdleThrottle));
            got = SDL_PollEvent(&event);
        }

        // 2. Input and wake-ups.
        bool quit = g_quitRequested.load();
        for (; got != 0; got = SDL_PollEvent(&event)) {
            // SDL_USEREVENT is a worker's wake-up: the pump below runs what it posted.
            quit = quit || event.type == SDL_QUIT;
            if (!player) {
                // A script owns the pointer; real input would only disturb it.
                framesToDraw = std::max(framesToDraw, touch.onEvent(event));
                host.processEvent(event);
            }
        }
        if (quit) {
            if (player) {
                std::cerr << "uketsuke-kiosk: interrupted before the script finished\n";
                return 1;
            }
            return 0;
        }

        // 3. Run what the workers posted through the flow.
        if (terminal.pump() > 0) {
            framesToDraw = std::max(framesToDraw, 2);
        }
        now = Clock::now();
        const kiosk::flow::State& state = terminal.state();
        std::string screen = screenName(state);
        if (screen != lastScreen) {
            UKETSUKE_LOG(kLog, Info) << "screen " << screen;
            lastScreen = screen;
            touch.screenChanged(now);
            framesToDraw = std::max(framesToDraw, 2);
        }
        if (isAnimated(state.phase) && now >= nextAnimation) {
            framesToDraw = std::max(framesToDraw, 1);
            nextAnimation = now + kAnimationPeriod;
        }

        // 4. Draw.
        if (framesToDraw > 0 || (player && player->needsFrame()) || !pendingShot.empty()) {
            const kiosk::model::StringTable& table = strings.table(state.language);
            double seconds = std::chrono::duration<double>(now - start).count();
            ScreenModel model = buildScreenModel(state, host.screenContext(table, seconds),
                                                 terminal.pinEntry().count(), canSwitchLanguage,
                                                 &terminal.insuranceEntry());
            std::optional<DemoBarModel> bar;
            if (config.demoControls) {
                bar = DemoBarModel{host.demoBarContext(table), state.cardPresent};
            }
            FrameInput input = player ? player->input() : touch.input(now);
            std::string capture;
            if (!pendingShot.empty()) {
                capture = std::move(pendingShot);
                pendingShot.clear();
            } else if (!config.screenshots.empty() && screen != lastShotScreen) {
                capture = shotPath(config.screenshots, ++shotNumber, fileSafe(screen));
                lastShotScreen = screen;
            }
            FrameOutput out = host.frame(std::move(model), bar, input, capture);
            if (out.captureError) {
                UKETSUKE_LOG(kLog, Warn) << "screenshot failed: " << out.captureError->message;
            }
            ++serial;
            lastFrameScreen = screen;
            lastIntents = std::move(out.intents);
            applyIntents(lastIntents, target);
            if (!lastIntents.pressed.empty()) {
                framesToDraw = std::max(framesToDraw, 3);
            }
            if (touch.frameDrawn()) {
                framesToDraw = std::max(framesToDraw, 1);
            }
            framesToDraw = std::max(0, framesToDraw - 1);
        }

        // 5. The script reads the frame and decides the next input.
        if (player) {
            FrameReport report{serial, lastFrameScreen, &lastIntents, touch.pressesBlocked(now)};
            actions.clear();
            player->update(report, Clock::now(), actions);
            for (const auto& action : actions) {
                switch (action.kind) {
                case PlayerAction::Kind::InsertCard:
                    demo.insertCard();
                    break;
                case PlayerAction::Kind::RemoveCard:
                    demo.removeCard();
                    break;
                case PlayerAction::Kind::PadType:
                    demo.typeOnPad(action.name);
                    break;
                case PlayerAction::Kind::PadCancel:
                    demo.cancelOnPad();
                    break;
                case PlayerAction::Kind::Screenshot:
                    if (!config.screenshots.empty()) {
                        pendingShot = shotPath(config.screenshots, ++shotNumber, action.name);
                    }
                    break;
                }
            }
            if (player->failed()) {
                std::cerr << "uketsuke-kiosk: " << config.script << ": " << player->failure()
                          << "\n";
                return 1;
            }
            if (player->finished() && pendingShot.empty()) {
                UKETSUKE_LOG(kLog, Info) << "script finished, every expectation held";
                return 0;
            }
        }
    }
}

int runNotReady(const kiosk::config::KioskConfig& config,
                const kiosk::model::StringTable& strings, const std::vector<std::string>& missing)
{
    std::optional<ScriptPlayer> player;
    if (int status = prepareScript(config, DemoControls{}, player); status != 0) {
        return status;
    }
    int hostStatus = 0;
    auto host = openHost(config, {&strings}, hostStatus);
    if (!host) {
        return hostStatus;
    }
    const bool realWait = host->waitsForReal();
    UKETSUKE_LOG(kLog, Info) << "screen " << kNotReadyScreen;
    const Clock::time_point start = Clock::now();
    std::uint64_t serial = 0;
    bool shotTaken = false;
    std::string pendingShot;
    int shotNumber = 0;
    std::vector<PlayerAction> actions;
    // Nothing changes on this screen by itself: draw it, then sleep until input, a window
    // event or the script asks for another frame.
    int framesToDraw = 2;
    while (true) {
        Clock::time_point now = Clock::now();
        bool drawSoon = framesToDraw > 0 || !pendingShot.empty() ||
                        (player && player->needsFrame());
        Clock::time_point wakeAt = now + kMaxSleep;
        if (player) {
            if (auto deadline = player->deadline()) {
                wakeAt = std::min(wakeAt, *deadline);
            }
        }
        SDL_Event event;
        int got = 0;
        if (drawSoon) {
            got = SDL_PollEvent(&event);
        } else if (realWait) {
            got = SDL_WaitEventTimeout(&event, std::max(1, clampMs(wakeAt - now)));
        } else {
            SDL_Delay(static_cast<Uint32>(std::min(clampMs(wakeAt - now),
                                                   static_cast<int>(kIdleThrottle.count()))));
            got = SDL_PollEvent(&event);
        }
        bool quit = g_quitRequested.load();
        for (; got != 0; got = SDL_PollEvent(&event)) {
            quit = quit || event.type == SDL_QUIT;
            if (!player) {
                host->processEvent(event);
                framesToDraw = std::max(framesToDraw, 2);
            }
        }
        if (quit) {
            if (player) {
                std::cerr << "uketsuke-kiosk: interrupted before the script finished\n";
                return 1;
            }
            return 0;
        }

        if (drawSoon) {
            double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            NotReadyModel model{host->screenContext(strings, seconds), missing};
            std::string capture;
            if (!pendingShot.empty()) {
                capture = std::move(pendingShot);
                pendingShot.clear();
            } else if (!config.screenshots.empty() && !shotTaken) {
                capture = shotPath(config.screenshots, ++shotNumber, kNotReadyScreen);
                shotTaken = true;
            }
            FrameInput input = player ? player->input() : FrameInput{};
            FrameOutput out = host->frame(model, std::nullopt, input, capture);
            if (out.captureError) {
                UKETSUKE_LOG(kLog, Warn) << "screenshot failed: " << out.captureError->message;
            }
            ++serial;
            framesToDraw = std::max(0, framesToDraw - 1);
            if (player) {
                actions.clear();
                FrameReport report{serial, kNotReadyScreen, &out.intents, false};
                player->update(report, Clock::now(), actions);
                for (const auto& action : actions) {
                    if (action.kind == PlayerAction::Kind::Screenshot &&
                        !config.screenshots.empty()) {
                        pendingShot = shotPath(config.screenshots, ++shotNumber, action.name);
                    }
                }
                if (player->failed()) {
                    std::cerr << "uketsuke-kiosk: " << config.script << ": "
                              << player->failure() << "\n";
                    return 1;
                }
                if (player->finished() && pendingShot.empty()) {
                    UKETSUKE_LOG(kLog, Info) << "script finished, every expectation held";
                    return 0;
                }
            }
        } else if (player) {
            // A wait ran out without a new frame: let the player see the time.
            framesToDraw = 1;
        }
    }
}

} // namespace uketsuke::ui
