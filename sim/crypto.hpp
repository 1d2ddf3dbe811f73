#pragma once

// Transitional: the OpenSSL helpers moved to crypto/ (crypto/crypto.hpp, crypto/certificate.hpp)
// and the file helpers to base/files.hpp, so that production code may use them. This header
// keeps the old unqualified names for sim/gateway.cpp and the tests around it while its server
// moves onto net/; new code includes crypto/ and base/files.hpp directly. Remove it once
// nothing includes it.

#include "base/files.hpp"
#include "crypto/certificate.hpp"
#include "crypto/crypto.hpp"
#include "hal/card.hpp" // hal::Bytes, which the old header brought along

#include <filesystem>
#include <string>
#include <string_view>

namespace uketsuke::sim {

using namespace uketsuke::crypto;

inline Result<std::string> readTextFile(const std::filesystem::path& file)
{
    return files::readFile(file);
}

// privateFile: 0600 (keys), else 0644.
inline Result<void> writeFile(const std::filesystem::path& file, std::string_view content,
                              bool privateFile = false)
{
    return files::writeFile(file, content, privateFile ? files::kPrivateFileMode : 0644);
}

} // namespace uketsuke::sim
