#include "sim/gateway_server.hpp"

#include "kiosk/model/json.hpp"
#include "base/files.hpp"
#include "base/time.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "sim/activation.hpp"
#include "tests/net/tls_client.hpp"
#include "tests/sim/support.hpp"

#include <catch2/catch.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <latch>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace {

using nlohmann::json;
using uketsuke::hal::Bytes;
using namespace uketsuke::sim;
using uketsuke::crypto::base64Decode;
using uketsuke::crypto::base64Encode;
using uketsuke::crypto::parseDerCertificate;
using uketsuke::crypto::serialHex;
using uketsuke::files::writeFile;
using namespace uketsuke::sim::testing;
using namespace std::chrono_literals;

constexpr const char* kTerminal = "KIOSK-0001";

struct Issued {
    std::string id;
    Bytes nonce;
};

Issued challengeFor(GatewayService& gateway, const std::string& terminal = kTerminal)
{
    GatewayReply reply = gateway.challenge(terminal, "{}");
    REQUIRE(reply.status == 200);
    REQUIRE(reply.body["challenge_id"].is_string());
    CHECK(reply.body["expires_in_ms"] == 60000);
    auto nonce = base64Decode(reply.body["nonce"].get<std::string>());
    REQUIRE(nonce);
    CHECK(nonce->size() == 32);
    return Issued{reply.body["challenge_id"].get<std::string>(), *nonce};
}

Bytes toSign(const Bytes& nonce, const std::string& terminal)
{
    Bytes out = nonce;
    out.insert(out.end(), terminal.begin(), terminal.end());
    return out;
}

// The confirm body a terminal sends for a card of `layout` signing nonce || `signedTerminal`.
std::string confirmBody(const PkiLayout& layout, const std::string& persona, const Issued& issued,
                        const std::string& signedTerminal = kTerminal)
{
    const Bytes certificate = readBytes(layout.cardCertificate(persona));
    const Bytes signature =
        signAsCard(layout.cardKey(persona), toSign(issued.nonce, signedTerminal));
    return json{{"challenge_id", issued.id},
                {"certificate", base64Encode(certificate)},
                {"signature", base64Encode(signature)},
                {"method", "pin"},
                {"clinic_code", "1399999999"}}
        .dump();
}

std::string errorCode(const GatewayReply& reply)
{
    return reply.body.at("error").at("code").get<std::string>();
}

std::unique_ptr<GatewayService> makeService(GatewayOptions options)
{
    auto service = GatewayService::create(std::move(options));
    INFO((service ? std::string() : service.error().message));
    REQUIRE(service);
    return std::move(*service);
}

GatewayOptions sharedOptions()
{
    GatewayOptions options;
    options.pkiDir = sharedTestPki().root();
    return options;
}

TEST_CASE("GatewayService::confirm: a card's signature over the challenge returns its persona")
{
    const PkiLayout pki = sharedTestPki();
    // 15:30Z: already the next day in Japan.
    const auto midnightUtc =
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const auto wall = midnightUtc + 15h + 30min;
    GatewayOptions options = sharedOptions();
    options.wallNow = [wall] { return wall; };
    auto gateway = makeService(std::move(options));

    Issued issued = challengeFor(*gateway);
    GatewayReply reply = gateway->confirm(kTerminal, confirmBody(pki, "valid", issued));
    INFO(reply.body.dump());
    REQUIRE(reply.status == 200);
    auto result = uketsuke::kiosk::model::qualificationFromJson(reply.body["result"]);
    REQUIRE(result);
    REQUIRE(result->body.resultList.size() == 1);
    CHECK(result->body.resultList[0].insurerNumber == "06139999");
    CHECK(uketsuke::kiosk::model::outcomeOf(*result) == uketsuke::kiosk::model::Outcome::Valid);

    const std::chrono::year_month_day japanDay{midnightUtc + std::chrono::days(1)};
    char date[16];
    std::snprintf(date, sizeof date, "%04d%02u%02u", static_cast<int>(japanDay.year()),
                  static_cast<unsigned>(japanDay.month()), static_cast<unsigned>(japanDay.day()));
    CHECK(result->header.qualificationConfirmationDate == date);
    CHECK(result->header.processExecutionTime == std::string(date) + "003000");
    CHECK(result->header.medicalInstitutionCode == "1399999999");
    CHECK(gateway->openChallenges() == 0);
}

TEST_CASE("GatewayService::confirm: each persona gets its own result")
{
    const PkiLayout pki = sharedTestPki();
    auto gateway = makeService(sharedOptions());

    Issued first = challengeFor(*gateway);
    GatewayReply family = gateway->confirm(kTerminal, confirmBody(pki, "family-rare-kanji", first));
    REQUIRE(family.status == 200);
    CHECK(family.body["result"]["MessageBody"]["ResultList"][0]["InsurerNumber"] == "  138999");

    Issued second = challengeFor(*gateway);
    GatewayReply lost = gateway->confirm(kTerminal, confirmBody(pki, "lost", second));
    REQUIRE(lost.status == 200);
    CHECK(lost.body["result"]["MessageBody"]["QualificationValidity"] == "2");
    CHECK(lost.body["result"]["MessageBody"]["ResultList"][0]["ReasonOfLoss"] == "03");
}

TEST_CASE("GatewayService::confirm: a challenge is single use")
{
    const PkiLayout pki = sharedTestPki();
    auto gateway = makeService(sharedOptions());
    Issued issued = challengeFor(*gateway);
    const std::string body = confirmBody(pki, "valid", issued);
    REQUIRE(gateway->confirm(kTerminal, body).status == 200);
    GatewayReply again = gateway->confirm(kTerminal, body);
    CHECK(again.status == 404);
    CHECK(errorCode(again) == "challenge_unknown");
}

TEST_CASE("GatewayService::confirm: a refused confirm still consumes the challenge")
{
    const PkiLayout pki = sharedTestPki();
    auto gateway = makeService(sharedOptions());
    Issued issued = challengeFor(*gateway);

    // Signed by another card's key: the signature does not match the certificate.
    json forged = json::parse(confirmBody(pki, "valid", issued));
    forged["signature"] = base64Encode(signAsCard(pki.cardKey("family-rare-kanji"),
                                                  toSign(issued.nonce, kTerminal)));
    GatewayReply wrong = gateway->confirm(kTerminal, forged.dump());
    CHECK(wrong.status == 403);
    CHECK(errorCode(wrong) == "signature_invalid");

    GatewayReply retry = gateway->confirm(kTerminal, confirmBody(pki, "valid", issued));
    CHECK(errorCode(retry) == "challenge_unknown");
}

