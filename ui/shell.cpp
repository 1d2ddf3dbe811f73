#include "ui/shell.hpp"

#include "base/log.hpp"
#include "kiosk/staff/gesture.hpp"
#include "ui/actions.hpp"
#include "ui/headless.hpp"
#include "ui/host.hpp"
#include "ui/screen_models.hpp"
#include "ui/sound.hpp"

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
// Spinner screens redraw at this period (8 frames a second).
constexpr milliseconds kAnimationPeriod{125};
// The longest sleep without a reason to wake (a safety net, not a poll).
constexpr milliseconds kMaxSleep{1000};
// A headless run plays what it queued to the end before it exits, at most this long.
constexpr milliseconds kHeadlessSoundDrain{10000};

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
// a double tap must not press a button that appears under the finger (docs/screens.md).
class TouchState {
public:
    // Presses are ignored for `guard` after the screen changed (config ui.tap_guard_ms): a double
    // tap must not press the button that appears where the first tap was.
    explicit TouchState(milliseconds guard) : m_guard(guard) {}

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
        m_guardUntil = now + m_guard;
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
    milliseconds m_guard;
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
        if (script->usesPrinter() && !demo.setPrinterFault) {
            std::cerr << "uketsuke-kiosk: " << config.script
                      << ": printer faults need the simulated printer (printer = \"sim:DIR\")\n";
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
    options.renderer = config.renderer;
    options.fonts = *fontFiles;
    // Headless runs (tests, scripts) build the atlas every time: their data folder is theirs.
    if (!config.headless && !config.dataDir.empty()) {
        options.fontCache = config.dataDir + "/font-cache";
    }
    options.nameFont = hal::text::FontConfig{config.font, config.fontIndex};
    options.tables = tables;
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

bool endsFrameLoop(std::uint32_t eventType, bool stopRequested, bool kiosk)
{
    if (stopRequested) {
        return true;
    }
    return eventType == SDL_QUIT && !kiosk;
}

void requestQuit()
{
    g_quitRequested = true;
    SDL_Event event{};
    event.type = SDL_QUIT;
    SDL_PushEvent(&event); // fails harmlessly before the window opened: the flag is seen then
    wakeHost();            // a loop blocked in Host::waitForWake()
}

namespace {

// What the frame loop shows, in either boot mode: the terminal (flow, workers, timers, its
// screens) or the not-ready screen. Thread: main.
class LoopSource {
public:
    virtual ~LoopSource() = default;
    // Runs what the workers posted through the flow; returns how many events ran.
    virtual int pump() = 0;
    virtual std::string screen() const = 0;
    // The screen shows a spinner (redrawn kAnimationPeriod apart).
    virtual bool animated() const = 0;
    virtual std::optional<Clock::time_point> nextTimer() const = 0;
    virtual ScreenModel model(Host& host, double seconds) = 0;
    // The strip under the screen (patient screens only).
    virtual std::optional<StripModel> strip(Host& host) = 0;
    // A call for staff lasts: the strip's button changes (the tap guard treats it as a new
    // screen, so a double tap cannot cancel the call it just made).
    virtual bool calling() const { return false; }
    // The language of the patient's screen (empty: none, the not-ready screen).
    virtual std::string language() const { return {}; }
    // Large text and high contrast as the patient set them (the staff screens: neither).
    virtual DisplayMode display() const { return {}; }
    // What was pressed in the frame just drawn.
    virtual void apply(const Intents& intents) = 0;
};

class TerminalSource final : public LoopSource {
public:
    TerminalSource(const kiosk::config::KioskConfig& config,
                   const kiosk::model::StringCatalog& strings, kiosk::runner::Terminal& terminal,
                   const DemoControls& demo)
        : m_config(config), m_strings(strings), m_terminal(terminal), m_target(terminal, demo),
          m_canSwitchLanguage(strings.languages().size() > 1)
    {
    }

    int pump() override { return m_terminal.pump(); }
    std::string screen() const override { return screenName(m_terminal.state()); }
    bool animated() const override { return isAnimated(m_terminal.state().phase); }
    std::optional<Clock::time_point> nextTimer() const override { return m_terminal.nextTimer(); }

    // The screen in the patient's language.
    ScreenModel model(Host& host, double seconds) override
    {
        const kiosk::flow::State& state = m_terminal.state();
        return buildScreenModel(state, host.screenContext(table(), seconds),
                                m_terminal.pinEntry().count(), m_canSwitchLanguage,
                                &m_terminal.insuranceEntry());
    }
    std::optional<StripModel> strip(Host& host) override
    {
        return buildStripModel(m_terminal.state(), host.stripContext(table()),
                               m_config.demoControls);
    }
    bool calling() const override { return m_terminal.state().call.has_value(); }
    std::string language() const override { return table().lang(); }
    DisplayMode display() const override
    {
        const kiosk::flow::Display& d = m_terminal.state().display;
        return {d.largeText, d.highContrast};
    }
    void apply(const Intents& intents) override { applyIntents(intents, m_target); }

private:
    const kiosk::model::StringTable& table() const
    {
        return m_strings.table(m_terminal.state().language);
    }

    const kiosk::config::KioskConfig& m_config;
    const kiosk::model::StringCatalog& m_strings;
    kiosk::runner::Terminal& m_terminal;
    TerminalTarget m_target;
    const bool m_canSwitchLanguage;
};

// The calm out-of-service screen: nothing changes on it by itself, and nothing on it is pressed.
class NotReadySource final : public LoopSource {
public:
    NotReadySource(const kiosk::model::StringTable& strings,
                   const std::vector<std::string>& missing)
        : m_strings(strings), m_missing(missing)
    {
    }

    int pump() override { return 0; }
    std::string screen() const override { return kNotReadyScreen; }
    bool animated() const override { return false; }
    std::optional<Clock::time_point> nextTimer() const override { return std::nullopt; }
    ScreenModel model(Host& host, double seconds) override
    {
        return NotReadyModel{host.fullScreenContext(m_strings, seconds), m_missing};
    }
    std::optional<StripModel> strip(Host&) override { return std::nullopt; }
    void apply(const Intents&) override {}

private:
    const kiosk::model::StringTable& m_strings;
    const std::vector<std::string>& m_missing;
};

// The staff console over either source: the gesture opens it, and while it is active its
// screens replace the source's (docs/staff.md). Without a console it passes everything through.
class StaffLayer final : public LoopSource {
public:
    StaffLayer(LoopSource& inner, const StaffUi& staff, const kiosk::model::StringTable& strings)
        : m_inner(inner), m_staff(staff), m_strings(strings)
    {
    }

    bool active() const { return m_staff.console != nullptr && m_staff.console->active(); }

    // The hidden gesture was completed on the screen (or by a script).
    void gestureCompleted()
    {
        if (m_staff.console != nullptr) {
            UKETSUKE_LOG(kLog, Info) << "staff gesture";
            m_staff.console->gestureCompleted();
        }
    }

    int pump() override
    {
        int changed = m_inner.pump();
        if (m_staff.console != nullptr) {
            const int staff = m_staff.console->pump();
            if (staff > 0) {
                m_pageStale = true; // a test ended, a section opened, the menu locked
            }
            changed += staff;
            if (menuOpen() && Clock::now() >= m_pageBuiltAt + kPageRefresh) {
                m_pageStale = true; // the outbox, the log and the devices move on by themselves
                ++changed;
            }
        }
        return changed;
    }
    std::string screen() const override
    {
        return active() ? staffScreenName(m_staff.console->state()) : m_inner.screen();
    }
    bool animated() const override
    {
        // The lock-out screen counts down; the menu shows a running test.
        return active() ? (m_staff.console->state().phase == kiosk::staff::Phase::LockedOut ||
                           m_staff.console->testing() || m_staff.console->state().checking ||
                           m_staff.console->state().enrolling)
                        : m_inner.animated();
    }
    std::optional<Clock::time_point> nextTimer() const override
    {
        auto inner = m_inner.nextTimer();
        if (m_staff.console == nullptr) {
            return inner;
        }
        auto staff = m_staff.console->nextTimer();
        if (menuOpen()) {
            const Clock::time_point refresh = m_pageBuiltAt + kPageRefresh;
            staff = staff ? std::min(*staff, refresh) : refresh;
        }
        if (inner && staff) {
            return std::min(*inner, *staff);
        }
        return inner ? inner : staff;
    }

    ScreenModel model(Host& host, double seconds) override
    {
        if (!active()) {
            return m_inner.model(host, seconds);
        }
        // Staff screens are in the terminal's default language.
        const kiosk::runner::StaffConsole& c = *m_staff.console;
        const kiosk::staff::State& s = c.state();
        ScreenContext ui = host.fullScreenContext(m_strings, seconds);
        switch (s.phase) {
        case kiosk::staff::Phase::EnterPin:
            return StaffPinModel{ui, c.pinDigits(), s.checking, !c.hasAccounts(), s.wrongInARow};
        case kiosk::staff::Phase::LockedOut: {
            int left = 0;
            if (auto until = c.lockedOutUntil()) {
                auto ms = std::chrono::duration_cast<milliseconds>(*until - Clock::now()).count();
                left = static_cast<int>(std::max<long long>(0, (ms + 999) / 1000));
            }
            return StaffLockedOutModel{ui, left};
        }
        case kiosk::staff::Phase::Menu:
        case kiosk::staff::Phase::Locked:
            break;
        }
        if (kiosk::staff::takesCode(s.section)) {
            StaffEnrolModel e;
            e.ui = ui;
            e.pairing = s.section == kiosk::staff::Section::Pair;
            e.deskUrl = c.deskUrl();
            e.clinicCode = c.enrolClinicCode();
            e.activationCode = c.enrolActivationCode();
            e.field = s.enrolField;
            e.enrolling = s.enrolling;
            e.complete = c.enrolEntryComplete();
            e.admin = s.role == kiosk::staff::Role::Admin;
            e.result = c.enrolResult();
            return e;
        }
        StaffMenuModel m;
        m.ui = ui;
        m.section = s.section;
        m.role = s.role;
        m.staffId = s.staffId;
        m.outOfService = s.outOfService;
        m.testing = c.testing();
        m.editingSettings = s.editingSettings;
        m.page = s.page;
        m.visualPossible = s.visualPossible;
        m.enrolling = s.enrolling;
        // The page is built when it may have changed (and once a second), not every frame: the
        // today page asks the outbox, the logs page formats 40 lines.
        if (m_staff.page && (m_pageStale || s.section != m_pageSection)) {
            m_rows = m_staff.page(s.section);
            m_pageSection = s.section;
            m_pageBuiltAt = Clock::now();
            m_pageStale = false;
        }
        m.rows = m_rows;
        return m;
    }
    std::optional<StripModel> strip(Host& host) override
    {
        return active() ? std::nullopt : m_inner.strip(host);
    }
    bool calling() const override { return !active() && m_inner.calling(); }
    std::string language() const override { return m_inner.language(); }
    DisplayMode display() const override { return active() ? DisplayMode{} : m_inner.display(); }
    void apply(const Intents& intents) override
    {
        if (!active()) {
            m_inner.apply(intents);
            return;
        }
        for (ButtonId id : intents.pressed) {
            if (auto input = staffInputOf(id)) {
                m_staff.console->apply(*input);
                m_pageStale = true;
            }
            if (!active()) {
                break; // locked: the rest of the frame's presses were meant for staff screens
            }
        }
    }

private:
    static std::optional<kiosk::runner::StaffInput> staffInputOf(ButtonId id)
    {
        namespace in = kiosk::runner::staff_input;
        using kiosk::staff::Intent;
        if (auto digit = digitOf(id)) {
            return in::Digit{*digit};
        }
        switch (id) {
        case ButtonId::Back:
            return in::Erase{};
        case ButtonId::Clear:
            return in::Clear{};
        case ButtonId::Ok:
            return in::Submit{};
        case ButtonId::Cancel:
            return Intent::Cancel;
        case ButtonId::StaffHome:
            return Intent::Home;
        case ButtonId::StaffDevices:
            return Intent::Devices;
        case ButtonId::StaffToday:
            return Intent::Today;
        case ButtonId::StaffLogs:
            return Intent::Logs;
        case ButtonId::StaffSettings:
            return Intent::Settings;
        case ButtonId::StaffLock:
            return Intent::Lock;
        case ButtonId::StaffTestCard:
            return Intent::TestCard;
        case ButtonId::StaffTestPrinter:
            return Intent::TestPrinter;
        case ButtonId::StaffTestNetwork:
            return Intent::TestNetwork;
        case ButtonId::StaffSendNow:
            return Intent::SendNow;
        case ButtonId::StaffOutOfService:
            return Intent::ToggleOutOfService;
        case ButtonId::StaffRestart:
            return Intent::Restart;
        case ButtonId::StaffEditSettings:
            return Intent::EditSettings;
        case ButtonId::StaffSettingNext:
            return Intent::SettingNext;
        case ButtonId::StaffSettingDown:
            return Intent::SettingDown;
        case ButtonId::StaffSettingUp:
            return Intent::SettingUp;
        case ButtonId::StaffSettingsSave:
            return Intent::SaveSettings;
        case ButtonId::StaffVisual:
            return Intent::Visual;
        case ButtonId::StaffVisualConfirm:
            return Intent::ConfirmVisual;
        case ButtonId::StaffPagePrevious:
            return Intent::PagePrevious;
        case ButtonId::StaffEnrol:
            return Intent::Enrol;
        case ButtonId::StaffEnrolClinic:
            return Intent::EnrolClinicField;
        case ButtonId::StaffEnrolCode:
            return Intent::EnrolCodeField;
        case ButtonId::StaffEnrolSubmit:
            return Intent::SubmitEnrol;
        case ButtonId::StaffPair:
            return Intent::Pair;
        case ButtonId::StaffPageNext:
            return Intent::PageNext;
        default:
            return std::nullopt;
        }
    }

    bool menuOpen() const
    {
        return m_staff.console != nullptr &&
               m_staff.console->state().phase == kiosk::staff::Phase::Menu;
    }

    // How often an open menu's page is built again while nothing is touched.
    static constexpr std::chrono::seconds kPageRefresh{1};

    LoopSource& m_inner;
    const StaffUi& m_staff;
    const kiosk::model::StringTable& m_strings;
    // The open section's rows, built by model() when stale (see there).
    std::vector<kiosk::runner::StaffRow> m_rows;
    kiosk::staff::Section m_pageSection = kiosk::staff::Section::Home;
    Clock::time_point m_pageBuiltAt{};
    bool m_pageStale = true;
};

// The one frame loop of both boot modes: sleep until something can change the screen, take
// SDL's events, run the flow, draw when needed, and let a script (headless runs) read the
// frame. Each step is one member function; the state they share lives here. Thread: main.
class KioskLoop {
public:
    // `demo` are the simulated reader's controls a script may use (prepareScript() checked that
    // they are there).
    // `sound` (may be null) speaks the patient's screens.
    KioskLoop(const kiosk::config::KioskConfig& config, StaffLayer& source,
              const DemoControls& demo, Host& host, std::optional<ScriptPlayer>& player,
              SoundPlayer* sound = nullptr)
        : m_config(config), m_source(source), m_demo(demo), m_host(host), m_player(player),
          m_sound(sound),
          m_realWait(host.waitsForReal()), m_start(Clock::now()), m_nextAnimation(m_start),
          m_touch(milliseconds(config.tapGuardMs)), m_gesture(windowSize(host).x, windowSize(host).y)
    {
        UKETSUKE_LOG(kLog, Info) << "video driver " << host.videoDriver()
                                 << (m_realWait ? " (sleeps in SDL's wait)"
                                                : " (sleeps in poll on the wake and input fds)");
    }

    int run()
    {
        while (true) {
            SDL_Event event;
            int got = sleepUntilNeeded(event);
            if (takeEvents(event, got)) {
                if (m_player) {
                    std::cerr << "uketsuke-kiosk: interrupted before the script finished\n";
                    return 1;
                }
                return 0;
            }
            runFlow();
            if (m_framesToDraw > 0 || (m_player && m_player->needsFrame()) ||
                !m_pendingShot.empty()) {
                draw();
            }
            if (m_player) {
                if (auto status = playScript()) {
                    return *status;
                }
            }
        }
    }

private:
    // 1. Sleep until something can change what the screen shows: a timer of the flow, the
    // spinner, the tap guard, the script, or an SDL event (a worker's wake-up is one).
    int sleepUntilNeeded(SDL_Event& event)
    {
        const Clock::time_point now = Clock::now();
        const bool drawSoon = m_framesToDraw > 0 || (m_player && m_player->needsFrame());
        Clock::time_point wakeAt = now + kMaxSleep;
        if (auto timer = m_source.nextTimer()) {
            wakeAt = std::min(wakeAt, *timer);
        }
        if (m_source.animated()) {
            wakeAt = std::min(wakeAt, m_nextAnimation);
        }
        if (auto guard = m_touch.guardEnds(now)) {
            wakeAt = std::min(wakeAt, *guard); // a waiting script tap may go then
        }
        if (m_sound != nullptr) {
            if (auto reminder = m_sound->nextTimer()) {
                wakeAt = std::min(wakeAt, *reminder);
            }
        }
        if (m_player) {
            if (auto deadline = m_player->deadline()) {
                wakeAt = std::min(wakeAt, *deadline);
            }
        }
        if (drawSoon) {
            return SDL_PollEvent(&event);
        }
        if (m_realWait) {
            return SDL_WaitEventTimeout(&event, std::max(1, clampMs(wakeAt - now)));
        }
        m_host.waitForWake(wakeAt);
        return SDL_PollEvent(&event);
    }

    // 2. Input and wake-ups. Returns whether the terminal is asked to quit.
    bool takeEvents(SDL_Event& event, int got)
    {
        bool quit = g_quitRequested.load();
        const bool kiosk = m_config.fullscreen && !m_config.headless;
        for (; got != 0; got = SDL_PollEvent(&event)) {
            // SDL_USEREVENT is a worker's wake-up: runFlow() runs what it posted.
            quit = quit || endsFrameLoop(event.type, g_quitRequested.load(), kiosk);
            if (event.type == SDL_QUIT && !quit) {
                UKETSUKE_LOG(kLog, Warn) << "the window was asked to close (Alt+F4 or the "
                                            "window manager): ignored in full screen; stop the "
                                            "service to end the terminal";
            }
            if (!m_player) {
                // A script owns the pointer; real input would only disturb it.
                wantFrames(m_touch.onEvent(event));
                m_host.processEvent(event);
                watchGesture(event);
            }
        }
        return quit;
    }

    // Every press on every screen goes to the hidden gesture's recogniser too (a touch screen's
    // touches arrive as mouse events as well); the staff screens do not need it.
    void watchGesture(const SDL_Event& event)
    {
        if (m_source.active()) {
            m_gesture.reset();
            return;
        }
        if (event.type == SDL_WINDOWEVENT &&
            event.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            m_gesture = kiosk::staff::GestureRecognizer(static_cast<float>(event.window.data1),
                                                        static_cast<float>(event.window.data2));
            return;
        }
        if (event.type != SDL_MOUSEBUTTONDOWN && event.type != SDL_MOUSEBUTTONUP) {
            return;
        }
        const auto x = static_cast<float>(event.button.x);
        const auto y = static_cast<float>(event.button.y);
        if (event.type == SDL_MOUSEBUTTONDOWN) {
            m_gesture.down(x, y, Clock::now());
        } else if (m_gesture.up(x, y, Clock::now())) {
            m_source.gestureCompleted();
        }
    }

    static ImVec2 windowSize(Host& host)
    {
        int w = 0;
        int h = 0;
        SDL_GetWindowSize(host.window(), &w, &h);
        return ImVec2(static_cast<float>(w), static_cast<float>(h));
    }

    // A script's staff-gesture: the same recogniser, fed the gesture's touches on a time line
    // of their own (hold 3.2 s, then a tap every second), so the run does not wait for it.
    void playGesture()
    {
        const ImVec2 size = windowSize(m_host);
        kiosk::staff::GestureRecognizer gesture(size.x, size.y);
        const float fw = size.x;
        const float fh = size.y;
        const ImVec2 corners[] = {{4.0f, 4.0f}, {fw - 4.0f, 4.0f}, {fw - 4.0f, fh - 4.0f},
                                  {4.0f, fh - 4.0f}};
        Clock::time_point t = Clock::now();
        bool completed = false;
        for (int i = 0; i < 4; ++i) {
            gesture.down(corners[i].x, corners[i].y, t);
            t += i == 0 ? milliseconds(3200) : milliseconds(100);
            completed = gesture.up(corners[i].x, corners[i].y, t);
            t += milliseconds(900);
        }
        if (completed) {
            m_source.gestureCompleted();
        } else {
            UKETSUKE_LOG(kLog, Warn) << "script: the staff gesture was not recognised";
        }
    }

    // 3. Run what the workers posted through the flow; note a new screen and the spinner.
    void runFlow()
    {
        if (m_source.pump() > 0) {
            wantFrames(2);
        }
        const Clock::time_point now = Clock::now();
        m_screen = m_source.screen();
        const bool calling = m_source.calling();
        if (m_screen != m_lastScreen || calling != m_calling) {
            if (m_screen != m_lastScreen) {
                UKETSUKE_LOG(kLog, Info) << "screen " << m_screen;
            }
            m_lastScreen = m_screen;
            m_calling = calling;
            m_touch.screenChanged(now);
            wantFrames(2);
        }
        if (m_source.animated() && now >= m_nextAnimation) {
            m_framesToDraw = std::max(m_framesToDraw, 1); // the spinner's rectangle only
            m_nextAnimation = now + kAnimationPeriod;
        }
        if (m_sound != nullptr) {
            // The staff screens are silent; the not-ready screen has no language and no line.
            m_sound->show(m_screen, m_source.language(), m_source.active(), calling, now);
            m_sound->pump(now);
        }
    }

    // 4. Draw the screen, take a screenshot when asked, and apply what was pressed.
    void draw()
    {
        const Clock::time_point now = Clock::now();
        const double seconds = std::chrono::duration<double>(now - m_start).count();
        // Large text or high contrast switched: the theme now, the fonts in frame().
        m_host.setDisplay(m_source.display());
        ScreenModel model = m_source.model(m_host, seconds);
        std::optional<StripModel> bar = m_source.strip(m_host);
        FrameInput input = m_player ? m_player->input() : m_touch.input(now);
        // Nothing asked for a whole frame: only the spinner turned.
        input.animationOnly = m_fullFrames == 0 && !(m_player && m_player->needsFrame());
        std::string capture;
        if (!m_pendingShot.empty()) {
            capture = std::move(m_pendingShot);
            m_pendingShot.clear();
        } else if (!m_config.screenshots.empty() && m_screen != m_lastShotScreen) {
            capture = shotPath(m_config.screenshots, ++m_shotNumber, fileSafe(m_screen));
            m_lastShotScreen = m_screen;
        }
        FrameOutput out = m_host.frame(std::move(model), bar, input, capture);
        if (out.captureError) {
            UKETSUKE_LOG(kLog, Warn) << "screenshot failed: " << out.captureError->message;
        }
        if (m_serial == 0) {
            // tests/bench/kiosk times the start up to this line.
            UKETSUKE_LOG(kLog, Info) << "first frame presented";
        }
        ++m_serial;
        m_lastFrameScreen = m_screen;
        m_lastIntents = std::move(out.intents);
        m_source.apply(m_lastIntents);
        if (!m_lastIntents.pressed.empty()) {
            wantFrames(3);
        }
        if (m_touch.frameDrawn()) {
            wantFrames(1);
        }
        m_framesToDraw = std::max(0, m_framesToDraw - 1);
        m_fullFrames = std::max(0, m_fullFrames - 1);
    }

    // Asks for `frames` whole frames (input, a new screen, the flow's news).
    void wantFrames(int frames)
    {
        m_framesToDraw = std::max(m_framesToDraw, frames);
        m_fullFrames = std::max(m_fullFrames, frames);
    }

    // 5. The script reads the frame and decides the next input. Returns the exit status once
    // the script has failed or finished.
    std::optional<int> playScript()
    {
        const Clock::time_point now = Clock::now();
        static const std::vector<std::string> kNoSounds;
        FrameReport report{m_serial, m_lastFrameScreen, &m_lastIntents,
                           m_touch.pressesBlocked(now),
                           m_sound != nullptr ? &m_sound->played() : &kNoSounds,
                           m_host.display()};
        m_actions.clear();
        m_player->update(report, Clock::now(), m_actions);
        for (const auto& action : m_actions) {
            switch (action.kind) {
            case PlayerAction::Kind::InsertCard:
                m_demo.insertCard();
                break;
            case PlayerAction::Kind::RemoveCard:
                m_demo.removeCard();
                break;
            case PlayerAction::Kind::PadType:
                m_demo.typeOnPad(action.name);
                break;
            case PlayerAction::Kind::PadCancel:
                m_demo.cancelOnPad();
                break;
            case PlayerAction::Kind::Printer:
                // The name was checked when the script was parsed.
                if (auto set = m_demo.setPrinterFault(action.name); !set) {
                    UKETSUKE_LOG(kLog, Warn) << "printer fault: " << set.error().message;
                }
                UKETSUKE_LOG(kLog, Info) << "script: simulated printer " << action.name;
                break;
            case PlayerAction::Kind::StaffGesture:
                playGesture();
                wantFrames(2);
                break;
            case PlayerAction::Kind::Screenshot:
                if (!m_config.screenshots.empty()) {
                    m_pendingShot = shotPath(m_config.screenshots, ++m_shotNumber, action.name);
                }
                break;
            }
        }
        if (m_player->failed()) {
            std::cerr << "uketsuke-kiosk: " << m_config.script << ": " << m_player->failure()
                      << "\n";
            return 1;
        }
        if (m_player->finished() && m_pendingShot.empty()) {
            UKETSUKE_LOG(kLog, Info) << "script finished, every expectation held";
            return 0;
        }
        return std::nullopt;
    }

    const kiosk::config::KioskConfig& m_config;
    StaffLayer& m_source;
    const DemoControls& m_demo;
    Host& m_host;
    std::optional<ScriptPlayer>& m_player;
    SoundPlayer* m_sound;
    const bool m_realWait;
    const Clock::time_point m_start;

    int m_framesToDraw = 3;
    int m_fullFrames = 3; // of m_framesToDraw, those to be drawn whole
    Clock::time_point m_nextAnimation;
    TouchState m_touch;
    std::string m_screen;
    std::string m_lastScreen;
    bool m_calling = false;
    std::uint64_t m_serial = 0;
    Intents m_lastIntents;
    std::string m_lastFrameScreen;
    std::string m_lastShotScreen;
    int m_shotNumber = 0;
    std::string m_pendingShot;
    std::vector<PlayerAction> m_actions;
    kiosk::staff::GestureRecognizer m_gesture;
};

} // namespace

int runKiosk(const kiosk::config::KioskConfig& config, const kiosk::model::StringCatalog& strings,
             kiosk::runner::Terminal& terminal, const DemoControls& demo, const StaffUi& staff)
{
    // The script first: a bad script should fail before a window opens.
    std::optional<ScriptPlayer> player;
    if (int status = prepareScript(config, demo, player); status != 0) {
        return status;
    }
    std::vector<const kiosk::model::StringTable*> tables;
    for (const auto& lang : strings.languages()) {
        tables.push_back(&strings.table(lang));
    }
    int hostStatus = 0;
    auto host = openHost(config, tables, hostStatus);
    if (!host) {
        return hostStatus;
    }
    // After the host (SDL is up), destroyed before it.
    SoundPlayer sound(config, strings, makeSdlWake());
    TerminalSource source(config, strings, terminal, demo);
    StaffLayer layer(source, staff, strings.defaultTable());
    const int status = KioskLoop(config, layer, demo, *host, player, &sound).run();
    if (config.headless) {
        sound.drain(kHeadlessSoundDrain);
    }
    return status;
}

int runNotReady(const kiosk::config::KioskConfig& config,
                const kiosk::model::StringTable& strings, const std::vector<std::string>& missing,
                const StaffUi& staff)
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
    const DemoControls noDevices;
    NotReadySource source(strings, missing);
    StaffLayer layer(source, staff, strings);
    return KioskLoop(config, layer, noDevices, *host, player).run();
}

} // namespace uketsuke::ui
