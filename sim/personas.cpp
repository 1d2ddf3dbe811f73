#include "sim/personas.hpp"

#include "base/paths.hpp"
#include "kiosk/model/json.hpp"
#include "base/files.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace uketsuke::sim {
namespace {

using nlohmann::json;

constexpr int kFormat = 1;
// Validity offsets are bounded so that the arithmetic and ASN1_TIME stay sane.
constexpr int kMaxDays = 365 * 100;

Unexpected<Error> invalid(const std::string& where, const std::string& problem)
{
    return fail(Errc::ConfigInvalid, where + ": " + problem);
}

bool isFileNameSafe(std::string_view id)
{
    if (id.empty() || id.size() > 64 || id.front() == '.') {
        return false;
    }
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool isPin(std::string_view pin)
{
    if (pin.size() != 4) {
        return false;
    }
    for (char c : pin) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

Result<std::string> readString(const json& object, const char* key, const std::string& where)
{
    auto it = object.find(key);
    if (it == object.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
        return invalid(where + "." + key, "missing or not a non-empty string");
    }
    return it->get<std::string>();
}

Result<int> readInt(const json& object, const char* key, const std::string& where, int low,
                    int high)
{
    auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer()) {
        return invalid(where + "." + key, "missing or not an integer");
    }
    auto value = it->get<long long>();
    if (value < low || value > high) {
        return invalid(where + "." + key,
                       "out of range " + std::to_string(low) + ".." + std::to_string(high));
    }
    return static_cast<int>(value);
}

Result<CardSpec> readCard(const json& persona, const std::string& where)
{
    auto it = persona.find("card");
    if (it == persona.end() || !it->is_object()) {
        return invalid(where + ".card", "missing or not an object");
    }
    const std::string cardWhere = where + ".card";
    CardSpec card;
    if (auto kind = it->find("kind"); kind != it->end()) {
        if (!kind->is_string() || (*kind != "my_number" && *kind != "foreign")) {
            return invalid(cardWhere + ".kind", "must be \"my_number\" or \"foreign\"");
        }
        card.foreign = *kind == "foreign";
    }
    auto pin = readString(*it, "pin", cardWhere);
    if (!pin || !isPin(*pin)) {
        return invalid(cardWhere + ".pin", "must be a string of 4 digits");
    }
    card.pin = std::move(*pin);
    if (it->contains("pin_tries_left")) {
        auto tries = readInt(*it, "pin_tries_left", cardWhere, 0, 3);
        if (!tries) {
            return fail(std::move(tries).error());
        }
        card.pinTriesLeft = *tries;
    }
    if (card.foreign) {
        // Not a My Number card (hal/sim): no certificate, so no cn and no validity.
        return card;
    }
    if (auto revoked = it->find("revoked"); revoked != it->end()) {
        if (!revoked->is_boolean()) {
            return invalid(cardWhere + ".revoked", "must be true or false");
        }
        card.revoked = revoked->get<bool>();
    }
    auto cn = readString(*it, "cn", cardWhere);
    if (!cn) {
        return fail(std::move(cn).error());
    }
    card.cn = std::move(*cn);
    auto notBefore = readInt(*it, "not_before_days", cardWhere, -kMaxDays, kMaxDays);
    if (!notBefore) {
        return fail(std::move(notBefore).error());
    }
    card.notBeforeDays = *notBefore;
    auto notAfter = readInt(*it, "not_after_days", cardWhere, -kMaxDays, kMaxDays);
    if (!notAfter) {
        return fail(std::move(notAfter).error());
    }
    card.notAfterDays = *notAfter;
    if (card.notAfterDays <= card.notBeforeDays) {
        return invalid(cardWhere + ".not_after_days", "must be after not_before_days");
    }
    return card;
}

} // namespace

std::filesystem::path defaultPersonasFile()
{
    return std::filesystem::path(defaultAssetsDir()) / "personas" / "personas.json";
}

Result<std::vector<Persona>> parsePersonas(std::string_view text)
{
    json root = json::parse(text, nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
        return fail(Errc::ConfigInvalid, "personas: not a JSON object");
    }
    auto format = root.find("format");
    if (format == root.end() || !format->is_number_integer() || format->get<int>() != kFormat) {
        return fail(Errc::ConfigInvalid, "format: must be " + std::to_string(kFormat));
    }
    auto list = root.find("personas");
    if (list == root.end() || !list->is_array()) {
        return fail(Errc::ConfigInvalid, "personas: missing or not an array");
    }
    std::vector<Persona> out;
    std::set<std::string> ids;
    std::set<std::string> cns;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& item = (*list)[i];
        const std::string where = "personas[" + std::to_string(i) + "]";
        if (!item.is_object()) {
            return invalid(where, "not an object");
        }
        Persona persona;
        auto id = readString(item, "id", where);
        if (!id || !isFileNameSafe(*id)) {
            return invalid(where + ".id", "must be 1-64 characters of [A-Za-z0-9._-]");
        }
        persona.id = std::move(*id);
        if (!ids.insert(persona.id).second) {
            return invalid(where + ".id", "duplicate id");
        }
        auto card = readCard(item, where);
        if (!card) {
            return fail(std::move(card).error());
        }
        persona.card = std::move(*card);
        if (!persona.card.foreign && !cns.insert(persona.card.cn).second) {
            return invalid(where + ".card.cn", "duplicate card cn");
        }
        auto qualification = item.find("qualification");
        if (qualification == item.end() && persona.card.foreign) {
            out.push_back(std::move(persona)); // never confirmed: no qualification needed
            continue;
        }
        if (qualification == item.end()) {
            return invalid(where + ".qualification", "missing");
        }
        auto result = kiosk::model::qualificationFromJson(*qualification);
        if (!result) {
            return invalid(where + ".qualification", result.error().message);
        }
        persona.qualification = std::move(*result);
        out.push_back(std::move(persona));
    }
    return out;
}

Result<std::vector<Persona>> loadPersonas(const std::filesystem::path& file)
{
    auto text = files::readFile(file);
    if (!text) {
        return fail(Errc::ConfigMissing, text.error().message);
    }
    auto personas = parsePersonas(*text);
    if (!personas) {
        return fail(Errc::ConfigInvalid, file.string() + ": " + personas.error().message);
    }
    return personas;
}

const Persona* findPersonaById(const std::vector<Persona>& personas, std::string_view id)
{
    for (const auto& persona : personas) {
        if (persona.id == id) {
            return &persona;
        }
    }
    return nullptr;
}

const Persona* findPersonaByCardCn(const std::vector<Persona>& personas, std::string_view cn)
{
    for (const auto& persona : personas) {
        if (!persona.card.foreign && persona.card.cn == cn) {
            return &persona;
        }
    }
    return nullptr;
}

} // namespace uketsuke::sim