TEST_CASE("GatewayService::confirm: the signature must cover this terminal's id")
{
    const PkiLayout pki = sharedTestPki();
    auto gateway = makeService(sharedOptions());
    Issued issued = challengeFor(*gateway);
    GatewayReply reply =
        gateway->confirm(kTerminal, confirmBody(pki, "valid", issued, "KIOSK-0002"));
    CHECK(reply.status == 403);
    CHECK(errorCode(reply) == "signature_invalid");
}

TEST_CASE("GatewayService::confirm: another terminal cannot use or burn a challenge")
{
    const PkiLayout pki = sharedTestPki();
    auto gateway = makeService(sharedOptions());
    Issued issued = challengeFor(*gateway);
    GatewayReply other =
        gateway->confirm("KIOSK-0002", confirmBody(pki, "valid", issued, "KIOSK-0002"));
    CHECK(errorCode(other) == "challenge_unknown");
    CHECK(gateway->confirm(kTerminal, confirmBody(pki, "valid", issued)).status == 200);
}

TEST_CASE("GatewayService::confirm: an expired challenge is refused")
{
    const PkiLayout pki = sharedTestPki();
    ManualClock clock;
    GatewayOptions options = sharedOptions();
    options.steadyNow = clock.function();
    auto gateway = makeService(std::move(options));

    Issued early = challengeFor(*gateway);
    clock.advance(59999ms);
    CHECK(gateway->confirm(kTerminal, confirmBody(pki, "valid", early)).status == 200);

    Issued late = challengeFor(*gateway);
    clock.advance(60000ms);
    GatewayReply reply = gateway->confirm(kTerminal, confirmBody(pki, "valid", late));
    CHECK(reply.status == 410);
    CHECK(errorCode(reply) == "challenge_expired");
}

TEST_CASE("GatewayService::confirm: an expired card certificate is rejected")
{
    const PkiLayout pki = sharedTestPki();
    auto gateway = makeService(sharedOptions());
    Issued issued = challengeFor(*gateway);
    GatewayReply reply =
        gateway->confirm(kTerminal, confirmBody(pki, "expired-certificate", issued));
    CHECK(reply.status == 403);
    CHECK(errorCode(reply) == "certificate_rejected");
    CHECK(reply.body["error"]["message"] == "certificate has expired (past the 3-month grace)");
}

TEST_CASE("GatewayService::confirm: a card from another JPKI CA needs --trust-ca")
{
    ScratchDir scratch;
    const PkiLayout other = writeOtherPki(scratch.path(), "other", "UKTEST-OTHER-1");

    auto strict = makeService(sharedOptions());
    Issued issued = challengeFor(*strict);
    GatewayReply refused = strict->confirm(kTerminal, confirmBody(other, "other", issued));
    CHECK(refused.status == 403);
    CHECK(errorCode(refused) == "certificate_rejected");

    GatewayOptions options = sharedOptions();
    options.trustCaFiles = {other.authCa()};
    options.personasFile = other.personas();
    auto trusting = makeService(std::move(options));
    Issued second = challengeFor(*trusting);
    GatewayReply accepted = trusting->confirm(kTerminal, confirmBody(other, "other", second));
    INFO(accepted.body.dump());
    REQUIRE(accepted.status == 200);
    CHECK(accepted.body["result"]["MessageBody"]["ResultList"][0]["InsurerNumber"] == "39999999");
}

