// The request of POST /v1/enrol (sim/enrol.hpp): the body and the certificate request, without
// a server (the gateway's answers are in test_gateway.cpp).

#include "sim/enrol.hpp"

#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "tests/sim/support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <string>

namespace {

using nlohmann::json;
using uketsuke::Errc;
using namespace uketsuke::sim;
using uketsuke::sim::testing::csrPemFor;
namespace crypto = uketsuke::crypto;

TEST_CASE("parseEnrolRequest: three strings, the codes all digits, unknown members ignored")
{
    const json good{{"clinic_code", "1399999999"},
                    {"activation_code", "482913650271"},
                    {"csr", "PEM"},
                    {"terminal_id", "ignored"}};
    auto request = parseEnrolRequest(good.dump());
    REQUIRE(request);
    CHECK(request->clinicCode == "1399999999");
    CHECK(request->activationCode == "482913650271");
    CHECK(request->csr == "PEM");

    auto without = [&](const char* key) {
        json body = good;
        body.erase(key);
        return body.dump();
    };
    auto with = [&](const char* key, json value) {
        json body = good;
        body[key] = std::move(value);
        return body.dump();
    };
    for (const std::string& bad :
         {std::string("not json"), std::string("[]"), std::string("\"text\""),
          without("clinic_code"), without("activation_code"), without("csr"),
          with("clinic_code", "139999999"), with("clinic_code", 1399999999),
          with("activation_code", "4829 1365 0271"), with("activation_code", "4829-1365-0271"),
          with("activation_code", 482913650271), with("activation_code", "48291365027x"),
          with("csr", 5), with("csr", nullptr)}) {
        INFO(bad);
        auto refused = parseEnrolRequest(bad);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == Errc::InvalidArgument);
        // The message names the problem, never a value.
        CHECK(refused.error().message.find("4829") == std::string::npos);
    }
}

crypto::PkeyPtr keyOf(const char* type, const char* parameter)
{
    crypto::PkeyPtr key(std::string(type) == "RSA"
                            ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA",
                                                static_cast<std::size_t>(std::stoi(parameter)))
                            : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", parameter));
    REQUIRE(key);
    return key;
}

TEST_CASE("checkCsrForIssue: EC P-256 and RSA of 2048 bits or more, signed by their key")
{
    auto ec = crypto::generateEcKey();
    REQUIRE(ec);
    auto accepted = crypto::checkCsrForIssue(csrPemFor(ec->get()));
    INFO((accepted ? std::string() : accepted.error().message));
    REQUIRE(accepted);
    CHECK(EVP_PKEY_eq(accepted->get(), ec->get()) == 1);

    auto rsa = crypto::generateRsaKey(2048);
    REQUIRE(rsa);
    CHECK(crypto::checkCsrForIssue(csrPemFor(rsa->get())));

    auto refusedFor = [](const std::string& pem) {
        auto refused = crypto::checkCsrForIssue(pem);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == Errc::CertificateInvalid);
        return refused.error().message;
    };
    auto small = keyOf("RSA", "1024");
    CHECK(refusedFor(csrPemFor(small.get())).find("2048") != std::string::npos);
    auto p384 = keyOf("EC", "secp384r1");
    CHECK(refusedFor(csrPemFor(p384.get())).find("P-256") != std::string::npos);
    {
        // Ed25519 signs without a separate digest, so createCsr (SHA-256) cannot make it.
        auto ed = crypto::PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
        REQUIRE(ed);
        crypto::X509ReqPtr request(X509_REQ_new());
        REQUIRE(request);
        REQUIRE(X509_REQ_set_pubkey(request.get(), ed.get()) == 1);
        REQUIRE(X509_REQ_sign(request.get(), ed.get(), nullptr) > 0);
        REQUIRE(crypto::csrSignatureValid(request.get()));
        auto pem = crypto::csrToPem(request.get());
        REQUIRE(pem);
        CHECK(refusedFor(*pem).find("P-256") != std::string::npos);
    }

    CHECK(refusedFor("").find("PEM") != std::string::npos);
    CHECK(refusedFor("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE "
                     "REQUEST-----\n")
              .find("PEM") != std::string::npos);

    // Signed, then given another key: the signature no longer proves possession.
    auto csr = crypto::createCsr(ec->get(), "KIOSK-ENROL");
    REQUIRE(csr);
    auto other = crypto::generateEcKey();
    REQUIRE(other);
    REQUIRE(X509_REQ_set_pubkey(csr->get(), other->get()) == 1);
    auto swapped = crypto::csrToPem(csr->get());
    REQUIRE(swapped);
    CHECK(refusedFor(*swapped).find("signed") != std::string::npos);
}

} // namespace
