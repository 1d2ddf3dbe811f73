#include "kiosk/model/json.hpp"

#include "kiosk/model/fields.hpp"

#include <set>
#include <string_view>
#include <utility>

namespace uketsuke::kiosk::model {
namespace {

using nlohmann::json;

json otherValue(const OtherElement& element);

// Adds an unknown element to a JSON object; a repeated name becomes an array of its values
// (element values are strings or objects, so an array always means repetition).
void addOther(json& object, const OtherElement& element)
{
    json value = otherValue(element);
    auto it = object.find(element.name);
    if (it == object.end()) {
        object[element.name] = std::move(value);
    } else if (it->is_array()) {
        it->push_back(std::move(value));
    } else {
        json both = json::array({std::move(*it), std::move(value)});
        *it = std::move(both);
    }
}

json otherValue(const OtherElement& element)
{
    if (element.children.empty()) {
        return element.text;
    }
    json object = json::object();
    for (const auto& child : element.children) {
        addOther(object, child);
    }
    return object;
}

// The inverse of addOther. Deeper than kMaxOtherDepth is refused rather than recursed into; an
// array is the same element repeated, not a level. Errors: a message naming the member.
bool readOther(const std::string& name, const json& value, int depth,
               std::vector<OtherElement>& out, std::string& error)
{
    if (depth > kMaxOtherDepth) {
        error = name + " nests too deep";
        return false;
    }
    if (value.is_null()) {
        return true;
    }
    if (value.is_array()) {
        for (const auto& item : value) {
            if (item.is_array() || !readOther(name, item, depth, out, error)) {
                if (error.empty()) {
                    error = name + " holds nested arrays";
                }
                return false;
            }
        }
        return true;
    }
    OtherElement element;
    element.name = name;
    if (value.is_object()) {
        for (const auto& [key, child] : value.items()) {
            if (!readOther(key, child, depth + 1, element.children, error)) {
                return false;
            }
        }
    } else if (value.is_string()) {
        element.text = value.get<std::string>();
    } else {
        element.text = value.dump();
    }
    out.push_back(std::move(element));
    return true;
}

// Writes the non-empty members under their OQS element names (fields.hpp).
class JsonWriter {
public:
    explicit JsonWriter(json& out) : m_out(out) {}

    void text(std::string_view name, const std::string& value)
    {
        if (!value.empty()) {
            m_out[std::string(name)] = value;
        }
    }

    template <class F>
    void group(std::string_view name, F&& visit)
    {
        json sub = json::object();
        JsonWriter writer(sub);
        visit(writer);
        if (!sub.empty()) {
            m_out[std::string(name)] = std::move(sub);
        }
    }

    template <class T, class F>
    void list(std::string_view name, std::string_view, const std::vector<T>& items, F&& visit)
    {
        if (items.empty()) {
            return;
        }
        json array = json::array();
        for (const auto& item : items) {
            json object = json::object();
            JsonWriter writer(object);
            visit(writer, item);
            array.push_back(std::move(object));
        }
        m_out[std::string(name)] = std::move(array);
    }

    void others(const std::vector<OtherElement>& elements)
    {
        for (const auto& element : elements) {
            if (!element.name.empty()) {
                addOther(m_out, element);
            }
        }
    }
    void others() {}

private:
    json& m_out;
};

// Reads members by OQS element name. Unknown members are kept (others()); a known member of
// the wrong type is an error naming its path, never its value. The first error wins.
class JsonReader {
public:
    JsonReader(const json& in, std::string where, std::string& error)
        : m_in(in), m_where(std::move(where)), m_error(error)
    {
    }

    void text(std::string_view name, std::string& member)
    {
        auto it = find(name);
        if (it == m_in.end()) {
            return;
        }
        if (!it->is_string()) {
            fail(std::string(name) + " is not a string");
            return;
        }
        member = it->template get<std::string>();
    }

    template <class F>
    void group(std::string_view name, F&& visit)
    {
        auto it = find(name);
        if (it == m_in.end()) {
            return;
        }
        if (!it->is_object()) {
            fail(std::string(name) + " is not an object");
            return;
        }
        JsonReader reader(*it, m_where + "." + std::string(name), m_error);
        visit(reader);
    }

    template <class T, class F>
    void list(std::string_view name, std::string_view, std::vector<T>& items, F&& visit)
    {
        auto it = find(name);
        if (it == m_in.end()) {
            return;
        }
        if (!it->is_array()) {
            fail(std::string(name) + " is not an array");
            return;
        }
        for (std::size_t i = 0; i < it->size() && m_error.empty(); ++i) {
            const std::string where = m_where + "." + std::string(name) + "[" +
                                      std::to_string(i) + "]";
            const json& element = (*it)[i];
            if (!element.is_object()) {
                m_error = where + " is not an object";
                return;
            }
            T item{};
            JsonReader reader(element, where, m_error);
            visit(reader, item);
            items.push_back(std::move(item));
        }
    }

    void others(std::vector<OtherElement>& out)
    {
        if (!m_error.empty()) {
            return;
        }
        for (const auto& [key, value] : m_in.items()) {
            if (m_known.count(key) == 0) {
                std::string problem;
                if (!readOther(key, value, 0, out, problem)) {
                    m_error = m_where + "." + problem;
                    return;
                }
            }
        }
    }
    void others() {}

private:
    json::const_iterator find(std::string_view name)
    {
        m_known.emplace(name);
        if (!m_error.empty()) {
            return m_in.end();
        }
        auto it = m_in.find(std::string(name));
        return it == m_in.end() || it->is_null() ? m_in.end() : it;
    }