// Real JPKI-shaped CAs of different generations share one DN, and card certificates may carry
// no authorityKeyIdentifier: OpenSSL then picks the issuer by name alone. A card of the second
// CA must still verify when both CAs are trusted, whichever of them the store tries first.
TEST_CASE("GatewayService::confirm: --trust-ca accepts cards without authorityKeyIdentifier")
{
    ScratchDir scratch;
    const PkiLayout other = writeOtherPki(scratch.path(), "other", "UKTEST-OTHER-2");
    {
        // Re-sign the other card's certificate without its authorityKeyIdentifier.
        const Bytes der = readBytes(other.cardCertificate("other"));
        auto card = parseDerCertificate(der);
        REQUIRE(card);
        const int at = X509_get_ext_by_NID(card->get(), NID_authority_key_identifier, -1);
        REQUIRE(at >= 0);
        X509_EXTENSION_free(X509_delete_ext(card->get(), at));
        auto caKey = uketsuke::crypto::readPemPrivateKey(other.authCaKey());
        REQUIRE(caKey);
        REQUIRE(X509_sign(card->get(), caKey->get(), EVP_sha256()) > 0);
        unsigned char* out = nullptr;
        const int size = i2d_X509(card->get(), &out);
        REQUIRE(size > 0);
        const std::string bytes(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
        OPENSSL_free(out);
        REQUIRE(writeFile(other.cardCertificate("other"), bytes));
        auto reread = parseDerCertificate(readBytes(other.cardCertificate("other")));
        REQUIRE(reread);
        CHECK(X509_get_ext_by_NID(reread->get(), NID_authority_key_identifier, -1) < 0);
    }
    // Both CAs have the same subject, as real CA generations do.
    auto ours = uketsuke::crypto::readPemCertificates(sharedTestPki().authCa());
    auto theirs = uketsuke::crypto::readPemCertificates(other.authCa());
    REQUIRE(ours);
    REQUIRE(theirs);
    REQUIRE(X509_NAME_cmp(X509_get_subject_name(ours->front().get()),
                          X509_get_subject_name(theirs->front().get())) == 0);

    GatewayOptions options = sharedOptions();
    options.trustCaFiles = {other.authCa()};
    options.personasFile = other.personas();
    auto trusting = makeService(std::move(options));
    Issued issued = challengeFor(*trusting);
    GatewayReply accepted = trusting->confirm(kTerminal, confirmBody(other, "other", issued));
    INFO(accepted.body.dump());
    CHECK(accepted.status == 200);

    // Without --trust-ca the same card is still refused.
    GatewayOptions strictOptions = sharedOptions();
    strictOptions.personasFile = other.personas();
    auto strict = makeService(std::move(strictOptions));
    Issued second = challengeFor(*strict);
    GatewayReply refused = strict->confirm(kTerminal, confirmBody(other, "other", second));
    CHECK(refused.status == 403);
    CHECK(errorCode(refused) == "certificate_rejected");
}

TEST_CASE("GatewayService::confirm: a trusted card nobody is enrolled for is person_unknown")
{
    const PkiLayout pki = sharedTestPki();
    ScratchDir scratch;
    const auto personas = scratch.path() / "personas.json";
    REQUIRE(writeFile(personas, onePersonaJson("someone-else", "UKTEST-NOBODY")));
    GatewayOptions options = sharedOptions();
    options.personasFile = personas;
    auto gateway = makeService(std::move(options));
    Issued issued = challengeFor(*gateway);
    GatewayReply reply = gateway->confirm(kTerminal, confirmBody(pki, "valid", issued));
    CHECK(reply.status == 404);
    CHECK(errorCode(reply) == "person_unknown");
}

TEST_CASE("GatewayService::confirm: malformed requests are bad_request")
{
    const PkiLayout pki = sharedTestPki();
    auto gateway = makeService(sharedOptions());
    CHECK(errorCode(gateway->confirm(kTerminal, "not json")) == "bad_request");
    CHECK(errorCode(gateway->confirm(kTerminal, "[]")) == "bad_request");
    CHECK(errorCode(gateway->confirm(kTerminal, R"({"challenge_id": 5})")) == "bad_request");

    auto mutated = [&](const char* key, json value) {
        Issued issued = challengeFor(*gateway);
        json body = json::parse(confirmBody(pki, "valid", issued));
        body[key] = std::move(value);
        return gateway->confirm(kTerminal, body.dump());
    };
    CHECK(errorCode(mutated("certificate", "***")) == "bad_request");
    CHECK(errorCode(mutated("signature", json(nullptr))) == "bad_request");
    CHECK(errorCode(mutated("method", "visual")) == "bad_request");
    CHECK(errorCode(mutated("clinic_code", 1399999999)) == "bad_request");
    CHECK(errorCode(mutated("certificate", base64Encode(Bytes{1, 2, 3}))) ==
          "certificate_rejected");
    CHECK(gateway->openChallenges() == 0);

    GatewayReply notObject = gateway->challenge(kTerminal, "nope");
    CHECK(notObject.status == 400);
}

TEST_CASE("GatewayService::challenge: refuses new challenges beyond the limit")
{
    GatewayOptions options = sharedOptions();
    options.maxOpenChallenges = 2;
    auto gateway = makeService(std::move(options));
    challengeFor(*gateway);
    challengeFor(*gateway);
    GatewayReply busy = gateway->challenge(kTerminal, "{}");
    CHECK(busy.status == 503);
    CHECK(errorCode(busy) == "busy");
}

TEST_CASE("GatewayService::create: missing or unreadable files are configuration errors")
{
    ScratchDir scratch;
    GatewayOptions options;
    options.pkiDir = scratch.path() / "nothing";
    auto service = GatewayService::create(options);
    REQUIRE_FALSE(service);
    CHECK(service.error().code == uketsuke::Errc::ConfigMissing);

    options = sharedOptions();
    options.trustCaFiles = {scratch.path() / "missing-ca.pem"};
    auto missingCa = GatewayService::create(options);
    REQUIRE_FALSE(missingCa);
    CHECK(missingCa.error().code == uketsuke::Errc::ConfigMissing);

    REQUIRE(writeFile(scratch.path() / "not-a-ca.pem", "hello"));
    options.trustCaFiles = {scratch.path() / "not-a-ca.pem"};
    auto badCa = GatewayService::create(options);
    REQUIRE_FALSE(badCa);
    CHECK(badCa.error().code == uketsuke::Errc::ConfigInvalid);
}

// Over the wire, with a raw OpenSSL client (independent of the terminal's libcurl client).

std::unique_ptr<uketsuke::tests::HttpsTestClient> clientWith(
    const RunningGateway& gateway, const PkiLayout& ca, const std::filesystem::path& cert = {},
    const std::filesystem::path& key = {})
{
    uketsuke::tests::ClientTls tls;
    tls.caFile = ca.tlsCa().string();
    tls.certFile = cert.string();
    tls.keyFile = key.string();
    return std::make_unique<uketsuke::tests::HttpsTestClient>("127.0.0.1", gateway.port(), tls);
}

TEST_CASE("GatewayServer: serves the protocol over mutual TLS")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(sharedOptions());
    auto client = clientWith(gateway, pki, pki.terminalCert(), pki.terminalKey());

    auto challenge = client->post("/v1/challenge", "{}", "application/json");
    REQUIRE(challenge);
    CHECK(challenge->status == 200);
    CHECK(challenge->header("Content-Type") == "application/json");
    json body = json::parse(challenge->body);
    Issued issued{body["challenge_id"], *base64Decode(body["nonce"].get<std::string>())};

    // The terminal id comes from the TLS client certificate: KIOSK-0001.
    auto confirm =
        client->post("/v1/confirm", confirmBody(pki, "valid", issued), "application/json");
    REQUIRE(confirm);
    CHECK(confirm->status == 200);
    CHECK(json::parse(confirm->body)["result"]["MessageBody"]["ResultList"][0]["InsurerNumber"] ==
          "06139999");

    auto unknown = client->get("/v2/nothing");
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    CHECK(json::parse(unknown->body)["error"]["code"] == "not_found");

    auto health = client->get("/v1/health");
    REQUIRE(health);
    CHECK(health->status == 200);
}

TEST_CASE("GatewayServer: a client without a certificate gets 403 from the server itself")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(sharedOptions());
    auto client = clientWith(gateway, pki);
    // It connects (it may be a terminal that comes to enrol) but reaches no handler.
    auto challenge = client->post("/v1/challenge", "{}", "application/json");
    REQUIRE(challenge);
    CHECK(challenge->status == 403);
    CHECK(json::parse(challenge->body)["error"]["code"] == "client_certificate_required");
    CHECK_FALSE(challenge->header("Date").empty());
    auto health = client->get("/v1/health");
    REQUIRE(health);
    CHECK(health->status == 403);
    CHECK(json::parse(health->body)["error"]["code"] == "client_certificate_required");
    auto confirm = client->post("/v1/confirm", R"({"challenge_id": "x"})", "application/json");
    REQUIRE(confirm);
    CHECK(confirm->status == 403);
    CHECK(gateway.server().stats().handlerCalls == 0);
    CHECK(gateway.server().challengeRequests() == 0);
    CHECK(gateway.server().confirmRequests() == 0);
    CHECK(gateway.server().service().openChallenges() == 0);
}

TEST_CASE("GatewayServer: a client certificate from another CA is refused")
{
    const PkiLayout pki = sharedTestPki();
    ScratchDir scratch;
    const PkiLayout other = writeOtherPki(scratch.path(), "other", "UKTEST-OTHER-2");
    RunningGateway gateway(sharedOptions());
    auto client = clientWith(gateway, pki, other.terminalCert(), other.terminalKey());
    auto reply = client->post("/v1/challenge", "{}", "application/json");
    CHECK_FALSE(reply);
    CHECK(gateway.server().service().openChallenges() == 0);
}

