#include "ui/headless.hpp"

#include <algorithm>

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
            // Keep the position for the release frame, so the button fires
            // (docs/headless-script.md).
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
