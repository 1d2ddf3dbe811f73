// The synthesiser's cache with a fake engine (what ran, how often), the real engines where they
// are installed (scripts/install-deps.sh installs them), the Speaker's worker and `voice`.

#include "kiosk/voice/cues.hpp"
#include "kiosk/voice/prepare.hpp"
#include "kiosk/voice/speaker.hpp"
#include "kiosk/voice/synth.hpp"
#include "tests/support/files.hpp"

#include "base/files.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

using namespace uketsuke;
using namespace uketsuke::kiosk::voice;
namespace fs = std::filesystem;

namespace {

std::string argAfter(const std::vector<std::string>& argv, const std::string& flag)
{
    auto it = std::find(argv.begin(), argv.end(), flag);
    return it != argv.end() && it + 1 != argv.end() ? *(it + 1) : std::string();
}

// A stand-in engine: writes a short tone whose length follows the text, and counts its runs.
struct FakeEngine {
    int runs = 0;
    std::vector<std::string> texts;
    bool failing = false;
    bool garbage = false;

    Result<void> operator()(const std::vector<std::string>& argv)
    {
        ++runs;
        const std::string wav =
            !argAfter(argv, "-ow").empty() ? argAfter(argv, "-ow") : argAfter(argv, "-w");
        const std::string text = !argAfter(argv, "-f").empty() ? argAfter(argv, "-f") : argv.back();
        auto content = files::readFile(text);
        texts.push_back(content ? *content : "");
        if (failing) {
            return fail(Errc::Internal, "engine exited with status 1");
        }
        if (garbage) {
            return files::writeFile(wav, "not a wav");
        }
        Pcm pcm;
        pcm.rate = 22050;
        pcm.samples.assign(100 * (content ? content->size() : 1), 1000);
        return files::writeFile(wav, wavBytes(pcm));
    }
};

struct Fixture {
    tests::TempDir dir;
    FakeEngine engine;
    SynthOptions options;

    Fixture()
    {
        options.cacheDir = (dir.path() / "cache").string();
        options.openJTalk = "/bin/true";
        options.espeakNg = "/bin/true";
        options.openJTalkDictionary = (dir.path() / "dic").string();
        options.htsVoiceDir = (dir.path() / "hts").string();
        fs::create_directories(options.openJTalkDictionary);
        fs::create_directories(dir.path() / "hts" / "test-voice");
        std::ofstream(dir.path() / "hts" / "test-voice" / "test_voice.htsvoice") << "x";
        options.run = [this](const std::vector<std::string>& argv) { return engine(argv); };
    }
};

const VoiceSpec kJa{Engine::OpenJTalk, "test-voice"};
const VoiceSpec kEn{Engine::EspeakNg, "en-us"};

} // namespace

TEST_CASE("parseVoiceSpec: an engine and a voice, or nothing")
{
    auto ja = parseVoiceSpec("open-jtalk:nitech-jp-atr503-m001");
    REQUIRE(ja.has_value());
    REQUIRE(ja->has_value());
    CHECK((*ja)->engine == Engine::OpenJTalk);
    CHECK((*ja)->voice == "nitech-jp-atr503-m001");
    CHECK(voiceSpecName(**ja) == "open-jtalk:nitech-jp-atr503-m001");
    auto en = parseVoiceSpec("espeak-ng:en-us");
    REQUIRE(en.has_value());
    CHECK((*en)->engine == Engine::EspeakNg);
    auto none = parseVoiceSpec("");
    REQUIRE(none.has_value());
    CHECK_FALSE(none->has_value());
    for (const char* bad : {"festival:kal", "espeak-ng", "espeak-ng:", "espeak-ng:-x",
                            "open-jtalk:a b", "espeak-ng:en\""}) {
        INFO(bad);
        auto r = parseVoiceSpec(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::ConfigInvalid);
        CHECK(r.error().message.find("language.voice") != std::string::npos);
    }
}

