#pragma once

// Fault injection for the reference gateway (`uketsuke-sim gateway`), so the terminal's client
// can be tested against every failure it must survive: a slow answer, a 5xx, a body that is not
// JSON, a connection dropped after the request was processed, a challenge that is already
// expired. Set in-process (GatewayServer::faults()) or, when the gateway was started with
// --allow-faults, through POST /control/faults from a loopback peer
// (docs/programs/uketsuke-sim.md).

#include "base/result.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

namespace uketsuke::sim {

enum class FaultKind {
    Delay,            // answer after `delay` (then normally)
    ServerError,      // answer `status` (5xx) with an error body, without processing
    MalformedJson,    // answer 200 with a body that is not JSON, without processing
    DropConnection,   // process the request, then close the connection without an answer
    ExpiredChallenge, // challenge only: issue a challenge that has already expired
};

enum class FaultTarget { Any, Challenge, Confirm };

struct FaultRule {
    FaultTarget on = FaultTarget::Any;
    FaultKind kind = FaultKind::ServerError;
    int count = -1; // requests it applies to; -1 = until cleared
    std::chrono::milliseconds delay{0};
    int status = 503;
};

// "delay", "server_error", "malformed_json", "drop_connection", "expired_challenge".
const char* faultKindName(FaultKind kind);

// {"faults": [{"on": "challenge"|"confirm"|"any", "kind": "...", "count": 1,
//              "delay_ms": 500, "status": 503}]}. Errors: InvalidArgument naming the member.
Result<std::vector<FaultRule>> faultsFromJson(const nlohmann::json& json);

// The rules in force. Thread-safe.
class FaultInjector {
public:
    void set(std::vector<FaultRule> rules);
    void clear();
    // The first rule that applies to a request to `endpoint`, counting it as used.
    std::optional<FaultRule> take(FaultTarget endpoint);

private:
    std::mutex m_mutex;
    std::vector<FaultRule> m_rules;
};

} // namespace uketsuke::sim
