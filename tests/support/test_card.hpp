#pragma once

// Test-only helpers for the card tests: JPKI-shaped certificates made with the OpenSSL C API
// (so hal and kiosk tests do not depend on sim/), a signature check, a temporary directory,
// and a CardChannel wrapper that counts and can interrupt the APDUs going through it.

#include "hal/apdu.hpp"
#include "hal/card.hpp"
#include "hal/sim/virtual_card.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace uketsuke::test {

struct TestCard {
    hal::Bytes certificateDer; // user-authentication certificate: C=JP, CN=<cn>
    std::string keyPem;        // its RSA-2048 private key
    hal::Bytes caDer;          // the self-signed JPKI-shaped user-authentication CA
    std::string caPem;
};

// A card certificate valid from notBefore to notAfter, issued by a JPKI-shaped CA (exact CA DN
// of docs/pki.md, critical CA:TRUE and keyCertSign/cRLSign; the leaf has critical
// digitalSignature). The RSA-2048 keys are generated once per process (slow under ASan) and
// shared by every certificate made here.
TestCard makeTestCard(const std::string& commonName, std::chrono::sys_seconds notBefore,
                      std::chrono::sys_seconds notAfter);

// A card valid from 400 days ago to 1400 days from now.
const TestCard& defaultTestCard();

// A VirtualCardConfig holding `card`, with the given PIN and tries left.
hal::sim::VirtualCardConfig virtualCardConfig(const TestCard& card, std::string pin = "1234",
                                              int triesLeft = 3);

// Whether `signature` is a valid RSA PKCS#1 v1.5 SHA-256 signature of `message` by the public
// key of the DER certificate `certificateDer`.
bool verifySha256Signature(const hal::Bytes& certificateDer,
                           std::span<const std::uint8_t> message,
                           std::span<const std::uint8_t> signature);

// A fresh directory under the system temporary directory, removed with its content on
// destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

void writeFile(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);
void writeFile(const std::filesystem::path& path, const std::string& text);

// Wraps a channel: every command is parsed, counted and recorded (header only, never data)
// before it is passed on. `beforeTransmit`, when set, runs before command number `index`
// (0-based) is passed on, e.g. to remove the card mid-read.
class CountingChannel final : public hal::CardChannel {
public:
    struct Header {
        std::uint8_t cla, ins, p1, p2;
        std::size_t dataSize;
    };
    using Hook = std::function<void(std::size_t index, const hal::CommandApdu& command)>;

    explicit CountingChannel(std::unique_ptr<hal::CardChannel> inner);

    std::size_t count() const { return m_headers.size(); }
    const std::vector<Header>& headers() const { return m_headers; }
    void setBeforeTransmit(Hook hook) { m_hook = std::move(hook); }

protected:
    Result<hal::Bytes> doTransmit(std::span<const std::uint8_t> command) override;

private:
    std::unique_ptr<hal::CardChannel> m_inner;
    std::vector<Header> m_headers;
    Hook m_hook;
};

// A channel that answers each command with the next scripted reply (raw bytes incl. SW, or an
// error), for robustness tests of the protocol code. After the script: CardRemoved.
class ScriptedChannel final : public hal::CardChannel {
public:
    explicit ScriptedChannel(std::vector<Result<hal::Bytes>> replies);
    std::size_t sent() const { return m_sent.size(); }
    const std::vector<hal::Bytes>& commands() const { return m_sent; }

protected:
    Result<hal::Bytes> doTransmit(std::span<const std::uint8_t> command) override;

private:
    std::vector<Result<hal::Bytes>> m_replies;
    std::vector<hal::Bytes> m_sent;
};

} // namespace uketsuke::test
