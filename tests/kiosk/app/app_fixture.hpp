#pragma once

// Helpers of the tests of kiosk/app: an App with a bare simulated reader, a loopback port
// nobody listens on, and finding a row of a staff menu page. Test code only.

#include "hal/sim/sim_reader.hpp"
#include "kiosk/app/app.hpp"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace uketsuke::tests {

// A loopback port nobody listens on: bound, never listened, closed at the end of the test.
struct DeadPort {
    int fd = -1;
    int port = 0;
    DeadPort()
    {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        socklen_t size = sizeof address;
        REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0);
        port = ntohs(address.sin_port);
    }
    ~DeadPort() { ::close(fd); }
    DeadPort(const DeadPort&) = delete;
    DeadPort& operator=(const DeadPort&) = delete;
};

// App::build with the built-in devices, the "sim" reader a bare SimCardReader (no persona
// needed); fails the test when the build fails.
inline std::unique_ptr<kiosk::app::App> buildSimApp(const kiosk::config::KioskConfig& config,
                                                    std::function<void()> wake = [] {})
{
    kiosk::app::DeviceRegistry devices = kiosk::app::builtinDevices();
    devices.addReader("sim", [](const kiosk::config::KioskConfig&)
                                 -> Result<kiosk::app::ReaderParts> {
        kiosk::app::ReaderParts parts;
        parts.reader = std::make_unique<hal::sim::SimCardReader>();
        return parts;
    });
    auto app = kiosk::app::App::build(config, std::move(wake), devices);
    if (!app) {
        FAIL(app.error().message);
    }
    return std::move(*app);
}

// The row of a staff menu page with `label`, or null.
inline const kiosk::runner::StaffRow* findRow(const std::vector<kiosk::runner::StaffRow>& rows,
                                              const std::string& label)
{
    for (const auto& row : rows) {
        if (row.labelKey == label) {
            return &row;
        }
    }
    return nullptr;
}

} // namespace uketsuke::tests
