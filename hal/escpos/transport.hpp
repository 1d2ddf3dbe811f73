#pragma once

// Byte pipes to an ESC/POS printer: TCP port 9100 (Epson UB-E0x, built-in LAN, Star) and the
// USB printer class device /dev/usb/lpN (Linux usblp). Both are one file descriptor driven with
// poll() timeouts; replies (DLE EOT, GS r) come back on the same descriptor. A transport that
// fails closes itself; the next connect() opens it again (reconnection is the owner's call).
// Thread: the printer worker (one owner per transport).

#include "base/result.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace uketsuke::hal::escpos {

using Millis = std::chrono::milliseconds;

class Transport {
public:
    virtual ~Transport();
    Transport() = default;
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    // Opens the connection unless it is open. Errors: PrinterOffline (refused, unreachable, no
    // such device, busy: another process holds /dev/usb/lpN), Timeout.
    virtual Result<void> connect(Millis timeout) = 0;
    bool connected() const { return m_fd >= 0; }
    void close();

    // Writes all of `bytes`. Errors: PrinterOffline (connection lost; the transport closes),
    // Timeout (the printer stopped taking data: buffer full, paper out mid-job).
    Result<void> write(std::string_view bytes, Millis timeout);
    // Reads one byte. Errors: Timeout, PrinterOffline (closed by the peer).
    Result<std::uint8_t> readByte(Millis timeout);
    // Drops whatever the printer sent that nobody read (late replies).
    void discardInput();

    // "tcp:HOST:PORT" or "usb:/dev/usb/lp0", for logs.
    virtual std::string describe() const = 0;

protected:
    int m_fd = -1;
};

// Errors of open: none (connects lazily).
std::unique_ptr<Transport> tcpTransport(std::string host, std::uint16_t port);
std::unique_ptr<Transport> usbTransport(std::string devicePath);

} // namespace uketsuke::hal::escpos
