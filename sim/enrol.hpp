#pragma once

// The request of POST /v1/enrol (docs/protocol/eligibility.md §2.5), read apart from the
// gateway so that it is tested and fuzzed on its own (tests/fuzz/fuzz_enrol_request.cpp).
// Pure computations on memory; any thread.

#include "base/result.hpp"

#include <string>
#include <string_view>

namespace uketsuke::sim {

struct EnrolRequest {
    std::string clinicCode;     // 10 digits
    std::string activationCode; // 12 digits
    std::string csr;            // PEM, not yet checked (crypto::checkCsrForIssue)
};

// The body: a JSON object with the strings clinic_code (10 digits), activation_code (12 digits)
// and csr; unknown members are ignored. Errors: InvalidArgument saying what is wrong (the
// gateway's 400 bad_request); the message never holds a member's value.
Result<EnrolRequest> parseEnrolRequest(std::string_view body);

} // namespace uketsuke::sim