TEST_CASE("GatewayServer: a server certificate is not accepted as a client certificate")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(sharedOptions());
    // desk.pem chains to the right CA but lacks extendedKeyUsage clientAuth.
    auto client = clientWith(gateway, pki, pki.deskCert(), pki.deskKey());
    CHECK_FALSE(client->post("/v1/challenge", "{}", "application/json"));
}

TEST_CASE("GatewayServer: a client limited to TLS 1.1 is refused")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(sharedOptions());
    auto client = clientWith(gateway, pki, pki.terminalCert(), pki.terminalKey());
    client->tls().legacy = true;
    client->tls().minVersion = TLS1_VERSION;
    client->tls().maxVersion = TLS1_1_VERSION;
    CHECK_FALSE(client->post("/v1/challenge", "{}", "application/json"));
}

TEST_CASE("GatewayServer: listens on IPv6 loopback too")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(sharedOptions(), "::1");
    CHECK(gateway.url() == "https://[::1]:" + std::to_string(gateway.port()));
    uketsuke::tests::ClientTls tls;
    tls.caFile = pki.tlsCa().string();
    tls.certFile = pki.terminalCert().string();
    tls.keyFile = pki.terminalKey().string();
    uketsuke::tests::HttpsTestClient client("::1", gateway.port(), tls);
    auto reply = client.post("/v1/challenge", "{}");
    REQUIRE(reply);
    CHECK(reply->status == 200);
}

TEST_CASE("GatewayServer::stop: ends run() even when called before it starts")
{
    auto server = GatewayServer::create(sharedOptions());
    REQUIRE(server);
    REQUIRE((*server)->bind("127.0.0.1", 0));
    (*server)->stop();
    CHECK((*server)->run());
}


// ---- issue 4: certificate grace and expiry warnings, revocation, visual, consents, faults

// The confirm body as `confirmBody`, with members added or replaced.
std::string confirmWith(const PkiLayout& layout, const std::string& persona, const Issued& issued,
                        const json& changes)
{
    json body = json::parse(confirmBody(layout, persona, issued));
    for (const auto& [key, value] : changes.items()) {
        if (value.is_null()) {
            body.erase(key);
        } else {
            body[key] = value;
        }
    }
    return body.dump();
}

std::chrono::system_clock::time_point cardNotAfter(const PkiLayout& layout,
                                                   const std::string& persona)
{
    auto certificate = parseDerCertificate(readBytes(layout.cardCertificate(persona)));
    REQUIRE(certificate);
    std::tm tm{};
    REQUIRE(ASN1_TIME_to_tm(X509_get0_notAfter(certificate->get()), &tm) == 1);
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// The last second of the grace, computed independently with <chrono>: 23:59:59 JST on the
// last day of the third month after the month (JST) of notAfter.
std::chrono::system_clock::time_point graceEnd(std::chrono::system_clock::time_point notAfter)
{
    using namespace std::chrono;
    const year_month_day day{floor<days>(notAfter + 9h)};
    const year_month month = year_month{day.year(), day.month()} + months(3);
    const sys_days last{month / std::chrono::last};
    return last + 23h + 59min + 59s - 9h;
}

TEST_CASE("GatewayService::confirm: a certificate in the 3-month grace is qualification only")
{
    const PkiLayout pki = sharedTestPki();
    auto gateway = makeService(sharedOptions());
    Issued issued = challengeFor(*gateway);
    GatewayReply reply = gateway->confirm(
        kTerminal, confirmWith(pki, "grace", issued,
                               json{{"consents", {{"pharmacists", true}, {"diagnosis", true}}}}));
    INFO(reply.body.dump());
    REQUIRE(reply.status == 200);
    CHECK(reply.body["card"]["certificate_status"] == "grace");
    CHECK(reply.body["card"]["grace_until"].is_string());
    const json& body = reply.body["result"]["MessageBody"];
    CHECK(body["ProcessingResultCode"] == kResultCodeCertificateGrace);
    CHECK(body["ProcessingResultMessage"].get<std::string>().find("資格確認のみ") !=
          std::string::npos);
    // No medical information during the grace, whatever the patient consented to.
    CHECK(body["ResultList"][0]["PharmacistsInfoConsFlg"] == "0");
    CHECK(body["ResultList"][0]["DiagnosisInfoConsFlg"] == "0");
    CHECK_FALSE(body["ResultList"][0].contains("PharmacistsInfoConsTime"));
}

TEST_CASE("GatewayService::confirm: the grace ends at 23:59:59 JST of the third month's end")
{
    const PkiLayout pki = sharedTestPki();
    const auto end = graceEnd(cardNotAfter(pki, "grace"));
    for (auto [at, status] : {std::pair{end, 200}, std::pair{end + 1s, 403}}) {
        GatewayOptions options = sharedOptions();
        options.wallNow = [at = at] { return at; };
        auto gateway = makeService(std::move(options));
        Issued issued = challengeFor(*gateway);
        GatewayReply reply = gateway->confirm(kTerminal, confirmBody(pki, "grace", issued));
        INFO(reply.body.dump());
        CHECK(reply.status == status);
        if (status == 403) {
            CHECK(errorCode(reply) == "certificate_rejected");
        }
    }
}

TEST_CASE("GatewayService::confirm: a certificate expiring within 3 months gets a warning code")
{
    const PkiLayout pki = sharedTestPki();
    auto gateway = makeService(sharedOptions());
    for (auto [persona, status, code] :
         {std::tuple{"expiring", "expiring", kResultCodeCertificateExpiring},
          std::tuple{"valid", "valid", ""}}) {
        INFO(persona);
        Issued issued = challengeFor(*gateway);
        GatewayReply reply = gateway->confirm(kTerminal, confirmBody(pki, persona, issued));
        REQUIRE(reply.status == 200);
        CHECK(reply.body["card"]["certificate_status"] == status);
        CHECK(reply.body["result"]["MessageBody"].value("ProcessingResultCode", "") ==
              std::string(code));
    }
}

TEST_CASE("GatewayService::confirm: a revoked certificate is certificate_revoked")
{
    const PkiLayout pki = sharedTestPki();
    auto gateway = makeService(sharedOptions()); // reads the PKI's jpki/revoked.txt
    Issued issued = challengeFor(*gateway);
    GatewayReply reply = gateway->confirm(kTerminal, confirmBody(pki, "revoked", issued));
    CHECK(reply.status == 403);
    CHECK(errorCode(reply) == "certificate_revoked");
}

TEST_CASE("GatewayService::confirm: the revocation list is re-read when it changes")
{
    const PkiLayout pki = sharedTestPki();
    ScratchDir scratch;
    const auto list = scratch.path() / "revoked.txt";
    auto valid = parseDerCertificate(readBytes(pki.cardCertificate("valid")));
    REQUIRE(valid);
    REQUIRE(writeFile(list, "# nothing revoked yet\n"));
    GatewayOptions options = sharedOptions();
    options.revokedFile = list;
    auto gateway = makeService(std::move(options));
    REQUIRE(gateway->confirm(kTerminal, confirmBody(pki, "valid", challengeFor(*gateway))).status ==
            200);

    // Lower-case with colons and leading zeros: the forms people paste.
    std::string serial = serialHex(valid->get());
    std::string pasted = "00";
    for (std::size_t i = 0; i < serial.size(); ++i) {
        pasted += static_cast<char>(std::tolower(static_cast<unsigned char>(serial[i])));
        if (i % 2 == 1 && i + 1 < serial.size()) {
            pasted += ':';
        }
    }
    const auto before = std::filesystem::last_write_time(list);
    REQUIRE(writeFile(list, "  " + pasted + "  # valid's card, lost\n"));
    std::filesystem::last_write_time(list, before + 1s); // the change is visible to the check
    GatewayReply reply =
        gateway->confirm(kTerminal, confirmBody(pki, "valid", challengeFor(*gateway)));
    CHECK(errorCode(reply) == "certificate_revoked");

    REQUIRE(writeFile(scratch.path() / "bad.txt", "not-a-serial\n"));
    GatewayOptions bad = sharedOptions();
    bad.revokedFile = scratch.path() / "bad.txt";
    auto refused = GatewayService::create(bad);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == uketsuke::Errc::ConfigInvalid);
    bad.revokedFile = scratch.path() / "missing.txt";
    CHECK(GatewayService::create(bad).error().code == uketsuke::Errc::ConfigMissing);
}

