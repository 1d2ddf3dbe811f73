#pragma once

// The start-up check of a mutual-TLS identity: a CA file, a certificate and its private key
// (docs/config/kiosk.md "Start-up checks"). A program calls checkTlsFiles() before it serves or
// connects, and turns a failure into one line naming its configuration key and exit code 2;
// `doctor config` prints diagnoseTlsFiles() as JSON. Both read three small files and do no
// network I/O; any thread.
//
// Contract of the checks, in the order they run (a check runs only when the files it needs
// passed theirs, so the first failure is the cause, not a consequence):
//
//   check              file         problem when it fails
//   ca_readable        ca           Missing (no such file) / Unreadable (permissions, a folder)
//   ca_pem             ca           NotPem (no PEM certificate in it)
//   cert_readable      certificate  Missing / Unreadable
//   cert_pem           certificate  NotPem
//   key_readable       key          Missing / Unreadable
//   key_pem            key          NotPem (no unencrypted PEM private key in it)
//   key_matches_cert   key          KeyMismatch (the key is not the certificate's)
//   cert_issued_by_ca  certificate  NotIssuedByCa (does not chain to the CA file; dates are
//                                   not checked unless `validAt` is given)
//   cert_valid_now     certificate  NotYetValid / Expired (only with `validAt`)
//   cert_common_name   certificate  CommonNameMismatch (only with `commonName`: the
//                                   terminal_id must be the certificate's CN)
//
// Each failure's message starts with the role and the path ("certificate /etc/uketsuke/
// tls/terminal.pem: ..."), holds no key material, and fits on one line.

#include "base/result.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::crypto {

struct TlsFilePaths {
    std::filesystem::path ca;          // the CA (bundle) that issued the peer's certificates
    std::filesystem::path certificate; // our certificate (PEM; the first one is ours)
    std::filesystem::path key;         // its private key (PEM, unencrypted)
};

struct TlsExpectations {
    // The CN the certificate must carry (a terminal's terminal_id); empty: not checked.
    std::string commonName;
    // When set, the certificate must be valid at this time; unset: dates are not checked, so a
    // device that boots with its clock unset is not refused for that alone.
    std::optional<std::chrono::system_clock::time_point> validAt;
};

enum class TlsFile { Ca, Certificate, Key };
enum class TlsProblem {
    Missing,
    Unreadable,
    NotPem,
    KeyMismatch,
    NotIssuedByCa,
    NotYetValid,
    Expired,
    CommonNameMismatch,
};

// "ca", "certificate", "key"; "missing", "unreadable", "not_pem", "key_mismatch",
// "not_issued_by_ca", "not_yet_valid", "expired", "common_name_mismatch".
std::string_view tlsFileName(TlsFile file);
std::string_view tlsProblemName(TlsProblem problem);

struct TlsCheck {
    std::string name;                  // "key_matches_cert", see the table above
    TlsFile file = TlsFile::Ca;        // the file the check is about
    std::optional<TlsProblem> problem; // nullopt: passed
    std::string message;               // empty when passed
};

// What a good identity says about itself.
struct TlsIdentity {
    std::string commonName;
    std::chrono::sys_seconds notBefore{};
    std::chrono::sys_seconds notAfter{};
    std::string serialHex;
};

struct TlsDiagnosis {
    std::vector<TlsCheck> checks;         // the checks that ran, in order
    std::optional<TlsIdentity> identity;  // when every check passed
    bool ok() const { return identity.has_value(); }
    // The first failed check, or nullptr.
    const TlsCheck* failure() const;
};

// Runs the checks of the table above and reports each one (for `doctor config`).
TlsDiagnosis diagnoseTlsFiles(const TlsFilePaths& paths, const TlsExpectations& expect = {});

// The same checks, as a Result. Errors: ConfigMissing (a file is missing), ConfigInvalid
// (every other problem); the message is the first failed check's, naming the file. Callers
// that need to know which file failed use diagnoseTlsFiles().
Result<TlsIdentity> checkTlsFiles(const TlsFilePaths& paths, const TlsExpectations& expect = {});

} // namespace uketsuke::crypto
