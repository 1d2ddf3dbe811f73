#include "sim/gateway_server.hpp"

#include "kiosk/model/json.hpp"
#include "base/files.hpp"
#include "crypto/crypto.hpp"
#include "tests/net/tls_client.hpp"
#include "tests/sim/support.hpp"

#include <catch2/catch.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <chrono>
#include <ctime>
#include <string>
#include <tuple>

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

TEST_CASE("GatewayServer: a client without a certificate is refused")
{
    const PkiLayout pki = sharedTestPki();
    RunningGateway gateway(sharedOptions());
    auto client = clientWith(gateway, pki);
    auto reply = client->post("/v1/challenge", "{}", "application/json");
    CHECK_FALSE(reply);
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

} // namespace