TEST_CASE("GatewayService::confirm: visual identification needs a staff id, not a signature")
{
    const PkiLayout pki = sharedTestPki();
    auto gateway = makeService(sharedOptions());
    auto visual = [&](json changes) {
        Issued issued = challengeFor(*gateway);
        changes["method"] = "visual";
        return gateway->confirm(kTerminal, confirmWith(pki, "blocked", issued, changes));
    };
    GatewayReply ok = visual(json{{"signature", nullptr}, {"staff_id", "STAFF-07"}});
    INFO(ok.body.dump());
    CHECK(ok.status == 200);
    CHECK(ok.body["result"]["MessageBody"]["QualificationValidity"] == "1");

    CHECK(errorCode(visual(json{{"signature", nullptr}})) == "bad_request");
    CHECK(errorCode(visual(json{{"signature", nullptr}, {"staff_id", ""}})) == "bad_request");
    CHECK(errorCode(visual(json{{"signature", nullptr}, {"staff_id", std::string(33, 'S')}})) ==
          "bad_request");
    // A signature sent with "visual" must still be right (here: over another terminal id).
    Issued issued = challengeFor(*gateway);
    json wrong = json::parse(confirmBody(pki, "valid", issued, "KIOSK-0002"));
    wrong["method"] = "visual";
    wrong["staff_id"] = "STAFF-07";
    CHECK(errorCode(gateway->confirm(kTerminal, wrong.dump())) == "signature_invalid");
    // "pin" without a signature is refused.
    CHECK(errorCode(gateway->confirm(kTerminal, confirmWith(pki, "valid", challengeFor(*gateway),
                                                             json{{"signature", nullptr}}))) ==
          "bad_request");
}

TEST_CASE("GatewayService::confirm: consents come back as OQS flags with their times")
{
    const PkiLayout pki = sharedTestPki();
    // 01:00Z today is 10:00 the same day in Japan (the PKI's cards are dated from today).
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const auto wall = today + 1h;
    auto yyyymmdd = [](std::chrono::sys_days day) {
        const std::chrono::year_month_day ymd{day};
        char text[16];
        std::snprintf(text, sizeof text, "%04d%02u%02u", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
        return std::string(text);
    };
    const std::string consentTime = yyyymmdd(today) + "100000";
    const std::string availableTime = yyyymmdd(today + std::chrono::days(1)) + "100000";
    GatewayOptions options = sharedOptions();
    options.wallNow = [wall] { return wall; };
    auto gateway = makeService(std::move(options));
    GatewayReply reply = gateway->confirm(
        kTerminal,
        confirmWith(pki, "valid", challengeFor(*gateway),
                    json{{"consents", {{"limit_application", true}, {"pharmacists", true}}}}));
    INFO(reply.body.dump());
    REQUIRE(reply.status == 200);
    const json& person = reply.body["result"]["MessageBody"]["ResultList"][0];
    CHECK(person["LimitApplicationCertificateRelatedConsFlg"] == "1");
    CHECK(person["LimitApplicationCertificateRelatedConsTime"] == consentTime);
    CHECK(person["SpecificDiseasesCertificateRelatedConsFlg"] == "0");
    CHECK(person["PharmacistsInfoConsFlg"] == "1");
    CHECK(person["PharmacistsInfoConsTime"] == consentTime);
    CHECK(person["PharmacistsInfoAvailableTime"] == availableTime);
    CHECK(person["OperationInfoConsFlg"] == "0");

    CHECK(errorCode(gateway->confirm(kTerminal,
                                     confirmWith(pki, "valid", challengeFor(*gateway),
                                                 json{{"consents", {{"pharmacists", "yes"}}}}))) ==
          "bad_request");
    CHECK(errorCode(gateway->confirm(kTerminal, confirmWith(pki, "valid", challengeFor(*gateway),
                                                             json{{"consents", 1}}))) ==
          "bad_request");
}

TEST_CASE("GatewayService::challenge: says when it expires, an expired one is refused")
{
    const PkiLayout pki = sharedTestPki();
    auto gateway = makeService(sharedOptions());
    GatewayReply normal = gateway->challenge(kTerminal, "{}");
    REQUIRE(normal.status == 200);
    CHECK(normal.body["expires_at"].get<std::string>().size() == 20);

    GatewayReply expired = gateway->challenge(kTerminal, "{}", ChallengeMode::Expired);
    REQUIRE(expired.status == 200);
    CHECK(expired.body["expires_in_ms"] == 0);
    CHECK(expired.body["expires_at"].get<std::string>() <
          normal.body["expires_at"].get<std::string>());
    Issued issued{expired.body["challenge_id"],
                  *base64Decode(expired.body["nonce"].get<std::string>())};
    CHECK(errorCode(gateway->confirm(kTerminal, confirmBody(pki, "valid", issued))) ==
          "challenge_expired");
}

TEST_CASE("faultsFromJson: rules are parsed and checked")
{
    auto rules = faultsFromJson(json::parse(R"({"faults": [
        {"on": "challenge", "kind": "delay", "delay_ms": 250, "count": 2},
        {"kind": "server_error", "status": 502},
        {"on": "confirm", "kind": "drop_connection"}]})"));
    REQUIRE(rules);
    REQUIRE(rules->size() == 3);
    CHECK((*rules)[0].on == FaultTarget::Challenge);
    CHECK((*rules)[0].delay == 250ms);
    CHECK((*rules)[1].status == 502);
    CHECK((*rules)[1].count == -1);
    CHECK((*rules)[2].kind == FaultKind::DropConnection);

    for (const char* bad : {R"([])", R"({"faults": [{"kind": "explode"}]})",
                            R"({"faults": [{"kind": "delay", "delay_ms": -1}]})",
                            R"({"faults": [{"kind": "server_error", "status": 404}]})",
                            R"({"faults": [{"kind": "delay", "on": "health"}]})"}) {
        INFO(bad);
        CHECK_FALSE(faultsFromJson(json::parse(bad)));
    }

    FaultInjector injector;
    injector.set(*rules);
    CHECK(injector.take(FaultTarget::Challenge)->kind == FaultKind::Delay);
    CHECK(injector.take(FaultTarget::Challenge)->kind == FaultKind::Delay);
    CHECK(injector.take(FaultTarget::Challenge)->kind == FaultKind::ServerError); // delay used up
    CHECK(injector.take(FaultTarget::Confirm)->kind == FaultKind::ServerError);
    injector.clear();
    CHECK_FALSE(injector.take(FaultTarget::Confirm));
}

