#include "crypto/certificate.hpp"

#include "tests/crypto/small_pki.hpp"

#include <catch2/catch.hpp>

#include <chrono>

namespace {

using namespace uketsuke::crypto;
using namespace uketsuke::crypto::testing;
using namespace std::chrono;
using uketsuke::Errc;

TEST_CASE("issueCertificate: subject CN, issuer and validity read back to the second")
{
    const auto ca = makeCa("Uketsuke Test CA");
    const auto from = floor<seconds>(system_clock::now()) - hours(1);
    const auto until = from + hours(48);
    const auto leaf = makeLeaf(ca, "KIOSK-0001", from, until);
    CHECK(subjectCommonName(leaf.certificate.get()) == "KIOSK-0001");
    CHECK(subjectOneLine(leaf.certificate.get()) == "CN=KIOSK-0001");
    CHECK(issuerOneLine(leaf.certificate.get()) == "CN=Uketsuke Test CA");
    REQUIRE(notBefore(leaf.certificate.get()));
    CHECK(*notBefore(leaf.certificate.get()) == from);
    CHECK(*notAfter(leaf.certificate.get()) == until);
    CHECK_FALSE(serialHex(leaf.certificate.get()).empty());
    CHECK(keyMatchesCertificate(leaf.certificate.get(), leaf.key.get()));
    CHECK_FALSE(keyMatchesCertificate(leaf.certificate.get(), ca.key.get()));
}

TEST_CASE("issueCertificate: refuses a certificate without a CN")
{
    const auto ca = makeCa("CA");
    IssueSpec spec;
    spec.subjectKey = ca.key.get();
    spec.issuerKey = ca.key.get();
    auto issued = issueCertificate(spec);
    REQUIRE_FALSE(issued);
    CHECK(issued.error().code == Errc::InvalidArgument);
}

TEST_CASE("verifyCertificate: a leaf chains to its CA, not to another one")
{
    const auto ca = makeCa("CA one");
    const auto other = makeCa("CA two");
    const auto now = system_clock::now();
    const auto leaf = makeLeaf(ca, "desk", now - hours(1), now + hours(1));
    std::vector<X509Ptr> trusted;
    trusted.push_back(X509Ptr(X509_dup(ca.certificate.get())));
    auto store = makeTrustStore(trusted);
    REQUIRE(store);
    CHECK(verifyCertificate(leaf.certificate.get(), store->get(), now));

    std::vector<X509Ptr> wrong;
    wrong.push_back(X509Ptr(X509_dup(other.certificate.get())));
    auto otherStore = makeTrustStore(wrong);
    REQUIRE(otherStore);
    auto refused = verifyCertificate(leaf.certificate.get(), otherStore->get(), now);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::CertificateInvalid);
    CHECK(refused.error().native == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST_CASE("verifyCertificate: dates count only when a time is given")
{
    const auto ca = makeCa("CA");
    const auto now = system_clock::now();
    const auto expired = makeLeaf(ca, "old", now - hours(48), now - hours(24));
    std::vector<X509Ptr> trusted;
    trusted.push_back(X509Ptr(X509_dup(ca.certificate.get())));
    auto store = makeTrustStore(trusted);
    REQUIRE(store);
    auto atNow = verifyCertificate(expired.certificate.get(), store->get(), now);
    REQUIRE_FALSE(atNow);
    CHECK(atNow.error().native == X509_V_ERR_CERT_HAS_EXPIRED);
    CHECK(verifyCertificate(expired.certificate.get(), store->get(), std::nullopt));
    CHECK(verifyCertificate(expired.certificate.get(), store->get(), now - hours(36)));
}

TEST_CASE("createCsr: the PEM round-trips with its CN and a valid self-signature")
{
    auto key = generateEcKey();
    REQUIRE(key);
    auto csr = createCsr(key->get(), "KIOSK-0042", "Sakura Clinic");
    REQUIRE(csr);
    auto pem = csrToPem(csr->get());
    REQUIRE(pem);
    CHECK(pem->rfind("-----BEGIN CERTIFICATE REQUEST-----", 0) == 0);
    auto parsed = parsePemCsr(*pem);
    REQUIRE(parsed);
    CHECK(csrCommonName(parsed->get()) == "KIOSK-0042");
    CHECK(csrSignatureValid(parsed->get()));
}

TEST_CASE("createCsr: an empty CN is refused, parsePemCsr refuses what is not a CSR")
{
    auto key = generateEcKey();
    REQUIRE(key);
    CHECK(createCsr(key->get(), "").error().code == Errc::InvalidArgument);
    CHECK(parsePemCsr("hello").error().code == Errc::CertificateInvalid);
    const auto ca = makeCa("CA");
    auto certificatePem = certificateToPem(ca.certificate.get());
    REQUIRE(certificatePem);
    CHECK_FALSE(parsePemCsr(*certificatePem));
}

TEST_CASE("csrSignatureValid: a request whose signature was altered is refused")
{
    auto key = generateEcKey();
    REQUIRE(key);
    auto csr = createCsr(key->get(), "KIOSK-0001");
    REQUIRE(csr);
    auto other = generateEcKey();
    REQUIRE(other);
    // Swap in another public key after signing: the signature no longer matches.
    REQUIRE(X509_REQ_set_pubkey(csr->get(), other->get()) == 1);
    CHECK_FALSE(csrSignatureValid(csr->get()));
}

TEST_CASE("parsePemPrivateKey: a certificate is not a key, and the message names the file")
{
    const auto ca = makeCa("CA");
    auto pem = certificateToPem(ca.certificate.get());
    REQUIRE(pem);
    auto key = parsePemPrivateKey(*pem, "terminal.key");
    REQUIRE_FALSE(key);
    CHECK(key.error().code == Errc::CertificateInvalid);
    CHECK(key.error().message.find("terminal.key") != std::string::npos);
}

} // namespace
