#include "kiosk/app/startup_checks.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <filesystem>
#include <memory>

namespace uketsuke::kiosk::app {
namespace {

using Status = StartupCheck::Status;

struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

bool exists(const std::string& file)
{
    std::error_code ec;
    return !file.empty() && std::filesystem::exists(file, ec);
}

Result<BioPtr> openFile(const std::string& file)
{
    if (file.empty()) {
        return fail(Errc::ConfigMissing, "not set");
    }
    if (!exists(file)) {
        return fail(Errc::ConfigMissing, "no such file " + file);
    }
    BioPtr bio(BIO_new_file(file.c_str(), "r"));
    if (!bio) {
        return fail(Errc::ConfigInvalid, "cannot read " + file);
    }
    return bio;
}

Result<X509Ptr> readCertificate(const std::string& file)
{
    auto bio = openFile(file);
    if (!bio) {
        return fail(std::move(bio).error());
    }
    X509Ptr cert(PEM_read_bio_X509(bio->get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    if (!cert) {
        return fail(Errc::ConfigInvalid, "not a PEM certificate: " + file);
    }
    return cert;
}

class OpensslInspector final : public TlsInspector {
public:
    Result<void> checkCa(const std::string& file) const override
    {
        auto cert = readCertificate(file);
        if (!cert) {
            Error e = std::move(cert).error();
            e.code = Errc::ConfigInvalid; // a CA must be there for every mode
            e.message = file.empty() ? "not set" : "cannot read a CA certificate: " + e.message;
            return fail(std::move(e));
        }
        return ok();
    }

    Result<std::string> certificateCn(const std::string& file) const override
    {
        auto cert = readCertificate(file);
        if (!cert) {
            return fail(std::move(cert).error());
        }
        X509_NAME* subject = X509_get_subject_name(cert->get());
        int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
        if (index < 0) {
            return fail(Errc::ConfigInvalid, "the certificate has no CN: " + file);
        }
        ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
        unsigned char* utf8 = nullptr;
        int length = ASN1_STRING_to_UTF8(&utf8, data);
        if (length < 0) {
            return fail(Errc::ConfigInvalid, "the certificate's CN is not text: " + file);
        }
        std::string cn(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
        OPENSSL_free(utf8);
        return cn;
    }

    Result<void> checkKey(const std::string& certFile, const std::string& keyFile) const override
    {
        auto bio = openFile(keyFile);
        if (!bio) {
            return fail(std::move(bio).error());
        }
        KeyPtr key(PEM_read_bio_PrivateKey(bio->get(), nullptr, nullptr, nullptr));
        ERR_clear_error();
        if (!key) {
            return fail(Errc::ConfigInvalid, "not a PEM private key: " + keyFile);
        }
        auto cert = readCertificate(certFile);
        if (!cert) {
            return fail(std::move(cert).error());
        }
        if (X509_check_private_key(cert->get(), key.get()) != 1) {
            ERR_clear_error();
            return fail(Errc::ConfigInvalid, "the key does not match the certificate " + certFile);
        }
        return ok();
    }
};

void checkSet(const std::string& prefix, const config::TlsFiles& files, const TlsInspector& tls,
              std::vector<StartupCheck>& out, std::vector<std::pair<std::string, std::string>>& cns)
{
    if (auto ca = tls.checkCa(files.ca); ca) {
        out.push_back({prefix + ".ca", Status::Ok, files.ca});
    } else {
        out.push_back({prefix + ".ca", Status::Invalid, ca.error().message});
    }
    auto cn = tls.certificateCn(files.cert);
    if (cn) {
        out.push_back({prefix + ".cert", Status::Ok, "CN=" + *cn});
        cns.emplace_back(prefix + ".cert", *cn);
    } else {
        Status status =
            cn.error().code == Errc::ConfigMissing ? Status::Missing : Status::Invalid;
        out.push_back({prefix + ".cert", status, cn.error().message});
    }
    if (!exists(files.key)) {
        out.push_back({prefix + ".key", Status::Missing,
                       files.key.empty() ? "not set" : "no such file " + files.key});
    } else if (!cn) {
        out.push_back({prefix + ".key", Status::Ok,
                       "present; checked against " + prefix + ".cert once it is there"});
    } else if (auto key = tls.checkKey(files.cert, files.key); key) {
        out.push_back({prefix + ".key", Status::Ok, "matches " + prefix + ".cert"});
    } else {
        out.push_back({prefix + ".key", Status::Invalid, key.error().message});
    }
}

} // namespace

const TlsInspector& opensslTlsInspector()
{
    static const OpensslInspector inspector;
    return inspector;
}

std::vector<StartupCheck> runStartupChecks(const config::KioskConfig& config,
                                           const TlsInspector& tls)
{
    std::vector<StartupCheck> out;
    std::vector<std::pair<std::string, std::string>> cns; // (key, CN)
    if (config::usesGateway(config.eligibility)) {
        checkSet("gateway", config.gatewayTls, tls, out, cns);
    }
    checkSet("desk", config.deskTls, tls, out, cns);
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
