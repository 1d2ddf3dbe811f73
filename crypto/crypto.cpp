#include "crypto/crypto.hpp"

#include "base/files.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/hmac.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <array>
#include <limits>

namespace uketsuke::crypto {
namespace {

BioPtr memoryBio()
{
    return BioPtr(BIO_new(BIO_s_mem()));
}

std::string bioText(BIO* bio)
{
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    if (size <= 0 || data == nullptr) {
        return {};
    }
    return std::string(data, static_cast<std::size_t>(size));
}

Result<BioPtr> bioFromText(std::string_view text)
{
    BioPtr bio = memoryBio();
    if (!bio || BIO_write(bio.get(), text.data(), static_cast<int>(text.size())) !=
                    static_cast<int>(text.size())) {
        return fail(Errc::Internal, "BIO_write: " + opensslError());
    }
    return bio;
}

} // namespace

std::string opensslError()
{
    std::string out;
    while (unsigned long code = ERR_get_error()) {
        std::array<char, 256> text{};
        ERR_error_string_n(code, text.data(), text.size());
        if (!out.empty()) {
            out += "; ";
        }
        out += text.data();
    }
    return out.empty() ? std::string("no detail") : out;
}

Result<X509Ptr> readPemCertificate(const std::filesystem::path& file)
{
    auto all = readPemCertificates(file);
    if (!all) {
        return fail(std::move(all).error());
    }
    return std::move(all->front());
}

Result<std::vector<X509Ptr>> readPemCertificates(const std::filesystem::path& file)
{
    auto text = files::readFile(file);
    if (!text) {
        return fail(std::move(text).error());
    }
    return parsePemCertificates(*text, file.string());
}

Result<PkeyPtr> readPemPrivateKey(const std::filesystem::path& file)
{
    auto text = files::readFile(file);
    if (!text) {
        return fail(std::move(text).error());
    }
    return parsePemPrivateKey(*text, file.string());
}

Result<std::vector<X509Ptr>> parsePemCertificates(std::string_view pem, std::string_view what)
{
    auto bio = bioFromText(pem);
    if (!bio) {
        return fail(std::move(bio).error());
    }
    std::vector<X509Ptr> out;
    while (X509* certificate = PEM_read_bio_X509(bio->get(), nullptr, nullptr, nullptr)) {
        out.emplace_back(certificate);
    }
    // The loop ends with a "no start line" error at the end of the data; that is expected.
    ERR_clear_error();
    if (out.empty()) {
        return fail(Errc::CertificateInvalid, "no PEM certificate in " + std::string(what));
    }
    return out;
}

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Result<X509Ptr> parsePemCertificate(std::string_view pem, std::string_view what)
{
    auto all = parsePemCertificates(pem, what);
    if (!all) {
        return fail(std::move(all).error());
    }
    return std::move(all->front());
}

Result<PkeyPtr> parsePemPrivateKey(std::string_view pem, std::string_view what)
{
    auto bio = bioFromText(pem);
    if (!bio) {
        return fail(std::move(bio).error());
    }
    // No passphrase callback: an encrypted key is refused instead of prompting on a terminal.
    PkeyPtr key(PEM_read_bio_PrivateKey(bio->get(), nullptr, nullptr,
                                        const_cast<char*>("")));
    if (!key) {
        return fail(Errc::CertificateInvalid,
                    "no PEM private key in " + std::string(what) + ": " + opensslError());
    }
    return key;
}

Result<X509Ptr> parseDerCertificate(std::span<const std::uint8_t> der)
{
    if (der.empty() || der.size() > static_cast<std::size_t>(std::numeric_limits<long>::max())) {
        return fail(Errc::CertificateInvalid, "empty certificate");
    }
    const unsigned char* cursor = der.data();
    X509Ptr certificate(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    if (!certificate) {
        return fail(Errc::CertificateInvalid, "not a DER certificate: " + opensslError());
    }
    if (cursor != der.data() + der.size()) {
        return fail(Errc::CertificateInvalid, "trailing bytes after the DER certificate");
    }
    return certificate;
}

Result<Bytes> toDer(X509* certificate)
{
    unsigned char* der = nullptr;
    int size = i2d_X509(certificate, &der);
    if (size <= 0) {
        return fail(Errc::Internal, "i2d_X509: " + opensslError());
    }
    Bytes out(der, der + size);
    OPENSSL_free(der);
    return out;
}

Result<std::string> certificateToPem(X509* certificate)
{
    BioPtr bio = memoryBio();
    if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1) {
        return fail(Errc::Internal, "PEM_write_bio_X509: " + opensslError());
    }
    return bioText(bio.get());
}

Result<std::string> privateKeyToPem(EVP_PKEY* key)
{
    BioPtr bio = memoryBio();
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        return fail(Errc::Internal, "PEM_write_bio_PrivateKey: " + opensslError());
    }
    return bioText(bio.get());
}

Result<PkeyPtr> generateRsaKey(int bits)
{
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) != 1) {
        return fail(Errc::Internal, "RSA keygen setup: " + opensslError());
    }
    EVP_PKEY* key = nullptr;
    if (EVP_PKEY_generate(ctx.get(), &key) != 1) {
        return fail(Errc::Internal, "RSA keygen: " + opensslError());
    }
    return PkeyPtr(key);
}

