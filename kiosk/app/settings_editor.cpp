#include "kiosk/app/settings_editor.hpp"

#include "base/files.hpp"
#include "kiosk/config/settings_file.hpp"

#include <sys/stat.h>

#include <algorithm>

namespace uketsuke::kiosk::app {
namespace {

constexpr int kTimeoutStep = 5;
constexpr int kTimeoutMin = 5;
constexpr int kTimeoutMax = 600;

constexpr int kVolumeStep = 10;

bool isTimeout(const std::string& key)
{
    return key.starts_with("timeouts.");
}

std::string yesNo(bool on)
{
    return on ? "true" : "false";
}

// The receipt prefixes in order: none (derived from the terminal id), A..Z, AA..ZZ.
std::vector<std::string> prefixes()
{
    std::vector<std::string> all{""};
    for (char a = 'A'; a <= 'Z'; ++a) {
        all.emplace_back(1, a);
    }
    for (char a = 'A'; a <= 'Z'; ++a) {
        for (char b = 'A'; b <= 'Z'; ++b) {
            all.push_back(std::string{a, b});
        }
    }
    return all;
}

// The next value of `list` after (or before) `value`, wrapping; the first when it is not there.
std::string cycle(const std::vector<std::string>& list, const std::string& value, int direction)
{
    if (list.empty()) {
        return value;
    }
    auto it = std::find(list.begin(), list.end(), value);
    if (it == list.end()) {
        return list.front();
    }
    const auto n = static_cast<long>(list.size());
    const long at = ((it - list.begin()) + (direction >= 0 ? 1 : -1) + n) % n;
    return list[static_cast<std::size_t>(at)];
}

std::string seconds(std::chrono::milliseconds ms)
{
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(ms).count());
}

// The TOML for a draft value of `key`.
std::string tomlValue(const SettingEntry& entry)
{
    if (isTimeout(entry.key)) {
        return entry.value;
    }
    if (isSwitchSetting(entry.key)) {
        return yesNo(entry.value == "true");
    }
    if (entry.key == "sound.volume") {
        return entry.value;
    }
    return config::tomlString(entry.value);
}

} // namespace

bool isSwitchSetting(const std::string& key)
{
    return key == "out_of_service" || key == "ui.large_text" || key == "ui.high_contrast" ||
           key == "sound.mute";
}

std::vector<SettingEntry> editableSettings(const config::KioskConfig& c)
{
    auto entry = [](const char* key, std::string value, bool now) {
        return SettingEntry{key, std::string("staff.setting.") + key, value, value, now};
    };
    return {
        entry("language", c.language, false),
        entry("receipt_prefix", c.receiptPrefix, true),
        entry("timeouts.place_card_s", seconds(c.timeouts.placeCard), true),
        entry("timeouts.enter_pin_s", seconds(c.timeouts.enterPin), true),
        entry("timeouts.result_s", seconds(c.timeouts.result), true),
        entry("timeouts.message_s", seconds(c.timeouts.message), true),
        entry("timeouts.enter_insurance_s", seconds(c.timeouts.enterInsurance), true),
        entry("out_of_service", yesNo(c.outOfService), false),
        entry("ui.large_text", yesNo(c.largeText), false),
        entry("ui.high_contrast", yesNo(c.highContrast), false),
        entry("sound.volume", std::to_string(c.sound.volume), false),
        entry("sound.mute", yesNo(c.sound.mute), false),
    };
}

SettingsEditor::SettingsEditor(std::vector<std::string> languages)
    : m_languages(std::move(languages))
{
}

void SettingsEditor::open(const config::KioskConfig& running)
{
    m_entries = editableSettings(running);
    m_selected = 0;
}

void SettingsEditor::selectNext()
{
    if (!m_entries.empty()) {
        m_selected = (m_selected + 1) % m_entries.size();
    }
}

void SettingsEditor::step(int direction)
{
    if (m_selected >= m_entries.size()) {
        return;
    }
    SettingEntry& e = m_entries[m_selected];
    if (e.key == "language") {
        e.value = cycle(m_languages, e.value, direction);
    } else if (e.key == "receipt_prefix") {
        static const std::vector<std::string> kPrefixes = prefixes();
        e.value = cycle(kPrefixes, e.value, direction);
    } else if (isSwitchSetting(e.key)) {
        e.value = yesNo(e.value != "true");
    } else if (e.key == "sound.volume") {
        const int now = std::stoi(e.value);
        int next = direction >= 0 ? (now / kVolumeStep + 1) * kVolumeStep
                                  : ((now - 1) / kVolumeStep) * kVolumeStep;
        e.value = std::to_string(std::clamp(next, 0, 100));
    } else if (isTimeout(e.key)) {
        const int now = std::stoi(e.value);
        // To the next multiple of the step, within the bounds.
        int next = direction >= 0 ? (now / kTimeoutStep + 1) * kTimeoutStep
                                  : ((now - 1) / kTimeoutStep) * kTimeoutStep;
        e.value = std::to_string(std::clamp(next, kTimeoutMin, kTimeoutMax));
    }
}

std::vector<std::pair<std::string, std::string>> SettingsEditor::changes() const
{
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : m_entries) {
        if (e.value != e.running) {
            out.emplace_back(e.key, e.value);
        }
    }
    return out;
}

Result<config::KioskConfig> SettingsEditor::save(const std::string& file) const
{
    std::vector<std::pair<std::string, std::string>> values;
    for (const auto& e : m_entries) {
        if (e.value != e.running) {
            values.emplace_back(e.key, tomlValue(e));
        }
    }
    return writeSettings(file, values);
}

Result<config::KioskConfig> writeSettings(
    const std::string& file, const std::vector<std::pair<std::string, std::string>>& tomlValues)
{
    if (file.empty()) {
        return fail(Errc::ConfigMissing,
                    "the terminal runs without a configuration file (--config): nothing to save "
                    "the settings in");
    }
    auto text = files::readFile(file);
    if (!text) {
        return fail(Errc::ConfigMissing, std::move(text).error().message);
    }
    std::string edited = *text;
    for (const auto& [key, value] : tomlValues) {
        auto changed = config::setTomlValue(edited, key, value);
        if (!changed) {
            return fail(std::move(changed).error());
        }
        edited = std::move(*changed);
    }
    // The same checks as at start: a value the terminal would refuse is never written.
    auto checked = config::checkKioskToml(edited, file);
    if (!checked) {
        return fail(std::move(checked).error());
    }
    if (edited == *text) {
        return checked;
    }
    struct stat info {};
    files::PublishOptions options;
    if (::stat(file.c_str(), &info) == 0) {
        options.mode = info.st_mode & 07777; // the file keeps its mode
    }
    if (auto published = files::publishFile(file, edited, options); !published) {
        return fail(std::move(published).error());
    }
    return checked;
}

} // namespace uketsuke::kiosk::app