TEST_CASE("GatewayServer: faults can be set over /control/faults only when allowed")
{
    const PkiLayout pki = sharedTestPki();
    GatewayOptions options = sharedOptions();
    options.allowFaultControl = true;
    RunningGateway gateway(std::move(options));
    auto client = clientWith(gateway, pki, pki.terminalCert(), pki.terminalKey());
    auto set = client->post("/control/faults",
                            R"({"faults": [{"on": "challenge", "kind": "server_error",
                                            "status": 503, "count": 1}]})",
                            "application/json");
    REQUIRE(set);
    CHECK(set->status == 200);
    auto busy = client->post("/v1/challenge", "{}", "application/json");
    REQUIRE(busy);
    CHECK(busy->status == 503);
    CHECK(json::parse(busy->body)["error"]["code"] == "busy");
    CHECK_FALSE(busy->header("Date").empty());
    auto fine = client->post("/v1/challenge", "{}", "application/json");
    REQUIRE(fine);
    CHECK(fine->status == 200); // count 1: used up
    CHECK(gateway.server().challengeRequests() == 2);
    auto bad = client->post("/control/faults", R"({"faults": 1})", "application/json");
    REQUIRE(bad);
    CHECK(bad->status == 400);
    auto cleared = client->del("/control/faults");
    REQUIRE(cleared);
    CHECK(cleared->status == 200);

    RunningGateway closed(sharedOptions());
    auto other = clientWith(closed, pki, pki.terminalCert(), pki.terminalKey());
    auto refused = other->post("/control/faults", R"({"faults": []})", "application/json");
    REQUIRE(refused);
    CHECK(refused->status == 404);
}

TEST_CASE("GatewayServer: every answer carries the gateway's clock in a Date header")
{
    const PkiLayout pki = sharedTestPki();
    GatewayOptions options = sharedOptions();
    const auto wall = std::chrono::sys_days{std::chrono::year{2026} / 11 / 26} + 4h + 5min + 6s;
    options.wallNow = [wall] { return wall; };
    RunningGateway gateway(std::move(options));
    auto client = clientWith(gateway, pki, pki.terminalCert(), pki.terminalKey());
    auto reply = client->post("/v1/challenge", "{}", "application/json");
    REQUIRE(reply);
    CHECK(reply->header("Date") == "Thu, 26 Nov 2026 04:05:06 GMT");
    CHECK(json::parse(reply->body)["expires_at"] == "2026-11-26T04:06:06Z");
}

// ---- issue 12: enrolment with an activation code (POST /v1/enrol, protocol §2.5)

constexpr const char* kClinic = "1399999999";
constexpr const char* kNewTerminal = "KIOSK-0002";

std::string enrolBody(const std::string& code, const std::string& csr,
                      const std::string& clinic = kClinic)
{
    return json{{"clinic_code", clinic}, {"activation_code", code}, {"csr", csr}}.dump();
}

// A gateway on a copy of the shared PKI (codes are written into it), with its wall clock fixed
// at the real "now" of the test's start: the certificates it issues are good for real TLS.
struct EnrolRig {
    ScratchDir scratch;
    PkiLayout pki = copyOfSharedPki(scratch.path() / "pki");
    std::chrono::sys_seconds now =
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    ActivationStore codes{pki.activationDir()};

    GatewayOptions options() const
    {
        GatewayOptions options;
        options.pkiDir = pki.root();
        options.wallNow = [at = now] { return at; };
        return options;
    }

    std::string code(const std::string& terminal = kNewTerminal,
                     const std::string& clinic = kClinic, std::chrono::seconds validFor = 24h,
                     std::chrono::seconds madeAgo = 0s)
    {
        auto issued = codes.create(terminal, clinic, validFor, now - madeAgo);
        INFO((issued ? std::string() : issued.error().message));
        REQUIRE(issued);
        return issued->code;
    }
};

uketsuke::crypto::PkeyPtr newKey()
{
    auto key = uketsuke::crypto::generateEcKey();
    REQUIRE(key);
    return std::move(*key);
}

std::unique_ptr<uketsuke::tests::HttpsTestClient> anonymousClient(const RunningGateway& gateway,
                                                                  const PkiLayout& pki)
{
    return clientWith(gateway, pki);
}

