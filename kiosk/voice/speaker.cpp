#include "kiosk/voice/speaker.hpp"

#include "base/log.hpp"
#include "kiosk/voice/cues.hpp"

#include <algorithm>

namespace uketsuke::kiosk::voice {
namespace {

const log::Category kLog("kiosk.voice");

} // namespace

Speaker::Speaker(const model::StringCatalog& strings, SpeakerOptions options)
    : m_strings(strings), m_options(std::move(options)), m_synth(m_options.synth)
{
    for (const auto& lang : m_strings.languages()) {
        const auto& table = m_strings.table(lang);
        auto spec = parseVoiceSpec(table.has("language.voice") ? table.tr("language.voice") : "");
        if (!spec) {
            UKETSUKE_LOG(kLog, Warn) << lang << ": " << spec.error().message
                                     << "; this language is not spoken";
            continue;
        }
        if (!*spec) {
            UKETSUKE_LOG(kLog, Info) << lang << ": no voice named; this language is not spoken";
            continue;
        }
        if (auto ok = m_synth.check(**spec); !ok) {
            UKETSUKE_LOG(kLog, Warn) << lang << ": " << ok.error().message
                                     << "; this language is not spoken (sounds still play)";
            continue;
        }
        UKETSUKE_LOG(kLog, Info) << lang << ": spoken with " << voiceSpecName(**spec);
        m_voices.emplace(lang, **spec);
    }
}

Speaker::~Speaker()
{
    stop();
}

void Speaker::start()
{
    if (m_thread.joinable()) {
        return;
    }
    prepare(m_strings.defaultTable().lang());
    m_thread = std::thread([this] { run(); });
}

void Speaker::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_synth.cancel();
    m_cv.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

bool Speaker::canSpeak(const std::string& lang) const
{
    return m_voices.count(lang) == 1;
}

void Speaker::say(std::uint64_t ticket, const std::string& lang, const std::string& key)
{
    {
        std::lock_guard lock(m_mutex);
        m_request = Request{ticket, lang, key};
    }
    m_cv.notify_all();
}

void Speaker::prepare(const std::string& lang)
{
    if (!canSpeak(lang) ||
        std::find(m_prepared.begin(), m_prepared.end(), lang) != m_prepared.end()) {
        return;
    }
    m_prepared.push_back(lang);
    {
        std::lock_guard lock(m_mutex);
        for (const auto& key : lineKeys(m_strings.table(lang))) {
            m_preparing.push_back(Request{0, lang, key});
        }
    }
    m_cv.notify_all();
}

std::vector<Clip> Speaker::take()
{
    std::lock_guard lock(m_mutex);
    std::vector<Clip> ready;
    ready.swap(m_ready);
    return ready;
}

std::optional<Clip> Speaker::makeClip(const Request& request)
{
    auto voice = m_voices.find(request.lang);
    if (voice == m_voices.end()) {
        return std::nullopt;
    }
    const std::string text = m_strings.table(request.lang).tr(request.key);
    // Only preparing (ticket 0): the line is made, or found in the cache, and not read.
    auto spoken = [&]() -> Result<Synthesizer::Spoken> {
        if (request.ticket != 0) {
            return m_synth.speak(voice->second, text);
        }
        auto made = m_synth.ensure(voice->second, text);
        if (!made) {
            return fail(std::move(made).error());
        }
        return Synthesizer::Spoken{std::move(*made), {}};
    }();
    if (!spoken) {
        if (spoken.error().code != Errc::Cancelled) {
            UKETSUKE_LOG(kLog, Warn) << request.lang << " " << request.key << ": "
                                     << spoken.error().message;
        }
        return std::nullopt;
    }
    if (spoken->made.synthesised) {
        UKETSUKE_LOG(kLog, Info) << request.lang << " " << request.key << " synthesised in "
                                 << spoken->made.took.count() << " ms";
    }
    if (request.ticket == 0) {
        return std::nullopt;
    }
    return Clip{request.ticket, request.key,
                prepareSpeech(spoken->pcm, m_options.rate, m_options.volume)};
}

void Speaker::run()
{
    while (true) {
        Request next;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] {
                return m_stopping || m_request.has_value() || !m_preparing.empty();
            });
            if (m_stopping) {
                return;
            }
            if (m_request) {
                next = std::move(*m_request);
                m_request.reset();
            } else {
                next = std::move(m_preparing.front());
                m_preparing.pop_front();
            }
        }
        auto clip = makeClip(next);
        if (clip) {
            {
                std::lock_guard lock(m_mutex);
                m_ready.push_back(std::move(*clip));
            }
            if (m_options.wake) {
                m_options.wake();
            }
        }
    }
}

} // namespace uketsuke::kiosk::voice
