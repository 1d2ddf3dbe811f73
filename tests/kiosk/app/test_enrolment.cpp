// Enrolment with the gateway (kiosk/app/enrolment.hpp) against a stub gateway in this process:
// a real HTTPS server (net::Server) whose /v1/enrol signs the terminal's request with the test
// CA, or misbehaves in one way each. The reference gateway's side: tests/sim.

#include "kiosk/app/enrolment.hpp"
#include "kiosk/app/staff_tests.hpp"

#include "base/files.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "net/server.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>

namespace {

using namespace uketsuke;
namespace fs = std::filesystem;
using namespace std::chrono;

const net::Timeouts kTimeouts{milliseconds(3000), milliseconds(10000)};

// What the stub answers to a well-formed request.
enum class Reply {
    Good,          // a client certificate for the request's key, CN=KIOSK-0002
    OtherKey,      // a certificate for a key of the stub's own
    ServerUsage,   // extendedKeyUsage serverAuth only
    OtherCa,       // issued by a throw-away CA
    IdMismatch,    // terminal_id in the JSON is not the certificate's CN
    NotJson,       // 200 with a body that is not JSON
    Refused,       // 403 activation_refused
};

crypto::X509Ptr issue(EVP_PKEY* subject, const std::string& cn, X509* issuer, EVP_PKEY* issuerKey,
                      const char* usage = "clientAuth")
{
    crypto::IssueSpec spec;
    spec.commonName = cn;
    spec.subjectKey = subject;
    spec.issuer = issuer;
    spec.issuerKey = issuerKey;
    spec.notBefore = system_clock::now() - hours(1);
    spec.notAfter = system_clock::now() + hours(24 * 365);
    spec.extendedKeyUsage = usage;
    auto made = crypto::issueCertificate(spec);
    REQUIRE(made);
    return std::move(*made);
}

class StubGateway {
public:
    StubGateway(const fs::path& pki, Reply reply) : m_pki(pki), m_reply(reply)
    {
        auto ca = crypto::readPemCertificate(pki / "tls" / "ca.pem");
        auto caKey = crypto::readPemPrivateKey(pki / "tls" / "ca.key");
        REQUIRE(ca);
        REQUIRE(caKey);
        m_ca = std::move(*ca);
        m_caKey = std::move(*caKey);

        net::TlsSettings tls;
        tls.certFile = (pki / "tls" / "desk.pem").string(); // SAN 127.0.0.1, from the test CA
        tls.keyFile = (pki / "tls" / "desk.key").string();
        tls.clientAuth = net::ClientAuth::None;
        net::Router router;
        router.add(
            "POST", "/v1/enrol", [this](const net::Request& request) { return answer(request); },
            net::RouteOptions{false});
        auto port = m_server.listen("127.0.0.1", 0, tls, std::move(router));
        REQUIRE(port);
        m_port = *port;
        m_server.start();
    }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(m_port); }
    int requests() const { return m_requests.load(); }
    std::string lastBody() const { return m_lastBody; }

private:
    net::Response answer(const net::Request& request)
    {
        ++m_requests;
        m_lastBody = request.body;
        auto body = nlohmann::json::parse(request.body, nullptr, false);
        auto csr = crypto::parsePemCsr(body.value("csr", std::string()));
        if (!csr || !crypto::csrSignatureValid(csr->get())) {
            return net::Response::json(400, R"({"error":{"code":"csr_invalid","message":"x"}})");
        }
        if (m_reply == Reply::Refused) {
            return net::Response::json(403,
                                       R"({"error":{"code":"activation_refused","message":"x"}})");
        }
        if (m_reply == Reply::NotJson) {
            return net::Response::json(200, "<html>");
        }
        crypto::PkeyPtr requestKey(X509_REQ_get_pubkey(csr->get()));
        crypto::PkeyPtr other;
        crypto::X509Ptr otherCa;
        crypto::PkeyPtr otherCaKey;
        EVP_PKEY* subject = requestKey.get();
        X509* issuer = m_ca.get();
        EVP_PKEY* issuerKey = m_caKey.get();
        const char* usage = "clientAuth";
        if (m_reply == Reply::OtherKey) {
            other = std::move(*crypto::generateEcKey());
            subject = other.get();
        } else if (m_reply == Reply::ServerUsage) {
            usage = "serverAuth";
        } else if (m_reply == Reply::OtherCa) {
            otherCaKey = std::move(*crypto::generateEcKey());
            crypto::IssueSpec spec;
            spec.commonName = "Another CA";
            spec.subjectKey = otherCaKey.get();
            spec.issuerKey = otherCaKey.get();
            spec.notBefore = system_clock::now() - hours(1);
            spec.notAfter = system_clock::now() + hours(24);
            spec.isCa = true;
            otherCa = std::move(*crypto::issueCertificate(spec));
            issuer = otherCa.get();
            issuerKey = otherCaKey.get();
        }
        auto certificate = issue(subject, "KIOSK-0002", issuer, issuerKey, usage);
        nlohmann::json reply = {
            {"terminal_id", m_reply == Reply::IdMismatch ? "KIOSK-0009" : "KIOSK-0002"},
            {"certificate", *crypto::certificateToPem(certificate.get())},
            {"not_after", "2027-12-06T14:59:59Z"}};
        return net::Response::json(200, reply.dump());
    }

