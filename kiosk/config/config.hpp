#pragma once

// The terminal's configuration: /etc/uketsuke/kiosk.toml plus command-line flags, which win.
// Every key is documented in docs/config/kiosk.md. Defaults run the demo. Each flag and key is
// declared once in config.cpp, in the option table of base/options.hpp.

#include "base/result.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/model/oqs_xml.hpp"
#include "kiosk/runner/slip.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::options {
struct ConfigText;
}

namespace uketsuke::kiosk::config {

struct TlsFiles {
    std::string ca;
    std::string cert;
    std::string key;
};

// `eligibility.source`: where the terminal asks whether a patient is insured
// (kiosk/eligibility/source.hpp, docs/config/kiosk.md).
enum class EligibilityKind {
    Gateway,            // "gateway": My Number card check-ins through the gateway
    OqsFiles,           // "oqs-files": insurance-card lookups through the 資格確認端末 folders
    GatewayAndOqsFiles, // "gateway+oqs-files": both
};

constexpr bool usesGateway(EligibilityKind kind)
{
    return kind != EligibilityKind::OqsFiles;
}

constexpr bool usesOqsFiles(EligibilityKind kind)
{
    return kind != EligibilityKind::Gateway;
}

// "gateway", "oqs-files" or "gateway+oqs-files", as written in the config.
const char* eligibilityKindName(EligibilityKind kind);

// `ui.renderer`: how the screens are drawn (docs/performance.md). Software: SDL's software
// renderer into the window's own framebuffer (X11 shared memory, the offscreen driver): no
// OpenGL, so no Mesa in memory, and a spinner redraws only its own rectangle. Accelerated:
// SDL's OpenGL (ES) renderer. Auto: software where the video driver has a framebuffer of its
// own (x11, offscreen, dummy), accelerated where SDL would put even a software frame through
// OpenGL (kmsdrm, wayland) -- ui/host.hpp chooseRenderer().
enum class Renderer {
    Auto,        // "auto"
    Software,    // "software"
    Accelerated, // "accelerated"
};

// The 資格確認端末 file interface (docs/oqs-files.md); used with "oqs-files" and
// "gateway+oqs-files". The 医療機関コード in each request is KioskConfig::clinicCode.
struct OqsConfig {
    std::string reqDir; // oqs.req_dir: its `req` folder (required)
    std::string resDir; // oqs.res_dir: its `res` folder (required)
    model::XmlEncoding encoding = model::XmlEncoding::Utf8; // oqs.encoding
    std::chrono::seconds timeout{30};                       // oqs.timeout_s
};

struct KioskConfig {
    // DoctorCard: `uketsuke-kiosk doctor card` (docs/doctor.md): print the card diagnosis as
    // JSON and exit. DoctorConfig: `doctor config`: print the start-up checks as JSON and exit.
    // DoctorPrinter: `doctor printer [--test-slip]`: the printer's identity and status as JSON.
    // StaffAdd, StaffPasswd, StaffDisable, StaffList: `uketsuke-kiosk staff add|passwd|disable
    // ID` and `staff list` (docs/staff.md "Accounts"): manage the staff accounts file and exit.
    enum class Action {
        Run,
        Help,
        Version,
        DoctorCard,
        DoctorConfig,
        DoctorPrinter,
        StaffAdd,
        StaffPasswd,
        StaffDisable,
        StaffList,
        Voice, // `uketsuke-kiosk voice`: synthesise every voice line ahead of time (docs/voice.md)
        Enrol, // `uketsuke-kiosk enrol`: get the client certificate from the gateway (docs/enrolment.md)
        Pair,  // `uketsuke-kiosk pair`: get the desk client certificate from the desk (docs/pairing.md)
    };
    Action action = Action::Run;
    std::string staffId;          // staff add|passwd|disable: the account
    std::string staffRole = "staff"; // staff add --role: "staff" or "admin"
    // staff.accounts: the staff accounts file (kiosk/config/staff_accounts.hpp); empty: "staff"
    // in data_dir.
    std::string staffAccounts;

    // The file --config named (empty: none): the staff menu's settings editor writes there.
    std::string configFile;
    // out_of_service: the terminal starts out of service (staff menu, docs/staff.md).
    bool outOfService = false;
    // The clinic's opening hours and closed dates (kiosk/config/opening_hours.hpp): outside
    // them the idle screen says when check-in opens. Empty: always open.
    std::string openingHours;
    std::string closedDates;

    std::string terminalId; // empty: the CN of the terminal's client certificate
    // receipt_prefix: the letters before this terminal's receipt numbers; empty: derived from
    // the terminal id (model::defaultReceiptPrefix, docs/receipt-numbers.md).
    std::string receiptPrefix;
    std::string clinicCode = "1399999999";
    std::string language = "ja";
    std::string assetsDir; // default: the source tree's assets/ (build) or the installed ones
    std::string dataDir = "var/kiosk";

