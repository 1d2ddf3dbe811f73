#pragma once

// Bytes as hexadecimal text, for logs, diagnostics and protocol fields (one implementation for
// every folder).

#include <cstdint>
#include <span>
#include <string>

namespace uketsuke {

enum class HexCase { Upper, Lower };

// "3F00" (Upper, the default: APDUs, ATRs, status words) or "3f00" (Lower: protocol ids).
std::string hex(std::span<const std::uint8_t> bytes, HexCase letters = HexCase::Upper);

} // namespace uketsuke
