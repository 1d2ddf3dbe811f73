#include "kiosk/voice/synth.hpp"

#include "base/files.hpp"
#include "base/hex.hpp"
#include "base/log.hpp"
#include "crypto/crypto.hpp"
#include "kiosk/voice/pcm.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace uketsuke::kiosk::voice {
namespace {

const log::Category kLog("kiosk.voice");

// Slower than the engines' defaults: the patients are often old, and the lines are short.
constexpr const char* kOpenJTalkSpeed = "0.9"; // open_jtalk -r (1.0 is its default)
constexpr const char* kEspeakWordsPerMinute = "145"; // espeak-ng -s (175 is its default)

// Part of every cache key: bump it when the files this writes change in another way.
constexpr const char* kCacheFormat = "uketsuke-voice-1";

bool executable(const std::filesystem::path& p)
{
    return ::access(p.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(p);
}

// `program` as posix_spawnp would find it, or empty.
std::string findProgram(const std::string& program)
{
    if (program.find('/') != std::string::npos) {
        return executable(program) ? program : std::string();
    }
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        std::size_t end = dirs.find(':', start);
        if (end == std::string::npos) {
            end = dirs.size();
        }
        std::filesystem::path candidate =
            std::filesystem::path(dirs.substr(start, end - start)) / program;
        if (end > start && executable(candidate)) {
            return candidate.string();
        }
        start = end + 1;
    }
    return {};
}

std::string sha256Hex(std::string_view data)
{
    auto digest = crypto::sha256(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
    return digest ? hex(*digest, HexCase::Lower) : std::string();
}

bool isCacheName(const std::string& name)
{
    static const std::regex pattern("^[0-9a-f]{32}\\.wav$");
    return std::regex_match(name, pattern);
}

Result<void> spawnAndWait(const std::vector<std::string>& argv, std::atomic<int>& child)
{
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        return fail(Errc::Internal, argv[0] + " did not start", rc);
    }
    child = pid;
    int status = 0;
    pid_t waited = 0;
    do {
        waited = ::waitpid(pid, &status, 0);
    } while (waited < 0 && errno == EINTR);
    child = 0;
    if (waited < 0) {
        return fail(Errc::Internal, argv[0] + ": waitpid failed", errno);
    }
    if (WIFSIGNALED(status)) {
        return fail(Errc::Internal, argv[0] + " ended by signal " +
                                        std::to_string(WTERMSIG(status)));
    }
    if (WEXITSTATUS(status) != 0) {
        return fail(Errc::Internal, argv[0] + " exited with status " +
                                        std::to_string(WEXITSTATUS(status)));
    }
    return {};
}

} // namespace

Result<std::optional<VoiceSpec>> parseVoiceSpec(std::string_view text)
{
    if (text.empty()) {
        return std::optional<VoiceSpec>();
    }
    const auto colon = text.find(':');
    const std::string_view engine = text.substr(0, colon);
    const std::string voice(colon == std::string_view::npos ? "" : text.substr(colon + 1));
    VoiceSpec spec;
    if (engine == "open-jtalk") {
        spec.engine = Engine::OpenJTalk;
    } else if (engine == "espeak-ng") {
        spec.engine = Engine::EspeakNg;
    } else {
        return fail(Errc::ConfigInvalid, "language.voice: expected \"open-jtalk:VOICE\", "
                                         "\"espeak-ng:VOICE\" or \"\", got '" +
                                             std::string(text) + "'");
    }
    // A name, or (Open JTalk) a path to an .htsvoice file; never an option for the engine.
    if (voice.empty() || voice[0] == '-' ||
        voice.find_first_of(" \t\n\"'") != std::string::npos) {
        return fail(Errc::ConfigInvalid,
                    "language.voice: '" + std::string(text) + "' names no usable voice");
    }
    spec.voice = voice;
    return std::optional<VoiceSpec>(spec);
}

std::string voiceSpecName(const VoiceSpec& spec)
{
    return std::string(spec.engine == Engine::OpenJTalk ? "open-jtalk:" : "espeak-ng:") +
           spec.voice;
}

Synthesizer::Synthesizer(SynthOptions options) : m_options(std::move(options)) {}

std::string Synthesizer::voiceFile(const VoiceSpec& spec) const
{
    if (spec.voice.find('/') != std::string::npos) {
        return spec.voice;
    }
    // /usr/share/hts-voice/<name>/<the .htsvoice file in it>, as Debian installs them.
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::path(m_options.htsVoiceDir) / spec.voice;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().extension() == ".htsvoice") {
            return it->path().string();
        }
    }
    return (dir / (spec.voice + ".htsvoice")).string();
}

Result<void> Synthesizer::check(const VoiceSpec& spec) const
{
    std::error_code ec;
    if (spec.engine == Engine::OpenJTalk) {
        if (findProgram(m_options.openJTalk).empty()) {
            return fail(Errc::NotSupported,
                        m_options.openJTalk + " is not installed (Debian package open-jtalk)");
        }
        if (!std::filesystem::is_directory(m_options.openJTalkDictionary, ec)) {
            return fail(Errc::NotSupported,
                        "the Open JTalk dictionary " + m_options.openJTalkDictionary +
                            " is missing (Debian package open-jtalk-mecab-naist-jdic)");
        }
        const std::string file = voiceFile(spec);
        if (!std::filesystem::is_regular_file(file, ec)) {
            return fail(Errc::NotSupported,
                        "the HTS voice " + file +
                            " is missing (Debian contrib package hts-voice-" + spec.voice + ")");
        }
        return {};
    }
    if (findProgram(m_options.espeakNg).empty()) {
        return fail(Errc::NotSupported,
                    m_options.espeakNg + " is not installed (Debian package espeak-ng)");
    }
    return {};
}

