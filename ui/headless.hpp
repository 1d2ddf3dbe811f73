#pragma once

// The headless script driver: `uketsuke-kiosk --headless --script FILE [--screenshots DIR]`.
// The script (docs/headless-script.md) is a list of lines; the player turns them into input for
// the same frame loop and screens a patient uses: it taps buttons by finding their rectangles
// in the last frame and driving ImGuiIO over three frames (press, release, move away), and it
// waits for screens with a bound in real time (worker threads really run), never with sleeps.

#include "base/result.hpp"
#include "ui/headless_script.hpp"
#include "ui/host.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::ui {


// The default bound of every wait (taps, expect-screen, expect-text).
inline constexpr std::chrono::milliseconds kDefaultScriptTimeout{15000};

// What the player sees of the last frame that was drawn.
struct FrameReport {
    std::uint64_t serial = 0;  // increases with every drawn frame; 0 = none yet
    std::string screen;        // screenName() of the state it drew
    const Intents* intents = nullptr;
    bool inputBlocked = false; // the shell ignores presses right now (after a screen change)
    // The sounds the terminal queued so far, in order (ui/sound.hpp SoundPlayer::played()).
    const std::vector<std::string>* sounds = nullptr;
    // Large text and high contrast as the frame was drawn (Host::display()).
    DisplayMode display{};
};

// What the player asks the shell to do, in order.
struct PlayerAction {
    enum class Kind {
        InsertCard,
        RemoveCard,
        Screenshot,
        PadType,
        PadCancel,
        Printer,
        StaffGesture,
    };
    Kind kind;
    // Screenshot; PadType: the digits (simulated pad only); Printer: the fault name
    std::string name;
};

class ScriptPlayer {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    explicit ScriptPlayer(Script script);

    // Runs the script as far as the last frame allows and appends what the shell must do.
    // Call after every drawn frame and whenever the loop wakes. Thread: main.
    void update(const FrameReport& frame, TimePoint now, std::vector<PlayerAction>& actions);

    // The mouse for the next frame (drives ImGuiIO directly).
    FrameInput input() const;
    // A tap is in progress: draw the next frame at once.
    bool needsFrame() const;
    // When the current wait gives up, if one is running.
    std::optional<TimePoint> deadline() const;

    bool finished() const { return m_next >= m_script.commands.size() && !m_failed; }
    bool failed() const { return m_failed; }
    // One line: "script line N: ...".
    const std::string& failure() const { return m_failure; }

private:
    enum class TapStage { Find, Press, Release, Leave };

    void advance();
    void fail(const ScriptCommand& command, const std::string& message);
    bool waitExpired(const ScriptCommand& command, TimePoint now, const std::string& what);
    void updateTap(const ScriptCommand& command, const FrameReport& frame, TimePoint now);

    Script m_script;
    std::size_t m_next = 0;
    std::chrono::milliseconds m_timeout = kDefaultScriptTimeout;
    std::optional<TimePoint> m_waitStart;
    TapStage m_stage = TapStage::Find;
    std::uint64_t m_stageSerial = 0;
    // After `screenshot`: the commands after it wait for a frame newer than this one (the shot's
    // own), so what it captures is the screen before them.
    std::uint64_t m_shotSerial = 0;
    bool m_shotPending = false;
    ImVec2 m_tapAt{0.0f, 0.0f};
    ButtonId m_tapButton = ButtonId::Start; // the button found for the tap in progress
    bool m_failed = false;
    std::string m_failure;
    std::size_t m_soundsMatched = 0; // expect-sound looks after the sounds it matched before
};

// Whether the screen name of a frame satisfies `expect-screen want` ("error" matches any
// error screen, "error:card_unreadable" only that one).
bool screenMatches(std::string_view shown, std::string_view want);

} // namespace uketsuke::ui
