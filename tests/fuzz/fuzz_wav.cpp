// Fuzz target: arbitrary bytes as a WAV file in the voice cache (kiosk/voice/pcm.hpp,
// docs/voice.md): what open_jtalk or espeak-ng wrote, or a cache file damaged on disk.
// parseWav must end in a clip or an Error; a clip then goes through what the terminal does
// before it plays one (resample to the device's rate, trim, level, volume) without a crash,
// and comes back from wavBytes as the same samples. A clip is never longer than a minute.

#include "kiosk/voice/pcm.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace uketsuke::kiosk::voice;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto pcm = parseWav(bytes);
    if (!pcm) {
        return 0;
    }
    if (pcm->rate <= 0 || pcm->samples.empty()) {
        __builtin_trap(); // a clip is never empty nor without a rate
    }
    auto again = parseWav(wavBytes(*pcm));
    if (!again || again->rate != pcm->rate || again->samples != pcm->samples) {
        __builtin_trap();
    }
    // What the terminal does before it plays a line; parseWav's bounds (rate, length) keep it
    // to seconds of sound at the device's rate.
    Pcm played = prepareSpeech(*pcm, 48000, 80);
    if (played.samples.size() > static_cast<std::size_t>(48000) * (kMaxWavSeconds + 1)) {
        __builtin_trap();
    }
    return 0;
}
