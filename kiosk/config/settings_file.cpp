#include "kiosk/config/settings_file.hpp"

#include <cstdio>
#include <map>
#include <optional>
#include <vector>

namespace uketsuke::kiosk::config {
namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (isSpace(s.front()) || s.front() == '\r' || s.front() == '\n')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (isSpace(s.back()) || s.back() == '\r' || s.back() == '\n')) {
        s.remove_suffix(1);
    }
    return s;
}

// "a . b" → "a.b": a dotted bare key as written, its parts trimmed.
std::string normaliseKey(std::string_view key)
{
    std::string out;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = key.find('.', start);
        std::string_view part = trim(key.substr(start, dot == std::string_view::npos
                                                           ? std::string_view::npos
                                                           : dot - start));
        out += part;
        if (dot == std::string_view::npos) {
            return out;
        }
        out += '.';
        start = dot + 1;
    }
}

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        end = end == std::string_view::npos ? text.size() : end + 1;
        lines.push_back(text.substr(start, end - start));
        start = end;
    }
    return lines;
}

// Where a one-line scalar value starting at `value` ends (its index), or nullopt for a form
// this does not edit.
std::optional<std::size_t> scalarEnd(std::string_view line, std::size_t value)
{
    const std::string_view rest = line.substr(value);
    if (rest.empty() || rest.starts_with("\"\"\"") || rest.starts_with("'''") ||
        rest.front() == '[' || rest.front() == '{') {
        return std::nullopt;
    }
    if (rest.front() == '"') {
        for (std::size_t i = 1; i < rest.size(); ++i) {
            if (rest[i] == '\\') {
                ++i;
            } else if (rest[i] == '"') {
                return value + i + 1;
            }
        }
        return std::nullopt;
    }
    if (rest.front() == '\'') {
        const std::size_t close = rest.find('\'', 1);
        return close == std::string_view::npos ? std::nullopt
                                               : std::optional<std::size_t>(value + close + 1);
    }
    std::size_t i = 0;
    while (i < rest.size() && !isSpace(rest[i]) && rest[i] != '#' && rest[i] != '\r' &&
           rest[i] != '\n') {
        ++i;
    }
    return value + i;
}

// Whether a value that starts on this line goes on over the next ones (a multi-line string or
// an array or inline table left open); the closing text to wait for.
std::optional<std::string> opensBlock(std::string_view value)
{
    value = trim(value);
    for (const char* quotes : {"\"\"\"", "'''"}) {
        if (value.starts_with(quotes)) {
            const std::string_view after = value.substr(3);
            if (after.find(quotes) == std::string_view::npos) {
                return std::string(quotes);
            }
            return std::nullopt;
        }
    }
    if (value.starts_with("[") || value.starts_with("{")) {
        int depth = 0;
        bool inString = false;
        for (std::size_t i = 0; i < value.size(); ++i) {
            const char c = value[i];
            if (inString) {
                if (c == '\\') {
                    ++i;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '#') {
                break;
            } else if (c == '[' || c == '{') {
                ++depth;
            } else if (c == ']' || c == '}') {
                --depth;
            }
        }
        if (depth > 0) {
            return std::string(value.starts_with("[") ? "]" : "}");
        }
    }
    return std::nullopt;
}

} // namespace

std::string tomlString(std::string_view text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

Result<std::string> setTomlValue(std::string_view text, std::string_view dottedKey,
                                 std::string_view tomlValue)
{
    const std::string key(dottedKey);
    const std::size_t lastDot = key.rfind('.');
    const std::string table = lastDot == std::string::npos ? "" : key.substr(0, lastDot);
    const std::string name = lastDot == std::string::npos ? key : key.substr(lastDot + 1);
    const auto unsupported = [&key]() {
        return fail(Errc::ConfigInvalid,
                    key + ": written in a form the settings editor does not change (an array, an "
                          "inline table or a multi-line string); edit the file by hand");
    };

    std::vector<std::string_view> lines = splitLines(text);
    std::string current;       // the [table] the line is in; "[[" for an array of tables
    std::map<std::string, std::size_t> lastLine; // a table's last content line (or its header)
    bool tableHeader = false;  // the key's [table] has a header
    bool dottedAtTop = false;  // `table.x = ...` lines at the top define the key's table
    std::optional<std::string> blockEnd; // inside a value that spans lines
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        const std::string_view content = trim(line);
        if (blockEnd) {
            if (content.find(*blockEnd) != std::string_view::npos) {
                blockEnd.reset();
            }
            lastLine[current] = i;
            continue;
        }
        if (content.empty() || content.front() == '#') {
            continue;
        }
        if (content.starts_with("[[")) {
            current = "[[";
            continue;
        }
        if (content.front() == '[') {
            const std::size_t close = content.find(']');
            current = normaliseKey(content.substr(1, close == std::string_view::npos
                                                         ? std::string_view::npos
                                                         : close - 1));
            lastLine[current] = i;
            tableHeader = tableHeader || current == table;
            continue;
        }
        const std::size_t equals = line.find('=');
        if (equals == std::string_view::npos) {
            continue;
        }
        lastLine[current] = i;
        const std::string lineKey = normaliseKey(line.substr(0, equals));
        if (current.empty() && !table.empty() && lineKey.starts_with(table + ".")) {
            dottedAtTop = true;
        }
        const std::string full = current.empty() ? lineKey : current + "." + lineKey;
        if (current == "[[" || full != key) {
            if (auto end = opensBlock(line.substr(equals + 1))) {
                blockEnd = end;
            }
            continue;
        }
        std::size_t value = equals + 1;
        while (value < line.size() && isSpace(line[value])) {
            ++value;
        }
        const auto end = scalarEnd(line, value);
        if (!end) {
            return unsupported();
        }
        std::string out;
        for (std::size_t j = 0; j < i; ++j) {
            out += lines[j];
        }
        out += line.substr(0, value);
        out += tomlValue;
        out += line.substr(*end);
        for (std::size_t j = i + 1; j < lines.size(); ++j) {
            out += lines[j];
        }
        return out;
    }

    // Not there: add it where the file keeps that table's keys.
    std::string added;
    std::optional<std::size_t> after; // insert after this line; nullopt: before the first
    bool append = false;
    if (table.empty() || (dottedAtTop && !tableHeader)) {
        added = (table.empty() ? name : key) + " = " + std::string(tomlValue) + "\n";
        if (auto it = lastLine.find(""); it != lastLine.end()) {
            after = it->second;
        }
    } else if (tableHeader) {
        added = name + " = " + std::string(tomlValue) + "\n";
        after = lastLine[table];
    } else {
        append = true;
        added = "[" + table + "]\n" + name + " = " + std::string(tomlValue) + "\n";
    }
    std::string out;
    if (!append && !after) {
        out = added;
    }
    for (std::size_t j = 0; j < lines.size(); ++j) {
        out += lines[j];
        if (after && *after == j) {
            if (!lines[j].ends_with("\n")) {
                out += "\n";
            }
            out += added;
        }
    }
    if (append) {
        if (!out.empty() && !out.ends_with("\n")) {
            out += "\n";
        }
        if (!out.empty()) {
            out += "\n";
        }
        out += added;
    }
    return out;
}

} // namespace uketsuke::kiosk::config
