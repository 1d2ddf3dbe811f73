// Pairing terminals with the desk and revoking them (desk/pairing.hpp, desk/pairing_routes.hpp):
// the service on a real SQLite file and its own CA, then the routes over real HTTPS: a terminal
// without a certificate pairs with a code, uses its new certificate, and is refused once an
// administrator revokes it.

#include "desk/pairing.hpp"
#include "desk/pairing_routes.hpp"

#include "base/files.hpp"
#include "base/hex.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "kiosk/model/health.hpp"
#include "kiosk/model/json.hpp"
#include "kiosk/model/pairing.hpp"
#include "kiosk/model/strings.hpp"
#include "tests/desk/running_desk.hpp"
#include "tests/desk/sample_checkin.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <span>

namespace {

using namespace uketsuke;
using namespace std::chrono_literals;
using desk::PairingService;
using desk::PairRefusal;
using nlohmann::json;
using std::chrono::system_clock;

const std::string kPassword = "correct-horse-42";

std::span<const std::uint8_t> bytesOf(std::string_view text)
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// The proof of kiosk/model/pairing.hpp, computed here independently of desk/pairing.cpp.
std::string proof(const std::string& code, std::string_view text)
{
    auto digest = crypto::sha256(bytesOf(code));
    REQUIRE(digest);
    auto mac = crypto::hmacSha256(bytesOf(hex(*digest, HexCase::Lower)), text);
    REQUIRE(mac);
    return hex(*mac, HexCase::Lower);
}

// A terminal's side: its key and a pairing request for `code`.
struct Terminal {
    crypto::PkeyPtr key;
    std::string csr;

    Terminal()
    {
        auto made = crypto::generateEcKey();
        REQUIRE(made);
        key = std::move(*made);
        auto request = crypto::createCsr(key.get(), "whatever-the-terminal-asks");
        REQUIRE(request);
        auto pem = crypto::csrToPem(request->get());
        REQUIRE(pem);
        csr = *pem;
    }

    std::string body(const std::string& code) const
    {
        return kiosk::model::pairRequestToJson({csr, proof(code, csr)});
    }
};

struct Service {
    tests::TempDir dir;
    std::unique_ptr<PairingService> service;

    Service()
    {
        tests::writeTestPki(dir.path());
        open();
    }

