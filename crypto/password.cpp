#include "crypto/password.hpp"

#include <sodium.h>

#include <string>

namespace uketsuke::crypto {
namespace {

bool sodiumReady()
{
    static const bool ready = sodium_init() >= 0;
    return ready;
}

} // namespace

Result<std::string> hashSecret(std::span<const char> secret)
{
    if (secret.empty()) {
        return fail(Errc::InvalidArgument, "empty secret");
    }
    if (!sodiumReady()) {
        return fail(Errc::Internal, "libsodium could not start");
    }
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, secret.data(), secret.size(),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return fail(Errc::Internal, "argon2id: out of memory");
    }
    return std::string(out);
}

bool verifySecret(std::string_view hash, std::span<const char> secret)
{
    if (!sodiumReady() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES ||
        hash.rfind("$argon2id$", 0) != 0) {
        return false;
    }
    // crypto_pwhash_str_verify wants a NUL-terminated string.
    std::string terminated(hash);
    return crypto_pwhash_str_verify(terminated.c_str(), secret.data(), secret.size()) == 0;
}

bool hashNeedsUpdate(std::string_view hash)
{
    if (!sodiumReady() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES ||
        hash.rfind("$argon2id$", 0) != 0) {
        return false;
    }
    std::string terminated(hash);
    return crypto_pwhash_str_needs_rehash(terminated.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

} // namespace uketsuke::crypto
