// bench_voice: every voice line of every language (assets/i18n) synthesised into an empty
// cache with the engines Debian installs (scripts/install-deps.sh), as `uketsuke-kiosk voice`
// does on a new terminal; then the same again from the cache (nothing synthesised), and what
// readying one cached line for the audio device costs (read, resample to 48 kHz, level,
// volume), which is all the terminal does per screen once the cache is full.
// Exits 77 when no engine is installed.

#include "kiosk/voice/cues.hpp"
#include "kiosk/voice/pcm.hpp"
#include "kiosk/voice/prepare.hpp"
#include "kiosk/voice/synth.hpp"
#include "tests/support/files.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

using namespace uketsuke;
using namespace uketsuke::kiosk;
using Clock = std::chrono::steady_clock;

int main()
{
    auto strings = model::StringCatalog::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
    if (!strings) {
        std::cerr << strings.error().message << "\n";
        return 1;
    }
    tests::TempDir dir;
    voice::SynthOptions options;
    options.cacheDir = (dir.path() / "voice").string();
    voice::Synthesizer synth(options);
    if (!synth.check({voice::Engine::OpenJTalk, "nitech-jp-atr503-m001"}) &&
        !synth.check({voice::Engine::EspeakNg, "en-us"})) {
        std::cout << "skipped: neither open_jtalk nor espeak-ng is installed\n";
        return 77;
    }
    std::cout << "-- an empty cache\n";
    auto start = Clock::now();
    int status = voice::prepareVoices(*strings, options, std::cout, std::cerr);
    const double first = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("all languages: %.1f s\n", first);

    std::cout << "-- again, from the cache\n";
    start = Clock::now();
    status |= voice::prepareVoices(*strings, options, std::cout, std::cerr);
    const double again = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("all languages: %.2f s\n", again);

    // Readying a cached line for the device, as the Speaker's worker does per screen.
    int lines = 0;
    double seconds = 0.0;
    for (const auto& lang : strings->languages()) {
        const auto& table = strings->table(lang);
        auto spec = voice::parseVoiceSpec(table.tr("language.voice"));
        if (!spec || !*spec || !synth.check(**spec)) {
            continue;
        }
        for (const auto& key : voice::lineKeys(table)) {
            const auto t0 = Clock::now();
            auto made = synth.ensure(**spec, table.tr(key));
            if (!made) {
                continue;
            }
            auto pcm = voice::readWav(made->path);
            if (!pcm) {
                continue;
            }
            voice::Pcm clip = voice::resample(*pcm, 48000);
            voice::normalise(clip, 0.7);
            voice::applyVolume(clip, 80);
            seconds += std::chrono::duration<double>(Clock::now() - t0).count();
            ++lines;
        }
    }
    if (lines > 0) {
        std::printf("a cached line readied for the device: %.1f ms (mean of %d)\n",
                    1000.0 * seconds / lines, lines);
    }
    return status;
}
