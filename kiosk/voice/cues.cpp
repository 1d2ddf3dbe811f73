#include "kiosk/voice/cues.hpp"

#include <algorithm>

namespace uketsuke::kiosk::voice {
namespace {

std::string_view phaseOf(std::string_view screen)
{
    return screen.substr(0, screen.find(':'));
}

} // namespace

std::optional<std::string> lineFor(std::string_view screen, const model::StringTable& table)
{
    const std::string_view phase = phaseOf(screen);
    if (phase.empty() || phase == "staff" || phase == "idle" || phase == "not_ready") {
        return std::nullopt;
    }
    std::vector<std::string> candidates;
    if (phase.size() < screen.size()) {
        std::string variant(screen.substr(phase.size() + 1));
        std::replace(variant.begin(), variant.end(), ':', '.');
        candidates.push_back("voice." + std::string(phase) + "." + variant);
        candidates.push_back("voice." + variant);
    }
    candidates.push_back("voice." + std::string(phase));
    for (const auto& key : candidates) {
        if (table.has(key)) {
            return key;
        }
    }
    return std::nullopt;
}

std::vector<std::string> lineKeys(const model::StringTable& table)
{
    std::vector<std::string> keys;
    for (const auto& key : table.keys()) {
        if (key.rfind("voice.", 0) == 0) {
            keys.push_back(key);
        }
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

std::optional<Earcon> earconFor(std::string_view before, std::string_view after)
{
    const std::string_view was = phaseOf(before);
    const std::string_view now = phaseOf(after);
    if (now == "reading_card" && was != "reading_card") {
        return Earcon::CardDetected;
    }
    // A card read so quickly that the reading screen was never drawn.
    if ((was == "idle" || was == "place_card") &&
        (now == "enter_pin" || now == "last_try_warning" || now == "pin_on_reader" ||
         now == "checking")) {
        return Earcon::CardDetected;
    }
    if ((now == "error" || now == "pin_wrong") && before != after) {
        return Earcon::Error;
    }
    if (now == "result" && was != "result") {
        return Earcon::Done;
    }
    if (after == "result:print_failed" && before != after) {
        return Earcon::Error;
    }
    return std::nullopt;
}

} // namespace uketsuke::kiosk::voice