TEST_CASE("GatewayServer enrol: a code gives a client certificate that then works at the gateway")
{
    EnrolRig rig;
    RunningGateway gateway(rig.options());
    const std::string code = rig.code();
    auto key = newKey();
    auto client = anonymousClient(gateway, rig.pki);
    auto reply = client->post("/v1/enrol", enrolBody(code, csrPemFor(key.get(), "ASKED-FOR")));
    REQUIRE(reply);
    INFO(reply->body);
    REQUIRE(reply->status == 200);
    CHECK(reply->header("Date") == httpDate(rig.now));
    CHECK(reply->header("Content-Type") == "application/json");
    const json body = json::parse(reply->body);
    CHECK(body["terminal_id"] == kNewTerminal);

    auto certificate =
        uketsuke::crypto::parsePemCertificate(body["certificate"].get<std::string>(), "reply");
    REQUIRE(certificate);
    X509* issued = certificate->get();
    // The CN is the code's terminal id, never what the request asked for.
    CHECK(uketsuke::crypto::subjectCommonName(issued) == kNewTerminal);
    CHECK(uketsuke::crypto::subjectOneLine(issued) ==
          "CN=KIOSK-0002,O=Uketsuke Test PKI,C=JP");
    CHECK(uketsuke::crypto::keyMatchesCertificate(issued, key.get()));
    CHECK(X509_get_extended_key_usage(issued) == XKU_SSL_CLIENT);
    CHECK(X509_get_key_usage(issued) == KU_DIGITAL_SIGNATURE);
    const int keyUsage = X509_get_ext_by_NID(issued, NID_key_usage, -1);
    REQUIRE(keyUsage >= 0);
    CHECK(X509_EXTENSION_get_critical(X509_get_ext(issued, keyUsage)) == 1);
    CHECK((X509_get_extension_flags(issued) & EXFLAG_CA) == 0);
    auto ca = uketsuke::crypto::readPemCertificates(rig.pki.tlsCa());
    REQUIRE(ca);
    auto store = uketsuke::crypto::makeTrustStore(*ca);
    REQUIRE(store);
    CHECK(uketsuke::crypto::verifyCertificate(issued, store->get(), rig.now));
    CHECK(X509_check_purpose(issued, X509_PURPOSE_SSL_CLIENT, 0) == 1);
    // Validity: from an hour ago to 23:59:59 JST of the day 365 days on.
    CHECK(*uketsuke::crypto::notBefore(issued) == rig.now - 1h);
    const auto notAfter = *uketsuke::crypto::notAfter(issued);
    CHECK(notAfter.time_since_epoch().count() == endOfJstDay(rig.now + std::chrono::days(365)));
    CHECK(body["not_after"] == uketsuke::time::isoUtc(notAfter));
    CHECK(body["not_after"].get<std::string>().substr(10) == "T14:59:59Z");

    // The code is redeemed: its file moved to <hash>.used.
    CHECK_FALSE(std::filesystem::exists(rig.codes.fileOf(code)));
    CHECK(std::filesystem::is_regular_file(rig.codes.usedFileOf(code)));
    CHECK(gateway.server().enrolRequests() == 1);

    // As the terminal's client certificate: a challenge, and a confirm whose card signed the
    // nonce with the new terminal id.
    REQUIRE(writeFile(rig.scratch.path() / "enrolled.pem", body["certificate"].get<std::string>()));
    auto keyPem = uketsuke::crypto::privateKeyToPem(key.get());
    REQUIRE(keyPem);
    REQUIRE(writeFile(rig.scratch.path() / "enrolled.key", *keyPem));
    auto enrolled = clientWith(gateway, rig.pki, rig.scratch.path() / "enrolled.pem",
                               rig.scratch.path() / "enrolled.key");
    auto challenge = enrolled->post("/v1/challenge", "{}");
    REQUIRE(challenge);
    REQUIRE(challenge->status == 200);
    const json issuedChallenge = json::parse(challenge->body);
    Issued open{issuedChallenge["challenge_id"],
                *base64Decode(issuedChallenge["nonce"].get<std::string>())};
    auto confirm = enrolled->post("/v1/confirm",
                                  confirmBody(rig.pki, "valid", open, kNewTerminal));
    REQUIRE(confirm);
    INFO(confirm->body);
    CHECK(confirm->status == 200);

    // The same code a second time: refused, and nothing more is issued.
    auto again = client->post("/v1/enrol", enrolBody(code, csrPemFor(newKey().get())));
    REQUIRE(again);
    CHECK(again->status == 403);
    CHECK(json::parse(again->body)["error"]["code"] == "activation_refused");
}

TEST_CASE("GatewayServer enrol: expired, other clinic's, unknown and used codes get one answer")
{
    EnrolRig rig;
    RunningGateway gateway(rig.options());
    const std::string expired = rig.code(kNewTerminal, kClinic, 24h, 24h);
    const std::string otherClinic = rig.code(kNewTerminal, "1311111111");
    const std::string used = rig.code();
    REQUIRE(rig.codes.consume(used));
    std::string unknown = used;
    unknown[11] = unknown[11] == '9' ? '0' : static_cast<char>(unknown[11] + 1);
    REQUIRE(rig.codes.check(unknown, kClinic, rig.now).state == CodeState::Unknown);

    auto client = anonymousClient(gateway, rig.pki);
    const std::string csr = csrPemFor(newKey().get());
    std::vector<std::string> bodies;
    for (const std::string& code : {expired, otherClinic, unknown, used}) {
        auto reply = client->post("/v1/enrol", enrolBody(code, csr));
        REQUIRE(reply);
        CHECK(reply->status == 403);
        CHECK(reply->header("Date") == httpDate(rig.now));
        bodies.push_back(reply->body);
    }
    CHECK(json::parse(bodies[0])["error"]["code"] == "activation_refused");
    // Byte for byte the same answer: a guesser cannot tell which it was.
    CHECK(bodies[1] == bodies[0]);
    CHECK(bodies[2] == bodies[0]);
    CHECK(bodies[3] == bodies[0]);
    // Refused codes are not redeemed: the other clinic's code still works for its clinic.
    CHECK(rig.codes.check(expired, kClinic, rig.now).state == CodeState::Expired);
    auto right = client->post("/v1/enrol", enrolBody(otherClinic, csr, "1311111111"));
    REQUIRE(right);
    CHECK(right->status == 200);
}

TEST_CASE("GatewayService::enrol: malformed bodies are bad_request and keep the code")
{
    EnrolRig rig;
    auto gateway = makeService(rig.options());
    const std::string code = rig.code();
    const std::string csr = csrPemFor(newKey().get());
    const json good = json::parse(enrolBody(code, csr));
    auto with = [&](const char* key, json value) {
        json body = good;
        if (value.is_null()) {
            body.erase(key);
        } else {
            body[key] = std::move(value);
        }
        return body.dump();
    };
    for (const std::string& bad :
         {std::string(), std::string("not json"), std::string("[]"), std::string("{}"),
          with("clinic_code", json()), with("clinic_code", "139999999"),
          with("clinic_code", 1399999999), with("activation_code", json()),
          with("activation_code", groupActivationCode(code)),
          with("activation_code", code.substr(1)), with("csr", json()), with("csr", 5)}) {
        INFO(bad);
        GatewayReply reply = gateway->enrol(bad);
        CHECK(reply.status == 400);
        CHECK(errorCode(reply) == "bad_request");
    }
    CHECK(rig.codes.check(code, kClinic, rig.now).state == CodeState::Open);
    CHECK(gateway->enrol(good.dump()).status == 200);
}