    fs::path m_pki;
    Reply m_reply;
    crypto::X509Ptr m_ca;
    crypto::PkeyPtr m_caKey;
    net::Server m_server;
    int m_port = 0;
    std::atomic<int> m_requests{0};
    std::string m_lastBody;
};

// A stub that needs the PKI before the terminal's config can name its URL.
struct Setup {
    tests::TempDir pki;
    std::unique_ptr<StubGateway> gateway;
    kiosk::config::KioskConfig config;
    explicit Setup(Reply reply)
    {
        tests::writeTestPki(pki.path());
        gateway = std::make_unique<StubGateway>(pki.path(), reply);
        config.gatewayUrl = gateway->url();
        const fs::path state = pki.path() / "state" / "tls";
        config.gatewayTls = {(pki.path() / "tls" / "ca.pem").string(),
                             (state / "terminal.pem").string(), (state / "terminal.key").string()};
        config.deskTls = config.gatewayTls;
    }
    bool installed() const
    {
        return fs::exists(config.gatewayTls.cert) || fs::exists(config.gatewayTls.key);
    }
    bool leftovers() const
    {
        return fs::exists(config.gatewayTls.cert + ".new") ||
               fs::exists(config.gatewayTls.key + ".new");
    }
};

} // namespace

TEST_CASE("normaliseActivationCode keeps 12 digits and drops spaces and hyphens")
{
    CHECK(*kiosk::app::normaliseActivationCode("4829 1365 0271") == "482913650271");
    CHECK(*kiosk::app::normaliseActivationCode("4829-1365-0271") == "482913650271");
    CHECK(*kiosk::app::normaliseActivationCode("482913650271") == "482913650271");
    for (const char* bad : {"", "48291365027", "4829136502711", "4829 1365 027x", "４８２９13650271",
                            "482913650271\n"}) {
        INFO(bad);
        auto r = kiosk::app::normaliseActivationCode(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::InvalidArgument);
    }
}

