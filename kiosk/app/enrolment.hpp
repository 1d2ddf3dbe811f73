#pragma once

// Enrolment with the eligibility gateway (docs/enrolment.md, protocol §2.5): the terminal makes
// its own key pair, sends a certificate request with the clinic's 機関コード and a one-time
// activation code, checks the certificate it gets back and installs key and certificate where
// the configuration keeps them (gateway.key, gateway.cert). The key never leaves the terminal.
//
// Installing is crash-safe: both files are first published whole as "<file>.new" (0600), then
// renamed over the old ones, key first. A power cut between the two renames leaves a new key
// beside the old certificate; finishEnrolment(), run before the start-up checks, completes it.
//
// Thread: any; enrolWithGateway() blocks on the network (the staff console's worker, or the
// `enrol` command).

#include "base/result.hpp"
#include "crypto/crypto.hpp"
#include "kiosk/config/config.hpp"
#include "net/https_client.hpp"

#include <openssl/types.h>

#include <chrono>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>

namespace uketsuke::kiosk::app {

// The 12 digits of an activation code as typed ("4829 1365 0271", "4829-1365-0271"): spaces
// and hyphens dropped. Errors: InvalidArgument (anything else, or not 12 digits).
Result<std::string> normaliseActivationCode(std::string_view typed);

struct Enrolled {
    std::string terminalId;          // the CN of the new certificate
    std::chrono::sys_seconds notAfter;
};

// Enrols with config.gatewayUrl, pinning config.gatewayTls.ca and presenting no client
// certificate, and installs the result at config.gatewayTls.key / .cert (the desk's files too
// when they are the same files). `clinicCode`: 10 digits. Nothing is replaced unless the reply
// certifies the new key, chains to the pinned CA, carries clientAuth, and names config's
// terminal_id when one is configured.
// Errors: InvalidArgument (a code's form), the transport's (Timeout, NetworkUnreachable,
// TlsFailure, NetworkError), ServerRejected (400, 403: the message holds the protocol's error
// code, activation_refused or csr_invalid), ServerError (5xx), BadReply (a 200 without a
// usable certificate, or one for another key, CA or terminal id), StorageError (the files
// cannot be written; the old ones are kept).
Result<Enrolled> enrolWithGateway(const config::KioskConfig& config, std::string_view clinicCode,
                                  std::string_view activationCode, net::Timeouts timeouts);

// A fresh EC P-256 key of the terminal's own and a certificate request it signed, asking for
// config.terminalId (or "uketsuke-terminal" when none is configured; the CA decides the CN).
struct NewKey {
    crypto::PkeyPtr key;
    std::string keyPem; // written only once a certificate for it arrived
    std::string csrPem;
};
// Errors: Internal.
Result<NewKey> makeKeyAndRequest(const config::KioskConfig& config);

// The checks of a certificate a CA of ours issued to this terminal (the gateway's enrolment,
// the desk's pairing): it parses, certifies `key`, is a TLS client certificate, its CN is
// `replyId` and, when `terminalId` (the configuration's) is set, that too. Returns its end.
// Errors: BadReply ("<what>: ..." saying which).
Result<std::chrono::sys_seconds> checkIssuedCertificate(std::string_view certificatePem,
                                                        EVP_PKEY* key, std::string_view replyId,
                                                        std::string_view terminalId,
                                                        std::string_view what);

// Installs a new key and certificate at files.key / files.cert crash-safely (both published as
// "<file>.new", checked against files.ca as the start-up checks them, with `commonName` when
// set, then renamed, key first: finishEnrolment). Returns the certificate's serial.
// Errors: BadReply (the pair does not check), StorageError (the old files are kept).
Result<std::string> installIdentity(const config::TlsFiles& files, std::string_view keyPem,
                                    std::string_view certificatePem, std::string_view commonName,
                                    std::string_view what);

// Completes or discards an enrolment that stopped before both files were in place: a
// "<cert>.new" that certifies "<key>.new" or (already renamed) the key is moved into place;
// anything else left as ".new" is removed. Returns whether a certificate was installed.
// Errors: StorageError.
Result<bool> finishEnrolment(const config::TlsFiles& files);

// `uketsuke-kiosk enrol`: enrols with config.clinicCode and the activation code read as one
// line from `in` (asked for on `err` when `interactive`; never an argument, which `ps` would
// show). Prints "enrolled as ID, certificate until TIME" on `out`. Returns the exit status:
// 0 enrolled, 2 a code that is not 12 digits or a configuration without the files' paths,
// 1 refused or unreachable (one line on `err` with the error's code).
int enrolCommand(const config::KioskConfig& config, std::istream& in, bool interactive,
                 std::ostream& out, std::ostream& err);

} // namespace uketsuke::kiosk::app
