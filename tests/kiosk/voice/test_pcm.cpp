#include "kiosk/voice/pcm.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <numbers>

using namespace uketsuke;
using namespace uketsuke::kiosk::voice;

namespace {

Pcm sine(double hz, int rate, double seconds, double amplitude = 0.5)
{
    Pcm pcm;
    pcm.rate = rate;
    const auto n = static_cast<std::size_t>(seconds * rate);
    for (std::size_t i = 0; i < n; ++i) {
        pcm.samples.push_back(static_cast<std::int16_t>(
            amplitude * 32767.0 * std::sin(2.0 * std::numbers::pi * hz * static_cast<double>(i) / rate)));
    }
    return pcm;
}

int peak(const Pcm& pcm)
{
    int p = 0;
    for (auto s : pcm.samples) {
        p = std::max(p, std::abs(static_cast<int>(s)));
    }
    return p;
}

int upwardCrossings(const Pcm& pcm)
{
    int n = 0;
    for (std::size_t i = 1; i < pcm.samples.size(); ++i) {
        if (pcm.samples[i - 1] < 0 && pcm.samples[i] >= 0) {
            ++n;
        }
    }
    return n;
}

} // namespace

TEST_CASE("wavBytes and parseWav: a clip comes back as it was written")
{
    Pcm pcm = sine(440.0, 22050, 0.1);
    std::string bytes = wavBytes(pcm);
    CHECK(bytes.size() == 44 + pcm.samples.size() * 2);
    auto back = parseWav(bytes);
    REQUIRE(back.has_value());
    CHECK(back->rate == 22050);
    CHECK(back->samples == pcm.samples);
}

TEST_CASE("parseWav: stereo is mixed down, extra chunks skipped, a too-long data chunk read to the end")
{
    Pcm mono;
    mono.rate = 8000;
    mono.samples = {100, -200, 300};
    std::string b = wavBytes(mono);
    // Stereo: channels 2, block align 4, each frame (L, R).
    std::string stereo = b.substr(0, 36);
    stereo[22] = 2;
    stereo[32] = 4;
    stereo += "LIST";
    stereo += std::string("\x04\x00\x00\x00", 4) + "abcd";
    stereo += "data";
    stereo += std::string("\xff\xff\xff\x7f", 4); // espeak-ng writing to a pipe
    for (std::int16_t l : {100, 200}) {
        std::int16_t r = static_cast<std::int16_t>(-l);
        for (std::int16_t v : {l, static_cast<std::int16_t>(r + 2 * l)}) {
            stereo.push_back(static_cast<char>(v & 0xff));
            stereo.push_back(static_cast<char>((v >> 8) & 0xff));
        }
    }
    auto pcm = parseWav(stereo);
    REQUIRE(pcm.has_value());
    REQUIRE(pcm->samples.size() == 2);
    CHECK(pcm->samples[0] == 100);
    CHECK(pcm->samples[1] == 200);
}

TEST_CASE("parseWav: anything but 16-bit PCM with samples is refused as BadReply")
{
    CHECK(parseWav("").error().code == Errc::BadReply);
    CHECK(parseWav("RIFF\0\0\0\0WAVX").error().code == Errc::BadReply);
    Pcm empty;
    empty.rate = 16000;
    CHECK(parseWav(wavBytes(empty)).error().code == Errc::BadReply);
    Pcm one;
    one.rate = 16000;
    one.samples = {1};
    std::string floatWav = wavBytes(one);
    floatWav[20] = 3; // IEEE float
    CHECK(parseWav(floatWav).error().code == Errc::BadReply);
    std::string eightBit = wavBytes(one);
    eightBit[34] = 8;
    CHECK(parseWav(eightBit).error().code == Errc::BadReply);
}

TEST_CASE("parseWav: a rate below 8 kHz or above 384 kHz, or over a minute of sound, is refused")
{
    // A damaged cache file claiming 1 Hz would make the player resample to 48 000 times its
    // samples: half a megabyte of file, gigabytes of memory.
    Pcm slow;
    slow.rate = 1;
    slow.samples.assign(1000, 100);
    auto one = parseWav(wavBytes(slow));
    REQUIRE_FALSE(one.has_value());
    CHECK(one.error().code == Errc::BadReply);
    CHECK(one.error().message.find("1 Hz") != std::string::npos);
    slow.rate = kMinWavRate - 1;
    CHECK_FALSE(parseWav(wavBytes(slow)).has_value());
    slow.rate = kMinWavRate;
    CHECK(parseWav(wavBytes(slow)).has_value());
    slow.rate = kMaxWavRate + 1;
    CHECK_FALSE(parseWav(wavBytes(slow)).has_value());

    Pcm minute;
    minute.rate = kMinWavRate;
    minute.samples.assign(static_cast<std::size_t>(kMinWavRate) * kMaxWavSeconds, 100);
    CHECK(parseWav(wavBytes(minute)).has_value());
    minute.samples.push_back(100);
    auto tooLong = parseWav(wavBytes(minute));
    REQUIRE_FALSE(tooLong.has_value());
    CHECK(tooLong.error().message.find("at most 60 s") != std::string::npos);
}

