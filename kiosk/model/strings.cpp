#include "kiosk/model/strings.hpp"

#include "base/files.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace uketsuke::kiosk::model {

Result<StringTable> StringTable::load(const std::string& dir, const std::string& lang)
{
    std::string path = dir + "/" + lang + ".json";
    // Read whole, then parsed: nlohmann's stream reader takes a character at a time (six
    // tables were a tenth of the terminal's start).
    auto text = files::readFile(path);
    if (!text) {
        return fail(Errc::ConfigMissing, "no string table " + path);
    }
    auto json = nlohmann::json::parse(*text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return fail(Errc::ConfigInvalid, path + ": not a JSON object");
    }
    StringTable table;
    table.m_lang = lang;
    for (const auto& [key, value] : json.items()) {
        if (!value.is_string()) {
            return fail(Errc::ConfigInvalid, path + ": " + key + " is not a string");
        }
        table.m_text.emplace(key, value.get<std::string>());
    }
    return table;
}

std::string StringTable::tr(std::string_view key) const
{
    if (auto it = m_text.find(key); it != m_text.end()) {
        return it->second;
    }
    return "[" + std::string(key) + "]";
}

bool StringTable::has(std::string_view key) const
{
    return m_text.find(key) != m_text.end();
}

std::vector<std::string> StringTable::keys() const
{
    std::vector<std::string> out;
    out.reserve(m_text.size());
    for (const auto& entry : m_text) {
        out.push_back(entry.first);
    }
    return out;
}

std::string StringTable::format(std::string_view key,
                                const std::vector<std::pair<std::string, std::string>>& values) const
{
    std::string text = tr(key);
    for (const auto& [name, value] : values) {
        std::string token = "{" + name + "}";
        for (auto pos = text.find(token); pos != std::string::npos;
             pos = text.find(token, pos + value.size())) {
            text.replace(pos, token.size(), value);
        }
    }
    return text;
}

Result<StringCatalog> StringCatalog::load(const std::string& dir, const std::string& defaultLang)
{
    auto first = StringTable::load(dir, defaultLang);
    if (!first) {
        return fail(std::move(first).error());
    }
    StringCatalog catalog(std::move(*first));
    std::vector<std::string> others;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto& path = entry.path();
        if (entry.is_regular_file(ec) && path.extension() == ".json" &&
            path.stem().string() != defaultLang) {
            others.push_back(path.stem().string());
        }
    }
    std::sort(others.begin(), others.end());
    for (const auto& lang : others) {
        auto table = StringTable::load(dir, lang);
        if (!table) {
            return fail(std::move(table).error());
        }
        catalog.m_tables.push_back(std::move(*table));
    }
    return catalog;
}

StringCatalog::StringCatalog(StringTable table)
{
    m_tables.push_back(std::move(table));
}

const StringTable& StringCatalog::table(std::string_view lang) const
{
    for (const auto& table : m_tables) {
        if (table.lang() == lang) {
            return table;
        }
    }
    return m_tables.front();
}

bool StringCatalog::has(std::string_view lang) const
{
    return std::any_of(m_tables.begin(), m_tables.end(),
                       [lang](const StringTable& t) { return t.lang() == lang; });
}

std::vector<std::string> StringCatalog::languages() const
{
    std::vector<std::string> out;
    for (const auto& table : m_tables) {
        out.push_back(table.lang());
    }
    return out;
}

} // namespace uketsuke::kiosk::model
