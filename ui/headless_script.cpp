#include "ui/headless_script.hpp"

#include "hal/sim/escpos_server.hpp"
#include "ui/screen_names.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace uketsuke::ui {
namespace {

std::vector<std::string_view> splitWords(std::string_view line)
{
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
            ++i;
        }
        std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            ++i;
        }
        if (i > start) {
            words.push_back(line.substr(start, i - start));
        }
    }
    return words;
}

Unexpected<Error> lineError(int line, const std::string& message)
{
    return uketsuke::fail(Errc::ConfigInvalid,
                          "script line " + std::to_string(line) + ": " + message);
}

} // namespace

bool Script::usesCard() const
{
    return std::any_of(commands.begin(), commands.end(), [](const ScriptCommand& c) {
        return c.kind == ScriptCommand::Kind::InsertCard ||
               c.kind == ScriptCommand::Kind::RemoveCard;
    });
}

bool Script::usesPad() const
{
    return std::any_of(commands.begin(), commands.end(), [](const ScriptCommand& c) {
        return c.kind == ScriptCommand::Kind::PadType ||
               c.kind == ScriptCommand::Kind::PadCancel;
    });
}

bool Script::usesPrinter() const
{
    return std::any_of(commands.begin(), commands.end(), [](const ScriptCommand& c) {
        return c.kind == ScriptCommand::Kind::Printer;
    });
}