TEST_CASE("Synthesizer::ensure: the same text is synthesised once, a changed one again")
{
    Fixture f;
    Synthesizer synth(f.options);
    auto first = synth.ensure(kJa, "カードを置いてください。");
    REQUIRE(first.has_value());
    CHECK(first->synthesised);
    CHECK(fs::is_regular_file(first->path));
    CHECK(f.engine.runs == 1);
    CHECK(f.engine.texts.back() == "カードを置いてください。\n");

    auto again = synth.ensure(kJa, "カードを置いてください。");
    REQUIRE(again.has_value());
    CHECK_FALSE(again->synthesised);
    CHECK(again->path == first->path);
    CHECK(f.engine.runs == 1);

    // A new Synthesizer (a restart) finds it too.
    Synthesizer restarted(f.options);
    CHECK_FALSE(restarted.ensure(kJa, "カードを置いてください。")->synthesised);
    CHECK(f.engine.runs == 1);

    auto changed = synth.ensure(kJa, "カードをお取りください。");
    REQUIRE(changed.has_value());
    CHECK(changed->synthesised);
    CHECK(changed->path != first->path);
    CHECK(f.engine.runs == 2);
    CHECK(fs::is_regular_file(first->path)); // the old line stays until prune()

    // Another voice or engine is another file.
    CHECK(synth.cachePath(kEn, "x") != synth.cachePath(kJa, "x"));
    CHECK(synth.cachePath(VoiceSpec{Engine::EspeakNg, "en-gb"}, "x") != synth.cachePath(kEn, "x"));
    CHECK(fs::path(first->path).parent_path() == fs::path(f.options.cacheDir));
    CHECK(fs::path(first->path).filename().string().size() == 36); // 32 hex digits + .wav
    // Nothing but the line is left in the cache folder.
    int files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(f.options.cacheDir)) {
        ++files;
    }
    CHECK(files == 2);
}

TEST_CASE("Synthesizer::ensure: a failed engine or a bad WAV leaves nothing in the cache")
{
    Fixture f;
    Synthesizer synth(f.options);
    f.engine.failing = true;
    auto failed = synth.ensure(kEn, "Please take your card.");
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().code == Errc::Internal);
    f.engine.failing = false;
    f.engine.garbage = true;
    auto garbage = synth.ensure(kEn, "Please take your card.");
    REQUIRE_FALSE(garbage.has_value());
    CHECK(garbage.error().code == Errc::BadReply);
    CHECK(fs::is_empty(f.options.cacheDir));
    f.engine.garbage = false;
    auto fine = synth.ensure(kEn, "Please take your card.");
    REQUIRE(fine.has_value());
    CHECK(fine->synthesised);
    CHECK(f.engine.runs == 3);
}

TEST_CASE("Synthesizer::speak: a damaged line in the cache is removed and made again")
{
    Fixture f;
    Synthesizer synth(f.options);
    auto first = synth.speak(kEn, "Hello.");
    REQUIRE(first.has_value());
    CHECK(first->made.synthesised);
    CHECK(f.engine.runs == 1);
    const std::vector<std::int16_t> samples = first->pcm.samples;

    // The same line from the cache: not synthesised again.
    auto cached = synth.speak(kEn, "Hello.");
    REQUIRE(cached.has_value());
    CHECK_FALSE(cached->made.synthesised);
    CHECK(f.engine.runs == 1);

    // Damaged on disk (a rate of 1 Hz, which would ask the resampler for 48 000 times the
    // samples): refused, removed, made again, and spoken this time already.
    Pcm bad;
    bad.rate = 1;
    bad.samples.assign(500, 1);
    REQUIRE(files::writeFile(first->made.path, wavBytes(bad)));
    auto again = synth.speak(kEn, "Hello.");
    REQUIRE(again.has_value());
    CHECK(again->made.synthesised);
    CHECK(f.engine.runs == 2);
    CHECK(again->pcm.samples == samples);
    CHECK(readWav(first->made.path).has_value());

    // An engine that now writes garbage: the damaged file is removed, the line not spoken, the
    // cache left without it.
    REQUIRE(files::writeFile(first->made.path, "RIFF"));
    f.engine.garbage = true;
    auto broken = synth.speak(kEn, "Hello.");
    REQUIRE_FALSE(broken.has_value());
    CHECK(broken.error().code == Errc::BadReply);
    CHECK_FALSE(fs::exists(first->made.path));
}

