#include "kiosk/voice/pcm.hpp"

#include "base/files.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

namespace uketsuke::kiosk::voice {
namespace {

std::uint32_t le32(std::string_view b, std::size_t at)
{
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

std::uint16_t le16(std::string_view b, std::size_t at)
{
    return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                      static_cast<unsigned char>(b[at + 1]) << 8);
}

void put32(std::string& out, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i) {
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
}

void put16(std::string& out, std::uint16_t v)
{
    out.push_back(static_cast<char>(v & 0xff));
    out.push_back(static_cast<char>(v >> 8));
}

std::int16_t clampSample(double v)
{
    return static_cast<std::int16_t>(std::clamp(std::lround(v), -32768L, 32767L));
}

Unexpected<Error> notWav(const std::string& why)
{
    return fail(Errc::BadReply, "not a 16-bit PCM WAV: " + why);
}

} // namespace

Result<Pcm> parseWav(std::string_view b)
{
    if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WAVE") {
        return notWav("no RIFF/WAVE header");
    }
    int channels = 0;
    int bits = 0;
    int rate = 0;
    std::size_t at = 12;
    while (at + 8 <= b.size()) {
        const std::string_view id = b.substr(at, 4);
        std::size_t size = le32(b, at + 4);
        const std::size_t body = at + 8;
        if (id == "fmt ") {
            if (size < 16 || body + 16 > b.size()) {
                return notWav("short fmt chunk");
            }
            if (le16(b, body) != 1) {
                return notWav("format " + std::to_string(le16(b, body)) + " is not PCM");
            }
            channels = le16(b, body + 2);
            rate = static_cast<int>(le32(b, body + 4));
            bits = le16(b, body + 14);
        } else if (id == "data") {
            if (channels < 1 || channels > 2 || bits != 16 || rate < kMinWavRate ||
                rate > kMaxWavRate) {
                return notWav(std::to_string(channels) + " channels, " + std::to_string(bits) +
                              " bits, " + std::to_string(rate) + " Hz");
            }
            size = std::min(size, b.size() - body);
            const std::size_t frame = 2 * static_cast<std::size_t>(channels);
            if (size / frame > static_cast<std::size_t>(rate) * kMaxWavSeconds) {
                return notWav(std::to_string(size / frame / static_cast<std::size_t>(rate)) +
                              " s long (a voice line is at most " +
                              std::to_string(kMaxWavSeconds) + " s)");
            }
            Pcm pcm;
            pcm.rate = rate;
            pcm.samples.reserve(size / frame);
            for (std::size_t p = body; p + frame <= body + size; p += frame) {
                int sum = 0;
                for (int c = 0; c < channels; ++c) {
                    sum += static_cast<std::int16_t>(le16(b, p + 2 * static_cast<std::size_t>(c)));
                }
                pcm.samples.push_back(static_cast<std::int16_t>(sum / channels));
            }
            if (pcm.samples.empty()) {
                return notWav("no samples");
            }
            return pcm;
        }
        if (size > b.size() - body) {
            break;
        }
        at = body + size + (size & 1);
    }
    return notWav("no data chunk");
}

Result<Pcm> readWav(const std::string& path)
{
    auto bytes = files::readFile(path);
    if (!bytes) {
        return fail(std::move(bytes).error());
    }
    auto pcm = parseWav(*bytes);
    if (!pcm) {
        return fail(pcm.error().code, path + ": " + pcm.error().message);
    }
    return pcm;
}

std::string wavBytes(const Pcm& pcm)
{
    const auto dataSize = static_cast<std::uint32_t>(pcm.samples.size() * 2);
    std::string out;
    out.reserve(44 + dataSize);
    out += "RIFF";
    put32(out, 36 + dataSize);
    out += "WAVEfmt ";
    put32(out, 16);
    put16(out, 1); // PCM
    put16(out, 1); // mono
    put32(out, static_cast<std::uint32_t>(pcm.rate));
    put32(out, static_cast<std::uint32_t>(pcm.rate) * 2);
    put16(out, 2);
    put16(out, 16);
    out += "data";
    put32(out, dataSize);
    for (std::int16_t s : pcm.samples) {
        put16(out, static_cast<std::uint16_t>(s));
    }
    return out;
}

