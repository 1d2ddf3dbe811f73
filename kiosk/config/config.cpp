#include "kiosk/config/config.hpp"

#include "base/files.hpp"
#include "base/options.hpp"
#include "base/paths.hpp"
#include "base/time.hpp"
#include "kiosk/config/opening_hours.hpp"
#include "kiosk/model/checkin.hpp"
#include "kiosk/model/receipt.hpp"

#include <cstdint>
#include <optional>
#include <tuple>

namespace uketsuke::kiosk::config {
namespace {

Unexpected<Error> invalid(const std::string& message)
{
    return fail(Errc::ConfigInvalid, message);
}

std::optional<std::string> httpsOnly(const std::string& url)
{
    if (url.rfind("https://", 0) != 0) {
        return "must start with https://, got '" + url + "'";
    }
    return std::nullopt;
}

// A name that can be part of a file name: letters, digits, '-', '_' and '.', not starting with
// '.' (so never "..", "/" or a hidden file).
std::optional<std::string> plainName(const std::string& name)
{
    if (!files::isPlainName(name)) {
        return "must be a plain name (letters, digits, '-', '_', '.'), got '" + name + "'";
    }
    return std::nullopt;
}

constexpr std::int64_t kMaxSeconds = 24 * 60 * 60;
constexpr std::int64_t kMaxMilliseconds = kMaxSeconds * 1000;

// Every key and flag of the terminal, bound to the fields of `c`; the fields' initial values are
// the defaults. docs/config/kiosk.md documents each key, docs/programs/uketsuke-kiosk.md each
// flag.
void declare(options::Table& t, KioskConfig& c)
{
    using std::chrono::seconds;
    t.text("", "terminal_id", "ID", c.terminalId,
           "the id in every check-in; default: the CN of the client certificate");
    t.text("", "receipt_prefix", "LETTERS", c.receiptPrefix,
           "1 or 2 of A-Z before each receipt number, unique per terminal; default: from "
           "terminal_id")
        .check([](const std::string& v) -> std::optional<std::string> {
            if (!v.empty() && !model::isReceiptPrefix(v)) {
                return "must be 1 or 2 capital letters A-Z, got '" + v + "'";
            }
            return std::nullopt;
        });
    t.text("", "clinic_code", "CODE", c.clinicCode, "医療機関コード (10 digits)")
        .check([](const std::string& v) -> std::optional<std::string> {
            if (v.size() != 10 || v.find_first_not_of("0123456789") != std::string::npos) {
                return "must be 10 digits, got '" + v + "'";
            }
            return std::nullopt;
        });
    t.text("--language", "language", "LANG", c.language, "ja or en");
    t.boolean("", "out_of_service", c.outOfService,
              "start out of service (patients are asked to go to the desk)");
    t.text("", "opening_hours", "HOURS", c.openingHours,
           "when check-in is open, e.g. \"mon-fri 08:30-12:30,14:30-19:00; sat 08:30-12:30\"; "
           "default: always")
        .check([](const std::string& v) -> std::optional<std::string> {
            if (auto hours = parseOpeningHours(v, ""); !hours) {
                return hours.error().message.substr(std::string_view("opening_hours: ").size());
            }
            return std::nullopt;
        });
    t.text("", "closed_dates", "DATES", c.closedDates,
           "days check-in stays closed, e.g. \"2026-12-29 2026-12-30\"")
        .check([](const std::string& v) -> std::optional<std::string> {
            if (auto hours = parseOpeningHours("", v); !hours) {
                return hours.error().message.substr(std::string_view("closed_dates: ").size());
            }
            return std::nullopt;
        });
    t.text("--assets", "assets", "DIR", c.assetsDir, "string tables and images");
    t.text("--data", "data_dir", "DIR", c.dataDir, "outbox and state, made 0700");
    t.text("--reader", "reader", "KIND", c.readerKind, "sim or pcsc");
    t.text("", "reader_name", "NAME", c.readerName, "pcsc: a substring of the reader's name");
    t.text("--persona", "sim.persona", "ID", c.simPersona, "the simulated card's persona")
        .check(plainName);
    t.text("", "sim.pki", "DIR", c.simPkiDir, "the virtual cards' keys");
    t.boolean("", "sim.pin_pad", c.simPinPad, "the simulated reader has its own PIN pad");
    t.custom("--pki", "", "DIR", options::Kind::Text,
             "use the TLS files `uketsuke-sim pki` wrote in DIR", "",
             [&c](const options::Value& v) -> std::optional<std::string> {
                 applyPkiDir(c, v.text);
                 return std::nullopt;
             });
    t.text("--printer", "printer", "TARGET", c.printer,
           "sim:DIR, escpos-tcp:HOST:PORT or escpos-usb:DEVICE");
    t.custom("", "printer_width", "DOTS", options::Kind::Integer,
             "the printer's line: 576 or 512 (80 mm), 384 (58 mm)",
             std::to_string(c.printerWidthDots),
             [&c](const options::Value& v) -> std::optional<std::string> {
                 if (v.number != 384 && v.number != 512 && v.number != 576) {
                     return "384 (58 mm), 512 or 576 (80 mm) dots, got '" +
                            std::to_string(v.number) + "'";
                 }
                 c.printerWidthDots = static_cast<int>(v.number);
                 return std::nullopt;
             });
    t.text("", "time_zone", "ZONE", c.timeZone, "the clinic's time zone (tz database name)")
        .check([](const std::string& v) -> std::optional<std::string> {
            if (auto zone = time::Zone::load(v); !zone) {
                return zone.error().message;
            }
            return std::nullopt;
        });
    t.number("", "printer_status_s", "S", c.printerStatusSeconds, 1, kMaxSeconds,
             "how often the printer's status is read between slips");
    t.text("", "clinic_name", "NAME", c.slip.clinicName, "the clinic's name on every slip");
    t.custom("", "slip.name", "MODE", options::Kind::Text,
             "the patient on the slip: full, initials or none", "full",
             [&c](const options::Value& v) -> std::optional<std::string> {
                 auto mode = runner::slipNameFromString(v.text);
                 if (!mode) {
                     return "expected \"full\", \"initials\" or \"none\", got '" + v.text + "'";
                 }
                 c.slip.name = *mode;
                 return std::nullopt;
             });
    t.boolean("", "slip.eligibility_summary", c.slip.eligibilitySummary,
              "print the insurer and the 負担割合 on a confirmed check-in's slip");
    t.text("", "slip.window", "TEXT", c.slip.window,
           "the window an unconfirmed check-in goes to (default 受付)");
    t.text("--gateway", "gateway.url", "URL", c.gatewayUrl, "eligibility gateway")
        .check(httpsOnly);
    t.text("", "gateway.ca", "FILE", c.gatewayTls.ca, "the CA of the gateway's certificate");
    t.text("", "gateway.cert", "FILE", c.gatewayTls.cert, "the terminal's client certificate");
    t.text("", "gateway.key", "FILE", c.gatewayTls.key, "its private key");
    t.text("--desk", "desk.url", "URL", c.deskUrl, "reception desk").check(httpsOnly);
    t.text("", "desk.ca", "FILE", c.deskTls.ca, "the CA of the desk's certificate");
    t.text("", "desk.cert", "FILE", c.deskTls.cert, "the terminal's client certificate");
    t.text("", "desk.key", "FILE", c.deskTls.key, "its private key");
    t.number("", "desk.health_s", "S", c.deskHealthSeconds, 1, kMaxSeconds,
             "how often the terminal reports its health to the desk");
    t.choice("--eligibility", "eligibility.source", "SOURCE", c.eligibility,
             {{eligibilityKindName(EligibilityKind::Gateway), EligibilityKind::Gateway},
              {eligibilityKindName(EligibilityKind::OqsFiles), EligibilityKind::OqsFiles},
              {eligibilityKindName(EligibilityKind::GatewayAndOqsFiles),
               EligibilityKind::GatewayAndOqsFiles}},
             "where eligibility is checked");
    t.text("--oqs-req", "oqs.req_dir", "DIR", c.oqs.reqDir, "the 資格確認端末's req folder");
    t.text("--oqs-res", "oqs.res_dir", "DIR", c.oqs.resDir, "the 資格確認端末's res folder");
    t.choice("", "oqs.encoding", "ENCODING", c.oqs.encoding,
             {{"utf-8", model::XmlEncoding::Utf8}, {"shift_jis", model::XmlEncoding::ShiftJis}},
             "the encoding set on the 資格確認端末");
    t.duration<seconds>("", "oqs.timeout_s", "S", c.oqs.timeout, 1, kMaxSeconds,
                        "how long a lookup waits for the 資格確認端末");
    t.number("", "network.connect_timeout_ms", "MS", c.connectTimeoutMs, 1, kMaxMilliseconds,
             "TCP + TLS connect budget per request");
    t.number("", "network.total_timeout_ms", "MS", c.totalTimeoutMs, 1, kMaxMilliseconds,
             "whole-request budget");
    t.boolean("--windowed", "ui.fullscreen", c.fullscreen,
              "run in a window instead of full screen")
        .switchSets(false);
    t.number("", "ui.width", "PX", c.width, 1, 100000, "window width when not full screen");
    t.number("", "ui.height", "PX", c.height, 1, 100000, "window height when not full screen");
    t.text("", "ui.font", "FILE", c.font, "the UI font");
    t.choice("", "ui.renderer", "RENDERER", c.renderer,
             {{"auto", Renderer::Auto},
              {"software", Renderer::Software},
              {"accelerated", Renderer::Accelerated}},
             "how the screens are drawn: auto, software or accelerated (OpenGL)");
    t.boolean("--demo", "ui.demo_controls", c.demoControls,
              "show the demo controls (insert / remove the virtual card)");
    t.boolean("", "ui.large_text", c.largeText,
              "each patient starts with large text (they can switch it on the screen)");
    t.boolean("", "ui.high_contrast", c.highContrast,
              "each patient starts with high contrast (they can switch it on the screen)");
    t.number("", "ui.tap_guard_ms", "MS", c.tapGuardMs, 0, 2000,
             "a press this soon after the screen changed is ignored (a double tap)");
    t.duration<seconds>("", "timeouts.place_card_s", "S", c.timeouts.placeCard, 1, kMaxSeconds,
                        "the place-your-card screen returns to the start");
    t.duration<seconds>("", "timeouts.enter_pin_s", "S", c.timeouts.enterPin, 1, kMaxSeconds,
                        "the PIN screen gives up");
    t.duration<seconds>("", "timeouts.result_s", "S", c.timeouts.result, 1, kMaxSeconds,
                        "how long the result stays");
    t.duration<seconds>("", "timeouts.message_s", "S", c.timeouts.message, 1, kMaxSeconds,
                        "error, PIN and staff screens");
    t.duration<seconds>("", "timeouts.enter_insurance_s", "S", c.timeouts.enterInsurance, 1,
                        kMaxSeconds, "the insurance card form gives up");
    t.duration<seconds>("", "timeouts.consent_s", "S", c.timeouts.consent, 1, kMaxSeconds,
                        "each consent question gives up");
    t.duration<seconds>("", "timeouts.still_there_s", "S", c.timeouts.stillThere, 1, kMaxSeconds,
                        "\"need more time?\" waits this long before the check-in ends");
    for (const auto& topic : model::wireNames<model::ConsentTopic>()) {
        t.boolean("", "consent." + std::string(topic.name),
                  c.consent.at(static_cast<std::size_t>(topic.value)),
                  "ask for consent to share this after the PIN (default false)");
    }
    t.boolean("", "pin.reader_pad", c.pinReaderPad, "use a reader's own PIN pad when it has one");
    t.number("", "pin.pad_timeout_s", "S", c.pinPadTimeoutSeconds, 1, 255,
             "how long the reader's PIN pad waits (a PIN pad's limit is 255)");
    t.text("", "pin.keypad", "DEVICE", c.pinKeypad, "a USB numeric keypad's event device");
    t.boolean("", "sound.mute", c.sound.mute, "no sound at all (spoken guidance and sounds)");
    t.boolean("", "sound.speech", c.sound.speech,
              "speak each screen's key sentence (false: only the short sounds)");
    t.number("", "sound.volume", "N", c.sound.volume, 0, 100,
             "loudness of speech and sounds (0: silent)");
    t.number("", "sound.reminder_s", "S", c.sound.reminderSeconds, 0, kMaxSeconds,
             "a card left on the reader is asked for again this often (0: never)");
    t.text("", "sound.cache_dir", "DIR", c.sound.cacheDir,
           "the synthesised voice lines (default: voice in data_dir)");
    t.number("", "service.stall_s", "S", c.stallSeconds, 1, kMaxSeconds,
             "a worker stuck longer stops the watchdog pings");
    t.boolean("--headless", "", c.headless, "run without a window, driven by --script");
    t.text("--script", "", "FILE", c.script, "headless script (docs/headless-script.md)");
    t.text("--screenshots", "", "DIR", c.screenshots, "write one PNG per screen reached");
    t.number("--wait", "", "SECONDS", c.doctorWaitSeconds, 0, 9999,
             "doctor card: how long to wait for a card");
    t.boolean("--test-slip", "", c.doctorTestSlip, "doctor printer: also print a test slip");
    t.text("", "staff.accounts", "FILE", c.staffAccounts,
           "the staff accounts file (default: staff in data_dir)");
    t.text("--role", "", "ROLE", c.staffRole, "staff add: staff or admin")
        .check([](const std::string& role) -> std::optional<std::string> {
            if (role != "staff" && role != "admin") {
                return "must be staff or admin";
            }
            return std::nullopt;
        });
}

} // namespace

std::vector<model::ConsentTopic> consentTopics(const KioskConfig& config)
{
    std::vector<model::ConsentTopic> topics;
    for (const auto& topic : model::wireNames<model::ConsentTopic>()) {
        if (config.consent.at(static_cast<std::size_t>(topic.value))) {
            topics.push_back(topic.value);
        }
    }
    return topics;
}

const char* eligibilityKindName(EligibilityKind kind)
{
    switch (kind) {
    case EligibilityKind::Gateway:
        return "gateway";
    case EligibilityKind::OqsFiles:
        return "oqs-files";
    case EligibilityKind::GatewayAndOqsFiles:
        return "gateway+oqs-files";
    }
    return "gateway";
}

Result<KioskConfig> checkKioskToml(std::string_view text, const std::string& file)
{
    KioskConfig c;
    c.assetsDir = defaultAssetsDir();
    options::Table table;
    declare(table, c);
    if (auto applied = table.applyText({text, file}); !applied) {
        Error e = std::move(applied).error();
        e.code = Errc::ConfigInvalid;
        return fail(std::move(e));
    }
    c.configFile = file;
    return c;
}

void applyPkiDir(KioskConfig& c, const std::string& dir)
{
    c.gatewayTls = {dir + "/tls/ca.pem", dir + "/tls/terminal.pem", dir + "/tls/terminal.key"};
    c.deskTls = c.gatewayTls;
    c.simPkiDir = dir;
}

std::string kioskUsage()
{
    KioskConfig defaults;
    defaults.assetsDir = defaultAssetsDir();
    options::Table table;
    declare(table, defaults);
    return "Usage: uketsuke-kiosk [options]\n"
           "       uketsuke-kiosk --headless --script FILE [--screenshots DIR] [options]\n"
           "\n"
           "The self check-in terminal. Options (the key in the --config file in brackets):\n" +
           table.flagsHelp() +
           "\n"
           "Keys of the --config file without a flag (docs/config/kiosk.md):\n" +
           table.keysHelp() +
           "\n"
           "       uketsuke-kiosk doctor card [--wait SECONDS] [options]\n"
           "  print the reader and the card on it as JSON (readers, ATR, My Number card or\n"
           "  not, certificate, PIN tries left); never asks for a PIN (docs/doctor.md).\n"
           "  Exit status 0 when a My Number card was read completely, 1 otherwise.\n"
           "\n"
           "       uketsuke-kiosk doctor printer [--test-slip] [options]\n"
           "  print the printer's identity and status (paper, cover, online) as JSON; with\n"
           "  --test-slip also print a test slip (docs/doctor.md). Exit status 0 when the\n"
           "  printer answered and is ready, 1 otherwise.\n"
           "\n"
           "       uketsuke-kiosk doctor config [options]\n"
           "  print the start-up checks (TLS files, terminal_id) as JSON (docs/doctor.md).\n"
           "  Exit status 0 ready to run, 1 not ready (a client certificate or key is\n"
           "  missing), 2 a file is there but wrong.\n"
           "\n"
           "       uketsuke-kiosk voice [options]\n"
           "  synthesise every voice line of every language into sound.cache_dir ahead of\n"
           "  time and print what each engine cost (docs/voice.md). Exit status 0 when every\n"
           "  language that names a voice spoke every line, 1 otherwise.\n"
           "\n"
           "       uketsuke-kiosk staff add ID [--role staff|admin] [options]\n"
           "       uketsuke-kiosk staff passwd ID | staff disable ID | staff list [options]\n"
           "  manage who may open the maintenance menu (docs/staff.md). The PIN (4 to 8\n"
           "  digits) is asked twice without echo on a terminal, or read as one line from\n"
           "  standard input; only its argon2id hash is stored.\n"
           "\n"
           "       uketsuke-kiosk enrol [options]\n"
           "  get the terminal's client certificate from the gateway with a one-time\n"
           "  activation code for clinic_code, read as one line from standard input\n"
           "  (docs/enrolment.md); the key is made here and written to gateway.key.\n"
           "  Exit status 0 enrolled, 1 refused or unreachable, 2 a malformed code.\n"
           "\n"
           "       uketsuke-kiosk pair [options]\n"
           "  get the terminal's desk client certificate from the desk at desk.url with a\n"
           "  one-time pairing code made on the desk's 端末の接続 page, read as one line from\n"
           "  standard input (docs/pairing.md); writes desk.key, desk.cert and desk.ca, which\n"
           "  must be files of their own, not the gateway's.\n"
           "  Exit status 0 paired, 1 refused or unreachable, 2 a malformed code or files.\n"
           "\n"
           "Exit status: 0 success, 1 a script expectation failed, 2 bad flag or config.\n";
}

namespace {

Result<KioskConfig> parseWith(const std::vector<std::string>& args,
                              const options::ConfigText* config)
{
    KioskConfig c;
    c.assetsDir = defaultAssetsDir();

    // `doctor card`: the card diagnosis (kiosk/card/doctor.hpp); `doctor config`: the start-up
    // checks (kiosk/app/startup_checks.hpp). The rest are options.
    std::vector<std::string> rest = args;
    if (!args.empty() && args[0] == "doctor") {
        const std::string what = args.size() >= 2 ? args[1] : std::string();
        if (what != "card" && what != "config" && what != "printer") {
            return invalid("doctor: expected 'doctor card', 'doctor config' or 'doctor printer'");
        }
        c.action = what == "card"     ? KioskConfig::Action::DoctorCard
                   : what == "config" ? KioskConfig::Action::DoctorConfig
                                      : KioskConfig::Action::DoctorPrinter;
        rest.erase(rest.begin(), rest.begin() + 2);
    } else if (!args.empty() && args[0] == "staff") {
        const std::string what = args.size() >= 2 ? args[1] : std::string();
        const bool needsId = what == "add" || what == "passwd" || what == "disable";
        if (!needsId && what != "list") {
            return invalid("staff: expected 'staff add ID', 'staff passwd ID', 'staff disable "
                           "ID' or 'staff list'");
        }
        c.action = what == "add"      ? KioskConfig::Action::StaffAdd
                   : what == "passwd" ? KioskConfig::Action::StaffPasswd
                   : what == "disable" ? KioskConfig::Action::StaffDisable
                                       : KioskConfig::Action::StaffList;
        std::size_t used = 2;
        if (needsId) {
            if (args.size() < 3 || args[2].empty() || args[2][0] == '-') {
                return invalid("staff " + what + ": expected the account's id");
            }
            c.staffId = args[2];
            used = 3;
        }
        rest.erase(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(used));
    } else if (!args.empty() && args[0] == "voice") {
        c.action = KioskConfig::Action::Voice;
        rest.erase(rest.begin());
    } else if (!args.empty() && args[0] == "enrol") {
        c.action = KioskConfig::Action::Enrol;
        rest.erase(rest.begin());
    } else if (!args.empty() && args[0] == "pair") {
        c.action = KioskConfig::Action::Pair;
        rest.erase(rest.begin());
    }

    options::Table table;
    declare(table, c);
    auto parsed = config != nullptr ? table.parse(rest, *config) : table.parse(rest);
    if (!parsed) {
        // The kiosk reports every bad flag or key as a configuration error (exit status 2).
        Error e = std::move(parsed).error();
        if (e.code == Errc::InvalidArgument) {
            e.code = Errc::ConfigInvalid;
        }
        return fail(std::move(e));
    }
    c.configFile = parsed->configFile;
    if (parsed->help) {
        c.action = KioskConfig::Action::Help;
        return c;
    }
    if (parsed->version) {
        c.action = KioskConfig::Action::Version;
        return c;
    }
    if (!parsed->positionals.empty()) {
        return invalid("unexpected argument '" + parsed->positionals.front() + "' (see --help)");
    }
    if (table.given("--wait") && c.action != KioskConfig::Action::DoctorCard) {
        return invalid("--wait: only with doctor card");
    }
    if (table.given("--test-slip") && c.action != KioskConfig::Action::DoctorPrinter) {
        return invalid("--test-slip: only with doctor printer");
    }
    if (table.given("--role") && c.action != KioskConfig::Action::StaffAdd) {
        return invalid("--role: only with staff add");
    }
    if (c.staffAccounts.empty()) {
        c.staffAccounts = c.dataDir + "/staff";
    }
    if (c.sound.cacheDir.empty()) {
        c.sound.cacheDir = c.dataDir + "/voice";
    }

    if (c.action == KioskConfig::Action::DoctorCard) {
        // Only the reader matters for the diagnosis; its kind is checked by the device
        // registry (kiosk/app/devices.hpp).
        if (c.simPkiDir.empty() && c.readerKind == "sim") {
            return invalid("sim.pki: the simulated reader needs --pki DIR (or sim.pki)");
        }
        return c;
    }
    if (c.action != KioskConfig::Action::Run) {
        return c; // doctor config and doctor printer: checked where they run
    }
    if (c.headless && c.script.empty()) {
        return invalid("--headless needs --script FILE");
    }
    // The reader and printer kinds are checked by the device registry (kiosk/app/devices.hpp),
    // which knows the back ends in this build.
    if (c.simPkiDir.empty() && c.readerKind == "sim") {
        return invalid("sim.pki: the simulated reader needs --pki DIR (or sim.pki)");
    }
    if (usesOqsFiles(c.eligibility)) {
        // Whether the folders exist is checked when the terminal starts (kiosk/app).
        for (const auto& [dir, key, flag] :
             {std::tuple{&c.oqs.reqDir, "oqs.req_dir", "--oqs-req"},
              std::tuple{&c.oqs.resDir, "oqs.res_dir", "--oqs-res"}}) {
            if (dir->empty()) {
                return invalid(std::string(key) + ": required with eligibility.source \"" +
                               eligibilityKindName(c.eligibility) + "\" (or " + flag + " DIR)");
            }
        }
    }
    return c;
}

} // namespace

Result<KioskConfig> parseKioskArgs(const std::vector<std::string>& args)
{
    return parseWith(args, nullptr);
}

Result<KioskConfig> parseKioskArgs(const std::vector<std::string>& args,
                                   const options::ConfigText& config)
{
    return parseWith(args, &config);
}

} // namespace uketsuke::kiosk::config
