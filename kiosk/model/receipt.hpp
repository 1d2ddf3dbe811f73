#pragma once

// Receipt numbers (受付番号) unique in the clinic for the day: "<prefix>-<sequence>", e.g.
// "A-0007". The prefix names the terminal (config `receipt_prefix`, or derived from its id),
// the sequence is the outbox's per-day counter (kiosk/delivery/outbox.hpp). The design and its
// limits: docs/receipt-numbers.md.

#include <optional>
#include <string>
#include <string_view>

namespace uketsuke::kiosk::model {

// One or two capital letters A-Z: easy to call out, to tell apart on a slip, and safe in a file
// name and a QR-free slip id.
bool isReceiptPrefix(std::string_view prefix);

// The prefix of a terminal whose configuration names none: its id's trailing number in
// bijective base 26 (KIOSK-0001 → "A", KIOSK-0002 → "B", KIOSK-0026 → "Z", KIOSK-0027 →
// "AA", up to 702 → "ZZ"); for an id without such a number, two letters from a hash of the
// id (which two terminals may share: set `receipt_prefix` then).
std::string defaultReceiptPrefix(std::string_view terminalId);

// "A" and "0007" → "A-0007".
std::string receiptNumber(std::string_view prefix, std::string_view sequence);

} // namespace uketsuke::kiosk::model
