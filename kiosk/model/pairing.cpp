#include "kiosk/model/pairing.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace uketsuke::kiosk::model {
namespace {

using nlohmann::json;

constexpr std::size_t kProofHexDigits = 64;
constexpr std::size_t kMaxPem = 16 * 1024;
constexpr std::size_t kMaxTerminalId = 32;

bool isProof(std::string_view text)
{
    return text.size() == kProofHexDigits &&
           std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool isPlainId(std::string_view id)
{
    if (id.empty() || id.size() > kMaxTerminalId || id.front() == '.') {
        return false;
    }
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

const std::string* stringMember(const json& object, const char* name)
{
    auto it = object.find(name);
    return it != object.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

} // namespace

std::string pairRequestToJson(const PairRequest& request)
{
    return json{{"csr", request.csr}, {"proof", request.proof}}.dump();
}

Result<PairRequest> parsePairRequest(std::string_view body)
{
    const json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        return fail(Errc::InvalidArgument, "body must be a JSON object");
    }
    const std::string* csr = stringMember(parsed, "csr");
    const std::string* proof = stringMember(parsed, "proof");
    if (csr == nullptr || csr->size() > kMaxPem) {
        return fail(Errc::InvalidArgument, "csr must be a string of a PEM certificate request");
    }
    if (proof == nullptr || !isProof(*proof)) {
        return fail(Errc::InvalidArgument, "proof must be 64 lower-case hex digits");
    }
    return PairRequest{*csr, *proof};
}

std::string pairReplyToJson(const PairReply& reply)
{
    return json{{"terminal_id", reply.terminalId},
                {"certificate", reply.certificate},
                {"issuer", reply.issuer},
                {"ca", reply.ca},
                {"proof", reply.proof}}
        .dump();
}

Result<PairReply> parsePairReply(std::string_view body)
{
    const json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        return fail(Errc::BadReply, "pair: the reply is not a JSON object");
    }
    PairReply reply;
    for (auto [name, into] : {std::pair{"terminal_id", &reply.terminalId},
                              std::pair{"certificate", &reply.certificate},
                              std::pair{"issuer", &reply.issuer}, std::pair{"ca", &reply.ca},
                              std::pair{"proof", &reply.proof}}) {
        const std::string* value = stringMember(parsed, name);
        if (value == nullptr || value->size() > kMaxPem ||
            value->find('\0') != std::string::npos) {
            return fail(Errc::BadReply, std::string("pair: ") + name +
                                            " is missing, not a string or too long");
        }
        *into = *value;
    }
    if (!isPlainId(reply.terminalId)) {
        return fail(Errc::BadReply, "pair: terminal_id is not 1-32 of A-Z a-z 0-9 . _ -");
    }
    if (!isProof(reply.proof)) {
        return fail(Errc::BadReply, "pair: proof is not 64 lower-case hex digits");
    }
    return reply;
}

std::string replyProofText(const PairReply& reply)
{
    std::string text;
    for (const std::string* part : {&reply.terminalId, &reply.certificate, &reply.issuer, &reply.ca}) {
        text += *part;
        text.push_back('\0');
    }
    return text;
}

std::string groupCodeDigits(std::string_view code)
{
    std::string grouped;
    for (std::size_t i = 0; i < code.size(); ++i) {
        if (i > 0 && i % 4 == 0) {
            grouped.push_back(' ');
        }
        grouped.push_back(code[i]);
    }
    return grouped;
}

Result<std::string> normaliseTypedCode(std::string_view typed, std::size_t digits,
                                       std::string_view what)
{
    std::string kept;
    for (char c : typed) {
        if (c == ' ' || c == '-') {
            continue;
        }
        if (c < '0' || c > '9' || kept.size() == digits) {
            kept.clear();
            break;
        }
        kept.push_back(c);
    }
    if (kept.size() != digits) {
        return fail(Errc::InvalidArgument,
                    std::string(what) + " is " + std::to_string(digits) + " digits");
    }
    return kept;
}

} // namespace uketsuke::kiosk::model
