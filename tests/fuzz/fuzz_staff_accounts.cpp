// The staff accounts file: any bytes parse or give ConfigInvalid with a line number; what parses
// serialises to text that parses to the same accounts. No PIN is verified here (argon2id takes
// 0.1 s per check).

#include "kiosk/config/staff_accounts.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using uketsuke::kiosk::config::StaffAccounts;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = StaffAccounts::parse(text);
    if (!parsed) {
        if (parsed.error().message.rfind("line ", 0) != 0) {
            std::abort();
        }
        return 0;
    }
    auto again = StaffAccounts::parse(parsed->serialize());
    if (!again || again->accounts().size() != parsed->accounts().size()) {
        std::abort();
    }
    for (std::size_t i = 0; i < parsed->accounts().size(); ++i) {
        const auto& a = parsed->accounts()[i];
        const auto& b = again->accounts()[i];
        if (a.id != b.id || a.role != b.role || a.hash != b.hash || a.disabled != b.disabled) {
            std::abort();
        }
    }
    return 0;
}
