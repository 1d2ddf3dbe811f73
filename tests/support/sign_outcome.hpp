#pragma once

// Reading JpkiCard's VERIFY-then-sign outcome in tests.

#include "kiosk/card/jpki.hpp"

#include <optional>

namespace uketsuke::test {

// The signature, or nullopt when the card refused the PIN or the call failed.
inline std::optional<hal::Bytes> signedBytes(Result<kiosk::card::SignOutcome> outcome)
{
    if (!outcome || !std::holds_alternative<hal::Bytes>(*outcome)) {
        return std::nullopt;
    }
    return std::get<hal::Bytes>(std::move(*outcome));
}

// The tries left of a refusal (0 = blocked), or -1 when the card did not refuse the PIN.
inline int triesLeftAfterRefusal(const Result<kiosk::card::SignOutcome>& outcome)
{
    if (!outcome || !std::holds_alternative<kiosk::card::PinRefused>(*outcome)) {
        return -1;
    }
    return std::get<kiosk::card::PinRefused>(*outcome).triesLeft;
}

} // namespace uketsuke::test