    void open()
    {
        service.reset();
        const auto ca = dir.path() / "tls" / "ca.pem";
        auto opened = PairingService::open(dir.path() / "data", ca, ca);
        REQUIRE(opened);
        service = std::move(*opened);
    }
};

std::string serialOf(const std::string& pem)
{
    auto certificate = crypto::parsePemCertificate(pem, "test");
    REQUIRE(certificate);
    return crypto::serialHex(certificate->get());
}

TEST_CASE("PairingService: a code pairs once, the reply proves the code and certifies the key")
{
    Service s;
    const auto now = system_clock::now();
    auto code = s.service->makeCode("KIOSK-0007", now);
    REQUIRE(code);
    CHECK(code->code.size() == 12);
    CHECK(code->code.find_first_not_of("0123456789") == std::string::npos);
    CHECK(code->terminalId == "KIOSK-0007");
    CHECK(code->expiresAt > now + 9min);
    CHECK(code->expiresAt <= now + PairingService::kCodeValidity);

    Terminal terminal;
    auto outcome = s.service->pair(terminal.body(code->code), now + 1min);
    REQUIRE(outcome);
    REQUIRE(outcome->refusal == PairRefusal::None);
    const auto& reply = outcome->reply;
    // The id is the code's, whatever the request asked for.
    CHECK(reply.terminalId == "KIOSK-0007");
    CHECK(reply.proof == proof(code->code, kiosk::model::replyProofText(reply)));
    auto certificate = crypto::parsePemCertificate(reply.certificate, "reply");
    REQUIRE(certificate);
    CHECK(crypto::subjectCommonName(certificate->get()) == "KIOSK-0007");
    CHECK(crypto::keyMatchesCertificate(certificate->get(), terminal.key.get()));
    CHECK(crypto::isTlsClientCertificate(certificate->get()));
    auto issuers = crypto::parsePemCertificates(reply.issuer, "issuer");
    REQUIRE(issuers);
    auto store = crypto::makeTrustStore(*issuers);
    REQUIRE(store);
    CHECK(crypto::verifyCertificate(certificate->get(), store->get(), now));
    // The desk's server certificate chains to the reply's ca.
    auto caList = crypto::parsePemCertificates(reply.ca, "ca");
    auto server = crypto::readPemCertificate(s.dir.path() / "tls" / "desk.pem");
    REQUIRE(caList);
    REQUIRE(server);
    auto caStore = crypto::makeTrustStore(*caList);
    REQUIRE(caStore);
    CHECK(crypto::verifyCertificate(server->get(), caStore->get(), now));

    // The same code again, even with another key: refused.
    Terminal second;
    auto again = s.service->pair(second.body(code->code), now + 2min);
    REQUIRE(again);
    CHECK(again->refusal == PairRefusal::Refused);
}

TEST_CASE("PairingService: an expired code, a wrong code and a proof of another CSR are refused")
{
    Service s;
    const auto now = system_clock::now();
    auto code = s.service->makeCode("KIOSK-0007", now);
    REQUIRE(code);
    Terminal terminal;

    auto expired = s.service->pair(terminal.body(code->code), now + 11min);
    REQUIRE(expired);
    CHECK(expired->refusal == PairRefusal::Refused);

    std::string wrong = code->code;
    wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
    auto wrongCode = s.service->pair(terminal.body(wrong), now);
    REQUIRE(wrongCode);
    CHECK(wrongCode->refusal == PairRefusal::Refused);

    Terminal other;
    auto swapped = s.service->pair(
        kiosk::model::pairRequestToJson({terminal.csr, proof(code->code, other.csr)}), now);
    REQUIRE(swapped);
    CHECK(swapped->refusal == PairRefusal::Refused);

    // None of them used the code up.
    auto good = s.service->pair(terminal.body(code->code), now + 1min);
    REQUIRE(good);
    CHECK(good->refusal == PairRefusal::None);
}

TEST_CASE("PairingService: malformed bodies and bad certificate requests say why and keep the code")
{
    Service s;
    const auto now = system_clock::now();
    auto code = s.service->makeCode("KIOSK-0007", now);
    REQUIRE(code);
    for (const std::string& body : std::vector<std::string>{"", "[]", "{\"csr\": 1}", "{\"csr\": \"x\", \"proof\": \"abc\"}",
                                   "{\"csr\": \"x\", \"proof\": \"" + std::string(64, 'G') + "\"}"}) {
        INFO(body);
        auto outcome = s.service->pair(body, now);
        REQUIRE(outcome);
        CHECK(outcome->refusal == PairRefusal::BadRequest);
        CHECK_FALSE(outcome->message.empty());
    }
    auto notCsr = s.service->pair(
        kiosk::model::pairRequestToJson({"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
                                         "-----END CERTIFICATE REQUEST-----\n",
                                         proof(code->code, "x")}),
        now);
    REQUIRE(notCsr);
    CHECK(notCsr->refusal == PairRefusal::BadCsr);
    Terminal terminal;
    auto good = s.service->pair(terminal.body(code->code), now);
    REQUIRE(good);
    CHECK(good->refusal == PairRefusal::None);
}

TEST_CASE("PairingService: bad terminal ids get no code")
{
    Service s;
    for (const std::string& id : std::vector<std::string>{"", ".hidden", "a/b", "with space", std::string(33, 'a'), "名前"}) {
        INFO(id);
        auto code = s.service->makeCode(id, system_clock::now());
        REQUIRE_FALSE(code);
        CHECK(code.error().code == Errc::InvalidArgument);
    }
}

TEST_CASE("PairingService: revoking refuses the desk's certificates and the clinic CA's of that id")
{
    Service s;
    const auto now = system_clock::now();
    auto code = s.service->makeCode("KIOSK-0007", now);
    REQUIRE(code);
    Terminal terminal;
    auto paired = s.service->pair(terminal.body(code->code), now);
    REQUIRE(paired);
    REQUIRE(paired->refusal == PairRefusal::None);
    const std::string first = serialOf(paired->reply.certificate);

    CHECK(s.service->admits("KIOSK-0007", first));
    CHECK(s.service->admits("KIOSK-0007", "ABCDEF")); // a clinic-CA certificate of that name
    CHECK(s.service->admits("KIOSK-0001", "ABCDEF"));

    REQUIRE(s.service->revoke("KIOSK-0007", "admin1", now + 1min));
    CHECK_FALSE(s.service->admits("KIOSK-0007", first));
    CHECK_FALSE(s.service->admits("KIOSK-0007", "ABCDEF"));
    CHECK(s.service->admits("KIOSK-0001", "ABCDEF"));

    // A replacement pairs with a new code: its certificate is admitted, the old one stays out.
    auto second = s.service->makeCode("KIOSK-0007", now + 2min);
    REQUIRE(second);
    Terminal replacement;
    auto repaired = s.service->pair(replacement.body(second->code), now + 3min);
    REQUIRE(repaired);
    REQUIRE(repaired->refusal == PairRefusal::None);
    const std::string next = serialOf(repaired->reply.certificate);
    CHECK(next != first);
    CHECK(s.service->admits("KIOSK-0007", next));
    CHECK_FALSE(s.service->admits("KIOSK-0007", first));
    CHECK_FALSE(s.service->admits("KIOSK-0007", "ABCDEF"));

    // All of it survives a restart, with the same pairing CA.
    auto caBefore = crypto::certificateToPem(s.service->caCertificate());
    s.open();
    auto caAfter = crypto::certificateToPem(s.service->caCertificate());
    REQUIRE(caBefore);
    REQUIRE(caAfter);
    CHECK(*caBefore == *caAfter);
    CHECK(s.service->admits("KIOSK-0007", next));
    CHECK_FALSE(s.service->admits("KIOSK-0007", first));
    CHECK_FALSE(s.service->admits("KIOSK-0007", "ABCDEF"));

    auto list = s.service->list();
    REQUIRE(list);
    REQUIRE(list->size() == 1);
    CHECK(list->front().terminalId == "KIOSK-0007");
    CHECK(list->front().serial == next);
    CHECK(list->front().revokedAt.empty()); // paired again after the revocation

    REQUIRE(s.service->revoke("KIOSK-0007", "admin1", now + 4min));
    list = s.service->list();
    REQUIRE(list);
    CHECK_FALSE(list->front().revokedAt.empty());
    CHECK_FALSE(s.service->admits("KIOSK-0007", next));
}

TEST_CASE("PairingService: the files: the CA key is private, the server trusts both CAs")
{
    Service s;
    const auto dir = s.dir.path() / "data" / "pairing";
    CHECK((std::filesystem::status(dir / "ca.key").permissions() &
           std::filesystem::perms::group_all) == std::filesystem::perms::none);
    auto trusted = crypto::readPemCertificates(s.service->clientCaFile());
    REQUIRE(trusted);
    CHECK(trusted->size() == 2);
    // A half-made CA is refused, not replaced.
    s.service.reset();
    std::filesystem::remove(dir / "ca.key");
    const auto ca = s.dir.path() / "tls" / "ca.pem";
    auto refused = PairingService::open(s.dir.path() / "data", ca, ca);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::ConfigInvalid);
}