std::vector<std::string> Synthesizer::command(const VoiceSpec& spec, const std::string& textFile,
                                              const std::string& wavFile) const
{
    if (spec.engine == Engine::OpenJTalk) {
        return {m_options.openJTalk, "-x", m_options.openJTalkDictionary, "-m", voiceFile(spec),
                "-r", kOpenJTalkSpeed, "-ow", wavFile, textFile};
    }
    return {m_options.espeakNg, "-v", spec.voice, "-s", kEspeakWordsPerMinute, "-w", wavFile,
            "-f", textFile};
}

std::string Synthesizer::cachePath(const VoiceSpec& spec, std::string_view text) const
{
    std::string key = kCacheFormat;
    key.push_back('\0');
    for (const auto& arg : command(spec, "{text}", "{wav}")) {
        key += arg;
        key.push_back('\0');
    }
    key += text;
    return (std::filesystem::path(m_options.cacheDir) / (sha256Hex(key).substr(0, 32) + ".wav"))
        .string();
}

Result<void> Synthesizer::runEngine(const std::vector<std::string>& argv)
{
    if (m_options.run) {
        return m_options.run(argv);
    }
    return spawnAndWait(argv, m_child);
}

Result<Synthesizer::Made> Synthesizer::ensure(const VoiceSpec& spec, std::string_view text)
{
    Made made;
    made.path = cachePath(spec, text);
    std::error_code ec;
    if (std::filesystem::is_regular_file(made.path, ec)) {
        return made;
    }
    if (m_cancelled) {
        return fail(Errc::Cancelled, "synthesis stopped");
    }
    if (auto ok = check(spec); !ok) {
        return fail(std::move(ok).error());
    }
    if (auto dir = files::ensurePrivateDir(m_options.cacheDir); !dir) {
        return fail(std::move(dir).error());
    }
    const std::filesystem::path final(made.path);
    const std::string stem = final.stem().string();
    const std::string textFile = (final.parent_path() / ("." + stem + ".txt")).string();
    const std::string wavFile = (final.parent_path() / ("." + stem + ".tmp.wav")).string();
    if (auto wrote = files::writeFile(textFile, std::string(text) + "\n"); !wrote) {
        return fail(std::move(wrote).error());
    }
    const auto started = std::chrono::steady_clock::now();
    auto ran = runEngine(command(spec, textFile, wavFile));
    made.took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    std::filesystem::remove(textFile, ec);
    if (!ran) {
        std::filesystem::remove(wavFile, ec);
        if (m_cancelled) {
            return fail(Errc::Cancelled, "synthesis stopped");
        }
        return fail(std::move(ran).error());
    }
    if (auto wav = readWav(wavFile); !wav) {
        std::filesystem::remove(wavFile, ec);
        return fail(Errc::BadReply, voiceSpecName(spec) + " wrote no usable sound: " +
                                        wav.error().message);
    }
    std::filesystem::rename(wavFile, final, ec);
    if (ec) {
        std::filesystem::remove(wavFile, ec);
        return fail(Errc::StorageError, "cannot keep " + made.path + ": " + ec.message());
    }
    made.synthesised = true;
    UKETSUKE_LOG(kLog, Debug) << "synthesised " << final.filename().string() << " with "
                              << voiceSpecName(spec) << " in " << made.took.count() << " ms";
    return made;
}

Result<Synthesizer::Spoken> Synthesizer::speak(const VoiceSpec& spec, std::string_view text)
{
    for (bool again = false;; again = true) {
        auto made = ensure(spec, text);
        if (!made) {
            return fail(std::move(made).error());
        }
        auto pcm = readWav(made->path);
        if (pcm) {
            return Spoken{std::move(*made), std::move(*pcm)};
        }
        if (again || made->synthesised || pcm.error().code != Errc::BadReply) {
            return fail(std::move(pcm).error());
        }
        UKETSUKE_LOG(kLog, Warn) << pcm.error().message << "; removed from the cache, made again";
        std::error_code ec;
        std::filesystem::remove(made->path, ec);
    }
}

int Synthesizer::prune(const std::set<std::string>& keep) const
{
    int removed = 0;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(m_options.cacheDir, ec), end; !ec && it != end;
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (isCacheName(name) && keep.count(it->path().string()) == 0) {
            std::error_code rm;
            if (std::filesystem::remove(it->path(), rm)) {
                ++removed;
            }
        }
    }
    return removed;
}

std::pair<std::uintmax_t, int> Synthesizer::cacheSize() const
{
    std::uintmax_t bytes = 0;
    int count = 0;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(m_options.cacheDir, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (isCacheName(it->path().filename().string())) {
            std::error_code sz;
            const auto size = std::filesystem::file_size(it->path(), sz);
            if (!sz) {
                bytes += size;
                ++count;
            }
        }
    }
    return {bytes, count};
}

void Synthesizer::cancel()
{
    m_cancelled = true;
    if (const int pid = m_child.load(); pid > 0) {
        ::kill(pid, SIGKILL);
    }
}

} // namespace uketsuke::kiosk::voice
