#pragma once

// `uketsuke-sim card`: the virtual My Number card (hal/sim VirtualCard) behind the real pcscd,
// through Debian's vsmartcard-vpcd driver (docs/programs/uketsuke-sim.md). vpcd runs in server
// mode inside pcscd and listens on 35963 + slot; this client connects to it, which inserts the
// card, and closes the connection to remove it.
//
// Framing, both ways: a 2-byte big-endian length, then that many bytes. From vpcd: a 1-byte
// control message (00 power off, 01 power on, 02 reset: no reply; 04 get ATR: the ATR as one
// frame, at any time, since vpcd polls presence with it) or a command APDU (reply: data + SW as
// one frame, never empty: a zero-length reply would make vpcd drop the card). After EOF (pcscd
// stopped or restarted) the client connects again until it is stopped.

#include "hal/card.hpp"
#include "base/result.hpp"
#include "hal/sim/virtual_card.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

namespace uketsuke::sim {

// vpcd's first slot (VPCDPORT 0x8C7B); slot n listens on kVpcdPort + n.
inline constexpr std::uint16_t kVpcdPort = 35963;

// A contactless pseudo-ATR of the card (docs/programs/uketsuke-sim.md; a reader builds it from
// the ATQB).
inline constexpr std::array<std::uint8_t, 13> kContactlessAtr{
    0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x05, 0xE0, 0xB3, 0x81, 0xA1, 0x00, 0x7F};

struct VpcdCardOptions {
    std::string host = "127.0.0.1"; // an IPv4 address
    std::uint16_t port = kVpcdPort;
    // The ATR answered to 04; empty: the card's own (VirtualCard::atr()).
    hal::Bytes atr;
    // How long to wait before connecting again when vpcd is not listening (pcscd starting or
    // restarting).
    std::chrono::milliseconds reconnectDelay{100};
    // Simulates the patient pulling the card: when command APDU number `removeAfter` + 1
    // arrives, the connection is closed without an answer and run() returns. Counted over the
    // whole run; nullopt: never.
    std::optional<std::size_t> removeAfter;
};

class VpcdCard {
public:
    VpcdCard(std::shared_ptr<hal::sim::VirtualCard> card, VpcdCardOptions options);
    ~VpcdCard();
    VpcdCard(const VpcdCard&) = delete;
    VpcdCard& operator=(const VpcdCard&) = delete;

    // Connects, serves vpcd, and connects again after EOF, until stop() or the removal of
    // VpcdCardOptions::removeAfter. Blocks; thread: the caller's.
    // Errors: InvalidArgument (host is not an IPv4 address), Internal (no socket/eventfd).
    Result<void> run();

    // Ends run(): the connection is closed (the card is removed). Thread: any; async-signal
    // safe is not required (call it from a signal-waiting thread).
    void stop();

    // Command APDUs answered so far, and connections made. Thread: any.
    std::size_t commands() const { return m_commands.load(); }
    std::size_t connections() const { return m_connections.load(); }

private:
    enum class Served { Eof, Stopped, Removed };
    Served serve(int fd);

    std::shared_ptr<hal::sim::VirtualCard> m_card;
    VpcdCardOptions m_options;
    int m_wakeFd = -1;
    std::atomic<std::size_t> m_commands{0};
    std::atomic<std::size_t> m_connections{0};
    std::atomic<bool> m_stopped{false};
};

// The options of `uketsuke-sim card` after parsing (docs/programs/uketsuke-sim.md).
struct CardCommand {
    std::string pkiDir;
    std::string persona;
    std::string stateFile;
    std::uint16_t port = kVpcdPort;
    std::string atr; // "", "contact", "contactless"
    std::optional<std::size_t> removeAfter;
};

// Runs `uketsuke-sim card`: loads the persona's card, serves vpcd until SIGINT/SIGTERM (or the
// removal of --remove-after) and returns the exit status (0 ok, 1 failure, 2 bad persona or
// files). Prints one line "card PERSONA on 127.0.0.1:PORT" to `out` when it starts. Blocks the
// stop signals in the calling thread; call it from main() only.
int runCardCommand(const CardCommand& command, std::ostream& out, std::ostream& err);

} // namespace uketsuke::sim
