#pragma once

// Pairing with the desk (docs/pairing.md, protocol: docs/protocol/desk.md "Pairing"): given the
// desk's address and a one-time pairing code an administrator made at the desk, the terminal
// makes its own key pair (the key never leaves it), sends a certificate request proved with the
// code (the code itself is never sent), checks the reply's proof, and installs the desk client
// certificate at desk.cert / desk.key and the desk's CA (with the pairing CA) at desk.ca. Until then it does not know
// the desk's CA, so this one request does not verify the desk's certificate; the proof does:
// only a desk that made the code can answer it, and the desk's certificate must chain to the CA
// it answered.
//
// Thread: any; blocks on the network (the `pair` command, or the staff console's worker).

#include "base/result.hpp"
#include "kiosk/config/config.hpp"
#include "net/https_client.hpp"

#include <chrono>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>

namespace uketsuke::kiosk::app {

struct Paired {
    std::string terminalId; // the CN of the new certificate
    std::chrono::sys_seconds notAfter;
};

// Pairs with `deskUrl` (https://HOST:PORT) using `code` (12 digits, spaces and hyphens allowed)
// and installs the result at config.deskTls. Refuses when desk.ca, desk.cert or desk.key is one
// of the gateway's files (pairing would replace the gateway's certificate or CA).
// Errors: InvalidArgument (the code's form), ConfigMissing (desk.ca, desk.cert or desk.key not
// set), ConfigInvalid (they are the gateway's), the transport's (Timeout, NetworkUnreachable,
// TlsFailure, NetworkError), ServerRejected (400 bad_request / csr_invalid, 403
// pairing_refused: the message holds the code), ServerError (5xx), BadReply (a reply whose
// proof, certificate or CA does not check: nothing is installed), StorageError.
Result<Paired> pairWithDesk(const config::KioskConfig& config, std::string_view deskUrl,
                            std::string_view code, net::Timeouts timeouts);

// `uketsuke-kiosk pair`: pairs with config.deskUrl, the code read as one line from `in` (asked
// for on `err` when `interactive`; never an argument, which `ps` would show). Prints "paired as
// ID, certificate until TIME". Returns 0 paired, 2 a code that is not 12 digits or a
// configuration that cannot take the files, 1 refused or unreachable.
int pairCommand(const config::KioskConfig& config, std::istream& in, bool interactive,
                std::ostream& out, std::ostream& err);

} // namespace uketsuke::kiosk::app
