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
// The TLS files are read by crypto::diagnoseTlsFiles (crypto/tls_files.hpp), the one check every
// program shares; this file only maps its checks onto the config keys. Two of its checks do not
// refuse a terminal, as before: `*.ca` is the CA of the server's certificate, which need not
// have issued the client certificate (cert_issued_by_ca), and dates are not checked (a terminal
// may boot with its clock unset).

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

// Every check, in a stable order: for the gateway (when eligibility.source uses it) and the
// desk, ca, cert and key; then terminal_id against the certificates' CN.
std::vector<StartupCheck> runStartupChecks(const config::KioskConfig& config);

// The first Invalid check, if any.
const StartupCheck* firstInvalid(const std::vector<StartupCheck>& checks);
// The Missing checks: what the not-ready screen lists.
std::vector<StartupCheck> missing(const std::vector<StartupCheck>& checks);

// {"ok": bool, "mode": "run" | "not-ready" | "invalid", "checks": [{"key", "status", "message"}]}
nlohmann::json startupChecksJson(const std::vector<StartupCheck>& checks);

const char* statusName(StartupCheck::Status status);

} // namespace uketsuke::kiosk::app
