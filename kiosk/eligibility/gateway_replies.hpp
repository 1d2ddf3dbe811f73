#pragma once

// Reading the gateway's replies (protocol v1, docs/protocol/eligibility.md): pure functions of
// the HTTP status, body and Date header, apart from the transport so that they can be tested
// and fuzzed alone (tests/fuzz/fuzz_gateway_reply.cpp). Every reply is outside bytes: a bad one
// is an Error (BadReply, ClockSkew, ...), never a crash. Logged without the body.

#include "base/result.hpp"
#include "kiosk/eligibility/source.hpp"
#include "kiosk/model/qualification.hpp"
#include "net/https_client.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace uketsuke::kiosk::eligibility {

// HTTP status + protocol error code -> Errc: the one table for gateway replies other than 200.
// ServerError (5xx); ChallengeExpired, CertificateRejected or ServerRejected (4xx, by the
// body's error.code); BadReply otherwise. Error::native holds the status. `call` names the
// request in the message ("challenge", "confirm").
Error replyError(long status, std::string_view body, const char* call);

// What a challenge reply is checked against.
struct ChallengeChecks {
    std::string terminalId;                     // appended to the nonce in Challenge::toSign
    std::chrono::system_clock::time_point now;  // the terminal's clock
    std::chrono::seconds maxClockSkew{300};     // zero: no check against the Date header
};

// A 200 reply to /v1/challenge. Errors: BadReply (not a JSON object, challenge_id missing,
// empty or longer than 64, nonce not base64 of 16-1024 bytes, expires_at not RFC 3339 UTC);
// ClockSkew (the Date header is further than maxClockSkew from `now`, or the challenge
// expires at or before the gateway's own Date).
Result<Challenge> readChallengeReply(const net::HttpResponse& response,
                                     const ChallengeChecks& checks);

// A 200 reply to /v1/confirm: {"result": <qualification result>}. Errors: BadReply.
Result<model::QualificationResult> readConfirmReply(std::string_view body);

// A 200 reply to /v1/enrol (protocol §2.5): the terminal id the gateway enrolled and its
// certificate, as sent. Whether the certificate is the terminal's and chains to the pinned CA
// is checked by the enrolment (kiosk/app/enrolment.hpp), which holds the key.
struct EnrolReply {
    std::string terminalId;
    std::string certificatePem;
};
// Errors: BadReply (not a JSON object; terminal_id missing, empty, longer than 64 or not
// printable ASCII; certificate missing or not one PEM certificate).
Result<EnrolReply> readEnrolReply(std::string_view body);

} // namespace uketsuke::kiosk::eligibility
