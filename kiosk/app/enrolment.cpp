#include "kiosk/app/enrolment.hpp"

#include "base/files.hpp"
#include "base/log.hpp"
#include "base/time.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "crypto/tls_files.hpp"
#include "kiosk/eligibility/gateway_replies.hpp"
#include "kiosk/model/pairing.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <system_error>
#include <utility>

namespace uketsuke::kiosk::app {
namespace {

namespace fs = std::filesystem;

const log::Category kLog("kiosk.enrol");

constexpr std::size_t kActivationDigits = 12;

bool allDigits(std::string_view text)
{
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

fs::path pending(const std::string& file)
{
    return fs::path(file + ".new");
}

bool present(const fs::path& file)
{
    std::error_code error;
    return fs::exists(file, error);
}

Result<void> moveInto(const fs::path& from, const fs::path& to)
{
    std::error_code error;
    fs::rename(from, to, error);
    if (error) {
        return fail(Errc::StorageError,
                    "cannot move " + from.string() + " to " + to.string() + ": " + error.message(),
                    error.value());
    }
    return ok();
}

void removeQuietly(const fs::path& file)
{
    std::error_code error;
    fs::remove(file, error);
}

// Whether the PEM certificate in `certFile` certifies the PEM key in `keyFile`.
bool certifies(const fs::path& certFile, const fs::path& keyFile)
{
    auto certificate = crypto::readPemCertificate(certFile);
    auto key = crypto::readPemPrivateKey(keyFile);
    return certificate && key && crypto::keyMatchesCertificate(certificate->get(), key->get());
}

Unexpected<Error> badReply(std::string message)
{
    UKETSUKE_LOG(kLog, Warn) << message << " -> bad_reply";
    return fail(Errc::BadReply, std::move(message), 200);
}

} // namespace

Result<std::string> normaliseActivationCode(std::string_view typed)
{
    return model::normaliseTypedCode(typed, kActivationDigits, "the activation code");
}

Result<Enrolled> enrolWithGateway(const config::KioskConfig& config, std::string_view clinicCode,
                                  std::string_view activationCode, net::Timeouts timeouts)
{
    if (clinicCode.size() != 10 || !allDigits(clinicCode)) {
        return fail(Errc::InvalidArgument, "the 機関コード is 10 digits");
    }
    auto code = normaliseActivationCode(activationCode);
    if (!code) {
        return fail(std::move(code).error());
    }
    const config::TlsFiles& files = config.gatewayTls;
    if (files.cert.empty() || files.key.empty() || files.ca.empty()) {
        return fail(Errc::ConfigMissing, "gateway.cert, gateway.key and gateway.ca must be set");
    }
    // A key of its own, never sent: only the request it signs leaves the terminal.
    auto made = makeKeyAndRequest(config);
    if (!made) {
        return fail(std::move(made).error());
    }

    nlohmann::json body = {
        {"clinic_code", std::string(clinicCode)}, {"activation_code", *code}, {"csr", made->csrPem}};
    net::HttpsClient client(net::TlsFiles{files.ca, "", ""}, timeouts);
    UKETSUKE_LOG(kLog, Info) << "enrolling with " << config.gatewayUrl << " for clinic "
                             << clinicCode;
    auto response = client.postJson(config.gatewayUrl + "/v1/enrol", body.dump());
    if (!response) {
        UKETSUKE_LOG(kLog, Warn) << "enrol: " << response.error().message;
        return fail(std::move(response).error());
    }
    if (response->status != 200) {
        return fail(eligibility::replyError(response->status, response->body, "enrol"));
    }
    auto reply = eligibility::readEnrolReply(response->body);
    if (!reply) {
        return fail(std::move(reply).error());
    }
    auto until = checkIssuedCertificate(reply->certificatePem, made->key.get(),
                                        reply->terminalId, config.terminalId, "enrol");
    if (!until) {
        return fail(std::move(until).error());
    }
    const std::string& cn = reply->terminalId;

    auto installed =
        installIdentity(files, made->keyPem, reply->certificatePem, config.terminalId, "enrol");
    if (!installed) {
        return fail(std::move(installed).error());
    }
    UKETSUKE_LOG(kLog, Info) << "enrolled as " << cn << ", certificate " << *installed
                             << " until " << time::isoUtc(*until);
    return Enrolled{cn, *until};
}

Result<NewKey> makeKeyAndRequest(const config::KioskConfig& config)
{
    auto key = crypto::generateEcKey();
    if (!key) {
        return fail(std::move(key).error());
    }
    const std::string requestedId = config.terminalId.empty() ? "uketsuke-terminal"
                                                              : config.terminalId;
    auto csr = crypto::createCsr(key->get(), requestedId);
    auto csrPem = csr ? crypto::csrToPem(csr->get()) : Result<std::string>(fail(csr.error()));
    auto keyPem = crypto::privateKeyToPem(key->get());
    if (!csrPem || !keyPem) {
        return fail(Errc::Internal, "cannot make the certificate request");
    }
    return NewKey{std::move(*key), std::move(*keyPem), std::move(*csrPem)};
}

Result<std::chrono::sys_seconds> checkIssuedCertificate(std::string_view certificatePem,
                                                        EVP_PKEY* key, std::string_view replyId,
                                                        std::string_view terminalId,
                                                        std::string_view what)
{
    const std::string w(what);
    auto certificate = crypto::parsePemCertificate(certificatePem, w + " reply");
    if (!certificate) {
        return badReply(w + ": the certificate does not parse");
    }
    if (!crypto::keyMatchesCertificate(certificate->get(), key)) {
        return badReply(w + ": the certificate is not for this terminal's key");
    }
    if (!crypto::isTlsClientCertificate(certificate->get())) {
        return badReply(w + ": the certificate is not a TLS client certificate");
    }
    const std::string cn = crypto::subjectCommonName(certificate->get());
    if (cn != replyId) {
        return badReply(w + ": the certificate's CN is not the terminal_id of the reply");
    }
    if (!terminalId.empty() && cn != terminalId) {
        return badReply(w + ": the reply is for " + cn + ", but terminal_id is " +
                        std::string(terminalId));
    }
    auto until = crypto::notAfter(certificate->get());
    if (!until) {
        return badReply(w + ": the certificate's dates do not read");
    }
    return *until;
}

Result<std::string> installIdentity(const config::TlsFiles& files, std::string_view keyPem,
                                    std::string_view certificatePem, std::string_view commonName,
                                    std::string_view what)
{
    // Both files whole beside the old ones, checked together as the start-up will check them,
    // then moved into place.
    const fs::path keyNew = pending(files.key);
    const fs::path certNew = pending(files.cert);
    for (const auto& folder : {fs::path(files.key).parent_path(), fs::path(files.cert).parent_path()}) {
        if (!folder.empty()) {
            if (auto made = files::ensurePrivateDir(folder); !made) {
                return fail(std::move(made).error());
            }
        }
    }
    auto cleanUp = [&] {
        removeQuietly(keyNew);
        removeQuietly(certNew);
    };
    if (auto written = files::publishFile(keyNew, keyPem); !written) {
        cleanUp();
        return fail(std::move(written).error());
    }
    if (auto written = files::publishFile(certNew, certificatePem); !written) {
        cleanUp();
        return fail(std::move(written).error());
    }
    auto checked =
        crypto::checkTlsFiles({files.ca, certNew, keyNew}, {std::string(commonName), {}});
    if (!checked) {
        cleanUp();
        return badReply(std::string(what) + ": " + checked.error().message);
    }
    auto installed = finishEnrolment(files);
    if (!installed) {
        return fail(std::move(installed).error());
    }
    return checked->serialHex;
}

Result<bool> finishEnrolment(const config::TlsFiles& files)
{
    if (files.cert.empty() || files.key.empty()) {
        return false;
    }
    const fs::path keyNew = pending(files.key);
    const fs::path certNew = pending(files.cert);
    if (!present(certNew)) {
        // Stopped before the certificate arrived: the old key and certificate stay.
        removeQuietly(keyNew);
        return false;
    }
    if (present(keyNew) && certifies(certNew, keyNew)) {
        if (auto moved = moveInto(keyNew, files.key); !moved) {
            return fail(std::move(moved).error());
        }
    } else if (!certifies(certNew, files.key)) {
        UKETSUKE_LOG(kLog, Warn) << "enrol: " << certNew.string()
                                 << " certifies no key beside it: removed";
        removeQuietly(keyNew);
        removeQuietly(certNew);
        return false;
    }
    if (auto moved = moveInto(certNew, files.cert); !moved) {
        return fail(std::move(moved).error());
    }
    UKETSUKE_LOG(kLog, Info) << "enrol: certificate installed at " << files.cert;
    return true;
}

int enrolCommand(const config::KioskConfig& config, std::istream& in, bool interactive,
                 std::ostream& out, std::ostream& err)
{
    if (interactive) {
        err << "Activation code for " << config.clinicCode << " (12 digits): " << std::flush;
    }
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    auto code = normaliseActivationCode(line);
    if (!code) {
        err << "uketsuke-kiosk enrol: " << code.error().message << "\n";
        return 2;
    }
    const net::Timeouts timeouts{std::chrono::milliseconds(config.connectTimeoutMs),
                                 std::chrono::milliseconds(config.totalTimeoutMs)};
    auto enrolled = enrolWithGateway(config, config.clinicCode, *code, timeouts);
    if (!enrolled) {
        err << "uketsuke-kiosk enrol: " << errcName(enrolled.error().code) << ": "
            << enrolled.error().message << "\n";
        const Errc why = enrolled.error().code;
        return why == Errc::InvalidArgument || why == Errc::ConfigMissing ? 2 : 1;
    }
    out << "enrolled as " << enrolled->terminalId << ", certificate until "
        << time::isoUtc(enrolled->notAfter) << "\n";
    return 0;
}

} // namespace uketsuke::kiosk::app