// Over HTTPS ------------------------------------------------------------------------------------

// Pairs a terminal through POST /api/v1/pair and writes its certificate and key to
// tls/<name>.pem/.key for the desk's test client.
std::string pairOverHttps(const tests::RunningDesk& desk, const std::string& code,
                          const std::string& name)
{
    Terminal terminal;
    auto answer = desk.request("POST", "/api/v1/pair", {}, terminal.body(code));
    REQUIRE(answer);
    REQUIRE(answer->status == 200);
    auto reply = kiosk::model::parsePairReply(answer->body);
    REQUIRE(reply);
    auto keyPem = crypto::privateKeyToPem(terminal.key.get());
    REQUIRE(keyPem);
    REQUIRE(files::writeFile(desk.dir.path() / "tls" / (name + ".pem"), reply->certificate));
    REQUIRE(files::writeFile(desk.dir.path() / "tls" / (name + ".key"), *keyPem));
    return reply->terminalId;
}

std::string healthBody(const std::string& terminalId)
{
    return kiosk::model::toJson(tests::sampleHealth(terminalId)).dump();
}

std::string errorCode(const std::optional<tests::HttpAnswer>& res)
{
    auto parsed = json::parse(res->body, nullptr, false);
    REQUIRE(parsed.is_object());
    return parsed.at("error").at("code").get<std::string>();
}

