#pragma once

// String tables: every user-visible word comes from assets/i18n/<lang>.json, Japanese first
// (docs/screens.md). A table is a flat JSON object of dotted keys to UTF-8 text; "{name}"
// placeholders are filled by format(). Shared by the terminal, the slip and the desk page.

#include "base/result.hpp"

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uketsuke::kiosk::model {

class StringTable {
public:
    // Loads <dir>/<lang>.json. Errors: ConfigMissing (no file), ConfigInvalid (not a flat
    // object of strings; the message names the key).
    static Result<StringTable> load(const std::string& dir, const std::string& lang);

    // The text for `key`; the key itself in brackets when missing, so a gap is visible on screen
    // and caught by tests rather than crashing a terminal in a waiting room.
    std::string tr(std::string_view key) const;
    bool has(std::string_view key) const;
    const std::string& lang() const { return m_lang; }
    std::vector<std::string> keys() const;

    // tr(key) with each "{name}" replaced by its value.
    std::string format(std::string_view key,
                       const std::vector<std::pair<std::string, std::string>>& values) const;

private:
    std::string m_lang;
    std::map<std::string, std::string, std::less<>> m_text;
};

// Every language the terminal speaks: one table per <lang>.json in the folder, so adding a
// language is adding a file. The default language comes first. Immutable once loaded, so any
// thread may read it.
class StringCatalog {
public:
    // Loads every <lang>.json in `dir`. Errors: ConfigMissing (no `defaultLang` table),
    // ConfigInvalid (a table that is not a flat object of strings; the message names it).
    static Result<StringCatalog> load(const std::string& dir, const std::string& defaultLang);
    // A catalog of one language (tools and tests).
    explicit StringCatalog(StringTable table);

    // The table for `lang`; the default one for an empty or unknown language.
    const StringTable& table(std::string_view lang) const;
    const StringTable& defaultTable() const { return m_tables.front(); }
    bool has(std::string_view lang) const;
    // The languages, default first, then in alphabetical order.
    std::vector<std::string> languages() const;

private:
    StringCatalog() = default;
    std::vector<StringTable> m_tables; // never empty; the default first
};

} // namespace uketsuke::kiosk::model
