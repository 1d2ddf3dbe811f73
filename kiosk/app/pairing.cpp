#include "kiosk/app/pairing.hpp"

#include "base/files.hpp"
#include "base/hex.hpp"
#include "base/log.hpp"
#include "base/time.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "kiosk/app/enrolment.hpp"
#include "kiosk/eligibility/gateway_replies.hpp"
#include "kiosk/model/pairing.hpp"

#include <filesystem>
#include <span>

namespace uketsuke::kiosk::app {
namespace {

namespace fs = std::filesystem;

const log::Category kLog("kiosk.pair");

std::span<const std::uint8_t> bytesOf(std::string_view text)
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// HMAC-SHA-256 under the code's key (kiosk/model/pairing.hpp), as 64 lower-case hex digits.
Result<std::string> proofHex(std::string_view code, std::string_view text)
{
    auto digest = crypto::sha256(bytesOf(code));
    if (!digest) {
        return fail(std::move(digest).error());
    }
    auto mac = crypto::hmacSha256(bytesOf(hex(*digest, HexCase::Lower)), text);
    if (!mac) {
        return fail(std::move(mac).error());
    }
    return hex(*mac, HexCase::Lower);
}

bool sameFile(const std::string& a, const std::string& b)
{
    if (a.empty() || b.empty()) {
        return false;
    }
    std::error_code error;
    if (fs::equivalent(a, b, error)) {
        return true;
    }
    return fs::weakly_canonical(a, error) == fs::weakly_canonical(b, error);
}

Unexpected<Error> badReply(std::string message)
{
    UKETSUKE_LOG(kLog, Warn) << message << " -> bad_reply";
    return fail(Errc::BadReply, std::move(message), 200);
}

} // namespace

Result<Paired> pairWithDesk(const config::KioskConfig& config, std::string_view deskUrl,
                            std::string_view typedCode, net::Timeouts timeouts)
{
    auto code = model::normaliseTypedCode(typedCode, model::kPairingCodeDigits, "the pairing code");
    if (!code) {
        return fail(std::move(code).error());
    }
    const config::TlsFiles& files = config.deskTls;
    if (files.cert.empty() || files.key.empty() || files.ca.empty()) {
        return fail(Errc::ConfigMissing, "desk.cert, desk.key and desk.ca must be set");
    }
    if (sameFile(files.cert, config.gatewayTls.cert) || sameFile(files.key, config.gatewayTls.key) ||
        sameFile(files.ca, config.gatewayTls.ca)) {
        return fail(Errc::ConfigInvalid,
                    "desk.ca, desk.cert or desk.key is one of the gateway's files; give the desk "
                    "files of its own (docs/pairing.md)");
    }
    auto made = makeKeyAndRequest(config);
    if (!made) {
        return fail(std::move(made).error());
    }
    auto proof = proofHex(*code, made->csrPem);
    if (!proof) {
        return fail(std::move(proof).error());
    }

    net::TlsFiles tls;
    tls.verifyServer = false; // the proof authenticates the reply (see the header)
    net::HttpsClient client(tls, timeouts);
    client.keepServerCertificate(true);
    UKETSUKE_LOG(kLog, Info) << "pairing with the desk at " << deskUrl;
    auto response = client.postJson(std::string(deskUrl) + "/api/v1/pair",
                                     model::pairRequestToJson({made->csrPem, *proof}));
    if (!response) {
        UKETSUKE_LOG(kLog, Warn) << "pair: " << response.error().message;
        return fail(std::move(response).error());
    }
    if (response->status != 200) {
        return fail(eligibility::replyError(response->status, response->body, "pair"));
    }
    auto reply = model::parsePairReply(response->body);
    if (!reply) {
        return badReply(reply.error().message);
    }
    auto expected = proofHex(*code, model::replyProofText(*reply));
    if (!expected) {
        return fail(std::move(expected).error());
    }
    if (!crypto::equalConstantTime(bytesOf(*expected), bytesOf(reply->proof))) {
        return badReply("pair: the reply's proof does not match the code (not the desk that "
                        "made the code?)");
    }
    auto until = checkIssuedCertificate(reply->certificate, made->key.get(), reply->terminalId,
                                        config.terminalId, "pair");
    if (!until) {
        return fail(std::move(until).error());
    }
    // The certificate chains to the pairing CA the reply names, and the desk that answered has
    // a certificate the reply's CA vouches for.
    auto issuer = crypto::parsePemCertificates(reply->issuer, "pair issuer");
    auto ca = crypto::parsePemCertificates(reply->ca, "pair ca");
    auto certificate = crypto::parsePemCertificate(reply->certificate, "pair certificate");
    auto server = crypto::parsePemCertificate(response->serverCertificatePem, "desk certificate");
    if (!issuer || !ca || !certificate || !server) {
        return badReply("pair: the reply's CAs or the desk's certificate do not read");
    }
    auto issuerStore = crypto::makeTrustStore(*issuer);
    auto caStore = crypto::makeTrustStore(*ca);
    if (!issuerStore || !caStore) {
        return fail(Errc::Internal, "cannot make a trust store");
    }
    const auto now = std::chrono::system_clock::now();
    if (auto chained = crypto::verifyCertificate(certificate->get(), issuerStore->get(), now);
        !chained) {
        return badReply("pair: the certificate does not chain to the reply's issuer: " +
                        chained.error().message);
    }
    if (auto chained = crypto::verifyCertificate(server->get(), caStore->get(), std::nullopt);
        !chained) {
        return badReply("pair: the desk's certificate does not chain to the reply's ca: " +
                        chained.error().message);
    }

    // desk.ca holds the reply's CA (it verifies the desk's server certificate) and the pairing
    // CA (the start-up checks chain desk.cert to desk.ca). Written first: the old client
    // certificate keeps working beside it. Then key and certificate, crash-safely.
    if (auto folder = fs::path(files.ca).parent_path(); !folder.empty()) {
        if (auto dir = files::ensurePrivateDir(folder); !dir) {
            return fail(std::move(dir).error());
        }
    }
    std::string bundle = reply->ca;
    if (!bundle.empty() && bundle.back() != '\n') {
        bundle.push_back('\n');
    }
    bundle += reply->issuer;
    if (auto written = files::publishFile(files.ca, bundle, {0644, files::Existing::Replace});
        !written) {
        return fail(std::move(written).error());
    }
    auto installed =
        installIdentity(files, made->keyPem, reply->certificate, config.terminalId, "pair");
    if (!installed) {
        return fail(std::move(installed).error());
    }
    UKETSUKE_LOG(kLog, Info) << "paired as " << reply->terminalId << ", certificate "
                             << *installed << " until " << time::isoUtc(*until);
    return Paired{reply->terminalId, *until};
}

int pairCommand(const config::KioskConfig& config, std::istream& in, bool interactive,
                std::ostream& out, std::ostream& err)
{
    if (interactive) {
        err << "Pairing code from the desk at " << config.deskUrl << " (12 digits): "
            << std::flush;
    }
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    const net::Timeouts timeouts{std::chrono::milliseconds(config.connectTimeoutMs),
                                 std::chrono::milliseconds(config.totalTimeoutMs)};
    auto paired = pairWithDesk(config, config.deskUrl, line, timeouts);
    if (!paired) {
        err << "uketsuke-kiosk pair: " << errcName(paired.error().code) << ": "
            << paired.error().message << "\n";
        const Errc why = paired.error().code;
        return why == Errc::InvalidArgument || why == Errc::ConfigMissing ||
                       why == Errc::ConfigInvalid
                   ? 2
                   : 1;
    }
    out << "paired as " << paired->terminalId << ", certificate until "
        << time::isoUtc(paired->notAfter) << "\n";
    return 0;
}

} // namespace uketsuke::kiosk::app
