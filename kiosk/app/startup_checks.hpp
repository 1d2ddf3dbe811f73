#pragma once

// The start-up checks of the terminal's configuration (docs/config/kiosk.md "Start-up checks"),
// run before anything is built. Each one names the config key it is about:
//   Missing  a client certificate or key file that is not there yet (an un-enrolled terminal):
//            the terminal boots into the not-ready screen, which says what is missing;
//   Invalid  a file that is there but wrong (not PEM, the key does not match the certificate,
//            `terminal_id` is not the certificate's CN, the CA cannot be read): the program
//            exits with 2 and one line naming the key.
// `uketsuke-kiosk doctor config` prints the same checks as JSON.
//
// The TLS files are read through TlsInspector. It uses OpenSSL directly for now; when crypto/
// (checkTlsFiles) lands, opensslTlsInspector() becomes a thin adapter over it.

#include "base/result.hpp"
#include "kiosk/config/config.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace uketsuke::kiosk::app {

struct StartupCheck {
    enum class Status { Ok, Missing, Invalid };
    std::string key; // the config key: "desk.cert", "gateway.key", "terminal_id", ...
    Status status = Status::Ok;
    std::string message; // one line; for Ok, what was found (e.g. "CN=kiosk-01")
};

// What the checks need to know about PEM files.
class TlsInspector {
public:
    virtual ~TlsInspector() = default;
    // The CA bundle: readable PEM with at least one certificate. Errors: ConfigInvalid.
    virtual Result<void> checkCa(const std::string& file) const = 0;
    // The client certificate's subject CN. Errors: ConfigMissing (no such file),
    // ConfigInvalid (unreadable, not PEM, no certificate or no CN).
    virtual Result<std::string> certificateCn(const std::string& file) const = 0;
    // The private key in `keyFile` belongs to the certificate in `certFile` (both exist and
    // the certificate was read). Errors: ConfigMissing (no key file), ConfigInvalid (not a
    // PEM private key, or another key's).
    virtual Result<void> checkKey(const std::string& certFile, const std::string& keyFile) const = 0;
};

// OpenSSL (libcrypto) behind TlsInspector.
const TlsInspector& opensslTlsInspector();

// Every check, in a stable order: for the gateway (when eligibility.source uses it) and the
// desk, ca, cert and key; then terminal_id against the certificates' CN.
std::vector<StartupCheck> runStartupChecks(const config::KioskConfig& config,
                                           const TlsInspector& tls = opensslTlsInspector());

// The first Invalid check, if any.
const StartupCheck* firstInvalid(const std::vector<StartupCheck>& checks);
// The Missing checks: what the not-ready screen lists.
std::vector<StartupCheck> missing(const std::vector<StartupCheck>& checks);

// {"ok": bool, "mode": "run" | "not-ready" | "invalid", "checks": [{"key", "status", "message"}]}
nlohmann::json startupChecksJson(const std::vector<StartupCheck>& checks);

const char* statusName(StartupCheck::Status status);

} // namespace uketsuke::kiosk::app
