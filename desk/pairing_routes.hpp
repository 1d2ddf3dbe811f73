#pragma once

// The pairing routes (docs/pairing.md, protocol: docs/protocol/desk.md "Pairing"):
//  - POST /api/v1/pair {csr, proof}: a terminal without a client certificate pairs with a
//    one-time code (desk/pairing.hpp): 200 the reply, 400 bad_request / csr_invalid,
//    403 pairing_refused, 500 storage_error.
//  - GET /terminals (HTML), GET /api/v1/pairing/terminals (JSON): the paired and revoked
//    terminals, for administrators.
//  - POST /terminals/code (form: terminal_id) and POST /api/v1/pairing/codes
//    ({"terminal_id"}): a new pairing code, shown once; administrators, CSRF token.
//  - POST /terminals/revoke (form: terminal_id; without confirm=1 the page asks first, with it
//    303 back to /terminals) and
//    POST /api/v1/pairing/revoke ({"terminal_id"}): revoke a terminal; administrators.
// Every code, pairing and revocation is written to the audit log (never the code).

#include "desk/auth.hpp"
#include "desk/pairing.hpp"
#include "base/time.hpp"
#include "kiosk/model/strings.hpp"
#include "net/server.hpp"

#include <string>
#include <vector>

namespace uketsuke::desk {

// Adds the routes above. Everything must outlive the router.
void addPairingRoutes(net::Router& router, PairingService& pairing, StaffAuth& auth,
                      const kiosk::model::StringTable& strings, const time::Zone& zone);

// The administrators' page of terminals: the 端末を追加 form, the code just made (when `code`
// is set), a problem with what was typed (`problemKey`, a string key), the question whether to
// revoke `confirmRevoke` (when not empty) and the list with a 取り消す button each.
std::string renderTerminalsPage(const kiosk::model::StringTable& strings,
                                const std::vector<PairedTerminal>& terminals,
                                const StaffSession& session, const PairingCode* code,
                                const time::Zone& zone, const char* problemKey = nullptr,
                                std::string_view confirmRevoke = {});

// The keys the page uses; a test checks every string table has them.
std::vector<std::string> terminalsPageStringKeys();

} // namespace uketsuke::desk
