#pragma once

// The staff menu's settings editor (docs/staff.md "Settings"): the keys that are safe to change
// on site, a draft an administrator steps through on the touch screen, and saving it into the
// configuration file: only the changed keys' lines change (kiosk/config/settings_file.hpp), the
// whole new file is checked as the terminal checks it at start, and it is published atomically
// (a temporary in the same folder, fsync, rename; the file keeps its mode).
//
// Thread: main (the App's staff actions), except where a function says otherwise.

#include "base/result.hpp"
#include "kiosk/config/config.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace uketsuke::kiosk::app {

// One key of the editor, with its draft value as text: "ja", "A" ("" for the prefix: derived
// from the terminal id), "30" (seconds), "true".
struct SettingEntry {
    std::string key;      // the config key, "timeouts.result_s"
    std::string labelKey; // its words, "staff.setting.timeouts.result_s"
    std::string value;    // the draft
    std::string running;  // what the terminal runs with
    bool appliesNow = true; // false: from the next start (the language, out of service)
};

// Whether `key` is a setting that is on or off ("true" / "false"), switched by either step.
bool isSwitchSetting(const std::string& key);

// The keys the editor offers, in the order it shows them.
std::vector<SettingEntry> editableSettings(const config::KioskConfig& config);

class SettingsEditor {
public:
    // `languages`: the string tables there are (the choices of `language`).
    explicit SettingsEditor(std::vector<std::string> languages);

    // A new draft from the values the terminal runs with; the first key selected.
    void open(const config::KioskConfig& running);
    // Selects the next key (after the last: the first).
    void selectNext();
    // The selected key's next (+1) or previous (-1) value: the next language, prefix (none,
    // A..Z, AA..ZZ), 5 s more or less (5 to 600 s), out of service on or off.
    void step(int direction);

    const std::vector<SettingEntry>& entries() const { return m_entries; }
    std::size_t selected() const { return m_selected; }
    // The keys whose draft differs from what the terminal runs with, as (key, value).
    std::vector<std::pair<std::string, std::string>> changes() const;

    // Writes the draft's changes into `file` (the --config file) and returns the configuration
    // the new file gives by itself (its values, for the caller to apply). Nothing is written
    // when the new text does not pass. Blocks on the file system (a small file and an fsync).
    // Errors: ConfigMissing (no --config file: "the terminal runs without a configuration
    // file"; or it cannot be read), ConfigInvalid (the new text does not pass; the message
    // names the key), StorageError (it cannot be written: the folder or file is not the
    // terminal's to write).
    Result<config::KioskConfig> save(const std::string& file) const;

private:
    std::vector<std::string> m_languages;
    std::vector<SettingEntry> m_entries;
    std::size_t m_selected = 0;
};

// Sets each (key, TOML value) in `file`, the --config file, as SettingsEditor::save does (the
// same checks and errors; every other byte stays): also used by enrolment for clinic_code.
Result<config::KioskConfig> writeSettings(
    const std::string& file, const std::vector<std::pair<std::string, std::string>>& tomlValues);

} // namespace uketsuke::kiosk::app
