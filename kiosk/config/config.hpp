#pragma once

// The terminal's configuration: /etc/uketsuke/kiosk.toml plus command-line flags, which win.
// Every key is documented in docs/config/kiosk.md. Defaults run the demo.

#include "hal/result.hpp"
#include "kiosk/flow/flow.hpp"

#include <string>
#include <vector>

namespace uketsuke::kiosk::config {

struct TlsFiles {
    std::string ca;
    std::string cert;
    std::string key;
};

struct KioskConfig {
    // DoctorCard: `uketsuke-kiosk doctor card` (docs/doctor.md): print the card diagnosis as
    // JSON and exit.
    enum class Action { Run, Help, Version, DoctorCard };
    Action action = Action::Run;

    std::string terminalId; // empty: the CN of the terminal's client certificate
    std::string clinicCode = "1399999999";
    std::string language = "ja";
    std::string assetsDir; // default: the source tree's assets/ (build) or the installed ones
    std::string dataDir = "var/kiosk";

    std::string readerKind = "sim"; // "sim" (in-process virtual card) or "pcsc"
    std::string readerName;         // pcsc: a substring of the reader's name
    int doctorWaitSeconds = 0;      // doctor card: how long to wait for a card (--wait)
    std::string simPersona = "valid";
    std::string simPkiDir; // where the virtual cards' keys live (default: pki)
    std::string printer = "sim:out/slips"; // "sim:DIR"

    std::string gatewayUrl = "https://127.0.0.1:8443";
    TlsFiles gatewayTls;
    std::string deskUrl = "https://127.0.0.1:8444";
    TlsFiles deskTls;
    int connectTimeoutMs = 3000;
    int totalTimeoutMs = 10000;

    bool fullscreen = true;
    int width = 1280;
    int height = 800;
    std::string font = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    int fontIndex = 0;
    bool demoControls = false; // show the "insert card / remove card" demo buttons

    flow::Timeouts timeouts;

    bool headless = false;
    std::string script;
    std::string screenshots;
};

// The usage text for --help.
std::string kioskUsage();

// Parses the flags and the TOML file named by --config. Errors: ConfigInvalid / ConfigMissing
// with one line naming the flag or key and the problem (main prints it and exits with 2).
Result<KioskConfig> parseKioskArgs(const std::vector<std::string>& args);

// Applies "--pki DIR": the file names `uketsuke-sim pki` writes there (docs/pki.md).
void applyPkiDir(KioskConfig& config, const std::string& dir);

} // namespace uketsuke::kiosk::config