TEST_CASE("Pairing over HTTPS: a code from the admin API pairs, the certificate works, revoking stops it")
{
    tests::RunningDesk desk;
    desk.addUser("admin1", kPassword, desk::Role::Admin);
    const auto admin = desk.loggedIn("admin1", kPassword);

    auto made = desk.request("POST", "/api/v1/pairing/codes", admin.headers(true),
                             json{{"terminal_id", "KIOSK-0007"}}.dump());
    REQUIRE(made);
    REQUIRE(made->status == 200);
    const json madeBody = json::parse(made->body);
    const std::string code = madeBody.at("code").get<std::string>();
    CHECK(code.size() == 12);

    CHECK(pairOverHttps(desk, code, "paired") == "KIOSK-0007");
    // The code is spent.
    Terminal late;
    auto reused = desk.request("POST", "/api/v1/pair", {}, late.body(code));
    REQUIRE(reused);
    CHECK(reused->status == 403);
    CHECK(errorCode(reused) == "pairing_refused");

    // The new certificate reaches the terminal API.
    auto health = desk.request("POST", "/api/v1/terminals/health", {}, healthBody("KIOSK-0007"),
                               "application/json", "paired");
    REQUIRE(health);
    CHECK(health->status == 200);

    auto listed = desk.request("GET", "/api/v1/pairing/terminals", admin.headers());
    REQUIRE(listed);
    REQUIRE(listed->status == 200);
    CHECK(json::parse(listed->body).at("terminals").at(0).at("terminal_id") == "KIOSK-0007");

    auto revoked = desk.request("POST", "/api/v1/pairing/revoke", admin.headers(true),
                                json{{"terminal_id", "KIOSK-0007"}}.dump());
    REQUIRE(revoked);
    CHECK(revoked->status == 200);
    auto refused = desk.request("POST", "/api/v1/terminals/health", {},
                                healthBody("KIOSK-0007"), "application/json", "paired");
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK(errorCode(refused) == "terminal_revoked");
    const std::size_t before = static_cast<std::size_t>(desk.count());
    auto checkIn = desk.request("POST", "/api/v1/checkins", {},
                                kiosk::model::toJson(tests::sampleCheckIn("k-1", "0001", "試験 花子", "KIOSK-0007")).dump(),
                                "application/json", "paired");
    REQUIRE(checkIn);
    CHECK(checkIn->status == 403);
    CHECK(static_cast<std::size_t>(desk.count()) == before);

    // Every step is in the audit log, never the code.
    auto audit = desk.auth->auditLog(50);
    REQUIRE(audit);
    std::string actions;
    for (const auto& line : *audit) {
        actions += line.action + ":" + line.result + " ";
        CHECK(line.detail.find(code) == std::string::npos);
    }
    CHECK(actions.find("pairing_code:ok") != std::string::npos);
    CHECK(actions.find("terminal_pair:ok") != std::string::npos);
    CHECK(actions.find("terminal_pair:refused") != std::string::npos);
    CHECK(actions.find("terminal_revoke:ok") != std::string::npos);
}

TEST_CASE("Pairing over HTTPS: revoking the clinic CA's terminal refuses it too")
{
    tests::RunningDesk desk;
    desk.addUser("admin1", kPassword, desk::Role::Admin);
    const auto admin = desk.loggedIn("admin1", kPassword);
    auto before = desk.request("POST", "/api/v1/terminals/health", {}, healthBody("KIOSK-0001"),
                               "application/json", "terminal");
    REQUIRE(before);
    CHECK(before->status == 200);
    // The page's 取り消す asks first: nothing is revoked yet.
    auto asked = desk.request("POST", "/terminals/revoke", admin.headers(),
                              "terminal_id=KIOSK-0001&csrf_token=" + admin.csrfToken,
                              "application/x-www-form-urlencoded");
    REQUIRE(asked);
    CHECK(asked->status == 200);
    CHECK(asked->body.find("KIOSK-0001 を取り消しますか？") != std::string::npos);
    CHECK(asked->body.find("name=\"confirm\" value=\"1\"") != std::string::npos);
    CHECK(desk.pairing->admits("KIOSK-0001", "AB"));
    auto revoked = desk.request("POST", "/terminals/revoke", admin.headers(),
                                "terminal_id=KIOSK-0001&confirm=1&csrf_token=" + admin.csrfToken,
                                "application/x-www-form-urlencoded");
    REQUIRE(revoked);
    CHECK(revoked->status == 303);
    CHECK(revoked->header("Location") == "/terminals");
    auto after = desk.request("POST", "/api/v1/terminals/health", {}, healthBody("KIOSK-0001"),
                              "application/json", "terminal");
    REQUIRE(after);
    CHECK(after->status == 403);
    CHECK(errorCode(after) == "terminal_revoked");
}

