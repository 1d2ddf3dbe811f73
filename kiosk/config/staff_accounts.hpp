#pragma once

// The staff accounts of one terminal (docs/staff.md "Accounts"): who may open the maintenance
// menu, with which role, and the argon2id hash of their PIN (crypto/password.hpp). One text
// file, 0600, one account a line, as /etc/shadow keeps its users:
//
//   # id:role:hash[:disabled]
//   s01:admin:$argon2id$v=19$m=65536,t=2,p=1$...$...
//   s02:staff:$argon2id$v=19$m=65536,t=2,p=1$...$...:disabled
//
// An id is 1-32 of a-z, 0-9, '.', '_' and '-' (an id, never a name: it goes to the audit log).
// The file is written by `uketsuke-kiosk staff add|passwd|disable` (published atomically) and
// read at start; a PIN's digits are never stored, logged or printed.

#include "base/result.hpp"
#include "base/secret.hpp"
#include "kiosk/staff/staff.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::kiosk::config {

struct StaffAccount {
    std::string id;
    staff::Role role = staff::Role::Staff;
    std::string hash; // argon2id string from crypto::hashSecret
    bool disabled = false;
};

// Who a staff PIN belongs to.
struct StaffMatch {
    std::string id;
    staff::Role role = staff::Role::Staff;
};

class StaffAccounts {
public:
    // Parses the file's text. Errors: ConfigInvalid "line N: ..." (unknown role, bad id, a hash
    // that is not an argon2id string, a repeated id, too many fields).
    static Result<StaffAccounts> parse(std::string_view text);
    // Reads and parses `path`; a missing file is an empty set (no staff can unlock yet).
    // Errors: StorageError (cannot read), those of parse() with the path in front.
    static Result<StaffAccounts> load(const std::string& path);

    // The file's text (a header comment, then one line per account, in the order added).
    std::string serialize() const;
    // Publishes serialize() atomically at `path`, mode 0600. Errors: StorageError.
    Result<void> save(const std::string& path) const;

    // Adds an account with the hash of `pin`. Errors: InvalidArgument (bad id, the id exists,
    // the PIN is not 4-8 digits), Internal (hashing failed).
    Result<void> add(const std::string& id, staff::Role role, const StaffPin& pin);
    // Replaces an account's PIN (and enables it again). Errors: InvalidArgument (no such id,
    // not 4-8 digits), Internal.
    Result<void> setPin(const std::string& id, const StaffPin& pin);
    // Disables an account: its PIN opens nothing any more. Errors: InvalidArgument (no such
    // id).
    Result<void> disable(const std::string& id);

    // The enabled account whose PIN this is; nullopt for none. Tries every enabled account
    // (about 0.1 s each: run it on a worker, never on the main thread). Thread: any.
    std::optional<StaffMatch> verify(const StaffPin& pin) const;

    const std::vector<StaffAccount>& accounts() const { return m_accounts; }
    const StaffAccount* find(std::string_view id) const;

private:
    std::vector<StaffAccount> m_accounts;
};

// True for 1-32 of a-z, 0-9, '.', '_', '-'.
bool isStaffId(std::string_view id);

std::optional<staff::Role> staffRoleFromName(std::string_view name); // "staff", "admin"

} // namespace uketsuke::kiosk::config