Result<Script> parseScript(std::string_view text)
{
    Script script;
    int lineNo = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        std::string_view line =
            text.substr(start, end == std::string_view::npos ? text.npos : end - start);
        start = end == std::string_view::npos ? text.size() + 1 : end + 1;
        ++lineNo;
        if (auto hash = line.find('#'); hash != std::string_view::npos) {
            line = line.substr(0, hash);
        }
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        auto words = splitWords(line);
        if (words.empty()) {
            continue;
        }
        std::string_view verb = words[0];
        auto wantArgs = [&](std::size_t n) -> Result<void> {
            if (words.size() - 1 != n) {
                return lineError(lineNo, std::string(verb) + " takes " +
                                             (n == 0 ? "no argument" : "one argument"));
            }
            return ok();
        };
        ScriptCommand c;
        c.line = lineNo;
        using Kind = ScriptCommand::Kind;
        if (verb == "insert-card" || verb == "remove-card") {
            if (auto r = wantArgs(0); !r) {
                return uketsuke::fail(r.error());
            }
            c.kind = verb == "insert-card" ? Kind::InsertCard : Kind::RemoveCard;
            script.commands.push_back(c);
        } else if (verb == "staff-gesture") {
            if (auto r = wantArgs(0); !r) {
                return uketsuke::fail(r.error());
            }
            c.kind = Kind::StaffGesture;
            script.commands.push_back(c);
        } else if (verb == "pad-cancel") {
            if (auto r = wantArgs(0); !r) {
                return uketsuke::fail(r.error());
            }
            c.kind = Kind::PadCancel;
            script.commands.push_back(c);
        } else if (verb == "pad-type") {
            if (auto r = wantArgs(1); !r) {
                return uketsuke::fail(r.error());
            }
            if (words[1].find_first_not_of("0123456789") != std::string_view::npos) {
                return lineError(lineNo, "pad-type takes digits only");
            }
            c.kind = Kind::PadType;
            c.argument = std::string(words[1]);
            c.secret = true;
            script.commands.push_back(c);
        } else if (verb == "printer") {
            if (auto r = wantArgs(1); !r) {
                return uketsuke::fail(r.error());
            }
            // The simulator's own names (hal/sim/escpos_server.hpp), checked now so a typo
            // fails before the run.
            hal::sim::SimulatedFaults probe;
            if (auto known = hal::sim::applyFaultName(words[1], probe); !known) {
                return lineError(lineNo, "printer: " + known.error().message);
            }
            c.kind = Kind::Printer;
            c.argument = std::string(words[1]);
            script.commands.push_back(c);
        } else if (verb == "tap") {
            if (auto r = wantArgs(1); !r) {
                return uketsuke::fail(r.error());
            }
            auto id = buttonIdFromName(words[1]);
            if (words[1].rfind("lang-", 0) == 0 && words[1].size() > 5) {
                c.language = std::string(words[1].substr(5)); // found on screen when tapped
            } else if (!id) {
                return lineError(lineNo, "unknown button '" + std::string(words[1]) + "'");
            }
            c.kind = Kind::Tap;
            c.button = id.value_or(ButtonId::Start);
            c.argument = std::string(words[1]);
            script.commands.push_back(c);
        } else if (verb == "type") {
            if (auto r = wantArgs(1); !r) {
                return uketsuke::fail(r.error());
            }
            for (char ch : words[1]) {
                if (ch < '0' || ch > '9') {
                    return lineError(lineNo, "type takes digits only");
                }
                c.kind = Kind::Tap;
                c.button = digitButton(ch - '0');
                c.secret = true;
                script.commands.push_back(c);
            }
        } else if (verb == "expect-screen" || verb == "expect-text" || verb == "screenshot" ||
                   verb == "expect-sound") {
            if (auto r = wantArgs(1); !r) {
                return uketsuke::fail(r.error());
            }
            c.kind = verb == "expect-screen"  ? Kind::ExpectScreen
                     : verb == "expect-text"  ? Kind::ExpectText
                     : verb == "expect-sound" ? Kind::ExpectSound
                                              : Kind::Screenshot;
            if (c.kind == Kind::ExpectSound && !words[1].starts_with("voice.") &&
                words[1] != "earcon.card" && words[1] != "earcon.error" &&
                words[1] != "earcon.done") {
                return lineError(lineNo, "expect-sound takes a voice.* key or earcon.card, "
                                         "earcon.error, earcon.done");
            }
            c.argument = std::string(words[1]);
            if (c.kind == Kind::ExpectScreen && !isScreenName(c.argument)) {
                return lineError(lineNo, "unknown screen '" + c.argument +
                                             "' (screen names: docs/headless-script.md)");
            }
            if (c.kind == Kind::Screenshot &&
                c.argument.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") !=
                    std::string::npos) {
                return lineError(lineNo, "screenshot names use a-z, 0-9, '_' and '-' only");
            }
            script.commands.push_back(c);
        } else if (verb == "expect-display") {
            // expect-display large-text=on high-contrast=off: either or both, in any order.
            if (words.size() < 2 || words.size() > 3) {
                return lineError(lineNo, "expect-display takes large-text=on|off and/or "
                                         "high-contrast=on|off");
            }
            for (std::size_t i = 1; i < words.size(); ++i) {
                std::string_view word = words[i];
                const auto eq = word.find('=');
                const std::string_view name = word.substr(0, eq);
                const std::string_view value =
                    eq == std::string_view::npos ? std::string_view() : word.substr(eq + 1);
                std::optional<bool>* slot = name == "large-text"      ? &c.largeText
                                            : name == "high-contrast" ? &c.highContrast
                                                                      : nullptr;
                if (slot == nullptr || (value != "on" && value != "off") || slot->has_value()) {
                    return lineError(lineNo, "expect-display: '" + std::string(word) +
                                                 "': want large-text=on|off or "
                                                 "high-contrast=on|off, each once");
                }
                *slot = value == "on";
            }
            c.kind = Kind::ExpectDisplay;
            script.commands.push_back(c);
        } else if (verb == "timeout") {
            if (auto r = wantArgs(1); !r) {
                return uketsuke::fail(r.error());
            }
            long ms = 0;
            auto arg = words[1];
            auto [ptr, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), ms);
            if (ec != std::errc() || ptr != arg.data() + arg.size() || ms <= 0 || ms > 600000) {
                return lineError(lineNo, "timeout takes milliseconds from 1 to 600000");
            }
            c.kind = Kind::Timeout;
            c.timeout = std::chrono::milliseconds(ms);
            script.commands.push_back(c);
        } else if (verb == "wait-ms" || verb == "sleep") {
            return lineError(lineNo, std::string(verb) +
                                         " is not allowed: wait for a screen with expect-screen");
        } else {
            return lineError(lineNo, "unknown command '" + std::string(verb) + "'");
        }
    }
    if (script.commands.empty()) {
        return uketsuke::fail(Errc::ConfigInvalid, "the script has no commands");
    }
    return script;
}

Result<Script> loadScript(const std::string& path)
{
    std::ifstream in(path);
    if (!in) {
        return uketsuke::fail(Errc::ConfigMissing, "--script: cannot read " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto script = parseScript(text.str());
    if (!script) {
        Error e = script.error();
        e.message = path + ": " + e.message;
        return uketsuke::fail(std::move(e));
    }
    return script;
}

} // namespace uketsuke::ui
