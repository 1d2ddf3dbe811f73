#include "ui/sound.hpp"

#include "base/log.hpp"
#include "kiosk/voice/cues.hpp"

#include <SDL.h>

#include <cstdlib>

namespace uketsuke::ui {
namespace {

const log::Category kLog("ui.sound");

constexpr int kRate = 48000;

using kiosk::voice::Earcon;

} // namespace

SoundPlayer::SoundPlayer(const kiosk::config::KioskConfig& config,
                         const kiosk::model::StringCatalog& strings, std::function<void()> wake)
    : m_config(config.sound), m_strings(strings)
{
    if (m_config.mute) {
        UKETSUKE_LOG(kLog, Info) << "sound off (sound.mute)";
        return;
    }
    if (config.headless && std::getenv("SDL_AUDIODRIVER") == nullptr) {
        UKETSUKE_LOG(kLog, Info) << "sound off: a headless run plays sound only where "
                                    "SDL_AUDIODRIVER names a driver (disk for tests)";
        return;
    }
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        UKETSUKE_LOG(kLog, Warn) << "sound off: no audio (" << SDL_GetError() << ")";
        return;
    }
    m_audioStarted = true;
    SDL_AudioSpec want{};
    want.freq = kRate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    SDL_AudioSpec have{};
    m_device = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
    if (m_device == 0) {
        UKETSUKE_LOG(kLog, Warn) << "sound off: no audio device (" << SDL_GetError() << ")";
        return;
    }
    UKETSUKE_LOG(kLog, Info) << "sound on: " << SDL_GetCurrentAudioDriver() << ", volume "
                             << m_config.volume << (m_config.speech ? ", speech" : ", no speech");
    for (Earcon e : {Earcon::CardDetected, Earcon::Error, Earcon::Done}) {
        auto& pcm = m_earcons[static_cast<std::size_t>(e)];
        pcm = kiosk::voice::makeEarcon(e, kRate);
        kiosk::voice::applyVolume(pcm, m_config.volume);
    }
    if (m_config.speech && m_config.volume > 0) {
        kiosk::voice::SpeakerOptions options;
        options.synth.cacheDir = m_config.cacheDir;
        options.rate = kRate;
        options.volume = m_config.volume;
        options.wake = std::move(wake);
        m_speaker = std::make_unique<kiosk::voice::Speaker>(strings, std::move(options));
        m_speaker->start();
    }
    SDL_PauseAudioDevice(m_device, 0);
}

SoundPlayer::~SoundPlayer()
{
    if (m_speaker) {
        m_speaker->stop();
    }
    if (m_device != 0) {
        SDL_CloseAudioDevice(m_device);
    }
    if (m_audioStarted) {
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    }
}

void SoundPlayer::cut()
{
    ++m_ticket;
    // A line is cut; a short sound still playing is not (the next line follows it): a card
    // read at once must not lose its sound to the PIN screen that comes 0.1 s later.
    if (m_device != 0 && m_lineQueued) {
        SDL_ClearQueuedAudio(m_device);
    }
    m_lineQueued = false;
}

void SoundPlayer::queue(const kiosk::voice::Pcm& pcm, const std::string& name)
{
    if (m_device == 0 || pcm.samples.empty()) {
        return;
    }
    const auto bytes = static_cast<Uint32>(pcm.samples.size() * sizeof(pcm.samples[0]));
    if (SDL_QueueAudio(m_device, pcm.samples.data(), bytes) != 0) {
        UKETSUKE_LOG(kLog, Warn) << name << ": " << SDL_GetError();
        return;
    }
    UKETSUKE_LOG(kLog, Info) << "playing " << name << " (" << pcm.samples.size() * 1000 / kRate
                             << " ms)";
    m_played.push_back(name);
    m_lineQueued = m_lineQueued || name.rfind("voice.", 0) == 0;
}

void SoundPlayer::say(const std::string& key)
{
    if (m_speaker && m_speaker->canSpeak(m_lang)) {
        m_speaker->say(m_ticket, m_lang, key);
    }
}

void SoundPlayer::show(const std::string& screen, const std::string& lang, bool staff,
                       bool calling, Clock::time_point now)
{
    if (m_device == 0) {
        return;
    }
    if (staff) {
        if (!m_staff) {
            cut(); // the staff screens are silent, also what the patient's screen was saying
            m_reminderAt.reset();
        }
        m_staff = true;
        return;
    }
    const bool newScreen = screen != m_screen || m_staff;
    const bool newLanguage = lang != m_lang;
    m_staff = false;
    if (newScreen || newLanguage) {
        const std::string before = m_screen;
        m_screen = screen;
        m_lang = lang;
        cut();
        if (newScreen) {
            if (auto earcon = kiosk::voice::earconFor(before, screen)) {
                queue(m_earcons[static_cast<std::size_t>(*earcon)],
                      kiosk::voice::earconName(*earcon));
            }
            m_reminders = 0;
            m_reminderAt.reset();
            if (screen == "remove_card" && m_config.reminderSeconds > 0) {
                m_reminderAt = now + std::chrono::seconds(m_config.reminderSeconds);
            }
        }
        if (newLanguage && m_speaker) {
            m_speaker->prepare(lang);
        }
        if (auto line = kiosk::voice::lineFor(screen, m_strings.table(lang))) {
            say(*line);
        }
    }
    if (calling && !m_calling) {
        cut();
        say(kiosk::voice::kCallStaffLine);
    }
    m_calling = calling;
}

bool SoundPlayer::pump(Clock::time_point now)
{
    if (m_device == 0) {
        return false;
    }
    bool queued = false;
    if (m_speaker) {
        for (auto& clip : m_speaker->take()) {
            if (clip.ticket == m_ticket && !m_staff) {
                queue(clip.pcm, clip.key);
                queued = true;
            }
        }
    }
    if (m_reminderAt && now >= *m_reminderAt && !m_staff) {
        ++m_reminders;
        m_reminderAt.reset();
        if (m_reminders < kiosk::voice::kCardReminders) {
            m_reminderAt = now + std::chrono::seconds(m_config.reminderSeconds);
        }
        cut();
        say(kiosk::voice::kCardReminderLine);
    }
    return queued;
}

void SoundPlayer::drain(std::chrono::milliseconds bound)
{
    if (m_device == 0) {
        return;
    }
    const auto until = Clock::now() + bound;
    while (SDL_GetQueuedAudioSize(m_device) > 0 && Clock::now() < until) {
        SDL_Delay(10);
    }
}

} // namespace uketsuke::ui