TEST_CASE("Synthesizer::check: a missing engine, dictionary or voice names its Debian package")
{
    Fixture f;
    SynthOptions o = f.options;
    o.openJTalk = "/nonexistent/open_jtalk";
    auto noEngine = Synthesizer(o).check(kJa);
    REQUIRE_FALSE(noEngine.has_value());
    CHECK(noEngine.error().code == Errc::NotSupported);
    CHECK(noEngine.error().message.find("open-jtalk") != std::string::npos);
    auto noVoice = Synthesizer(f.options).check(VoiceSpec{Engine::OpenJTalk, "missing-voice"});
    REQUIRE_FALSE(noVoice.has_value());
    CHECK(noVoice.error().message.find("hts-voice-missing-voice") != std::string::npos);
    o = f.options;
    o.openJTalkDictionary = "/nonexistent";
    CHECK(Synthesizer(o).check(kJa).error().message.find("open-jtalk-mecab-naist-jdic") !=
          std::string::npos);
    o = f.options;
    o.espeakNg = "no-such-espeak-ng-here";
    CHECK(Synthesizer(o).check(kEn).error().message.find("espeak-ng") != std::string::npos);
    CHECK(Synthesizer(f.options).check(kJa).has_value());
    // The engine never runs for a voice that cannot speak.
    Synthesizer synth(o);
    CHECK(synth.ensure(kEn, "x").error().code == Errc::NotSupported);
    CHECK(f.engine.runs == 0);
}

TEST_CASE("Synthesizer::prune: removes the lines no table has any more, nothing else")
{
    Fixture f;
    Synthesizer synth(f.options);
    auto keep = synth.ensure(kJa, "残す");
    auto drop = synth.ensure(kJa, "消す");
    REQUIRE(keep.has_value());
    REQUIRE(drop.has_value());
    std::ofstream(fs::path(f.options.cacheDir) / "notes.txt") << "not ours";
    CHECK(synth.cacheSize().second == 2);
    CHECK(synth.prune({keep->path}) == 1);
    CHECK(fs::exists(keep->path));
    CHECK_FALSE(fs::exists(drop->path));
    CHECK(fs::exists(fs::path(f.options.cacheDir) / "notes.txt"));
    CHECK(synth.cacheSize().second == 1);
    CHECK(synth.cacheSize().first == fs::file_size(keep->path));
}

TEST_CASE("Synthesizer: the engines' commands take no shell and put the text in a file")
{
    Fixture f;
    Synthesizer synth(f.options);
    auto ja = synth.command(kJa, "/c/in.txt", "/c/out.wav");
    CHECK(ja.front() == "/bin/true");
    CHECK(argAfter(ja, "-x") == f.options.openJTalkDictionary);
    CHECK(argAfter(ja, "-m") == (fs::path(f.options.htsVoiceDir) / "test-voice" / "test_voice.htsvoice").string());
    CHECK(argAfter(ja, "-ow") == "/c/out.wav");
    CHECK(ja.back() == "/c/in.txt");
    auto en = synth.command(kEn, "/c/in.txt", "/c/out.wav");
    CHECK(argAfter(en, "-v") == "en-us");
    CHECK(argAfter(en, "-w") == "/c/out.wav");
    CHECK(argAfter(en, "-f") == "/c/in.txt");
}

