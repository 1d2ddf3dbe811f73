#pragma once

// Hashes of secrets people type (a staff member's PIN at the terminal, a receptionist's password
// at the desk): argon2id through libsodium's crypto_pwhash_str, with its "interactive" limits
// (about 64 MiB and a tenth of a second per hash on the terminal's kind of machine), so a stolen
// hash file costs an attacker that much per guess. The string keeps the algorithm, its limits
// and the salt ("$argon2id$v=19$m=65536,t=2,p=1$..."). Verification is constant-time. Neither
// the secret nor the hash is ever logged.

#include "base/result.hpp"

#include <span>
#include <string>
#include <string_view>

namespace uketsuke::crypto {

// The argon2id hash string of `secret`. Errors: InvalidArgument (empty), Internal (libsodium
// could not start, or could not get the memory). Blocks ~0.1 s; thread: any.
Result<std::string> hashSecret(std::span<const char> secret);

// True when `secret` matches `hash` (a string from hashSecret). False for a wrong secret and for
// a hash that is not an argon2id string. Blocks ~0.1 s; thread: any.
bool verifySecret(std::string_view hash, std::span<const char> secret);

// True when `hash` was made with other limits than hashSecret uses today (hash again at the
// next successful log-in). False for a string that is not a hash at all.
bool hashNeedsUpdate(std::string_view hash);

} // namespace uketsuke::crypto
