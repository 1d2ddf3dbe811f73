// App::drainOutbox with the desk away: the delivery worker keeps its back-off while the
// terminal waits for the outbox to empty (it used to wake the worker on every pass: about 200
// attempts and 600 warning lines in one second at the end of a headless run).

#include "kiosk/app/app.hpp"

#include "hal/sim/sim_reader.hpp"
#include "kiosk/delivery/outbox.hpp"
#include "tests/desk/pki_fixture.hpp"
#include "tests/desk/sample_checkin.hpp"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

using namespace uketsuke;
using namespace uketsuke::kiosk;

namespace {

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
};

} // namespace

TEST_CASE("App::drainOutbox: the desk away, the delivery worker keeps its back-off")
{
    tests::TempDir dir;
    tests::writeTestPki(dir.path());
    DeadPort desk;

    config::KioskConfig config;
    config::applyPkiDir(config, dir.path().string());
    config.terminalId = "KIOSK-0001";
    config.dataDir = (dir.path() / "kiosk").string();
    config.printer = "sim:" + (dir.path() / "slips").string();
    config.deskUrl = "https://127.0.0.1:" + std::to_string(desk.port);
    config.connectTimeoutMs = 500;
    config.assetsDir = std::string(UKETSUKE_SOURCE_DIR) + "/assets";
    {
        std::filesystem::create_directories(config.dataDir);
        auto outbox = delivery::Outbox::open(config.dataDir + "/outbox.sqlite3");
        REQUIRE(outbox);
        REQUIRE((*outbox)->put(tests::sampleCheckIn("drain-1", "0001")));
    }

    app::DeviceRegistry devices = app::builtinDevices();
    devices.addReader("sim", [](const config::KioskConfig&) -> Result<app::ReaderParts> {
        app::ReaderParts parts;
        parts.reader = std::make_unique<hal::sim::SimCardReader>();
        return parts;
    });
    auto app = app::App::build(config, [] {}, devices);
    if (!app) {
        FAIL(app.error().message);
    }
    (*app)->start();
    // The worker's default back-off is 1 s doubling: within 2.5 s at most 3 passes (at 0, 1
    // and 3 s); waking it on every pass made hundreds.
    const int left = (*app)->drainOutbox(std::chrono::milliseconds(2500));
    (*app)->stop();
    CHECK(left == 1); // still waiting, kept for the next start

    const auto lines = (*app)->recentLog().snapshot();
    const auto attempts = std::count_if(lines.begin(), lines.end(), [](const log::Record& line) {
        return line.text.find("desk delivery:") != std::string::npos;
    });
    CHECK(attempts >= 1);
    CHECK(attempts <= 3);
}
