#pragma once

// The desk's rules for the text terminals send, before anything is stored
// (docs/protocol/desk.md "Field limits"): every string of a check-in or health body, and every
// member name, has a length limit and holds no control character. The JSON parser has already
// refused invalid UTF-8; these rules keep a broken or hostile terminal from filling the
// database, the page, the CSV export or a レセコン's import with text nobody can show.

#include "base/result.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

namespace uketsuke::desk {

// The most characters (code points) a string under member `key` may hold: the protocol's own
// fields (terminal_id 64, receipt_number 32, ...), the names of a qualification result (100),
// its insurance numbers, and kDefaultFieldLimit for any other string or member name.
std::size_t fieldLimit(std::string_view key);
inline constexpr std::size_t kDefaultFieldLimit = 1024;

// True for C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F): none is allowed, not even
// a tab or a line feed.
bool isControlCharacter(char32_t c);

// Walks `body` (a parsed request body) and refuses the first string or member name that is too
// long, holds a control character or is not UTF-8. Errors: InvalidArgument, the message naming
// the field by its path ("qualification.MessageBody.ResultList[0].Name: ...") and the rule,
// never the value. Thread: any (pure).
Result<void> checkFields(const nlohmann::json& body);

} // namespace uketsuke::desk