TEST_CASE("enrolWithGateway: the certificate for its own key is installed and the key stays")
{
    Setup s(Reply::Good);
    auto enrolled = kiosk::app::enrolWithGateway(s.config, "1399999999", "4829 1365 0271",
                                                 kTimeouts);
    INFO((enrolled ? std::string() : enrolled.error().message));
    REQUIRE(enrolled);
    CHECK(enrolled->terminalId == "KIOSK-0002");
    CHECK(enrolled->notAfter > time_point_cast<seconds>(system_clock::now() + hours(24 * 300)));

    // What was sent: the clinic code, the digits only, a CSR; never the key.
    auto sent = nlohmann::json::parse(s.gateway->lastBody());
    CHECK(sent["clinic_code"] == "1399999999");
    CHECK(sent["activation_code"] == "482913650271");
    CHECK(sent["csr"].get<std::string>().find("BEGIN CERTIFICATE REQUEST") != std::string::npos);
    CHECK(s.gateway->lastBody().find("PRIVATE KEY") == std::string::npos);

    // Installed: the key is private, matches the certificate, which chains to the pinned CA.
    auto certificate = crypto::readPemCertificate(s.config.gatewayTls.cert);
    auto key = crypto::readPemPrivateKey(s.config.gatewayTls.key);
    REQUIRE(certificate);
    REQUIRE(key);
    CHECK(crypto::keyMatchesCertificate(certificate->get(), key->get()));
    CHECK(crypto::subjectCommonName(certificate->get()) == "KIOSK-0002");
    CHECK((fs::status(s.config.gatewayTls.key).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    CHECK_FALSE(s.leftovers());

    // Enrolling again (a renewal) replaces both with a new pair.
    auto again = kiosk::app::enrolWithGateway(s.config, "1399999999", "111122223333", kTimeouts);
    REQUIRE(again);
    auto renewed = crypto::readPemPrivateKey(s.config.gatewayTls.key);
    REQUIRE(renewed);
    CHECK_FALSE(crypto::keyMatchesCertificate(certificate->get(), renewed->get()));
}

TEST_CASE("enrolWithGateway: a reply that is not for this terminal replaces nothing")
{
    const Reply reply = GENERATE(Reply::OtherKey, Reply::ServerUsage, Reply::OtherCa,
                                 Reply::IdMismatch, Reply::NotJson);
    Setup s(reply);
    // An earlier certificate and key (a renewal that goes wrong must keep them).
    fs::create_directories(fs::path(s.config.gatewayTls.cert).parent_path());
    fs::copy_file(s.pki.path() / "tls" / "terminal.pem", s.config.gatewayTls.cert);
    fs::copy_file(s.pki.path() / "tls" / "terminal.key", s.config.gatewayTls.key);
    const auto before = *files::readFile(s.config.gatewayTls.key);

    auto enrolled = kiosk::app::enrolWithGateway(s.config, "1399999999", "482913650271",
                                                 kTimeouts);
    INFO(static_cast<int>(reply));
    REQUIRE_FALSE(enrolled);
    CHECK(enrolled.error().code == Errc::BadReply);
    CHECK(*files::readFile(s.config.gatewayTls.key) == before);
    CHECK_FALSE(s.leftovers());
}

TEST_CASE("enrolWithGateway: terminal_id configured and another id enrolled is refused")
{
    Setup s(Reply::Good);
    s.config.terminalId = "KIOSK-0001";
    auto enrolled = kiosk::app::enrolWithGateway(s.config, "1399999999", "482913650271",
                                                 kTimeouts);
    REQUIRE_FALSE(enrolled);
    CHECK(enrolled.error().code == Errc::BadReply);
    CHECK(enrolled.error().message.find("KIOSK-0001") != std::string::npos);
    CHECK_FALSE(s.installed());
    CHECK_FALSE(s.leftovers());
}

TEST_CASE("enrolWithGateway: a refused code is ServerRejected with the protocol's code")
{
    Setup s(Reply::Refused);
    auto enrolled = kiosk::app::enrolWithGateway(s.config, "1399999999", "482913650271",
                                                 kTimeouts);
    REQUIRE_FALSE(enrolled);
    CHECK(enrolled.error().code == Errc::ServerRejected);
    CHECK(enrolled.error().native == 403);
    CHECK(enrolled.error().message.find("activation_refused") != std::string::npos);
    CHECK_FALSE(s.installed());
    CHECK_FALSE(s.leftovers());
}

TEST_CASE("enrolWithGateway: malformed codes never reach the network")
{
    Setup s(Reply::Good);
    auto badClinic = kiosk::app::enrolWithGateway(s.config, "139999999", "482913650271", kTimeouts);
    REQUIRE_FALSE(badClinic);
    CHECK(badClinic.error().code == Errc::InvalidArgument);
    auto badCode = kiosk::app::enrolWithGateway(s.config, "1399999999", "4829", kTimeouts);
    REQUIRE_FALSE(badCode);
    CHECK(badCode.error().code == Errc::InvalidArgument);
    CHECK(s.gateway->requests() == 0);
}

TEST_CASE("finishEnrolment completes an enrolment stopped between its two renames")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    const fs::path tls = dir.path() / "tls";
    // The old client certificate and key in place.
    kiosk::config::TlsFiles files{(tls / "ca.pem").string(), (tls / "terminal.pem").string(),
                                  (tls / "terminal.key").string()};
    tests::writeClientCertificate(dir.path(), "renewed", "KIOSK-0001");
    const auto newCert = *files::readFile(tls / "renewed.pem");
    const auto newKey = *files::readFile(tls / "renewed.key");

    SECTION("both new files still beside the old ones: both moved in")
    {
        REQUIRE(files::writeFile(files.cert + ".new", newCert));
        REQUIRE(files::writeFile(files.key + ".new", newKey));
        auto finished = kiosk::app::finishEnrolment(files);
        REQUIRE(finished);
        CHECK(*finished);
    }
    SECTION("the key already moved: the certificate follows")
    {
        REQUIRE(files::writeFile(files.cert + ".new", newCert));
        REQUIRE(files::writeFile(files.key, newKey));
        auto finished = kiosk::app::finishEnrolment(files);
        REQUIRE(finished);
        CHECK(*finished);
    }
    CHECK(*files::readFile(files.cert) == newCert);
    CHECK(*files::readFile(files.key) == newKey);
    CHECK_FALSE(fs::exists(files.cert + ".new"));
    CHECK_FALSE(fs::exists(files.key + ".new"));
}

TEST_CASE("finishEnrolment discards what does not fit and keeps the old pair")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    const fs::path tls = dir.path() / "tls";
    kiosk::config::TlsFiles files{(tls / "ca.pem").string(), (tls / "terminal.pem").string(),
                                  (tls / "terminal.key").string()};
    const auto oldCert = *files::readFile(files.cert);
    const auto oldKey = *files::readFile(files.key);
    tests::writeClientCertificate(dir.path(), "stray", "KIOSK-0001");

    SECTION("a new key without its certificate (stopped during the request)")
    {
        REQUIRE(files::writeFile(files.key + ".new", *files::readFile(tls / "stray.key")));
    }
    SECTION("a new certificate that certifies neither key")
    {
        REQUIRE(files::writeFile(files.cert + ".new", *files::readFile(tls / "stray.pem")));
    }
    SECTION("a new certificate that is not PEM")
    {
        REQUIRE(files::writeFile(files.cert + ".new", "half a certifi"));
    }
    auto finished = kiosk::app::finishEnrolment(files);
    REQUIRE(finished);
    CHECK_FALSE(*finished);
    CHECK(*files::readFile(files.cert) == oldCert);
    CHECK(*files::readFile(files.key) == oldKey);
    CHECK_FALSE(fs::exists(files.cert + ".new"));
    CHECK_FALSE(fs::exists(files.key + ".new"));
}

