#include "kiosk/app/startup_checks.hpp"

#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "crypto/tls_files.hpp"

#include <filesystem>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace uketsuke::kiosk::app {
namespace {

using Status = StartupCheck::Status;
using crypto::TlsDiagnosis;
using crypto::TlsProblem;

// The check `name` of a diagnosis, or nullptr when it did not run.
const crypto::TlsCheck* findCheck(const TlsDiagnosis& diagnosis, std::string_view name)
{
    for (const auto& check : diagnosis.checks) {
        if (check.name == name) {
            return &check;
        }
    }
    return nullptr;
}

// The first failure among the checks `names`, or nullptr.
const crypto::TlsCheck* firstFailure(const TlsDiagnosis& diagnosis,
                                     std::initializer_list<std::string_view> names)
{
    for (std::string_view name : names) {
        const crypto::TlsCheck* check = findCheck(diagnosis, name);
        if (check != nullptr && check->problem) {
            return check;
        }
    }
    return nullptr;
}

// The certificate's CN; the diagnosis carries it only when every check passed.
std::string certificateCn(const TlsDiagnosis& diagnosis, const std::string& file)
{
    if (diagnosis.identity) {
        return diagnosis.identity->commonName;
    }
    auto certificate = crypto::readPemCertificate(file);
    return certificate ? crypto::subjectCommonName(certificate->get()) : std::string();
}

// `caComesWithCert`: the CA file arrives with the certificate (the desk's pairing brings
// desk.ca, docs/pairing.md), so a missing CA beside a missing certificate is "not paired yet".
void checkSet(const std::string& prefix, const config::TlsFiles& files, bool caComesWithCert,
              std::vector<StartupCheck>& out, std::vector<std::pair<std::string, std::string>>& cns)
{
    const TlsDiagnosis diagnosis = crypto::diagnoseTlsFiles({files.ca, files.cert, files.key});

    std::error_code error;
    const bool certMissing = !std::filesystem::exists(files.cert, error);
    // A CA must be there for every mode: missing is invalid too, but for a CA that comes with
    // a certificate that is missing as well.
    if (const auto* failed = firstFailure(diagnosis, {"ca_readable", "ca_pem"})) {
        const bool notPaired = caComesWithCert && certMissing &&
                               failed->problem == TlsProblem::Missing;
        out.push_back({prefix + ".ca", notPaired ? Status::Missing : Status::Invalid,
                       failed->message});
    } else {
        out.push_back({prefix + ".ca", Status::Ok, files.ca});
    }

    bool certOk = false;
    if (const auto* failed = firstFailure(diagnosis, {"cert_readable", "cert_pem"})) {
        const Status status =
            failed->problem == TlsProblem::Missing ? Status::Missing : Status::Invalid;
        out.push_back({prefix + ".cert", status, failed->message});
    } else if (std::string cn = certificateCn(diagnosis, files.cert); cn.empty()) {
        out.push_back({prefix + ".cert", Status::Invalid,
                       "certificate " + files.cert + ": the certificate has no CN"});
    } else {
        out.push_back({prefix + ".cert", Status::Ok, "CN=" + cn});
        cns.emplace_back(prefix + ".cert", std::move(cn));
        certOk = true;
    }

    const crypto::TlsCheck* keyReadable = findCheck(diagnosis, "key_readable");
    if (keyReadable != nullptr && keyReadable->problem == TlsProblem::Missing) {
        out.push_back({prefix + ".key", Status::Missing, keyReadable->message});
    } else if (!certOk) {
        // An un-enrolled terminal may hold its key before its certificate arrives.
        out.push_back({prefix + ".key", Status::Ok,
                       "present; checked against " + prefix + ".cert once it is there"});
    } else if (const auto* failed =
                   firstFailure(diagnosis, {"key_readable", "key_pem", "key_matches_cert"})) {
        out.push_back({prefix + ".key", Status::Invalid, failed->message});
    } else {
        out.push_back({prefix + ".key", Status::Ok, "matches " + prefix + ".cert"});
    }
}

} // namespace

std::vector<StartupCheck> runStartupChecks(const config::KioskConfig& config)
{
    std::vector<StartupCheck> out;
    std::vector<std::pair<std::string, std::string>> cns; // (key, CN)
    if (config::usesGateway(config.eligibility)) {
        checkSet("gateway", config.gatewayTls, false, out, cns);
    }
    checkSet("desk", config.deskTls, true, out, cns);
    if (!config.terminalId.empty()) {
        StartupCheck check{"terminal_id", Status::Ok, config.terminalId};
        for (const auto& [key, cn] : cns) {
            if (cn != config.terminalId) {
                check.status = Status::Invalid;
                check.message = "'" + config.terminalId + "' is not the CN of " + key + " ('" +
                                cn + "')";
                break;
            }
        }
        out.push_back(std::move(check));
    }
    return out;
}

const StartupCheck* firstInvalid(const std::vector<StartupCheck>& checks)
{
    for (const auto& check : checks) {
        if (check.status == Status::Invalid) {
            return &check;
        }
    }
    return nullptr;
}

std::vector<StartupCheck> missing(const std::vector<StartupCheck>& checks)
{
    std::vector<StartupCheck> out;
    for (const auto& check : checks) {
        if (check.status == Status::Missing) {
            out.push_back(check);
        }
    }
    return out;
}

const char* statusName(StartupCheck::Status status)
{
    switch (status) {
    case Status::Ok:
        return "ok";
    case Status::Missing:
        return "missing";
    case Status::Invalid:
        return "invalid";
    }
    return "invalid";
}

nlohmann::json startupChecksJson(const std::vector<StartupCheck>& checks)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& check : checks) {
        list.push_back({{"key", check.key},
                        {"status", statusName(check.status)},
                        {"message", check.message}});
    }
    const bool invalid = firstInvalid(checks) != nullptr;
    const bool notReady = !missing(checks).empty();
    return {{"ok", !invalid && !notReady},
            {"mode", invalid ? "invalid" : notReady ? "not-ready" : "run"},
            {"checks", std::move(list)}};
}

} // namespace uketsuke::kiosk::app
