#include "kiosk/config/staff_accounts.hpp"

#include "base/files.hpp"
#include "crypto/password.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace uketsuke::kiosk::config {
namespace {

constexpr std::size_t kMaxIdLength = 32;
constexpr std::string_view kHashPrefix = "$argon2id$";
constexpr std::string_view kHeader =
    "# Uketsuke staff accounts (docs/staff.md): id:role:argon2id-hash[:disabled]\n"
    "# Written by `uketsuke-kiosk staff add|passwd|disable`. Never edit a hash by hand.\n";

std::vector<std::string_view> splitFields(std::string_view line)
{
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t colon = line.find(':', start);
        fields.push_back(line.substr(start, colon - start));
        if (colon == std::string_view::npos) {
            return fields;
        }
        start = colon + 1;
    }
}

Unexpected<Error> lineError(int number, const std::string& what)
{
    return fail(Errc::ConfigInvalid, "line " + std::to_string(number) + ": " + what);
}

bool isHash(std::string_view hash)
{
    return hash.size() > kHashPrefix.size() && hash.substr(0, kHashPrefix.size()) == kHashPrefix &&
           hash.find_first_of(" \t\r\n:") == std::string_view::npos;
}

Result<std::string> hashPin(const StaffPin& pin)
{
    if (!pin.complete()) {
        return fail(Errc::InvalidArgument, "a staff PIN is 4 to 8 digits");
    }
    return crypto::hashSecret(pin.digits());
}

} // namespace

bool isStaffId(std::string_view id)
{
    if (id.empty() || id.size() > kMaxIdLength) {
        return false;
    }
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::optional<staff::Role> staffRoleFromName(std::string_view name)
{
    if (name == "staff") {
        return staff::Role::Staff;
    }
    if (name == "admin") {
        return staff::Role::Admin;
    }
    return std::nullopt;
}

Result<StaffAccounts> StaffAccounts::parse(std::string_view text)
{
    StaffAccounts result;
    int number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty() || line.front() == '#') {
            continue;
        }
        const auto fields = splitFields(line);
        if (fields.size() < 3 || fields.size() > 4) {
            return lineError(number, "expected id:role:hash[:disabled]");
        }
        StaffAccount account;
        if (!isStaffId(fields[0])) {
            return lineError(number, "the id must be 1-32 of a-z 0-9 . _ -");
        }
        account.id = std::string(fields[0]);
        auto role = staffRoleFromName(fields[1]);
        if (!role) {
            return lineError(number, "the role must be staff or admin");
        }
        account.role = *role;
        if (!isHash(fields[2])) {
            return lineError(number, "the hash is not an argon2id string");
        }
        account.hash = std::string(fields[2]);
        if (fields.size() == 4) {
            if (fields[3] != "disabled") {
                return lineError(number, "the fourth field may only be 'disabled'");
            }
            account.disabled = true;
        }
        if (result.find(account.id) != nullptr) {
            return lineError(number, "the id " + account.id + " appears twice");
        }
        result.m_accounts.push_back(std::move(account));
    }
    return result;
}

Result<StaffAccounts> StaffAccounts::load(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return StaffAccounts{};
    }
    auto text = files::readFile(path);
    if (!text) {
        return fail(text.error());
    }
    auto parsed = parse(*text);
    if (!parsed) {
        return fail(parsed.error().code, path + ": " + parsed.error().message);
    }
    return parsed;
}

std::string StaffAccounts::serialize() const
{
    std::string out(kHeader);
    for (const auto& a : m_accounts) {
        out += a.id + ":" + staff::roleName(a.role) + ":" + a.hash;
        if (a.disabled) {
            out += ":disabled";
        }
        out += "\n";
    }
    return out;
}

Result<void> StaffAccounts::save(const std::string& path) const
{
    return files::publishFile(path, serialize());
}

Result<void> StaffAccounts::add(const std::string& id, staff::Role role, const StaffPin& pin)
{
    if (!isStaffId(id)) {
        return fail(Errc::InvalidArgument, "the id must be 1-32 of a-z 0-9 . _ -");
    }
    if (find(id) != nullptr) {
        return fail(Errc::InvalidArgument, "the id " + id + " exists already");
    }
    auto hash = hashPin(pin);
    if (!hash) {
        return fail(hash.error());
    }
    m_accounts.push_back(StaffAccount{id, role, std::move(*hash), false});
    return {};
}

Result<void> StaffAccounts::setPin(const std::string& id, const StaffPin& pin)
{
    auto it = std::find_if(m_accounts.begin(), m_accounts.end(),
                           [&](const StaffAccount& a) { return a.id == id; });
    if (it == m_accounts.end()) {
        return fail(Errc::InvalidArgument, "no staff account " + id);
    }
    auto hash = hashPin(pin);
    if (!hash) {
        return fail(hash.error());
    }
    it->hash = std::move(*hash);
    it->disabled = false;
    return {};
}

Result<void> StaffAccounts::disable(const std::string& id)
{
    auto it = std::find_if(m_accounts.begin(), m_accounts.end(),
                           [&](const StaffAccount& a) { return a.id == id; });
    if (it == m_accounts.end()) {
        return fail(Errc::InvalidArgument, "no staff account " + id);
    }
    it->disabled = true;
    return {};
}

std::optional<StaffMatch> StaffAccounts::verify(const StaffPin& pin) const
{
    if (!pin.complete()) {
        return std::nullopt;
    }
    for (const auto& a : m_accounts) {
        if (!a.disabled && crypto::verifySecret(a.hash, pin.digits())) {
            return StaffMatch{a.id, a.role};
        }
    }
    return std::nullopt;
}

const StaffAccount* StaffAccounts::find(std::string_view id) const
{
    for (const auto& a : m_accounts) {
        if (a.id == id) {
            return &a;
        }
    }
    return nullptr;
}

} // namespace uketsuke::kiosk::config
