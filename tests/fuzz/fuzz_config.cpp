// Fuzz target: the configuration files, kiosk.toml and desk.toml, as the terminal and the desk
// read them (toml11 through base/options.hpp's option table, then each program's own checks),
// with the file's text given in memory (options::ConfigText) instead of read from disk.
//
// Input: byte 0 even: the rest is a kiosk.toml; odd: a desk.toml. Refused files give one line
// naming the problem (abort on a message spanning lines or an unexpected code); what is
// accepted keeps the invariants the checks promise.

#include "base/log.hpp"
#include "desk/options.hpp"
#include "kiosk/config/config.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace uketsuke;

void checkRefusal(const Error& error)
{
    if (error.message.empty() || error.message.find('\n') != std::string::npos ||
        error.message.find('\r') != std::string::npos) {
        std::abort();
    }
    if (error.code != Errc::ConfigInvalid && error.code != Errc::InvalidArgument) {
        std::abort();
    }
}

bool isDigits(const std::string& text, std::size_t size)
{
    return text.size() == size && text.find_first_not_of("0123456789") == std::string::npos;
}

void readKioskToml(std::string_view text)
{
    auto parsed = kiosk::config::parseKioskArgs({"--pki", "/nonexistent/pki"},
                                                options::ConfigText{text, "/etc/kiosk.toml"});
    if (!parsed) {
        checkRefusal(parsed.error());
        return;
    }
    const auto& c = *parsed;
    if (!isDigits(c.clinicCode, 10) || c.gatewayUrl.rfind("https://", 0) != 0 ||
        c.deskUrl.rfind("https://", 0) != 0 || c.simPersona.empty() ||
        c.simPersona.find('/') != std::string::npos || c.simPersona[0] == '.') {
        std::abort();
    }
    if (c.printerWidthDots != 384 && c.printerWidthDots != 512 && c.printerWidthDots != 576) {
        std::abort();
    }
    if (c.pinPadTimeoutSeconds < 1 || c.pinPadTimeoutSeconds > 255 || c.width < 1 ||
        c.height < 1) {
        std::abort();
    }
}

void readDeskToml(std::string_view text)
{
    auto parsed = desk::parseCommandLine({"--pki", "/nonexistent/pki", "--data", "/nonexistent"},
                                         options::ConfigText{text, "/etc/desk.toml"});
    if (!parsed) {
        checkRefusal(parsed.error());
        return;
    }
    const auto& o = parsed->options;
    if (o.listenPort < 0 || o.listenPort > 65535 || o.listenHost.empty() ||
        o.retentionDays < 1) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    uketsuke::log::configure("*:off");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) {
        return 0;
    }
    std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if ((data[0] & 1) == 0) {
        readKioskToml(text);
    } else {
        readDeskToml(text);
    }
    return 0;
}