TEST_CASE("enrolFailure: each error has words for the enrolment page and its code as the detail")
{
    using kiosk::app::enrolFailure;
    auto refused = enrolFailure(Error{Errc::ServerRejected, 403, "enrol: HTTP 403 activation_refused"});
    CHECK_FALSE(refused.ok);
    CHECK(refused.key == "staff.enrol.refused");
    CHECK(refused.detail == "activation_refused");
    auto csr = enrolFailure(Error{Errc::ServerRejected, 400, "enrol: HTTP 400 csr_invalid"});
    CHECK(csr.key == "staff.enrol.rejected");
    CHECK(csr.detail == "csr_invalid");
    CHECK(enrolFailure(Error{Errc::ServerRejected, 404, "enrol: HTTP 404"}).detail ==
          "server_rejected");
    CHECK(enrolFailure(Error{Errc::NetworkUnreachable, 7, "x"}).key == "staff.enrol.unreachable");
    CHECK(enrolFailure(Error{Errc::Timeout, 28, "x"}).key == "staff.enrol.unreachable");
    CHECK(enrolFailure(Error{Errc::ServerError, 503, "x"}).key == "staff.enrol.unreachable");
    CHECK(enrolFailure(Error{Errc::TlsFailure, 60, "x"}).key == "staff.enrol.tls");
    auto bad = enrolFailure(Error{Errc::BadReply, 200, "x"});
    CHECK(bad.key == "staff.enrol.bad_reply");
    CHECK(bad.detail == "bad_reply");
    CHECK(enrolFailure(Error{Errc::StorageError, 13, "x"}).key == "staff.enrol.not_written");
    CHECK(enrolFailure(Error{Errc::ConfigMissing, 0, "x"}).key == "staff.enrol.config");
    CHECK(enrolFailure(Error{Errc::InvalidArgument, 0, "x"}).key == "staff.enrol.incomplete");
    CHECK(enrolFailure(Error{Errc::Internal, 0, "x"}).key == "staff.enrol.failed");
}
