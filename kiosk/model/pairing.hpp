#pragma once

// The messages of the desk pairing (docs/protocol/desk.md "Pairing"), shared by the terminal
// and the desk. Pure: JSON in and out, no cryptography (the proofs are computed by each side
// with crypto::hmacSha256 over the texts named here).
//
// A staff member with the desk's admin role makes a one-time pairing code for a terminal id
// (12 digits, valid for minutes). The terminal, given the desk's address and the code, makes a
// key pair and sends POST /api/v1/pair {"csr", "proof"} without a client certificate and
// without verifying the desk's certificate (it does not know the desk's CA yet). The code
// itself never travels: both sides key HMAC-SHA-256 with the 64 lower-case hex digits of
// SHA-256(code) (as ASCII), and proofs are written as 64 lower-case hex digits.
//  - request proof: HMAC(key, csr)                        the desk finds the code by it
//  - reply proof:   HMAC(key, replyProofText(reply))      the terminal trusts the reply by it
// The reply carries the terminal's client certificate, the CA that issued it (the desk's
// pairing CA) and the CA bundle that verifies the desk's own server certificate, which the
// terminal pins from then on.

#include "base/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace uketsuke::kiosk::model {

inline constexpr std::size_t kPairingCodeDigits = 12;

struct PairRequest {
    std::string csr;   // PEM PKCS#10 (checked by the desk with crypto::checkCsrForIssue)
    std::string proof; // 64 lower-case hex digits
};

struct PairReply {
    std::string terminalId;  // the CN of the certificate: the id the code was made for
    std::string certificate; // PEM: the terminal's desk client certificate
    std::string issuer;      // PEM: the desk's pairing CA, which issued it
    std::string ca;          // PEM bundle: verifies the desk's server certificate
    std::string proof;       // 64 lower-case hex digits
};

std::string pairRequestToJson(const PairRequest& request);
// Errors: InvalidArgument naming the member (not JSON, csr not a string or over 16 KiB, proof
// not 64 hex digits); never quotes a value.
Result<PairRequest> parsePairRequest(std::string_view body);

std::string pairReplyToJson(const PairReply& reply);
// Errors: BadReply naming the member (not JSON, a member missing, not a string, too long, a
// terminal_id that is not 1-32 plain characters, proof not 64 hex digits). The PEM inside is
// not parsed here.
Result<PairReply> parsePairReply(std::string_view body);

// What the reply's proof covers: terminal_id, certificate, issuer and ca, each followed by a
// NUL byte (none may hold one).
std::string replyProofText(const PairReply& reply);

// "4829 1365 0271": a one-time code in groups of four, as people read and type it (the desk's
// pairing code, the gateway's activation code).
std::string groupCodeDigits(std::string_view code);

// A one-time code as typed ("4829 1365 0271", "4829-1365-0271"), a pairing code or the
// gateway's activation code: spaces and hyphens dropped. Errors: InvalidArgument ("<what> is
// <digits> digits": anything else, or another count).
Result<std::string> normaliseTypedCode(std::string_view typed, std::size_t digits,
                                       std::string_view what);

} // namespace uketsuke::kiosk::model