TEST_CASE("prepareSpeech: resampled, trimmed, levelled, then the volume")
{
    Pcm line;
    line.rate = 24000;
    line.samples.assign(24000, 0); // a second of silence before
    Pcm tone = sine(400.0, 24000, 0.5, 0.2);
    line.samples.insert(line.samples.end(), tone.samples.begin(), tone.samples.end());
    Pcm full = prepareSpeech(line, 48000, 100);
    CHECK(full.rate == 48000);
    // 0.5 s of tone and 50 ms of the silence before it, at twice the rate.
    CHECK(std::abs(static_cast<long>(full.samples.size()) - 26400) <= 10);
    CHECK(std::abs(peak(full) - static_cast<int>(0.7 * 32767)) <= 2);
    Pcm half = prepareSpeech(line, 48000, 50);
    CHECK(half.samples.size() == full.samples.size());
    CHECK(std::abs(peak(half) - static_cast<int>(0.7 * 32767 * volumeGain(50))) <= 2);
    CHECK(peak(prepareSpeech(line, 48000, 0)) == 0);
}

TEST_CASE("resample: espeak-ng's 22050 Hz to the device's 48000 Hz keeps length and pitch")
{
    Pcm in = sine(500.0, 22050, 1.0);
    Pcm out = resample(in, 48000);
    CHECK(out.rate == 48000);
    CHECK(std::abs(static_cast<long>(out.samples.size()) - 48000) <= 3);
    CHECK(std::abs(upwardCrossings(out) - upwardCrossings(in)) <= 1);
    CHECK(std::abs(upwardCrossings(out) - 500) <= 1);
    CHECK(resample(in, 22050).samples == in.samples);
    Pcm down = resample(sine(500.0, 48000, 1.0), 16000);
    CHECK(std::abs(static_cast<long>(down.samples.size()) - 16000) <= 3);
}

TEST_CASE("volumeGain: 0 is silent, 100 untouched, the curve is squared")
{
    CHECK(volumeGain(0) == 0.0);
    CHECK(volumeGain(100) == 1.0);
    CHECK(volumeGain(50) == Approx(0.25));
    CHECK(volumeGain(10) == Approx(0.01));
    CHECK(volumeGain(-5) == 0.0);
    CHECK(volumeGain(250) == 1.0);
    for (int v = 1; v <= 100; ++v) {
        CHECK(volumeGain(v) > volumeGain(v - 1));
    }
}

TEST_CASE("applyVolume and normalise: samples scaled, rounded and never wrapped")
{
    Pcm pcm;
    pcm.rate = 48000;
    pcm.samples = {32767, -32768, 1000, -1000, 0};
    Pcm half = pcm;
    applyVolume(half, 50);
    CHECK(half.samples == std::vector<std::int16_t>{8192, -8192, 250, -250, 0});
    Pcm mute = pcm;
    applyVolume(mute, 0);
    CHECK(peak(mute) == 0);
    Pcm full = pcm;
    applyVolume(full, 100);
    CHECK(full.samples == pcm.samples);

    Pcm quiet = sine(300.0, 48000, 0.05, 0.1);
    normalise(quiet, 0.7);
    CHECK(peak(quiet) == Approx(0.7 * 32767).margin(2));
    Pcm silence;
    silence.rate = 48000;
    silence.samples.assign(100, 0);
    normalise(silence, 0.7);
    CHECK(peak(silence) == 0);
}

TEST_CASE("trimSilence: the silence before and after a line shrinks to what is kept")
{
    Pcm pcm;
    pcm.rate = 1000;
    pcm.samples.assign(500, 3); // half a second of near silence (below 1 %)
    for (int i = 0; i < 200; ++i) {
        pcm.samples.push_back(static_cast<std::int16_t>(i % 2 == 0 ? 5000 : -5000));
    }
    pcm.samples.insert(pcm.samples.end(), 900, 0);
    trimSilence(pcm, 0.01, 0.05);
    REQUIRE(pcm.samples.size() == 50 + 200 + 50);
    CHECK(pcm.samples[49] == 3);
    CHECK(pcm.samples[50] == 5000);
    CHECK(pcm.samples[249] == -5000);
    CHECK(pcm.samples[250] == 0);

    Pcm edge;
    edge.rate = 1000;
    edge.samples = {9000, 0, 0};
    trimSilence(edge, 0.01, 0.05);
    CHECK(edge.samples.size() == 3); // less silence than kept: nothing cut
    Pcm silent;
    silent.rate = 1000;
    silent.samples.assign(10, 0);
    trimSilence(silent, 0.01, 0.05);
    CHECK(silent.samples.size() == 10);
}

TEST_CASE("makeEarcon: short, soft, faded in and out, one name each")
{
    for (Earcon e : {Earcon::CardDetected, Earcon::Error, Earcon::Done}) {
        INFO(earconName(e));
        Pcm pcm = makeEarcon(e, 48000);
        CHECK(pcm.rate == 48000);
        CHECK(pcm.seconds() > 0.15);
        CHECK(pcm.seconds() < 0.6);
        CHECK(peak(pcm) <= 16384);
        CHECK(peak(pcm) > 8000);
        CHECK(std::abs(pcm.samples.front()) < 100);
        CHECK(std::abs(pcm.samples.back()) < 1000);
    }
    CHECK(std::string(earconName(Earcon::CardDetected)) == "earcon.card");
    CHECK(std::string(earconName(Earcon::Error)) == "earcon.error");
    CHECK(std::string(earconName(Earcon::Done)) == "earcon.done");
    // The error sound is low, the others high.
    CHECK(upwardCrossings(makeEarcon(Earcon::Error, 48000)) <
          upwardCrossings(makeEarcon(Earcon::CardDetected, 48000)));
}
