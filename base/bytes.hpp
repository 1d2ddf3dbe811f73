#pragma once

// Bytes: an owned run of octets (APDUs, certificates, signatures, challenges).

#include <cstdint>
#include <vector>

namespace uketsuke {

using Bytes = std::vector<std::uint8_t>;

} // namespace uketsuke
