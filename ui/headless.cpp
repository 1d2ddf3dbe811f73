#include "ui/headless.hpp"

#include "hal/sim/escpos_server.hpp"
#include "ui/screen_models.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace uketsuke::ui {
namespace {

// "large-text=on high-contrast=off", leaving out a switch that is not given.
std::string displayWords(std::optional<bool> largeText, std::optional<bool> highContrast)
{
    std::string words;
    if (largeText) {
        words += *largeText ? "large-text=on" : "large-text=off";
    }
    if (highContrast) {
        words += words.empty() ? "" : " ";
        words += *highContrast ? "high-contrast=on" : "high-contrast=off";
    }
    return words;
}

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

std::string describe(const ScriptCommand& c)
{
    if (c.kind == ScriptCommand::Kind::Tap) {
        if (c.secret) {
            return "a keypad digit";
        }
        return c.language.empty() ? std::string(buttonIdName(c.button)) : c.argument;
    }
    return c.argument;
}

std::string visibleButtons(const Intents* intents)
{
    if (intents == nullptr || intents->drawn.empty()) {
        return "none";
    }
    std::string list;
    for (const auto& b : intents->drawn) {
        if (digitOf(b.id)) {
            continue; // keypad digits are left out: "digit-0..9" is implied by the keypad
        }
        list += list.empty() ? "" : ", ";
        list += buttonIdName(b.id);
        if (!b.enabled) {
            list += " (disabled)";
        }
    }
    if (intents->find(ButtonId::Digit0) != nullptr) {
        list += list.empty() ? "" : ", ";
        list += "digit-0..9";
    }
    return list;
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

bool screenMatches(std::string_view shown, std::string_view want)
{
    if (shown == want) {
        return true;
    }
    // "error" matches "error:<kind>", "staff:menu" matches "staff:menu:<section>".
    return shown.size() > want.size() &&
           shown.substr(0, want.size()) == want && shown[want.size()] == ':';
}

ScriptPlayer::ScriptPlayer(Script script) : m_script(std::move(script)) {}

void ScriptPlayer::advance()
{
    ++m_next;
    m_waitStart.reset();
    m_stage = TapStage::Find;
}

void ScriptPlayer::fail(const ScriptCommand& command, const std::string& message)
{
    m_failed = true;
    m_failure = "script line " + std::to_string(command.line) + ": " + message;
}

bool ScriptPlayer::waitExpired(const ScriptCommand& command, TimePoint now, const std::string& what)
{
    if (!m_waitStart) {
        m_waitStart = now;
    }
    if (now - *m_waitStart <= m_timeout) {
        return false;
    }
    fail(command, what + " (waited " + std::to_string(m_timeout.count()) + " ms)");
    return true;
}

void ScriptPlayer::updateTap(const ScriptCommand& c, const FrameReport& frame, TimePoint now)
{
    switch (m_stage) {
    case TapStage::Find: {
        m_tapButton = c.button;
        if (!c.language.empty() && frame.intents != nullptr) {
            m_tapButton = frame.intents->languageButton(c.language).value_or(ButtonId::Start);
        }
        const DrawnButton* b = nullptr;
        if (frame.intents != nullptr && (c.language.empty() || m_tapButton != ButtonId::Start)) {
            b = frame.intents->find(m_tapButton);
        }
        if (b != nullptr && b->enabled && !frame.inputBlocked) {
            m_tapAt = b->center();
            m_stage = TapStage::Press;
            m_stageSerial = frame.serial;
            return;
        }
        std::string why = b == nullptr ? ": not on screen '" + frame.screen + "'"
                                       : (b->enabled ? ": input stayed blocked"
                                                     : ": stayed disabled");
        waitExpired(c, now,
                    "tap " + describe(c) + why +
                        " (buttons shown: " + visibleButtons(frame.intents) + ")");
        return;
    }
    case TapStage::Press:
        if (frame.serial > m_stageSerial) {
            m_stage = TapStage::Release;
            m_stageSerial = frame.serial;
        }
        return;
    case TapStage::Release:
        if (frame.serial > m_stageSerial) {
            if (frame.intents == nullptr || !frame.intents->wasPressed(m_tapButton)) {
                fail(c, "tap " + describe(c) + ": the button did not respond on screen '" +
                            frame.screen + "'");
                return;
            }
            m_stage = TapStage::Leave;
            m_stageSerial = frame.serial;
        }
        return;
    case TapStage::Leave:
        if (frame.serial > m_stageSerial) {
            advance();
        }
        return;
    }
}

void ScriptPlayer::update(const FrameReport& frame, TimePoint now,
                          std::vector<PlayerAction>& actions)
{
    using Kind = ScriptCommand::Kind;
    if (m_shotPending) {
        if (frame.serial <= m_shotSerial) {
            return; // the screenshot's frame is not drawn yet
        }
        m_shotPending = false;
    }
    while (!m_failed && m_next < m_script.commands.size()) {
        const ScriptCommand& c = m_script.commands[m_next];
        switch (c.kind) {
        case Kind::InsertCard:
            actions.push_back({PlayerAction::Kind::InsertCard, {}});
            advance();
            continue;
        case Kind::RemoveCard:
            actions.push_back({PlayerAction::Kind::RemoveCard, {}});
            advance();
            continue;
        case Kind::PadType:
            actions.push_back({PlayerAction::Kind::PadType, c.argument});
            advance();
            continue;
        case Kind::PadCancel:
            actions.push_back({PlayerAction::Kind::PadCancel, {}});
            advance();
            continue;
        case Kind::Printer:
            actions.push_back({PlayerAction::Kind::Printer, c.argument});
            advance();
            continue;
        case Kind::StaffGesture:
            actions.push_back({PlayerAction::Kind::StaffGesture, {}});
            advance();
            continue;
        case Kind::Screenshot:
            actions.push_back({PlayerAction::Kind::Screenshot, c.argument});
            advance();
            m_shotPending = true; // nothing more until the shot's frame is drawn
            m_shotSerial = frame.serial;
            return;
        case Kind::Timeout:
            m_timeout = c.timeout;
            advance();
            continue;
        case Kind::ExpectScreen:
            if (frame.serial > 0 && screenMatches(frame.screen, c.argument)) {
                advance();
                continue;
            }
            waitExpired(c, now,
                        "expected screen '" + c.argument + "', still on '" + frame.screen + "'");
            return;
        case Kind::ExpectText: {
            bool shown = frame.intents != nullptr &&
                         std::find(frame.intents->shownKeys.begin(),
                                   frame.intents->shownKeys.end(),
                                   c.argument) != frame.intents->shownKeys.end();
            if (shown) {
                advance();
                continue;
            }
            waitExpired(c, now,
                        "expected text '" + c.argument + "' on screen '" + frame.screen + "'");
            return;
        }
        case Kind::ExpectSound: {
            if (frame.sounds != nullptr) {
                const auto& sounds = *frame.sounds;
                auto from = sounds.begin() + static_cast<std::ptrdiff_t>(
                                                 std::min(m_soundsMatched, sounds.size()));
                auto it = std::find(from, sounds.end(), c.argument);
                if (it != sounds.end()) {
                    m_soundsMatched = static_cast<std::size_t>(it - sounds.begin()) + 1;
                    advance();
                    continue;
                }
            }
            waitExpired(c, now,
                        "expected sound '" + c.argument + "' on screen '" + frame.screen + "'");
            return;
        }
        case Kind::ExpectDisplay: {
            const bool large = !c.largeText || *c.largeText == frame.display.largeText;
            const bool contrast =
                !c.highContrast || *c.highContrast == frame.display.highContrast;
            if (frame.serial > 0 && large && contrast) {
                advance();
                continue;
            }
            waitExpired(c, now,
                        "expected display " + displayWords(c.largeText, c.highContrast) +
                            ", drawn with " +
                            displayWords(frame.display.largeText, frame.display.highContrast) +
                            " on screen '" + frame.screen + "'");
            return;
        }
        case Kind::Tap: {
            std::size_t before = m_next;
            updateTap(c, frame, now);
            if (m_next != before) {
                continue; // the tap finished on this frame: go on with the next command
            }
            return;
        }
        }
    }
}

FrameInput ScriptPlayer::input() const
{
    FrameInput in;
    in.driveMouse = true;
    if (!m_failed && m_next < m_script.commands.size() &&
        m_script.commands[m_next].kind == ScriptCommand::Kind::Tap) {
        switch (m_stage) {
        case TapStage::Press:
            in.mousePos = m_tapAt;
            in.mouseDown = true;
            break;
        case TapStage::Release:
            // Keep the position for the release frame, so the button fires (platform.md §5).
            in.mousePos = m_tapAt;
            in.mouseDown = false;
            break;
        case TapStage::Find:
        case TapStage::Leave:
            break;
        }
    }
    return in;
}

bool ScriptPlayer::needsFrame() const
{
    return !m_failed && m_next < m_script.commands.size() &&
           m_script.commands[m_next].kind == ScriptCommand::Kind::Tap &&
           m_stage != TapStage::Find;
}

std::optional<ScriptPlayer::TimePoint> ScriptPlayer::deadline() const
{
    if (!m_waitStart) {
        return std::nullopt;
    }
    return *m_waitStart + m_timeout + std::chrono::milliseconds(1);
}

} // namespace uketsuke::ui
