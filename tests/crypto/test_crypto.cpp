#include "crypto/crypto.hpp"

#include "base/hex.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

using uketsuke::Errc;
using uketsuke::crypto::Bytes;
using namespace uketsuke::crypto;

Bytes bytesOf(const std::string& text)
{
    return Bytes(text.begin(), text.end());
}

TEST_CASE("base64Encode: matches the RFC 4648 test vectors")
{
    CHECK(base64Encode(bytesOf("")) == "");
    CHECK(base64Encode(bytesOf("f")) == "Zg==");
    CHECK(base64Encode(bytesOf("fo")) == "Zm8=");
    CHECK(base64Encode(bytesOf("foo")) == "Zm9v");
    CHECK(base64Encode(bytesOf("foob")) == "Zm9vYg==");
    CHECK(base64Encode(bytesOf("fooba")) == "Zm9vYmE=");
    CHECK(base64Encode(bytesOf("foobar")) == "Zm9vYmFy");
}

TEST_CASE("base64Decode: round-trips every length and byte value")
{
    Bytes all;
    for (int i = 0; i < 256; ++i) {
        all.push_back(static_cast<std::uint8_t>(i));
    }
    for (std::size_t length = 0; length <= all.size(); length += 37) {
        Bytes part(all.begin(), all.begin() + static_cast<long>(length));
        auto decoded = base64Decode(base64Encode(part));
        REQUIRE(decoded);
        CHECK(*decoded == part);
    }
}

TEST_CASE("base64Decode: rejects what is not strict base64")
{
    for (const char* bad : {"Zg=", "Zg", "Z===", "Zm9v\n", "Zm 9", "Zg=a", "Zm9v!A==", "=Zg="}) {
        INFO(bad);
        auto decoded = base64Decode(bad);
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error().code == Errc::InvalidArgument);
    }
}

TEST_CASE("sha256: matches the FIPS 180-2 test vectors")
{
    auto empty = sha256(bytesOf(""));
    REQUIRE(empty);
    CHECK(uketsuke::hex(*empty, uketsuke::HexCase::Lower) ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    auto abc = sha256(bytesOf("abc"));
    REQUIRE(abc);
    CHECK(uketsuke::hex(*abc, uketsuke::HexCase::Lower) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("hmacSha256: matches the RFC 4231 test vectors")
{
    // Test case 2: key "Jefe".
    auto jefe = hmacSha256(bytesOf("Jefe"), "what do ya want for nothing?");
    REQUIRE(jefe);
    CHECK(uketsuke::hex(*jefe, uketsuke::HexCase::Lower) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // Test case 1: 20 bytes of 0x0b.
    auto first = hmacSha256(Bytes(20, 0x0b), "Hi There");
    REQUIRE(first);
    CHECK(uketsuke::hex(*first, uketsuke::HexCase::Lower) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST_CASE("equalConstantTime: equal only for the same bytes of the same length")
{
    CHECK(equalConstantTime(bytesOf("abc"), bytesOf("abc")));
    CHECK_FALSE(equalConstantTime(bytesOf("abc"), bytesOf("abd")));
    CHECK_FALSE(equalConstantTime(bytesOf("abc"), bytesOf("ab")));
    CHECK(equalConstantTime(bytesOf(""), bytesOf("")));
}

TEST_CASE("randomDigits: the count asked for, digits only, every digit in a long draw")
{
    auto digits = randomDigits(2000);
    REQUIRE(digits);
    CHECK(digits->size() == 2000);
    CHECK(digits->find_first_not_of("0123456789") == std::string::npos);
    for (char d = '0'; d <= '9'; ++d) {
        CHECK(digits->find(d) != std::string::npos);
    }
    auto other = randomDigits(12);
    REQUIRE(other);
    CHECK(other->size() == 12);
}

TEST_CASE("parseDerCertificate: rejects garbage and trailing bytes")
{
    CHECK(parseDerCertificate(Bytes{}).error().code == Errc::CertificateInvalid);
    CHECK(parseDerCertificate(bytesOf("not a certificate")).error().code ==
          Errc::CertificateInvalid);
}

} // namespace
