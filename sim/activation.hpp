#pragma once

// The activation codes of the reference gateway's enrolment (docs/protocol/eligibility.md §2.5,
// docs/pki.md): one-time codes of 12 digits that `uketsuke-sim gateway activation-code` makes
// for a terminal id and a clinic, and that POST /v1/enrol redeems for a client certificate.
//
// Each code is one file in a private folder (0700, <pki>/tls/activation), named by the
// lower-case hex SHA-256 of the code, so the code itself is never written down, and holding
// {"terminal_id", "clinic_code", "expires_at"} (0600). Redeeming renames the file to
// "<hash>.used": rename() lets exactly one of several concurrent requests win, across threads
// and processes alike. Files are never deleted: a used or expired code stays refused.
//
// Logs carry terminal ids and outcomes only, never a code.

#include "base/result.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace uketsuke::sim {

inline constexpr std::size_t kActivationCodeDigits = 12;
// The terminal's default clinic_code (kiosk/config/config.hpp): the default of --clinic.
inline constexpr const char* kDefaultClinicCode = "1399999999";

// A terminal id the gateway makes codes for: 1-32 of letters, digits, '.', '_' and '-', not
// starting with '.' (a CN that is also safe in a file name and a log line).
bool isTerminalId(std::string_view id);
// Exactly 10 digits (the 医療機関コード).
bool isClinicCode(std::string_view code);
// Exactly 12 digits.
bool isActivationCode(std::string_view code);
// "4829 1365 0271": groups of four, as people read and type it.
std::string groupActivationCode(std::string_view code);

// What a code was made for: the content of its file.
struct Activation {
    std::string terminalId;
    std::string clinicCode;
    std::chrono::sys_seconds expiresAt; // the code is refused from this second on
};

// {"terminal_id": ..., "clinic_code": ..., "expires_at": "2026-12-07T10:00:00Z"}
std::string activationToJson(const Activation& activation);
// The reverse; unknown members are ignored. Errors: InvalidArgument (not JSON, a member
// missing or malformed).
Result<Activation> parseActivation(std::string_view text);

// Where a code stands. Every state but Open is answered with the same activation_refused; the
// distinction is for the log.
enum class CodeState {
    Open,        // unused, not expired, made for that clinic
    Unknown,     // no such code (or not 12 digits)
    Used,        // already redeemed
    Expired,     // its expires_at has passed
    OtherClinic, // made for another clinic code
    Unreadable,  // the file exists but cannot be read or parsed (a fault of the gateway)
};
const char* codeStateName(CodeState state); // "open", "unknown", ...

class ActivationStore {
public:
    // `dir`: the folder of the codes (PkiLayout::activationDir()). Nothing is touched yet.
    explicit ActivationStore(std::filesystem::path dir);

    struct Issued {
        std::string code; // 12 digits
        std::chrono::sys_seconds expiresAt;
    };
    // A new code from cryptographically secure randomness (each digit uniform) for `terminalId`
    // at `clinicCode`, valid until `now + validFor` (whole seconds). Creates the folder (0700)
    // and the code's file (0600); never replaces a file. Blocks on the file system.
    // Errors: InvalidArgument (not a terminal id or clinic code, validFor not positive),
    // StorageError, Internal (no randomness).
    Result<Issued> create(std::string_view terminalId, std::string_view clinicCode,
                          std::chrono::seconds validFor,
                          std::chrono::system_clock::time_point now) const;

    struct Check {
        CodeState state = CodeState::Unknown;
        Activation activation; // read from the file: Open, Used, Expired and OtherClinic
        std::string problem;   // Unreadable: why (a path and an errno text, never the code)
    };
    // Where `code` stands for `clinicCode` at `now`, without consuming it. Thread: any.
    Check check(std::string_view code, std::string_view clinicCode,
                std::chrono::system_clock::time_point now) const;

    // Redeems a code check() found Open: renames its file to "<hash>.used". True for the one
    // caller that won; false when the file had gone (another request redeemed it first).
    // Thread: any; also across processes. Errors: StorageError.
    Result<bool> consume(std::string_view code) const;

    // Removes the files of codes (open or used) whose expires_at is more than kKeptAfterExpiry
    // before `now`, and leaves everything else (other files, unreadable ones: a fault someone
    // should see). create() runs it first, so the folder does not grow with every code ever made.
    // Returns how many went. Blocks on the file system.
    static constexpr std::chrono::hours kKeptAfterExpiry{24 * 30};
    std::size_t prune(std::chrono::system_clock::time_point now) const;

    // The file of a code, and of the code once used (for tests).
    std::filesystem::path fileOf(std::string_view code) const;
    std::filesystem::path usedFileOf(std::string_view code) const;

private:
    std::filesystem::path m_dir;
};

} // namespace uketsuke::sim
