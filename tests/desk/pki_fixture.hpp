#pragma once

// Test helpers: a TLS test PKI written with crypto/ in the layout `uketsuke-sim pki` uses
// (DIR/tls/ca.pem, ca.key, desk.pem, desk.key, terminal.pem, terminal.key), so desk and
// delivery tests need no other program; TempDir comes along from tests/support/files.hpp.
// Failures throw std::runtime_error (test code only).

#include "tests/support/files.hpp"

#include <filesystem>
#include <string>

namespace uketsuke::tests {

// Writes a CA, the desk's server certificate (SAN localhost, 127.0.0.1, ::1) and the terminal's
// client certificate (CN=KIOSK-0001) under dir/tls/. P-256 keys, valid from an hour ago for
// thirty days.
void writeTestPki(const std::filesystem::path& dir);

// Writes dir/tls/<name>.pem and <name>.key: another client certificate with `commonName`,
// issued by dir/tls/ca.pem, or by a throw-away CA of its own when `foreignCa` is true.
void writeClientCertificate(const std::filesystem::path& dir, const std::string& name,
                            const std::string& commonName, bool foreignCa = false);

// Writes the client certificates a server must refuse, all with CN=KIOSK-0001, under dir/tls/:
// refused-expired, refused-not-yet-valid, refused-server-usage (extendedKeyUsage serverAuth
// only), refused-key-usage and refused-key-agreement (clientAuth, but keyUsage keyEncipherment
// or keyAgreement only) from dir/tls/ca.pem, and refused-other-ca from a throw-away CA. Works on this layout
// and on `uketsuke-sim pki`'s (both keep the CA in tls/ca.pem and tls/ca.key).
void writeRefusedClientCertificates(const std::filesystem::path& dir);

} // namespace uketsuke::tests