    std::string readerKind = "sim"; // "sim" (in-process virtual card) or "pcsc"
    std::string readerName;         // pcsc: a substring of the reader's name
    int doctorWaitSeconds = 0;      // doctor card: how long to wait for a card (--wait)
    bool doctorTestSlip = false;    // doctor printer: also print a test slip (--test-slip)
    std::string simPersona = "valid";
    bool simPinPad = false; // sim.pin_pad: the simulated reader has its own PIN pad
    std::string simPkiDir; // where the virtual cards' keys live (default: pki)
    // "sim:DIR", "escpos-tcp:HOST:PORT" or "escpos-usb:/dev/usb/lpN" (the device registry).
    std::string printer = "sim:out/slips";
    int printerWidthDots = 576; // printer_width: 576 (80 mm), 512 (80 mm, 72 mm print), 384 (58 mm)
    // printer_status_s: how often the printer's status is read between slips (the idle screen
    // and the desk's terminal list follow it).
    int printerStatusSeconds = 5;
    // time_zone: the clinic's zone for receipt days, slips and "today" (tz database name).
    std::string timeZone = "Asia/Tokyo";
    // clinic_name, slip.name, slip.eligibility_summary, slip.window: what slips say.
    runner::SlipSettings slip;

    // PIN entry (docs/config/kiosk.md "[pin]"). The on-screen keypad is always there.
    bool pinReaderPad = true; // pin.reader_pad: use a reader's own PIN pad when it has one
    int pinPadTimeoutSeconds = 30; // pin.pad_timeout_s: how long the reader's pad waits (≤255)
    std::string pinKeypad; // pin.keypad: a USB numeric keypad's event device; empty: none

    std::string gatewayUrl = "https://127.0.0.1:8443";
    TlsFiles gatewayTls;
    std::string deskUrl = "https://127.0.0.1:8444";
    TlsFiles deskTls;
    // desk.health_s: the terminal's health goes to the desk when it changes and at least this
    // often (seconds), so the desk can show when it last heard from the terminal.
    int deskHealthSeconds = 60;
    int connectTimeoutMs = 3000;
    int totalTimeoutMs = 10000;

    EligibilityKind eligibility = EligibilityKind::Gateway;
    OqsConfig oqs;

    bool fullscreen = true;
    int width = 1280;
    int height = 800;
    std::string font = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    int fontIndex = 0;
    Renderer renderer = Renderer::Auto; // ui.renderer
    bool demoControls = false; // show the "insert card / remove card" demo buttons
    // ui.large_text, ui.high_contrast: how each patient's screens start (the patient switches
    // either on the strip; the next patient starts with these again).
    bool largeText = false;
    bool highContrast = false;
    // ui.tap_guard_ms: a press this soon after the screen changed is ignored, so that the second
    // half of a double tap (or a bouncing touch panel) does not press the button that appears
    // under the finger. 0 turns the guard off (the soak, which taps as fast as it can).
    int tapGuardMs = 350;

    flow::Timeouts timeouts;

    // consent.<topic>: the consent questions asked after the PIN, indexed by
    // model::ConsentTopic. All false by default: a 施術所 with the 資格確認限定型 asks none.
    std::array<bool, model::kConsentTopicCount> consent{};

    // sound.*: spoken guidance and sounds (docs/voice.md). mute: no sound at all (the audio
    // device is not even opened); speech: the spoken lines (false: only the short sounds);
    // volume: 0-100 (gain (volume/100)^2); reminder_s: a card left on the reader after the
    // check-in is asked for again this often (0: never), at most kCardReminders times;
    // cache_dir: the synthesised lines (default: "voice" in data_dir).
    struct Sound {
        bool mute = false;
        bool speech = true;
        int volume = 80;
        int reminderSeconds = 15;
        std::string cacheDir;
    };
    Sound sound;

    // service.stall_s: a worker whose job runs longer than this is stuck, and the systemd
    // watchdog pings stop (the card worker is allowed pin.pad_timeout_s more).
    int stallSeconds = 60;

    bool headless = false;
    std::string script;
    std::string screenshots;
};

// The usage text for --help.
std::string kioskUsage();

// The consent questions `config` asks (consent.*), in the order they are asked.
std::vector<model::ConsentTopic> consentTopics(const KioskConfig& config);

// Parses the flags and the TOML file named by --config. Errors: ConfigInvalid / ConfigMissing
// with one line naming the flag or key and the problem (main prints it and exits with 2).
Result<KioskConfig> parseKioskArgs(const std::vector<std::string>& args);
// As parseKioskArgs(args), with `config` read in place of the file that --config names: the
// configuration parser with no file in between (the fuzz target tests/fuzz/fuzz_config.cpp).
Result<KioskConfig> parseKioskArgs(const std::vector<std::string>& args,
                                   const options::ConfigText& config);

// Checks TOML text as the --config file is checked when the terminal starts (every key known,
// each value passing its key's rules) and returns the configuration it gives by itself
// (defaults for the keys it lacks; no flags). `file` names it in messages and anchors relative
// paths. Errors: ConfigInvalid with one line naming the key and the problem.
Result<KioskConfig> checkKioskToml(std::string_view text, const std::string& file);

// Applies "--pki DIR": the file names `uketsuke-sim pki` writes there (docs/pki.md).
void applyPkiDir(KioskConfig& config, const std::string& dir);

} // namespace uketsuke::kiosk::config