Pcm resample(const Pcm& pcm, int rate)
{
    if (pcm.rate == rate || pcm.samples.empty() || pcm.rate <= 0 || rate <= 0) {
        Pcm same = pcm;
        same.rate = rate > 0 ? rate : pcm.rate;
        return same;
    }
    Pcm out;
    out.rate = rate;
    const double step = static_cast<double>(pcm.rate) / rate;
    const auto count = static_cast<std::size_t>(
        std::floor(static_cast<double>(pcm.samples.size() - 1) / step) + 1);
    out.samples.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const double pos = static_cast<double>(i) * step;
        const auto j = static_cast<std::size_t>(pos);
        const double frac = pos - static_cast<double>(j);
        const double a = pcm.samples[j];
        const double b = j + 1 < pcm.samples.size() ? pcm.samples[j + 1] : a;
        out.samples.push_back(clampSample(a + (b - a) * frac));
    }
    return out;
}

Pcm prepareSpeech(const Pcm& pcm, int rate, int volume)
{
    // Every line is levelled to this peak before the volume is applied (the short sounds peak
    // at 0.5: a little under speech).
    constexpr double kSpeechPeak = 0.7;
    // Silence is below 1 % of full scale; a line keeps 50 ms of it each side.
    constexpr double kSilence = 0.01;
    constexpr double kKeepSilence = 0.05;
    Pcm out = resample(pcm, rate);
    trimSilence(out, kSilence, kKeepSilence);
    normalise(out, kSpeechPeak);
    applyVolume(out, volume);
    return out;
}

void trimSilence(Pcm& pcm, double threshold, double keepSeconds)
{
    const int limit = static_cast<int>(std::clamp(threshold, 0.0, 1.0) * 32767.0);
    auto loud = [limit](std::int16_t s) { return std::abs(static_cast<int>(s)) > limit; };
    const auto first = std::find_if(pcm.samples.begin(), pcm.samples.end(), loud);
    if (first == pcm.samples.end()) {
        return;
    }
    const auto last = std::find_if(pcm.samples.rbegin(), pcm.samples.rend(), loud).base();
    const auto keep = static_cast<std::ptrdiff_t>(std::max(0.0, keepSeconds) * pcm.rate);
    const auto begin = first - std::min(keep, first - pcm.samples.begin());
    const auto end = last + std::min(keep, pcm.samples.end() - last);
    pcm.samples = std::vector<std::int16_t>(begin, end);
}

void normalise(Pcm& pcm, double peak)
{
    int loudest = 0;
    for (std::int16_t s : pcm.samples) {
        loudest = std::max(loudest, std::abs(static_cast<int>(s)));
    }
    if (loudest == 0) {
        return;
    }
    const double gain = std::clamp(peak, 0.0, 1.0) * 32767.0 / loudest;
    for (std::int16_t& s : pcm.samples) {
        s = clampSample(s * gain);
    }
}

double volumeGain(int volume)
{
    const double v = std::clamp(volume, 0, 100) / 100.0;
    return v * v;
}

void applyVolume(Pcm& pcm, int volume)
{
    const double gain = volumeGain(volume);
    if (gain == 1.0) {
        return;
    }
    for (std::int16_t& s : pcm.samples) {
        s = clampSample(s * gain);
    }
}

const char* earconName(Earcon earcon)
{
    switch (earcon) {
    case Earcon::CardDetected:
        return "earcon.card";
    case Earcon::Error:
        return "earcon.error";
    case Earcon::Done:
        return "earcon.done";
    }
    return "earcon.unknown";
}

Pcm makeEarcon(Earcon earcon, int rate)
{
    struct Note {
        double hz;
        double seconds;
    };
    std::vector<Note> notes;
    switch (earcon) {
    case Earcon::CardDetected: // A5, E6
        notes = {{880.0, 0.09}, {1318.5, 0.14}};
        break;
    case Earcon::Error: // E4, C4: low and falling, calm rather than alarming
        notes = {{329.6, 0.18}, {261.6, 0.26}};
        break;
    case Earcon::Done: // C6, E6, G6
        notes = {{1046.5, 0.10}, {1318.5, 0.10}, {1568.0, 0.22}};
        break;
    }
    Pcm pcm;
    pcm.rate = rate;
    const double fade = 0.012; // seconds of fade in and out: no clicks
    for (const Note& note : notes) {
        const auto n = static_cast<std::size_t>(note.seconds * rate);
        for (std::size_t i = 0; i < n; ++i) {
            const double t = static_cast<double>(i) / rate;
            const double edge = std::min({1.0, t / fade, (note.seconds - t) / fade});
            // A sine with a little of its octave: softer than a pure beep on small speakers.
            const double w = 2.0 * std::numbers::pi * note.hz * t;
            const double v = (0.8 * std::sin(w) + 0.2 * std::sin(2.0 * w)) * edge;
            pcm.samples.push_back(clampSample(v * 0.5 * 32767.0));
        }
    }
    return pcm;
}

} // namespace uketsuke::kiosk::voice
