// Fuzz target: arbitrary bytes as what reaches the reference gateway's enrolment
// (POST /v1/enrol, docs/protocol/eligibility.md §2.5) from a client without a certificate: the
// JSON body (sim/enrol.hpp parseEnrolRequest) and the certificate request in it
// (crypto::checkCsrForIssue, OpenSSL's PEM and PKCS#10 readers; the desk's pairing checks its
// requests the same way), and an activation code's file as the gateway reads it back (sim/activation.hpp parseActivation). Each must end in a value or an
// Error saying why, never a crash.
//
// Input: byte 0 selects what the rest is (0 a request body, whose csr is checked when it
// parses; 1 a certificate request's PEM alone; 2 an activation code's file).

#include "base/log.hpp"
#include "crypto/certificate.hpp"
#include "sim/activation.hpp"
#include "sim/enrol.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace uketsuke;
using namespace uketsuke::sim;

namespace {

void checkCsr(std::string_view pem)
{
    auto key = crypto::checkCsrForIssue(pem);
    if (key ? *key == nullptr : key.error().message.empty()) {
        std::abort(); // a key to certify, or a refusal that says why
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    log::configure("*:off");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) {
        return 0;
    }
    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 3) {
    case 0: {
        auto request = parseEnrolRequest(rest);
        if (!request) {
            if (request.error().message.empty()) {
                std::abort();
            }
            break;
        }
        // What parses is what the gateway may look up: two all-digit codes.
        if (!isClinicCode(request->clinicCode) || !isActivationCode(request->activationCode)) {
            std::abort();
        }
        checkCsr(request->csr);
        break;
    }
    case 1:
        checkCsr(rest);
        break;
    default: {
        auto activation = parseActivation(rest);
        if (activation && (!isTerminalId(activation->terminalId) ||
                           !isClinicCode(activation->clinicCode))) {
            std::abort();
        }
        break;
    }
    }
    return 0;
}
