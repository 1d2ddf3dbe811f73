#pragma once

// Speech synthesis into a cache of WAV files (docs/voice.md). A language's voice is named in its
// translation file (`language.voice`): "open-jtalk:VOICE" (Japanese: Open JTalk with an HTS
// voice from /usr/share/hts-voice, Debian's open-jtalk, open-jtalk-mecab-naist-jdic and
// hts-voice-nitech-jp-atr503-m001) or "espeak-ng:VOICE" (espeak-ng's voice names: en-us, ko,
// vi, cmn-latn-pinyin). The engine runs as a subprocess (no shell) and writes one WAV per line into the
// cache folder, named by a hash of the engine's whole command and the text: a changed sentence
// (or engine, voice or option) is synthesised again, an unchanged one never is.
//
// Thread: one Synthesizer per thread (the Speaker's worker); cancel() from any thread.

#include "base/result.hpp"
#include "kiosk/voice/pcm.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::kiosk::voice {

enum class Engine { OpenJTalk, EspeakNg };

struct VoiceSpec {
    Engine engine = Engine::OpenJTalk;
    std::string voice; // an HTS voice (name under /usr/share/hts-voice, or a path), or espeak's
};

// Reads `language.voice`: "open-jtalk:VOICE", "espeak-ng:VOICE", or "" (a language without a
// voice: it gets only the short sounds). Errors: ConfigInvalid naming the problem.
Result<std::optional<VoiceSpec>> parseVoiceSpec(std::string_view text);
// "open-jtalk:nitech-jp-atr503-m001", as parseVoiceSpec reads it.
std::string voiceSpecName(const VoiceSpec& spec);

struct SynthOptions {
    std::string cacheDir;
    // The programs (looked up in PATH when they have no '/') and the data they need.
    std::string openJTalk = "open_jtalk";
    std::string openJTalkDictionary = "/var/lib/mecab/dic/open-jtalk/naist-jdic";
    std::string htsVoiceDir = "/usr/share/hts-voice";
    std::string espeakNg = "espeak-ng";
    // Runs argv[0] with argv and waits for it; null: posix_spawnp with no shell, standard input
    // and output on /dev/null. Tests put a fake engine here. Errors: Internal (did not start or
    // exited with a status other than 0).
    std::function<Result<void>(const std::vector<std::string>& argv)> run;
};

class Synthesizer {
public:
    explicit Synthesizer(SynthOptions options);

    const SynthOptions& options() const { return m_options; }

    // Whether `spec` can speak on this machine: its program is installed, and for Open JTalk
    // the dictionary and the voice file. Errors: NotSupported, naming what is missing and the
    // Debian package that brings it.
    Result<void> check(const VoiceSpec& spec) const;

    // The engine's command that reads `textFile` and writes `wavFile`.
    std::vector<std::string> command(const VoiceSpec& spec, const std::string& textFile,
                                     const std::string& wavFile) const;
    // The cache file of `text` spoken with `spec`: <cacheDir>/<32 hex digits of SHA-256 over
    // the command (with placeholders for the files) and the text>.wav.
    std::string cachePath(const VoiceSpec& spec, std::string_view text) const;

    struct Made {
        std::string path;
        bool synthesised = false;          // false: it was in the cache
        std::chrono::milliseconds took{0}; // the engine's time (0 from the cache)
    };
    // The WAV of `text`, synthesised first when the cache lacks it (into a temporary file that
    // is renamed when the engine succeeded and wrote a readable WAV). Errors: NotSupported
    // (check() failed), StorageError (the cache folder), Internal (the engine failed),
    // BadReply (it wrote no usable WAV), Cancelled (cancel()).
    Result<Made> ensure(const VoiceSpec& spec, std::string_view text);

    struct Spoken {
        Made made;
        Pcm pcm;
    };
    // ensure(), then the line's sound read from the cache. A cached file that does not read as
    // a WAV (damaged on disk) is removed and synthesised again, once. Errors: those of ensure()
    // and of readWav().
    Result<Spoken> speak(const VoiceSpec& spec, std::string_view text);

    // Removes the cached lines (files named as cachePath() names them) that are not in `keep`;
    // returns how many. Other files are left alone.
    int prune(const std::set<std::string>& keep) const;
    // The cache's size in bytes and files.
    std::pair<std::uintmax_t, int> cacheSize() const;

    // Ends an engine that is running (SIGKILL) and makes ensure() fail with Cancelled from now
    // on. Thread: any.
    void cancel();

private:
    Result<void> runEngine(const std::vector<std::string>& argv);
    std::string voiceFile(const VoiceSpec& spec) const;

    SynthOptions m_options;
    std::atomic<bool> m_cancelled{false};
    std::atomic<int> m_child{0};
};

} // namespace uketsuke::kiosk::voice
