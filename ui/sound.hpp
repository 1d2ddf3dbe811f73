#pragma once

// Spoken guidance and sounds through SDL audio (docs/voice.md). The frame loop tells the player
// which screen it shows after every pump; on a new screen the player cuts what is playing,
// queues the screen's short sound (card detected, error, done) and asks the Speaker
// (kiosk/voice/speaker.hpp) for the screen's line in the patient's language, which it queues
// when the worker has it ready (a wake-up of the loop), unless the screen changed meanwhile.
// A new screen cuts the line still playing (never a short sound: those are under half a
// second). The staff screens and the not-ready screen are silent. A card left on the reader after the
// check-in is asked for again by voice every sound.reminder_s, kCardReminders times.
//
// Nothing here blocks the frame loop: SDL_QueueAudio copies the samples and SDL's audio thread
// plays them. Without an audio device (none on the machine, sound.mute, or a headless run
// without SDL_AUDIODRIVER) the player is a silent stand-in that says so once in the log.
//
// Thread: main.

#include "kiosk/config/config.hpp"
#include "kiosk/model/strings.hpp"
#include "kiosk/voice/pcm.hpp"
#include "kiosk/voice/speaker.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace uketsuke::ui {

class SoundPlayer {
public:
    using Clock = std::chrono::steady_clock;

    // Opens the default audio device (48 kHz mono, 16 bit; SDL converts for the hardware) and
    // starts the Speaker when speech is on. `wake` wakes the frame loop (makeSdlWake()). Never
    // fails: without a device the player stays silent, with one log line saying why.
    SoundPlayer(const kiosk::config::KioskConfig& config,
                const kiosk::model::StringCatalog& strings, std::function<void()> wake);
    ~SoundPlayer();
    SoundPlayer(const SoundPlayer&) = delete;
    SoundPlayer& operator=(const SoundPlayer&) = delete;

    // Whether an audio device is open.
    bool active() const { return m_device != 0; }

    // The screen drawn now, its language, whether a staff screen covers it, whether a call for
    // staff lasts. Call after every pump of the terminal.
    void show(const std::string& screen, const std::string& lang, bool staff, bool calling,
              Clock::time_point now);
    // Queues the lines the Speaker finished and says a due reminder. Returns whether it
    // queued anything.
    bool pump(Clock::time_point now);
    // When the next reminder is due, if one is.
    std::optional<Clock::time_point> nextTimer() const { return m_reminderAt; }
    // The names of the sounds queued so far, in order ("earcon.card", "voice.place_card"): for
    // headless scripts' expect-sound.
    const std::vector<std::string>& played() const { return m_played; }
    // Waits until the queued sound has been played, at most `bound` (a headless run, before it
    // exits, so that a test's recording holds it all).
    void drain(std::chrono::milliseconds bound);

private:
    void cut();
    void queue(const kiosk::voice::Pcm& pcm, const std::string& name);
    void say(const std::string& key);

    const kiosk::config::KioskConfig::Sound m_config;
    const kiosk::model::StringCatalog& m_strings;
    std::uint32_t m_device = 0; // SDL_AudioDeviceID
    bool m_audioStarted = false;
    std::unique_ptr<kiosk::voice::Speaker> m_speaker;
    std::array<kiosk::voice::Pcm, 3> m_earcons; // by kiosk::voice::Earcon

    std::string m_screen;
    std::string m_lang;
    bool m_staff = false;
    bool m_calling = false;
    std::uint64_t m_ticket = 0; // the line wanted now; a clip of an older one is dropped
    bool m_lineQueued = false;  // a voice line was queued since the last cut()
    std::optional<Clock::time_point> m_reminderAt;
    int m_reminders = 0;
    std::vector<std::string> m_played;
};

} // namespace uketsuke::ui
