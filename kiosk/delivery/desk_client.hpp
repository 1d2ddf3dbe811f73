#pragma once

// Delivers one check-in to the reception desk (docs/protocol/desk.md): POST
// <baseUrl>/api/v1/checkins over HTTPS with the terminal's client certificate; and the
// terminal's health: POST <baseUrl>/api/v1/terminals/health; its staff audit log: POST
// <baseUrl>/api/v1/terminals/audit.

#include "base/result.hpp"
#include "kiosk/model/checkin.hpp"
#include "kiosk/model/health.hpp"
#include "kiosk/model/staff_audit.hpp"
#include "net/https_client.hpp"

#include <string>

namespace uketsuke::kiosk::delivery {

class DeskClient {
public:
    // baseUrl: "https://desk.example:8443" (a trailing slash is ignored). Does no I/O.
    DeskClient(std::string baseUrl, net::TlsFiles tls, net::Timeouts timeouts);

    // Sends the check-in and waits for the desk's answer. Blocks up to the total timeout.
    // Thread: the owning worker only (the HTTPS connection is kept and reused, not shared).
    // Success: the desk stored it now (201) or had stored it before (200, duplicate); either
    // way the terminal may delete it.
    // Errors:
    //   ServerRejected  4xx: the desk will not take this record as it is (native = status;
    //                   the message carries the desk's error code, e.g. terminal_mismatch)
    //   ServerError     5xx: the desk could not store it now; try again later
    //   BadReply        any other status, or a 2xx whose body is not the documented answer
    //   Timeout, NetworkUnreachable, TlsFailure, NetworkError  from the transport
    Result<void> deliver(const model::CheckIn& checkIn);

    // Sends the terminal's health and waits for the desk's 200 {"status":"recorded"}. Same
    // thread rule and errors as deliver(). A client used for this should not also deliver:
    // health reports have a thread of their own (HealthReporter).
    Result<void> reportHealth(const model::TerminalHealth& health);

    // Sends staff audit lines and waits for the desk's 200 {"status":"recorded"} (each line
    // stored now or before). Same thread rule and errors as deliver(); the delivery worker's
    // client sends both.
    Result<void> deliverAudit(const model::StaffAuditBatch& batch);

private:
    // POSTs `body` to `url`; success is `okStatus` answered with {"status": okWord}.
    Result<void> post(const std::string& url, const std::string& body, long okStatus,
                      const char* okWord);

    std::string m_base;
    std::string m_url;
    net::HttpsClient m_https;
};

} // namespace uketsuke::kiosk::delivery
