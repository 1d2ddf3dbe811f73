#pragma once

// The voice lines of every language, made ready off the main thread (docs/voice.md). One worker
// thread synthesises what the cache lacks (kiosk/voice/synth.hpp) and turns a line's WAV into a
// clip the audio device can play (its rate, levelled, at the configured volume). The main
// thread asks for a line with say() and collects finished clips with take(); the worker calls
// `wake` when one is ready, so the frame loop never waits for an engine.
//
// At start the worker prepares the default language's lines in the background; a language a
// patient picks is prepared when asked (prepare()). A line asked for with say() goes before
// any preparation.

#include "kiosk/model/strings.hpp"
#include "kiosk/voice/pcm.hpp"
#include "kiosk/voice/synth.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace uketsuke::kiosk::voice {

struct Clip {
    std::uint64_t ticket = 0;
    std::string key; // the voice line ("voice.place_card")
    Pcm pcm;
};

struct SpeakerOptions {
    SynthOptions synth;
    int rate = 48000;  // the audio device's
    int volume = 80;   // sound.volume
    std::function<void()> wake; // called from the worker when a clip is ready
};

class Speaker {
public:
    // Reads each table's `language.voice` and checks it can speak here; a language that cannot
    // (no voice named, engine or voice not installed) is logged once and stays silent.
    Speaker(const model::StringCatalog& strings, SpeakerOptions options);
    ~Speaker();
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    // Starts the worker, which prepares the default language. Thread: main.
    void start();
    // Ends a running engine and joins the worker. Idempotent. Thread: main.
    void stop();

    // Whether `lang` has a voice on this machine.
    bool canSpeak(const std::string& lang) const;

    // Asks for `key` in `lang` as clip `ticket`; replaces a request not yet started (only the
    // latest screen's line is worth saying). Thread: main.
    void say(std::uint64_t ticket, const std::string& lang, const std::string& key);
    // Prepares every line of `lang` in the background (once). Thread: main.
    void prepare(const std::string& lang);
    // The clips finished since the last call. Thread: main.
    std::vector<Clip> take();

private:
    struct Request {
        std::uint64_t ticket = 0;
        std::string lang;
        std::string key;
    };
    void run();
    std::optional<Clip> makeClip(const Request& request);

    const model::StringCatalog& m_strings;
    SpeakerOptions m_options;
    Synthesizer m_synth;
    std::map<std::string, VoiceSpec, std::less<>> m_voices; // the languages that can speak

    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::optional<Request> m_request;          // guarded by m_mutex
    std::deque<Request> m_preparing;           // guarded by m_mutex
    std::vector<std::string> m_prepared;       // languages queued once (main thread)
    std::vector<Clip> m_ready;                 // guarded by m_mutex
    bool m_stopping = false;                   // guarded by m_mutex
    std::thread m_thread;
};

} // namespace uketsuke::kiosk::voice
