// Fuzz target: arbitrary bytes as what the eligibility gateway answers
// (kiosk/eligibility/gateway_replies.hpp, docs/protocol/eligibility.md): the body of a challenge
// confirm or enrol reply, an error reply with any status, and the raw Date header line the transport
// reads (net::dateFromHeaderLine). Each must end in a value or an Error, never a crash.
//
// Input: byte 0 selects what the rest is (0 challenge, 1 confirm, 2 error reply, 3 a Date
// header line followed by a challenge body after the first '\n', 4 an enrol reply, 5 the desk's
// pairing reply, kiosk/model/pairing.hpp); byte 1 is the HTTP status
// offset for error replies (400 + byte) and the clock skew for challenges (seconds × 10).

#include "base/log.hpp"
#include "kiosk/eligibility/gateway_replies.hpp"
#include "kiosk/model/pairing.hpp"
#include "kiosk/model/qualification.hpp"
#include "net/https_client.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace uketsuke;
using namespace uketsuke::kiosk::eligibility;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    log::configure("*:off");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 2) {
        return 0;
    }
    const std::uint8_t what = data[0] % 6;
    const std::uint8_t knob = data[1];
    const std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
    // A fixed "now": 2026-12-05T01:00:00Z.
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1796432400));

    net::HttpResponse response;
    response.status = 200;
    ChallengeChecks checks{"KIOSK-0001", now, std::chrono::seconds(knob * 10)};
    switch (what) {
    case 0:
        response.body = std::string(rest);
        if (auto challenge = readChallengeReply(response, checks)) {
            // What it accepts is usable: an id and the nonce followed by the terminal id.
            if (challenge->id.empty() || challenge->toSign.size() < challenge->nonce.size()) {
                std::abort();
            }
        }
        break;
    case 1:
        if (auto result = readConfirmReply(rest)) {
            (void)kiosk::model::outcomeOf(*result);
        }
        break;
    case 2: {
        const Error error = replyError(400 + knob, rest, "confirm");
        if (error.native != 400 + knob || error.message.empty()) {
            std::abort();
        }
        break;
    }
    case 4:
        if (auto enrolled = readEnrolReply(rest)) {
            // What it accepts names a terminal and holds one certificate.
            if (enrolled->terminalId.empty() || enrolled->terminalId.size() > 64 ||
                enrolled->certificatePem.find("CERTIFICATE") == std::string::npos) {
                std::abort();
            }
        }
        break;
    case 5:
        if (auto paired = kiosk::model::parsePairReply(rest)) {
            // What it accepts names a plain terminal id, carries a proof, and its proof text
            // cannot be shifted between members (no NUL inside them).
            const std::string text = kiosk::model::replyProofText(*paired);
            if (paired->terminalId.empty() || paired->proof.size() != 64 ||
                std::count(text.begin(), text.end(), '\0') != 4) {
                std::abort();
            }
        }
        break;
    default: {
        const auto line = rest.substr(0, rest.find('\n'));
        response.date = net::dateFromHeaderLine(line);
        if (rest.find('\n') != std::string_view::npos) {
            response.body = std::string(rest.substr(rest.find('\n') + 1));
            (void)readChallengeReply(response, checks);
        }
        break;
    }
    }
    return 0;
}
