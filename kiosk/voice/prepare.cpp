#include "kiosk/voice/prepare.hpp"

#include "kiosk/voice/cues.hpp"
#include "kiosk/voice/pcm.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace uketsuke::kiosk::voice {
namespace {

std::string fixed(double v, int decimals)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

} // namespace

int prepareVoices(const model::StringCatalog& strings, const SynthOptions& options,
                  std::ostream& out, std::ostream& err)
{
    Synthesizer synth(options);
    std::set<std::string> keep;
    int status = 0;
    out << "voice lines in " << options.cacheDir << "\n";
    for (const auto& lang : strings.languages()) {
        const auto& table = strings.table(lang);
        auto spec = parseVoiceSpec(table.has("language.voice") ? table.tr("language.voice") : "");
        if (!spec) {
            err << "uketsuke-kiosk: " << lang << ": " << spec.error().message << "\n";
            status = 1;
            continue;
        }
        if (!*spec) {
            out << "  " << lang << ": no voice named (language.voice), not spoken\n";
            continue;
        }
        if (auto ok = synth.check(**spec); !ok) {
            err << "uketsuke-kiosk: " << lang << ": " << ok.error().message << "\n";
            status = 1;
            continue;
        }
        int lines = 0;
        int made = 0;
        long long totalMs = 0;
        long long maxMs = 0;
        double speech = 0.0;
        for (const auto& key : lineKeys(table)) {
            auto done = synth.ensure(**spec, table.tr(key));
            if (!done) {
                err << "uketsuke-kiosk: " << lang << " " << key << ": " << done.error().message
                    << "\n";
                status = 1;
                continue;
            }
            keep.insert(done->path);
            ++lines;
            if (done->synthesised) {
                ++made;
                totalMs += done->took.count();
                maxMs = std::max<long long>(maxMs, done->took.count());
            }
            if (auto pcm = readWav(done->path)) {
                speech += pcm->seconds();
            }
        }
        out << "  " << lang << ": " << voiceSpecName(**spec) << ", " << lines << " lines ("
            << fixed(lines > 0 ? speech / lines : 0.0, 1) << " s of speech a line), " << made
            << " synthesised";
        if (made > 0) {
            out << " in " << totalMs / made << " ms a line (longest " << maxMs << " ms)";
        }
        out << "\n";
    }
    // Only when every line is there: a language that cannot speak right now keeps its files.
    const int removed = status == 0 ? synth.prune(keep) : 0;
    const auto [bytes, files] = synth.cacheSize();
    out << "cache: " << files << " files, " << fixed(static_cast<double>(bytes) / 1.0e6, 1)
        << " MB";
    if (removed > 0) {
        out << " (" << removed << " unused removed)";
    }
    out << "\n";
    return status;
}

} // namespace uketsuke::kiosk::voice