namespace {

// Real engines: only where Debian's packages are installed (scripts/install-deps.sh).
void checkRealEngine(const VoiceSpec& spec, const std::string& text, int rate)
{
    tests::TempDir dir;
    SynthOptions options;
    options.cacheDir = (dir.path() / "cache").string();
    Synthesizer synth(options);
    if (auto ok = synth.check(spec); !ok) {
        WARN("not tested here: " << ok.error().message);
        return;
    }
    auto made = synth.ensure(spec, text);
    REQUIRE(made.has_value());
    CHECK(made->synthesised);
    auto pcm = readWav(made->path);
    REQUIRE(pcm.has_value());
    CHECK(pcm->rate == rate);
    CHECK(pcm->seconds() > 0.5);
    CHECK(pcm->seconds() < 10.0);
    int loudest = 0;
    for (auto s : pcm->samples) {
        loudest = std::max(loudest, std::abs(static_cast<int>(s)));
    }
    CHECK(loudest > 3000); // speech, not silence
    CHECK_FALSE(synth.ensure(spec, text)->synthesised);
}

} // namespace

TEST_CASE("open_jtalk: one Japanese line becomes a 48 kHz WAV of speech")
{
    checkRealEngine(VoiceSpec{Engine::OpenJTalk, "nitech-jp-atr503-m001"},
                    "マイナ保険証を、読み取り機の上に置いてください。", 48000);
}

TEST_CASE("espeak-ng: one English line becomes a 22050 Hz WAV of speech")
{
    checkRealEngine(VoiceSpec{Engine::EspeakNg, "en-us"}, "Please take your card.", 22050);
}

// espeak-ng 1.51's "cmn" voice turns 汉字 into pinyin with tone digits and reads those in
// English ("(en)kI55NTr'i:55": "qing three"); the voice zh-Hans.json names must not switch.
TEST_CASE("espeak-ng: every Chinese line is read as Mandarin, never switching to English")
{
    auto strings = kiosk::model::StringCatalog::load(UKETSUKE_SOURCE_DIR "/assets/i18n", "ja");
    REQUIRE(strings.has_value());
    const auto& zh = strings->table("zh-Hans");
    auto spec = parseVoiceSpec(zh.tr("language.voice"));
    REQUIRE(spec.has_value());
    REQUIRE(spec->has_value());
    SynthOptions options;
    if (auto ok = Synthesizer(options).check(**spec); !ok) {
        WARN("not tested here: " << ok.error().message);
        return;
    }
    tests::TempDir dir;
    for (const auto& key : lineKeys(zh)) {
        INFO(key);
        const auto textFile = dir.path() / "line.txt";
        std::ofstream(textFile) << zh.tr(key) << "\n";
        // Test code only: the phonemes espeak-ng would speak, read through a pipe.
        const std::string command = "espeak-ng -q -x -v " + (*spec)->voice + " -f " +
                                    textFile.string() + " 2>&1";
        std::string phonemes;
        if (FILE* pipe = ::popen(command.c_str(), "r")) {
            char buf[512];
            while (std::fgets(buf, sizeof buf, pipe) != nullptr) {
                phonemes += buf;
            }
            ::pclose(pipe);
        }
        INFO(phonemes);
        CHECK_FALSE(phonemes.empty());
        CHECK(phonemes.find("(en)") == std::string::npos);
    }
}

namespace {

kiosk::model::StringCatalog twoLanguages(const fs::path& dir)
{
    fs::create_directories(dir);
    std::ofstream(dir / "ja.json") << R"({"language.voice": "open-jtalk:test-voice",
        "voice.place_card": "置いてください。", "voice.remove_card": "お取りください。"})";
    std::ofstream(dir / "en.json") << R"({"language.voice": "espeak-ng:en-us",
        "voice.place_card": "Place it.", "voice.remove_card": "Take it."})";
    std::ofstream(dir / "ko.json") << R"({"language.voice": "",
        "voice.place_card": "x", "voice.remove_card": "y"})";
    auto catalog = kiosk::model::StringCatalog::load(dir.string(), "ja");
    REQUIRE(catalog.has_value());
    return std::move(*catalog);
}

} // namespace

