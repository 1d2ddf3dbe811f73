#include "sim/faults.hpp"

#include <string>

namespace uketsuke::sim {
namespace {

constexpr std::pair<FaultKind, const char*> kKinds[] = {
    {FaultKind::Delay, "delay"},
    {FaultKind::ServerError, "server_error"},
    {FaultKind::MalformedJson, "malformed_json"},
    {FaultKind::DropConnection, "drop_connection"},
    {FaultKind::ExpiredChallenge, "expired_challenge"},
};

constexpr long long kMaxDelayMs = 60000;

} // namespace

const char* faultKindName(FaultKind kind)
{
    for (const auto& [value, name] : kKinds) {
        if (value == kind) {
            return name;
        }
    }
    return "unknown";
}

Result<std::vector<FaultRule>> faultsFromJson(const nlohmann::json& json)
{
    if (!json.is_object() || !json.contains("faults") || !json["faults"].is_array()) {
        return fail(Errc::InvalidArgument, "body must be {\"faults\": [...]}");
    }
    std::vector<FaultRule> rules;
    const auto& list = json["faults"];
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& item = list[i];
        const std::string where = "faults[" + std::to_string(i) + "]";
        if (!item.is_object()) {
            return fail(Errc::InvalidArgument, where + " is not an object");
        }
        FaultRule rule;
        auto kind = item.find("kind");
        if (kind == item.end() || !kind->is_string()) {
            return fail(Errc::InvalidArgument, where + ".kind missing");
        }
        bool known = false;
        for (const auto& [value, name] : kKinds) {
            if (*kind == name) {
                rule.kind = value;
                known = true;
            }
        }
        if (!known) {
            return fail(Errc::InvalidArgument, where + ".kind unknown");
        }
        if (auto on = item.find("on"); on != item.end()) {
            if (*on == "challenge") {
                rule.on = FaultTarget::Challenge;
            } else if (*on == "confirm") {
                rule.on = FaultTarget::Confirm;
            } else if (*on != "any") {
                return fail(Errc::InvalidArgument, where + ".on must be challenge, confirm or any");
            }
        }
        if (auto count = item.find("count"); count != item.end()) {
            if (!count->is_number_integer() || count->get<long long>() < -1 ||
                count->get<long long>() > 1000000) {
                return fail(Errc::InvalidArgument, where + ".count must be -1 or a count");
            }
            rule.count = count->get<int>();
        }
        if (auto delay = item.find("delay_ms"); delay != item.end()) {
            if (!delay->is_number_integer() || delay->get<long long>() < 0 ||
                delay->get<long long>() > kMaxDelayMs) {
                return fail(Errc::InvalidArgument, where + ".delay_ms must be 0-60000");
            }
            rule.delay = std::chrono::milliseconds(delay->get<long long>());
        }
        if (auto status = item.find("status"); status != item.end()) {
            if (!status->is_number_integer() || status->get<int>() < 500 ||
                status->get<int>() > 599) {
                return fail(Errc::InvalidArgument, where + ".status must be 500-599");
            }
            rule.status = status->get<int>();
        }
        rules.push_back(rule);
    }
    return rules;
}

void FaultInjector::set(std::vector<FaultRule> rules)
{
    std::lock_guard lock(m_mutex);
    m_rules = std::move(rules);
}

void FaultInjector::clear()
{
    set({});
}

std::optional<FaultRule> FaultInjector::take(FaultTarget endpoint)
{
    std::lock_guard lock(m_mutex);
    for (auto it = m_rules.begin(); it != m_rules.end(); ++it) {
        if (it->count == 0 || (it->on != FaultTarget::Any && it->on != endpoint)) {
            continue;
        }
        if (it->kind == FaultKind::ExpiredChallenge && endpoint != FaultTarget::Challenge) {
            continue;
        }
        FaultRule rule = *it;
        if (it->count > 0 && --it->count == 0) {
            m_rules.erase(it);
        }
        return rule;
    }
    return std::nullopt;
}

} // namespace uketsuke::sim
