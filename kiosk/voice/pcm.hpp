#pragma once

// Sound as numbers (docs/voice.md): 16-bit mono PCM, the WAV files the speech engines write,
// and what the terminal does to a clip before it plays it (resample to the device's rate,
// level it, apply the configured volume). The short sounds (card detected, error, done) are
// made here in code. No SDL: the player in ui/sound.cpp only queues what this gives it.

#include "base/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::kiosk::voice {

// Mono 16-bit samples at `rate` Hz.
struct Pcm {
    int rate = 0;
    std::vector<std::int16_t> samples;

    double seconds() const
    {
        return rate > 0 ? static_cast<double>(samples.size()) / rate : 0.0;
    }
};

// What a voice line's WAV may be: speech from 8 kHz (telephone) to 384 kHz, at most a minute
// long. A damaged cache file claiming 1 Hz would otherwise ask the resampler for 48 000 times
// its samples.
inline constexpr int kMinWavRate = 8000;
inline constexpr int kMaxWavRate = 384000;
inline constexpr int kMaxWavSeconds = 60;

// Reads a RIFF/WAVE file of 16-bit PCM (mono, or stereo mixed down), as open_jtalk and
// espeak-ng write it. Chunks other than "fmt " and "data" are skipped; a data chunk longer
// than the file (espeak-ng writing to a pipe leaves 0x7fffffff) is read to the end of the
// file. Errors: BadReply (not a WAV of 16-bit PCM at kMinWavRate..kMaxWavRate, no samples, or
// longer than kMaxWavSeconds), StorageError (unreadable).
Result<Pcm> parseWav(std::string_view bytes);
Result<Pcm> readWav(const std::string& path);
// A canonical 44-byte-header WAV of `pcm`.
std::string wavBytes(const Pcm& pcm);

// `pcm` at `rate` Hz (linear interpolation: speech and tones, not music).
Pcm resample(const Pcm& pcm, int rate);

// Cuts the silence (samples below `threshold` of full scale) before and after the sound down to
// `keepSeconds` each side: Open JTalk starts a line with half a second of silence, which the
// patient would wait through after every new screen. All silence: left as it is.
void trimSilence(Pcm& pcm, double threshold, double keepSeconds);

// Scales `pcm` so its loudest sample is `peak` (0..1 of full scale): open_jtalk and espeak-ng
// write at different levels, and every line should sound equally loud. Silence stays silence.
void normalise(Pcm& pcm, double peak);

// The gain of `volume` (sound.volume, 0-100): (volume/100)^2, so the scale follows loudness
// more closely than a straight line would (50 is about -12 dB, 10 is -40 dB, 0 is silent).
double volumeGain(int volume);
// Multiplies every sample by volumeGain(volume), rounding and clamping.
void applyVolume(Pcm& pcm, int volume);

// What the terminal does to a spoken line before it plays it: resampled to `rate`, the silence
// around it trimmed to 50 ms, levelled to 70 % of full scale, then the volume (0-100) applied.
Pcm prepareSpeech(const Pcm& pcm, int rate, int volume);

// The short sounds, made in code (a few soft sine notes with faded edges, never a buzzer).
enum class Earcon {
    CardDetected, // two rising notes: the card was found on the reader
    Error,        // two falling low notes: something went wrong (the screen says what)
    Done,         // three rising notes: checked in
};
// "earcon.card", "earcon.error", "earcon.done": the names in logs and headless scripts.
const char* earconName(Earcon earcon);
Pcm makeEarcon(Earcon earcon, int rate);

} // namespace uketsuke::kiosk::voice
