#pragma once

// Builds the virtual card of a demo persona from the files `uketsuke-sim pki --out PKIDIR`
// writes (docs/card.md lists them):
//   PKIDIR/personas.json               {"personas": [{"id": ..., "card": {...}}, ...]}
//   PKIDIR/jpki/cards/<id>.der         the persona's user-authentication certificate (DER)
//   PKIDIR/jpki/cards/<id>.key.pem     its RSA private key (PEM)
//   PKIDIR/jpki/auth-ca.pem            the user-authentication CA (PEM), for EF 000B
//
// The persona's "card" object: "pin" (4 digits, required), "pin_tries_left" (0..3, default 3),
// and optionally "atr" (hex string), "token_label" (EF 0006 label) and "kind" ("my_number",
// the default, or "foreign": a card that is not a My Number card and needs no certificate
// files). Other keys (cn, validity days) are for the PKI generator and are ignored here.

#include "base/result.hpp"
#include "hal/sim/virtual_card.hpp"

#include <memory>
#include <string>

namespace uketsuke::hal::sim {

// Reads the files above and builds the card. `stateFile`, when not empty, keeps the PIN
// counters across runs (VirtualCardConfig::stateFile).
// Blocks on file I/O; thread: any.
// Errors: InvalidArgument (a persona id that is not a plain name), ConfigMissing (no
// personas.json, no such persona, a missing certificate or key file), ConfigInvalid (bad JSON,
// bad "card" fields, a key that does not match its certificate), StorageCorrupt (bad state
// file).
Result<std::shared_ptr<VirtualCard>> loadPersonaCard(const std::string& pkiDir,
                                                     const std::string& personaId,
                                                     const std::string& stateFile = {});

} // namespace uketsuke::hal::sim