TEST_CASE("Speaker: a line asked for comes back as a clip at the device's rate, with a wake-up")
{
    Fixture f;
    auto strings = twoLanguages(f.dir.path() / "i18n");
    std::mutex mutex;
    std::condition_variable cv;
    int wakes = 0;
    SpeakerOptions options;
    options.synth = f.options;
    options.rate = 48000;
    options.volume = 100;
    options.wake = [&] {
        std::lock_guard lock(mutex);
        ++wakes;
        cv.notify_all();
    };
    Speaker speaker(strings, options);
    CHECK(speaker.canSpeak("ja"));
    CHECK(speaker.canSpeak("en"));
    CHECK_FALSE(speaker.canSpeak("ko"));
    speaker.start();
    speaker.say(7, "en", "voice.remove_card");
    std::vector<Clip> clips;
    {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return wakes > 0; });
    }
    clips = speaker.take();
    speaker.stop();
    REQUIRE(clips.size() == 1);
    CHECK(clips[0].ticket == 7);
    CHECK(clips[0].key == "voice.remove_card");
    CHECK(clips[0].pcm.rate == 48000);
    // "Take it.\n" is 9 bytes: 900 samples at 22050 Hz, about 1959 at 48 kHz (all of it
    // sound: nothing trimmed), levelled.
    CHECK(std::abs(static_cast<long>(clips[0].pcm.samples.size()) - 1959) <= 3);
    CHECK(clips[0].pcm.samples[100] == Approx(0.7 * 32767).margin(2));
    CHECK(speaker.take().empty());
    // Only the English line (asked for) and the default language's lines (prepared) ran.
    for (const auto& text : f.engine.texts) {
        CHECK(text != "Place it.\n");
    }
}

TEST_CASE("prepareVoices: every line of every language with a voice, once, and numbers")
{
    Fixture f;
    auto strings = twoLanguages(f.dir.path() / "i18n");
    std::ostringstream out;
    std::ostringstream err;
    CHECK(prepareVoices(strings, f.options, out, err) == 0);
    CHECK(err.str().empty());
    CHECK(f.engine.runs == 4);
    CHECK(out.str().find("ja: open-jtalk:test-voice, 2 lines") != std::string::npos);
    CHECK(out.str().find("en: espeak-ng:en-us, 2 lines") != std::string::npos);
    CHECK(out.str().find("ko: no voice named") != std::string::npos);
    CHECK(out.str().find("cache: 4 files") != std::string::npos);

    std::ostringstream again;
    CHECK(prepareVoices(strings, f.options, again, err) == 0);
    CHECK(f.engine.runs == 4);
    CHECK(again.str().find("0 synthesised") != std::string::npos);

    // A sentence changed in a file: synthesised again, the old one removed.
    auto dir = f.dir.path() / "i18n";
    std::ofstream(dir / "en.json") << R"({"language.voice": "espeak-ng:en-us",
        "voice.place_card": "Place your card.", "voice.remove_card": "Take it."})";
    auto changed = kiosk::model::StringCatalog::load(dir.string(), "ja");
    REQUIRE(changed.has_value());
    std::ostringstream third;
    CHECK(prepareVoices(*changed, f.options, third, err) == 0);
    CHECK(f.engine.runs == 5);
    CHECK(third.str().find("cache: 4 files") != std::string::npos);
    CHECK(third.str().find("1 unused removed") != std::string::npos);

    // A language whose engine is missing: the others are prepared, the status is 1.
    SynthOptions noJTalk = f.options;
    noJTalk.openJTalk = "/nonexistent/open_jtalk";
    std::ostringstream fourth;
    std::ostringstream fourthErr;
    CHECK(prepareVoices(*changed, noJTalk, fourth, fourthErr) == 1);
    CHECK(fourthErr.str().find("ja: /nonexistent/open_jtalk is not installed") != std::string::npos);
}