Result<PkeyPtr> generateEcKey()
{
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_group_name(ctx.get(), "prime256v1") != 1) {
        return fail(Errc::Internal, "EC keygen setup: " + opensslError());
    }
    EVP_PKEY* key = nullptr;
    if (EVP_PKEY_generate(ctx.get(), &key) != 1) {
        return fail(Errc::Internal, "EC keygen: " + opensslError());
    }
    return PkeyPtr(key);
}

bool keyMatchesCertificate(X509* certificate, EVP_PKEY* key)
{
    const bool matches = certificate != nullptr && key != nullptr &&
                         X509_check_private_key(certificate, key) == 1;
    ERR_clear_error();
    return matches;
}

std::string base64Encode(std::span<const std::uint8_t> bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) |
                          bytes[i + 2];
        out += kBase64Alphabet[(v >> 18) & 63];
        out += kBase64Alphabet[(v >> 12) & 63];
        out += kBase64Alphabet[(v >> 6) & 63];
        out += kBase64Alphabet[v & 63];
    }
    std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t v = std::uint32_t{bytes[i]} << 16;
        if (rest == 2) {
            v |= std::uint32_t{bytes[i + 1]} << 8;
        }
        out += kBase64Alphabet[(v >> 18) & 63];
        out += kBase64Alphabet[(v >> 12) & 63];
        out += rest == 2 ? kBase64Alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

Result<Bytes> base64Decode(std::string_view text)
{
    if (text.size() % 4 != 0) {
        return fail(Errc::InvalidArgument, "base64 length is not a multiple of 4");
    }
    Bytes out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        std::uint32_t v = 0;
        int padding = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            char c = text[i + j];
            std::uint32_t sextet = 0;
            if (c == '=') {
                // Padding only in the last two places of the last quantum.
                if (i + 4 != text.size() || j < 2) {
                    return fail(Errc::InvalidArgument, "misplaced base64 padding");
                }
                ++padding;
            } else {
                if (padding > 0) {
                    return fail(Errc::InvalidArgument, "data after base64 padding");
                }
                auto pos = kBase64Alphabet.find(c);
                if (pos == std::string_view::npos) {
                    return fail(Errc::InvalidArgument, "character outside the base64 alphabet");
                }
                sextet = static_cast<std::uint32_t>(pos);
            }
            v = (v << 6) | sextet;
        }
        out.push_back(static_cast<std::uint8_t>(v >> 16));
        if (padding < 2) {
            out.push_back(static_cast<std::uint8_t>(v >> 8));
        }
        if (padding < 1) {
            out.push_back(static_cast<std::uint8_t>(v));
        }
    }
    return out;
}

Result<Bytes> randomBytes(std::size_t count)
{
    Bytes out(count);
    if (count > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
        RAND_bytes(out.data(), static_cast<int>(count)) != 1) {
        return fail(Errc::Internal, "RAND_bytes: " + opensslError());
    }
    return out;
}

Result<Bytes> sha256(std::span<const std::uint8_t> bytes)
{
    Bytes out(32);
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, EVP_sha256(), nullptr) != 1 ||
        size != out.size()) {
        return fail(Errc::Internal, "SHA-256: " + opensslError());
    }
    return out;
}

Result<std::string> randomDigits(std::size_t count)
{
    // Bytes of 250 and more are dropped, so that byte % 10 favours no digit.
    std::string digits;
    while (digits.size() < count) {
        auto bytes = randomBytes(2 * count);
        if (!bytes) {
            return fail(std::move(bytes).error());
        }
        for (std::uint8_t byte : *bytes) {
            if (byte < 250 && digits.size() < count) {
                digits.push_back(static_cast<char>('0' + byte % 10));
            }
        }
    }
    return digits;
}

Result<Bytes> hmacSha256(std::span<const std::uint8_t> key, std::string_view data)
{
    Bytes out(32);
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
             &size) == nullptr ||
        size != out.size()) {
        return fail(Errc::Internal, "HMAC-SHA-256: " + opensslError());
    }
    return out;
}

bool equalConstantTime(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string commonName(const X509_NAME* name)
{
    if (name == nullptr) {
        return {};
    }
    int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0) {
        return {};
    }
    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    int size = ASN1_STRING_to_UTF8(&utf8, value);
    if (size < 0 || utf8 == nullptr) {
        ERR_clear_error();
        return {};
    }
    std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(size));
    OPENSSL_free(utf8);
    return out;
}

std::string serialHex(const X509* certificate)
{
    const ASN1_INTEGER* serial =
        certificate != nullptr ? X509_get0_serialNumber(certificate) : nullptr;
    BignumPtr number(serial != nullptr ? ASN1_INTEGER_to_BN(serial, nullptr) : nullptr);
    char* hex = number ? BN_bn2hex(number.get()) : nullptr;
    if (hex == nullptr) {
        ERR_clear_error();
        return {};
    }
    std::string out = normaliseSerialHex(hex);
    OPENSSL_free(hex);
    return out;
}

std::string normaliseSerialHex(std::string_view text)
{
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text.remove_prefix(2);
    }
    std::string out;
    for (char c : text) {
        if (c == ':' || c == ' ') {
            continue;
        }
        const bool digit = c >= '0' && c <= '9';
        const bool upper = c >= 'A' && c <= 'F';
        const bool lowerHex = c >= 'a' && c <= 'f';
        if (!digit && !upper && !lowerHex) {
            return {};
        }
        if (out.empty() && c == '0') {
            continue; // no leading zeros
        }
        out += lowerHex ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return out.empty() && !text.empty() ? "0" : out;
}

} // namespace uketsuke::crypto
