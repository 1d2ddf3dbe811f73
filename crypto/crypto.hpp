#pragma once

// The one set of RAII owners over the OpenSSL 3 C API, and the helpers every program shares:
// PEM and DER, keys, base64, random bytes, names and serials. Certificates, CSRs and chains are
// in crypto/certificate.hpp, the start-up check of a TLS identity in crypto/tls_files.hpp.
// Every function that can fail returns a Result; the OpenSSL error queue is drained into
// Error::message, which never holds a key, a PIN or personal data. Nothing here blocks longer
// than a key generation (RSA: tens of milliseconds) or a small file read; any thread.

#include "base/result.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::crypto {

using Bytes = std::vector<std::uint8_t>;

template <auto FreeFunction>
struct OpensslDeleter {
    template <class T>
    void operator()(T* pointer) const
    {
        FreeFunction(pointer);
    }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, OpensslDeleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpensslDeleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpensslDeleter<EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpensslDeleter<X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, OpensslDeleter<X509_REQ_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpensslDeleter<X509_NAME_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpensslDeleter<X509_EXTENSION_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpensslDeleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpensslDeleter<X509_STORE_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, OpensslDeleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpensslDeleter<BN_free>>;
using Asn1OctetStringPtr =
    std::unique_ptr<ASN1_OCTET_STRING, OpensslDeleter<ASN1_OCTET_STRING_free>>;

// Drains the OpenSSL error queue into one line ("error:...; error:..."), "no detail" if empty.
std::string opensslError();

// The first certificate of a PEM file. Errors: StorageError (cannot read, with the path),
// CertificateInvalid (no PEM certificate in it).
Result<X509Ptr> readPemCertificate(const std::filesystem::path& file);
// All certificates of a PEM file (a bundle). Errors as above; an empty file is invalid.
Result<std::vector<X509Ptr>> readPemCertificates(const std::filesystem::path& file);
// Errors: StorageError (cannot read), CertificateInvalid (no unencrypted PEM private key).
Result<PkeyPtr> readPemPrivateKey(const std::filesystem::path& file);
// The same from PEM text in memory; `what` names the text in messages ("terminal.pem").
// Errors: CertificateInvalid.
Result<X509Ptr> parsePemCertificate(std::string_view pem, std::string_view what);
Result<std::vector<X509Ptr>> parsePemCertificates(std::string_view pem, std::string_view what);
Result<PkeyPtr> parsePemPrivateKey(std::string_view pem, std::string_view what);

// Parses exactly one DER certificate; trailing bytes are an error. Errors: CertificateInvalid.
Result<X509Ptr> parseDerCertificate(std::span<const std::uint8_t> der);
// Errors: Internal.
Result<Bytes> toDer(X509* certificate);
Result<std::string> certificateToPem(X509* certificate);
Result<std::string> privateKeyToPem(EVP_PKEY* key);

// A fresh RSA key (e = 65537). Blocks for tens of milliseconds. Errors: Internal.
Result<PkeyPtr> generateRsaKey(int bits);
// A fresh EC key on P-256 (prime256v1). Fast. Errors: Internal.
Result<PkeyPtr> generateEcKey();
// True when `key` is the private half of the certificate's public key.
bool keyMatchesCertificate(X509* certificate, EVP_PKEY* key);

// Standard base64 with padding (RFC 4648 §4), no line breaks.
std::string base64Encode(std::span<const std::uint8_t> bytes);
// Strict: rejects whitespace, wrong padding and characters outside the alphabet.
// Errors: InvalidArgument.
Result<Bytes> base64Decode(std::string_view text);

// Cryptographically random bytes. Errors: Internal.
Result<Bytes> randomBytes(std::size_t count);

// `count` decimal digits from cryptographically secure randomness, each digit uniform (one-time
// codes people type). Errors: Internal.
Result<std::string> randomDigits(std::size_t count);

// The SHA-256 digest of `bytes` (32 bytes). Errors: Internal.
Result<Bytes> sha256(std::span<const std::uint8_t> bytes);
// HMAC-SHA-256 of `data` under `key` (32 bytes). Errors: Internal.
Result<Bytes> hmacSha256(std::span<const std::uint8_t> key, std::string_view data);
// Compares in time that depends on the sizes only (secrets, MACs).
bool equalConstantTime(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// The first commonName of a name as UTF-8; empty when there is none.
std::string commonName(const X509_NAME* name);

// A certificate's serial number as upper-case hex without leading zeros ("1A2B…"); empty
// when it cannot be read.
std::string serialHex(const X509* certificate);
// The same form from text as people write serials ("0x1a:2b", "001A2B"); empty when the text
// is not hex.
std::string normaliseSerialHex(std::string_view text);

} // namespace uketsuke::crypto
