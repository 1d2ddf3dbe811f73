#include "desk/ingest_checks.hpp"

#include "base/utf8.hpp"

#include <array>
#include <string>
#include <utility>

namespace uketsuke::desk {
namespace {

struct Limit {
    std::string_view key;
    std::size_t chars;
};

// Generous for real data (an OQS name is at most 100 characters, an insurer number 8), tight
// enough that the desk's list and its exports stay readable.
constexpr std::array<Limit, 19> kLimits = {{
    {"idempotency_key", 128},
    {"terminal_id", 64},
    {"receipt_number", 32},
    {"checked_at", 40},
    {"reported_at", 40},
    {"card_idle_since", 40},
    {"method", 32},
    {"card", 32},
    {"outcome", 64},
    {"Name", 100},
    {"NameKana", 100},
    {"NameOfOther", 100},
    {"NameOfOtherKana", 100},
    {"InsuredName", 100},
    {"InsurerNumber", 16},
    {"InsuredCardSymbol", 64},
    {"InsuredIdentificationNumber", 64},
    {"InsuredBranchNumber", 8},
    {"Birthdate", 16},
}};

// OQS element names are at most about 50 characters.
constexpr std::size_t kMaxMemberName = 128;

// Nesting deeper than this is refused: a check-in is four levels deep.
constexpr int kMaxDepth = 16;

Result<void> checkText(std::string_view text, std::size_t limit, const std::string& path)
{
    int invalid = 0;
    const std::u32string chars = utf8::decode(text, &invalid);
    if (invalid != 0) {
        return fail(Errc::InvalidArgument, path + ": not UTF-8");
    }
    if (chars.size() > limit) {
        return fail(Errc::InvalidArgument,
                    path + ": longer than " + std::to_string(limit) + " characters");
    }
    for (char32_t c : chars) {
        if (isControlCharacter(c)) {
            return fail(Errc::InvalidArgument, path + ": holds a control character");
        }
    }
    return ok();
}

Result<void> walk(const nlohmann::json& value, std::string_view key, const std::string& path,
                  int depth)
{
    if (depth > kMaxDepth) {
        return fail(Errc::InvalidArgument, path + ": nested too deeply");
    }
    if (value.is_string()) {
        return checkText(value.get_ref<const std::string&>(), fieldLimit(key), path);
    }
    if (value.is_array()) {
        std::size_t index = 0;
        for (const auto& item : value) {
            auto checked =
                walk(item, key, path + "[" + std::to_string(index++) + "]", depth + 1);
            if (!checked) {
                return checked;
            }
        }
        return ok();
    }
    if (value.is_object()) {
        for (const auto& [name, item] : value.items()) {
            // A member name is shown only as far as it is safe: its own check comes first.
            const std::string where = path.empty() ? std::string("member name") : path;
            if (auto checked = checkText(name, kMaxMemberName, where + " (a member name)");
                !checked) {
                return checked;
            }
            const std::string inner = path.empty() ? name : path + "." + name;
            if (auto checked = walk(item, name, inner, depth + 1); !checked) {
                return checked;
            }
        }
    }
    return ok();
}

} // namespace

std::size_t fieldLimit(std::string_view key)
{
    for (const auto& limit : kLimits) {
        if (limit.key == key) {
            return limit.chars;
        }
    }
    return kDefaultFieldLimit;
}

bool isControlCharacter(char32_t c)
{
    return c <= 0x1F || (c >= 0x7F && c <= 0x9F);
}

Result<void> checkFields(const nlohmann::json& body)
{
    return walk(body, "", "", 0);
}

} // namespace uketsuke::desk