TEST_CASE("Pairing over HTTPS: only administrators, with the CSRF token, make codes and revoke")
{
    tests::RunningDesk desk;
    desk.addUser("sato", kPassword);
    desk.addUser("admin1", kPassword, desk::Role::Admin);
    const auto staff = desk.loggedIn("sato", kPassword);
    const auto admin = desk.loggedIn("admin1", kPassword);
    const std::string body = json{{"terminal_id", "KIOSK-0007"}}.dump();

    auto nobody = desk.request("POST", "/api/v1/pairing/codes", {}, body);
    REQUIRE(nobody);
    CHECK(nobody->status == 401);
    auto notAdmin = desk.request("POST", "/api/v1/pairing/codes", staff.headers(true), body);
    REQUIRE(notAdmin);
    CHECK(notAdmin->status == 403);
    CHECK(errorCode(notAdmin) == "admin_only");
    auto noCsrf = desk.request("POST", "/api/v1/pairing/codes", admin.headers(false), body);
    REQUIRE(noCsrf);
    CHECK(noCsrf->status == 403);
    auto page = desk.request("GET", "/terminals", staff.headers());
    REQUIRE(page);
    CHECK(page->status == 403);
    auto revoke = desk.request("POST", "/api/v1/pairing/revoke", staff.headers(true), body);
    REQUIRE(revoke);
    CHECK(revoke->status == 403);
    CHECK(desk.pairing->admits("KIOSK-0007", "AB"));
    auto bad = desk.request("POST", "/api/v1/pairing/codes", admin.headers(true),
                            json{{"terminal_id", "../x"}}.dump());
    REQUIRE(bad);
    CHECK(bad->status == 400);
}

TEST_CASE("The terminals page: the admin makes a code with the form and sees it once")
{
    tests::RunningDesk desk;
    desk.addUser("admin1", kPassword, desk::Role::Admin);
    const auto admin = desk.loggedIn("admin1", kPassword);
    auto empty = desk.request("GET", "/terminals", admin.headers());
    REQUIRE(empty);
    REQUIRE(empty->status == 200);
    CHECK(empty->body.find("接続した端末はまだありません") != std::string::npos);
    CHECK(empty->body.find("id=\"code\"") == std::string::npos);

    auto made = desk.request("POST", "/terminals/code", admin.headers(),
                             "terminal_id=KIOSK-0009&csrf_token=" + admin.csrfToken,
                             "application/x-www-form-urlencoded");
    REQUIRE(made);
    REQUIRE(made->status == 200);
    CHECK(made->header("Content-Security-Policy").find("default-src 'none'") != std::string::npos);
    CHECK(made->body.find("端末 KIOSK-0009 の接続コード") != std::string::npos);
    const auto at = made->body.find("id=\"code-digits\">");
    REQUIRE(at != std::string::npos);
    std::string digits = made->body.substr(at + 17, 14);
    CHECK(digits[4] == ' ');
    CHECK(digits[9] == ' ');
    digits.erase(std::remove(digits.begin(), digits.end(), ' '), digits.end());
    // The shown code pairs.
    CHECK(pairOverHttps(desk, digits, "paired") == "KIOSK-0009");
    auto listed = desk.request("GET", "/terminals", admin.headers());
    REQUIRE(listed);
    CHECK(listed->body.find("data-id=\"KIOSK-0009\"") != std::string::npos);
    CHECK(listed->body.find("使用中") != std::string::npos);
    CHECK(listed->body.find(digits) == std::string::npos); // never shown again

    auto badId = desk.request("POST", "/terminals/code", admin.headers(),
                              "terminal_id=%2E%2E%2Fx&csrf_token=" + admin.csrfToken,
                              "application/x-www-form-urlencoded");
    REQUIRE(badId);
    CHECK(badId->status == 400);
    CHECK(badId->body.find("端末IDは半角英数字") != std::string::npos);
}

TEST_CASE("terminalsPageStringKeys: every table has every key the terminals page uses")
{
    auto catalog = kiosk::model::StringCatalog::load(
        std::string(UKETSUKE_SOURCE_DIR) + "/assets/i18n", "ja");
    REQUIRE(catalog);
    for (const auto& lang : catalog->languages()) {
        for (const auto& key : desk::terminalsPageStringKeys()) {
            INFO(lang << " " << key);
            CHECK(catalog->table(lang).has(key));
        }
    }
}

} // namespace
