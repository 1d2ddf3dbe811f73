#include "crypto/password.hpp"

#include "base/secret.hpp"

#include <catch2/catch.hpp>

#include <string_view>

using namespace uketsuke;

namespace {

std::span<const char> text(std::string_view s)
{
    return {s.data(), s.size()};
}

} // namespace

TEST_CASE("hashSecret: argon2id strings that verify the secret and nothing else")
{
    auto hash = crypto::hashSecret(text("482916"));
    REQUIRE(hash);
    CHECK(hash->rfind("$argon2id$", 0) == 0);
    CHECK(hash->find("482916") == std::string::npos);
    CHECK(crypto::verifySecret(*hash, text("482916")));
    CHECK_FALSE(crypto::verifySecret(*hash, text("482917")));
    CHECK_FALSE(crypto::verifySecret(*hash, text("48291")));
    CHECK_FALSE(crypto::verifySecret(*hash, text("")));
    CHECK_FALSE(crypto::hashNeedsUpdate(*hash));

    // A fresh salt each time: the same secret never gives the same string.
    auto again = crypto::hashSecret(text("482916"));
    REQUIRE(again);
    CHECK(*again != *hash);
    CHECK(crypto::verifySecret(*again, text("482916")));
}

TEST_CASE("hashSecret: a staff PIN's digits, straight from the secret type")
{
    StaffPin pin;
    for (char c : std::string_view("7305")) {
        REQUIRE(pin.push(c));
    }
    REQUIRE(pin.complete());
    auto hash = crypto::hashSecret(pin.digits());
    REQUIRE(hash);
    CHECK(crypto::verifySecret(*hash, pin.digits()));
}

TEST_CASE("verifySecret: anything that is not an argon2id string is refused, never crashes")
{
    CHECK_FALSE(crypto::hashSecret(text("")).has_value());
    CHECK_FALSE(crypto::verifySecret("", text("1234")));
    CHECK_FALSE(crypto::verifySecret("1234", text("1234")));
    CHECK_FALSE(crypto::verifySecret("$argon2i$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA", text("1")));
    CHECK_FALSE(crypto::verifySecret("$argon2id$v=19$m=65536,t=2,p=1$garbage", text("1234")));
    CHECK_FALSE(crypto::verifySecret(std::string(500, '$'), text("1234")));
    CHECK_FALSE(crypto::hashNeedsUpdate("not a hash"));
    // A hash made with weaker limits is flagged for an update.
    CHECK(crypto::hashNeedsUpdate(
        "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0$qRSDRJMnW9KS6O+ZSMMJN+G3dlDsK4Ydg7P8V5AQN6M"));
}
