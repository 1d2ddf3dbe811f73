#include "crypto/tls_files.hpp"

#include "base/files.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"

#include <cerrno>

namespace uketsuke::crypto {
namespace {

std::string where(TlsFile file, const std::filesystem::path& path)
{
    return std::string(tlsFileName(file)) + " " + path.string() + ": ";
}

// Records one check; returns whether it passed.
bool record(TlsDiagnosis& out, std::string name, TlsFile file,
            std::optional<TlsProblem> problem = std::nullopt, std::string message = {})
{
    out.checks.push_back(TlsCheck{std::move(name), file, problem, std::move(message)});
    return !problem.has_value();
}

// The readable + PEM checks of one file; the file's text on success.
std::optional<std::string> readOne(TlsDiagnosis& out, const char* readableCheck, TlsFile file,
                                   const std::filesystem::path& path)
{
    if (path.empty()) {
        record(out, readableCheck, file, TlsProblem::Missing,
               std::string(tlsFileName(file)) + ": no file configured");
        return std::nullopt;
    }
    auto text = files::readFile(path);
    if (!text) {
        const int error = static_cast<int>(text.error().native);
        const bool missing = error == ENOENT || error == ENOTDIR;
        record(out, readableCheck, file, missing ? TlsProblem::Missing : TlsProblem::Unreadable,
               where(file, path) + (missing ? "no such file" : "cannot read: " +
                                                                  text.error().message));
        return std::nullopt;
    }
    record(out, readableCheck, file);
    return std::move(*text);
}

} // namespace

std::string_view tlsFileName(TlsFile file)
{
    switch (file) {
    case TlsFile::Ca:
        return "ca";
    case TlsFile::Certificate:
        return "certificate";
    case TlsFile::Key:
        return "key";
    }
    return "unknown";
}

std::string_view tlsProblemName(TlsProblem problem)
{
    switch (problem) {
    case TlsProblem::Missing:
        return "missing";
    case TlsProblem::Unreadable:
        return "unreadable";
    case TlsProblem::NotPem:
        return "not_pem";
    case TlsProblem::KeyMismatch:
        return "key_mismatch";
    case TlsProblem::NotIssuedByCa:
        return "not_issued_by_ca";
    case TlsProblem::NotYetValid:
        return "not_yet_valid";
    case TlsProblem::Expired:
        return "expired";
    case TlsProblem::CommonNameMismatch:
        return "common_name_mismatch";
    }
    return "unknown";
}

const TlsCheck* TlsDiagnosis::failure() const
{
    for (const TlsCheck& check : checks) {
        if (check.problem) {
            return &check;
        }
    }
    return nullptr;
}

TlsDiagnosis diagnoseTlsFiles(const TlsFilePaths& paths, const TlsExpectations& expect)
{
    TlsDiagnosis out;

    std::vector<X509Ptr> cas;
    if (auto text = readOne(out, "ca_readable", TlsFile::Ca, paths.ca)) {
        if (auto parsed = parsePemCertificates(*text, paths.ca.string())) {
            cas = std::move(*parsed);
            record(out, "ca_pem", TlsFile::Ca);
        } else {
            record(out, "ca_pem", TlsFile::Ca, TlsProblem::NotPem,
                   where(TlsFile::Ca, paths.ca) + "no PEM certificate in it");
        }
    }

    X509Ptr certificate;
    if (auto text = readOne(out, "cert_readable", TlsFile::Certificate, paths.certificate)) {
        if (auto parsed = parsePemCertificate(*text, paths.certificate.string())) {
            certificate = std::move(*parsed);
            record(out, "cert_pem", TlsFile::Certificate);
        } else {
            record(out, "cert_pem", TlsFile::Certificate, TlsProblem::NotPem,
                   where(TlsFile::Certificate, paths.certificate) + "no PEM certificate in it");
        }
    }

    PkeyPtr key;
    if (auto text = readOne(out, "key_readable", TlsFile::Key, paths.key)) {
        if (auto parsed = parsePemPrivateKey(*text, paths.key.string())) {
            key = std::move(*parsed);
            record(out, "key_pem", TlsFile::Key);
        } else {
            record(out, "key_pem", TlsFile::Key, TlsProblem::NotPem,
                   where(TlsFile::Key, paths.key) +
                       "no unencrypted PEM private key in it");
        }
    }

    if (certificate && key) {
        if (!keyMatchesCertificate(certificate.get(), key.get())) {
            record(out, "key_matches_cert", TlsFile::Key, TlsProblem::KeyMismatch,
                   where(TlsFile::Key, paths.key) + "does not match the certificate " +
                       paths.certificate.string());
        } else {
            record(out, "key_matches_cert", TlsFile::Key);
        }
    }

    if (certificate && !cas.empty()) {
        auto store = makeTrustStore(cas);
        auto verified = store ? verifyCertificate(certificate.get(), store->get(), std::nullopt)
                              : Result<void>(fail(std::move(store).error()));
        if (!verified) {
            record(out, "cert_issued_by_ca", TlsFile::Certificate, TlsProblem::NotIssuedByCa,
                   where(TlsFile::Certificate, paths.certificate) + "not issued by the CA " +
                       paths.ca.string() + " (" + verified.error().message + ")");
        } else {
            record(out, "cert_issued_by_ca", TlsFile::Certificate);
        }
    }

    TlsIdentity identity;
    if (certificate) {
        identity.commonName = subjectCommonName(certificate.get());
        identity.serialHex = serialHex(certificate.get());
        auto from = notBefore(certificate.get());
        auto until = notAfter(certificate.get());
        if (from && until) {
            identity.notBefore = *from;
            identity.notAfter = *until;
        }
        if (expect.validAt) {
            const auto at = std::chrono::floor<std::chrono::seconds>(*expect.validAt);
            if (!from || !until) {
                record(out, "cert_valid_now", TlsFile::Certificate, TlsProblem::NotYetValid,
                       where(TlsFile::Certificate, paths.certificate) +
                           "unreadable validity dates");
            } else if (at < *from) {
                record(out, "cert_valid_now", TlsFile::Certificate, TlsProblem::NotYetValid,
                       where(TlsFile::Certificate, paths.certificate) +
                           "not valid yet (is the clock set?)");
            } else if (at > *until) {
                record(out, "cert_valid_now", TlsFile::Certificate, TlsProblem::Expired,
                       where(TlsFile::Certificate, paths.certificate) + "expired");
            } else {
                record(out, "cert_valid_now", TlsFile::Certificate);
            }
        }
        if (!expect.commonName.empty()) {
            if (identity.commonName != expect.commonName) {
                record(out, "cert_common_name", TlsFile::Certificate,
                       TlsProblem::CommonNameMismatch,
                       where(TlsFile::Certificate, paths.certificate) + "CN is '" +
                           identity.commonName + "', expected '" + expect.commonName + "'");
            } else {
                record(out, "cert_common_name", TlsFile::Certificate);
            }
        }
    }

    if (out.failure() == nullptr) {
        out.identity = std::move(identity);
    }
    return out;
}

Result<TlsIdentity> checkTlsFiles(const TlsFilePaths& paths, const TlsExpectations& expect)
{
    TlsDiagnosis diagnosis = diagnoseTlsFiles(paths, expect);
    if (const TlsCheck* failed = diagnosis.failure()) {
        const Errc code =
            failed->problem == TlsProblem::Missing ? Errc::ConfigMissing : Errc::ConfigInvalid;
        return fail(code, failed->message);
    }
    return std::move(*diagnosis.identity);
}

} // namespace uketsuke::crypto