TEST_CASE("GatewayService::enrol: a bad certificate request is csr_invalid and keeps the code")
{
    EnrolRig rig;
    auto gateway = makeService(rig.options());
    const std::string code = rig.code();

    auto key = newKey();
    auto csr = uketsuke::crypto::createCsr(key.get(), "KIOSK-ENROL");
    REQUIRE(csr);
    // Signed by one key, carrying another: no proof of possession.
    auto other = newKey();
    REQUIRE(X509_REQ_set_pubkey(csr->get(), other.get()) == 1);
    auto swapped = uketsuke::crypto::csrToPem(csr->get());
    REQUIRE(swapped);
    uketsuke::crypto::PkeyPtr rsa1024(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024}));
    REQUIRE(rsa1024);
    auto certificatePem = uketsuke::crypto::certificateToPem(
        uketsuke::crypto::readPemCertificate(rig.pki.terminalCert())->get());
    REQUIRE(certificatePem);

    for (const std::string& bad : {std::string(), std::string("hello"), *certificatePem, *swapped,
                                   csrPemFor(rsa1024.get())}) {
        GatewayReply reply = gateway->enrol(enrolBody(code, bad));
        CHECK(reply.status == 400);
        CHECK(errorCode(reply) == "csr_invalid");
    }
    CHECK(rig.codes.check(code, kClinic, rig.now).state == CodeState::Open);
    // Checked before the code: a bad request with an unknown code still hears csr_invalid.
    CHECK(errorCode(gateway->enrol(enrolBody("000000000000", "hello"))) == "csr_invalid");
}

TEST_CASE("GatewayService::enrol: an RSA-2048 request is certified too")
{
    EnrolRig rig;
    auto gateway = makeService(rig.options());
    auto rsa = uketsuke::crypto::generateRsaKey(2048);
    REQUIRE(rsa);
    GatewayReply reply = gateway->enrol(enrolBody(rig.code(), csrPemFor(rsa->get())));
    INFO(reply.body.dump());
    REQUIRE(reply.status == 200);
    auto certificate =
        uketsuke::crypto::parsePemCertificate(reply.body["certificate"].get<std::string>(), "reply");
    REQUIRE(certificate);
    CHECK(uketsuke::crypto::keyMatchesCertificate(certificate->get(), rsa->get()));
}

TEST_CASE("GatewayService::enrol: without tls/ca.key it answers internal and keeps the code")
{
    EnrolRig rig;
    REQUIRE(std::filesystem::remove(rig.pki.tlsCaKey()));
    auto gateway = makeService(rig.options());
    const std::string code = rig.code();
    GatewayReply reply = gateway->enrol(enrolBody(code, csrPemFor(newKey().get())));
    CHECK(reply.status == 500);
    CHECK(errorCode(reply) == "internal");
    CHECK(rig.codes.check(code, kClinic, rig.now).state == CodeState::Open);
}

TEST_CASE("GatewayServer enrol: of two concurrent requests with one code exactly one succeeds")
{
    EnrolRig rig;
    RunningGateway gateway(rig.options());
    const std::string code = rig.code();
    // Both connections are up (handshake done) before either sends, then they send together.
    uketsuke::tests::ClientTls tls;
    tls.caFile = rig.pki.tlsCa().string();
    std::vector<std::unique_ptr<uketsuke::tests::TlsClient>> clients;
    std::vector<std::string> bodies;
    for (int i = 0; i < 2; ++i) {
        clients.push_back(uketsuke::tests::TlsClient::connect("127.0.0.1", gateway.port(), tls));
        REQUIRE(clients.back());
        bodies.push_back(enrolBody(code, csrPemFor(newKey().get())));
    }
    std::latch start(2);
    std::vector<int> statuses(2, 0);
    std::vector<std::string> answers(2);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < 2; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            auto answer = clients[i]->request("POST", "/v1/enrol", bodies[i]);
            if (answer) {
                statuses[i] = answer->status;
                answers[i] = answer->body;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    INFO(answers[0] << "\n" << answers[1]);
    CHECK(std::count(statuses.begin(), statuses.end(), 200) == 1);
    CHECK(std::count(statuses.begin(), statuses.end(), 403) == 1);
    for (std::size_t i = 0; i < 2; ++i) {
        if (statuses[i] == 403) {
            CHECK(json::parse(answers[i])["error"]["code"] == "activation_refused");
        }
    }
    CHECK(gateway.server().enrolRequests() == 2);
}

TEST_CASE("GatewayService::enrol: of 8 threads with one code exactly one gets a certificate")
{
    EnrolRig rig;
    auto gateway = makeService(rig.options());
    const std::string code = rig.code();
    constexpr std::size_t kThreads = 8;
    std::vector<std::string> bodies;
    for (std::size_t i = 0; i < kThreads; ++i) {
        bodies.push_back(enrolBody(code, csrPemFor(newKey().get())));
    }
    std::latch start(kThreads);
    std::vector<GatewayReply> replies(kThreads);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            replies[i] = gateway->enrol(bodies[i]);
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    std::size_t granted = 0;
    for (const GatewayReply& reply : replies) {
        if (reply.status == 200) {
            ++granted;
        } else {
            CHECK(reply.status == 403);
            CHECK(errorCode(reply) == "activation_refused");
        }
    }
    CHECK(granted == 1);
}

TEST_CASE("GatewayServer enrol: a client certificate from another CA is still refused at the handshake")
{
    EnrolRig rig;
    ScratchDir scratch;
    const PkiLayout other = writeOtherPki(scratch.path(), "other", "UKTEST-OTHER-ENROL");
    RunningGateway gateway(rig.options());
    auto client = clientWith(gateway, rig.pki, other.terminalCert(), other.terminalKey());
    const std::string code = rig.code();
    CHECK_FALSE(client->post("/v1/enrol", enrolBody(code, csrPemFor(newKey().get()))));
    CHECK(gateway.server().enrolRequests() == 0);
    CHECK(rig.codes.check(code, kClinic, rig.now).state == CodeState::Open);
}

} // namespace
