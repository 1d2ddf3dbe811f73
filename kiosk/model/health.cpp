#include "kiosk/model/health.hpp"

namespace uketsuke::kiosk::model {
namespace {

using json = nlohmann::json;

const std::pair<const char*, bool PrinterHealth::*> kPrinterFlags[] = {
    {"reachable", &PrinterHealth::reachable},   {"online", &PrinterHealth::online},
    {"paper_out", &PrinterHealth::paperOut},    {"paper_near_end", &PrinterHealth::paperNearEnd},
    {"cover_open", &PrinterHealth::coverOpen},  {"error", &PrinterHealth::error},
};

} // namespace

template <>
std::span<const WireName<CardState>> wireNames<CardState>()
{
    static constexpr WireName<CardState> kNames[] = {
        {CardState::Absent, "absent"},
        {CardState::Present, "present"},
        {CardState::Unreadable, "unreadable"},
        {CardState::NotMyNumberCard, "not_my_number_card"},
    };
    return kNames;
}

bool TerminalHealth::sameState(const TerminalHealth& other) const
{
    return terminalId == other.terminalId && printer == other.printer &&
           readerAvailable == other.readerAvailable && card == other.card &&
           outboxDepth == other.outboxDepth &&
           version == other.version && call == other.call;
}

json toJson(const TerminalHealth& health)
{
    json printer = json::object();
    for (const auto& [key, member] : kPrinterFlags) {
        printer[key] = health.printer.*member;
    }
    json out{{"terminal_id", health.terminalId},
             {"reported_at", health.reportedAt},
             {"printer", std::move(printer)},
             {"reader_available", health.readerAvailable},
             {"outbox_depth", health.outboxDepth}};
    if (health.card) {
        out["card"] = std::string(health.card->state.name());
        if (!health.card->idleSince.empty()) {
            out["card_idle_since"] = health.card->idleSince;
        }
    }
    if (!health.version.empty()) {
        out["version"] = health.version;
    }
    if (health.call) {
        out["call"] = {{"id", health.call->id},
                       {"screen", health.call->screen},
                       {"since", health.call->since}};
    }
    return out;
}

Result<TerminalHealth> terminalHealthFromJson(const json& in)
{
    if (!in.is_object()) {
        return fail(Errc::BadReply, "health is not an object");
    }
    TerminalHealth out;
    for (const auto& [key, member] : {std::pair{"terminal_id", &TerminalHealth::terminalId},
                                      std::pair{"reported_at", &TerminalHealth::reportedAt}}) {
        auto it = in.find(key);
        if (it == in.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
            return fail(Errc::BadReply, std::string("health.") + key + " missing or not a string");
        }
        out.*member = it->get<std::string>();
    }
    auto printer = in.find("printer");
    if (printer == in.end() || !printer->is_object()) {
        return fail(Errc::BadReply, "health.printer missing or not an object");
    }
    for (const auto& [key, member] : kPrinterFlags) {
        auto it = printer->find(key);
        if (it == printer->end() || !it->is_boolean()) {
            return fail(Errc::BadReply, std::string("health.printer.") + key +
                                            " missing or not a boolean");
        }
        out.printer.*member = it->get<bool>();
    }
    auto reader = in.find("reader_available");
    if (reader == in.end() || !reader->is_boolean()) {
        return fail(Errc::BadReply, "health.reader_available missing or not a boolean");
    }
    out.readerAvailable = reader->get<bool>();
    auto depth = in.find("outbox_depth");
    if (depth == in.end() || !depth->is_number_integer() || depth->get<long long>() < -1 ||
        depth->get<long long>() > 1000000) {
        return fail(Errc::BadReply, "health.outbox_depth missing or not an integer from -1");
    }
    out.outboxDepth = static_cast<int>(depth->get<long long>());
    const auto idleSince = in.find("card_idle_since");
    const bool hasIdleSince = idleSince != in.end() && !idleSince->is_null();
    if (hasIdleSince && !idleSince->is_string()) {
        return fail(Errc::BadReply, "health.card_idle_since not a string");
    }
    if (auto card = in.find("card"); card != in.end() && !card->is_null()) {
        if (!card->is_string() || card->get_ref<const std::string&>().empty()) {
            return fail(Errc::BadReply, "health.card not a string");
        }
        CardHealth parsed;
        parsed.state = WireEnum<CardState>::fromName(card->get_ref<const std::string&>());
        if (hasIdleSince) {
            parsed.idleSince = idleSince->get<std::string>();
        }
        out.card = std::move(parsed);
    } else if (hasIdleSince) {
        return fail(Errc::BadReply, "health.card_idle_since without health.card");
    }
    if (auto version = in.find("version"); version != in.end()) {
        if (!version->is_string()) {
            return fail(Errc::BadReply, "health.version not a string");
        }
        out.version = version->get<std::string>();
    }
    if (auto call = in.find("call"); call != in.end() && !call->is_null()) {
        if (!call->is_object()) {
            return fail(Errc::BadReply, "health.call not an object");
        }
        StaffCall parsed;
        for (const auto& [key, member] : {std::pair{"id", &StaffCall::id},
                                          std::pair{"screen", &StaffCall::screen},
                                          std::pair{"since", &StaffCall::since}}) {
            auto it = call->find(key);
            if (it == call->end() || !it->is_string() ||
                it->get_ref<const std::string&>().empty()) {
                return fail(Errc::BadReply,
                            std::string("health.call.") + key + " missing or not a string");
            }
            parsed.*member = it->get<std::string>();
        }
        out.call = std::move(parsed);
    }
    return out;
}

} // namespace uketsuke::kiosk::model