    void fail(const std::string& problem)
    {
        if (m_error.empty()) {
            m_error = m_where + "." + problem;
        }
    }

    const json& m_in;
    std::string m_where;
    std::string& m_error;
    std::set<std::string, std::less<>> m_known;
};

} // namespace

json toJson(const QualificationResult& result)
{
    json header = json::object();
    JsonWriter headerWriter(header);
    fields::visitHeader(result.header, headerWriter);
    json body = json::object();
    JsonWriter bodyWriter(body);
    fields::visitBody(result.body, bodyWriter);
    if (!body.contains("ResultList")) {
        body["ResultList"] = json::array(); // always present, even when no person was found
    }
    return json{{"MessageHeader", std::move(header)}, {"MessageBody", std::move(body)}};
}

Result<QualificationResult> qualificationFromJson(const json& in)
{
    if (!in.is_object() || !in.contains("MessageHeader") || !in.contains("MessageBody")) {
        return fail(Errc::BadReply, "result lacks MessageHeader or MessageBody");
    }
    const json& header = in["MessageHeader"];
    const json& body = in["MessageBody"];
    if (!header.is_object()) {
        return fail(Errc::BadReply, "MessageHeader is not an object");
    }
    if (!body.is_object()) {
        return fail(Errc::BadReply, "MessageBody is not an object");
    }
    QualificationResult result;
    std::string error;
    JsonReader headerReader(header, "MessageHeader", error);
    fields::visitHeader(result.header, headerReader);
    JsonReader bodyReader(body, "MessageBody", error);
    fields::visitBody(result.body, bodyReader);
    if (!error.empty()) {
        return fail(Errc::BadReply, error);
    }
    return result;
}

json toJson(const CheckIn& checkIn)
{
    json out{{"idempotency_key", checkIn.idempotencyKey},
             {"terminal_id", checkIn.terminalId},
             {"receipt_number", checkIn.receiptNumber},
             {"checked_at", checkIn.checkedAt},
             {"method", checkIn.method.name()},
             {"outcome", checkIn.outcome.name()}};
    if (checkIn.problem) {
        out["problem"] = checkIn.problem->name();
    }
    out["qualification"] = checkIn.qualification ? toJson(*checkIn.qualification) : json(nullptr);
    if (!checkIn.consent.empty()) {
        json consent = json::object();
        for (const auto& answer : checkIn.consent) {
            consent[std::string(answer.topic.name())] = answer.agreed ? "agreed" : "declined";
        }
        out["consent"] = std::move(consent);
    }
    if (!checkIn.staffId.empty()) {
        out["staff_id"] = checkIn.staffId;
    }
    return out;
}

Result<CheckIn> checkInFromJson(const json& in)
{
    if (!in.is_object()) {
        return fail(Errc::BadReply, "check-in is not an object");
    }
    CheckIn out;
    std::string method;
    std::string outcome;
    const std::pair<const char*, std::string*> required[] = {
        {"idempotency_key", &out.idempotencyKey}, {"terminal_id", &out.terminalId},
        {"receipt_number", &out.receiptNumber},   {"checked_at", &out.checkedAt},
        {"method", &method},                      {"outcome", &outcome},
    };
    for (const auto& [key, member] : required) {
        auto it = in.find(key);
        if (it == in.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
            return fail(Errc::BadReply, std::string("check-in.") + key + " missing or not a string");
        }
        *member = it->get<std::string>();
    }
    // Names this program does not know are kept as they came (wire_enum.hpp).
    out.method = WireEnum<Method>::fromName(method);
    out.outcome = WireEnum<Outcome>::fromName(outcome);
    if (auto it = in.find("problem"); it != in.end() && !it->is_null()) {
        if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
            return fail(Errc::BadReply, "check-in.problem not a string");
        }
        out.problem = WireEnum<Problem>::fromName(it->get_ref<const std::string&>());
    }
    if (auto it = in.find("consent"); it != in.end() && !it->is_null()) {
        if (!it->is_object()) {
            return fail(Errc::BadReply, "check-in.consent not an object");
        }
        // A JSON object has no order: the answers come back in the order of the names.
        for (const auto& [topic, answer] : it->items()) {
            if (!answer.is_string() || (answer != "agreed" && answer != "declined")) {
                return fail(Errc::BadReply,
                            "check-in.consent." + topic + " not \"agreed\" or \"declined\"");
            }
            out.consent.push_back({WireEnum<ConsentTopic>::fromName(topic), answer == "agreed"});
        }
    }
    if (auto it = in.find("staff_id"); it != in.end() && !it->is_null()) {
        if (!it->is_string()) {
            return fail(Errc::BadReply, "check-in.staff_id not a string");
        }
        out.staffId = it->get<std::string>();
    }
    if (auto it = in.find("qualification"); it != in.end() && !it->is_null()) {
        auto result = qualificationFromJson(*it);
        if (!result) {
            return fail(std::move(result).error());
        }
        out.qualification = std::move(*result);
    }
    return out;
}

} // namespace uketsuke::kiosk::model
