#include "kiosk/config/config.hpp"

#include "base/time.hpp"

#include "base/paths.hpp"

#include <toml.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <tuple>

namespace uketsuke::kiosk::config {
namespace {

Unexpected<Error> invalid(const std::string& message)
{
    return fail(Errc::ConfigInvalid, message);
}

Result<int> parsePositive(const std::string& name, const std::string& text)
{
    try {
        std::size_t used = 0;
        int value = std::stoi(text, &used);
        if (used != text.size() || value <= 0) {
            return invalid(name + ": expected a positive whole number, got '" + text + "'");
        }
        return value;
    } catch (const std::exception&) {
        return invalid(name + ": expected a positive whole number, got '" + text + "'");
    }
}

// One table of settable keys: TOML key (dotted) -> setter from text. Flags reuse it, so a key
// and its flag can never disagree.
using Setter = std::function<Result<void>(KioskConfig&, const std::string&)>;

Setter text(std::string KioskConfig::*member)
{
    return [member](KioskConfig& c, const std::string& v) -> Result<void> {
        c.*member = v;
        return ok();
    };
}

Setter number(const std::string& name, int KioskConfig::*member)
{
    return [name, member](KioskConfig& c, const std::string& v) -> Result<void> {
        auto n = parsePositive(name, v);
        if (!n) {
            return fail(std::move(n).error());
        }
        c.*member = *n;
        return ok();
    };
}

Setter seconds(const std::string& name, flow::Duration flow::Timeouts::*member)
{
    return [name, member](KioskConfig& c, const std::string& v) -> Result<void> {
        auto n = parsePositive(name, v);
        if (!n) {
            return fail(std::move(n).error());
        }
        c.timeouts.*member = std::chrono::seconds(*n);
        return ok();
    };
}

Setter boolean(const std::string& name, bool KioskConfig::*member)
{
    return [name, member](KioskConfig& c, const std::string& v) -> Result<void> {
        if (v != "true" && v != "false") {
            return invalid(name + ": expected true or false, got '" + v + "'");
        }
        c.*member = v == "true";
        return ok();
    };
}

Setter tlsFile(std::string TlsFiles::*file, TlsFiles KioskConfig::*which)
{
    return [file, which](KioskConfig& c, const std::string& v) -> Result<void> {
        (c.*which).*file = v;
        return ok();
    };
}

Setter eligibilityKind()
{
    return [](KioskConfig& c, const std::string& v) -> Result<void> {
        for (auto kind : {EligibilityKind::Gateway, EligibilityKind::OqsFiles,
                          EligibilityKind::GatewayAndOqsFiles}) {
            if (v == eligibilityKindName(kind)) {
                c.eligibility = kind;
                return ok();
            }
        }
        return invalid("eligibility.source: expected \"gateway\", \"oqs-files\" or "
                       "\"gateway+oqs-files\", got '" + v + "'");
    };
}

Setter oqsEncoding()
{
    return [](KioskConfig& c, const std::string& v) -> Result<void> {
        if (v == "utf-8") {
            c.oqs.encoding = model::XmlEncoding::Utf8;
        } else if (v == "shift_jis") {
            c.oqs.encoding = model::XmlEncoding::ShiftJis;
        } else {
            return invalid("oqs.encoding: expected \"utf-8\" or \"shift_jis\", got '" + v + "'");
        }
        return ok();
    };
}

Setter oqsText(std::string OqsConfig::*member)
{
    return [member](KioskConfig& c, const std::string& v) -> Result<void> {
        c.oqs.*member = v;
        return ok();
    };
}

Setter oqsSeconds(const std::string& name, std::chrono::seconds OqsConfig::*member)
{
    return [name, member](KioskConfig& c, const std::string& v) -> Result<void> {
        auto n = parsePositive(name, v);
        if (!n) {
            return fail(std::move(n).error());
        }
        c.oqs.*member = std::chrono::seconds(*n);
        return ok();
    };
}

const std::map<std::string, Setter>& keys()
{
    static const std::map<std::string, Setter> table = {
        {"terminal_id", text(&KioskConfig::terminalId)},
        {"clinic_code", text(&KioskConfig::clinicCode)},
        {"language", text(&KioskConfig::language)},
        {"assets", text(&KioskConfig::assetsDir)},
        {"data_dir", text(&KioskConfig::dataDir)},
        {"reader", text(&KioskConfig::readerKind)},
        {"reader_name", text(&KioskConfig::readerName)},
        {"sim.persona", text(&KioskConfig::simPersona)},
        {"sim.pki", text(&KioskConfig::simPkiDir)},
        {"sim.pin_pad", boolean("sim.pin_pad", &KioskConfig::simPinPad)},
        {"printer", text(&KioskConfig::printer)},
        {"printer_width",
         [](KioskConfig& c, const std::string& v) -> Result<void> {
             if (v != "384" && v != "512" && v != "576") {
                 return invalid("printer_width: 384 (58 mm), 512 or 576 (80 mm) dots, got '" + v +
                                "'");
             }
             c.printerWidthDots = std::stoi(v);
             return ok();
         }},
        {"printer_status_s", number("printer_status_s", &KioskConfig::printerStatusSeconds)},
        {"time_zone",
         [](KioskConfig& c, const std::string& v) -> Result<void> {
             if (auto zone = time::Zone::load(v); !zone) {
                 return fail(std::move(zone).error());
             }
             c.timeZone = v;
             return ok();
         }},
        {"clinic_name",
         [](KioskConfig& c, const std::string& v) -> Result<void> {
             c.slip.clinicName = v;
             return ok();
         }},
        {"slip.name",
         [](KioskConfig& c, const std::string& v) -> Result<void> {
             auto mode = runner::slipNameFromString(v);
             if (!mode) {
                 return invalid("slip.name: expected \"full\", \"initials\" or \"none\", got '" +
                                v + "'");
             }
             c.slip.name = *mode;
             return ok();
         }},
        {"slip.eligibility_summary",
         [](KioskConfig& c, const std::string& v) -> Result<void> {
             if (v != "true" && v != "false") {
                 return invalid("slip.eligibility_summary: expected true or false, got '" + v +
                                "'");
             }
             c.slip.eligibilitySummary = v == "true";
             return ok();
         }},
        {"slip.window",
         [](KioskConfig& c, const std::string& v) -> Result<void> {
             c.slip.window = v;
             return ok();
         }},
        {"gateway.url", text(&KioskConfig::gatewayUrl)},
        {"gateway.ca", tlsFile(&TlsFiles::ca, &KioskConfig::gatewayTls)},
        {"gateway.cert", tlsFile(&TlsFiles::cert, &KioskConfig::gatewayTls)},
        {"gateway.key", tlsFile(&TlsFiles::key, &KioskConfig::gatewayTls)},
        {"desk.url", text(&KioskConfig::deskUrl)},
        {"desk.ca", tlsFile(&TlsFiles::ca, &KioskConfig::deskTls)},
        {"desk.cert", tlsFile(&TlsFiles::cert, &KioskConfig::deskTls)},
        {"desk.key", tlsFile(&TlsFiles::key, &KioskConfig::deskTls)},
        {"desk.health_s", number("desk.health_s", &KioskConfig::deskHealthSeconds)},
        {"eligibility.source", eligibilityKind()},
        {"oqs.req_dir", oqsText(&OqsConfig::reqDir)},
        {"oqs.res_dir", oqsText(&OqsConfig::resDir)},
        {"oqs.encoding", oqsEncoding()},
        {"oqs.timeout_s", oqsSeconds("oqs.timeout_s", &OqsConfig::timeout)},
        {"network.connect_timeout_ms", number("network.connect_timeout_ms",
                                              &KioskConfig::connectTimeoutMs)},
        {"network.total_timeout_ms", number("network.total_timeout_ms",
                                            &KioskConfig::totalTimeoutMs)},
        {"ui.fullscreen", boolean("ui.fullscreen", &KioskConfig::fullscreen)},
        {"ui.width", number("ui.width", &KioskConfig::width)},
        {"ui.height", number("ui.height", &KioskConfig::height)},
        {"ui.font", text(&KioskConfig::font)},
        {"ui.demo_controls", boolean("ui.demo_controls", &KioskConfig::demoControls)},
        {"timeouts.place_card_s", seconds("timeouts.place_card_s", &flow::Timeouts::placeCard)},
        {"timeouts.enter_pin_s", seconds("timeouts.enter_pin_s", &flow::Timeouts::enterPin)},
        {"timeouts.result_s", seconds("timeouts.result_s", &flow::Timeouts::result)},
        {"timeouts.message_s", seconds("timeouts.message_s", &flow::Timeouts::message)},
        {"timeouts.enter_insurance_s",
         seconds("timeouts.enter_insurance_s", &flow::Timeouts::enterInsurance)},
        {"pin.reader_pad", boolean("pin.reader_pad", &KioskConfig::pinReaderPad)},
        {"pin.pad_timeout_s",
         [](KioskConfig& c, const std::string& v) -> Result<void> {
             auto n = parsePositive("pin.pad_timeout_s", v);
             if (!n) {
                 return fail(std::move(n).error());
             }
             if (*n > 255) {
                 return invalid("pin.pad_timeout_s: at most 255 seconds (a PIN pad's limit), got '" +
                                v + "'");
             }
             c.pinPadTimeoutSeconds = *n;
             return ok();
         }},
        {"pin.keypad", text(&KioskConfig::pinKeypad)},
        {"service.stall_s", number("service.stall_s", &KioskConfig::stallSeconds)},
    };
    return table;
}

Result<void> set(KioskConfig& c, const std::string& key, const std::string& value)
{
    auto it = keys().find(key);
    if (it == keys().end()) {
        return invalid("unknown key '" + key + "'");
    }
    return it->second(c, value);
}

// Flattens a TOML table into dotted keys with text values.
Result<void> applyToml(KioskConfig& c, const toml::value& table, const std::string& prefix,
                       const std::string& file)
{
    for (const auto& [name, value] : table.as_table()) {
        std::string key = prefix.empty() ? name : prefix + "." + name;
        if (value.is_table()) {
            if (auto r = applyToml(c, value, key, file); !r) {
                return r;
            }
            continue;
        }
        std::string textValue;
        if (value.is_string()) {
            textValue = value.as_string().str;
        } else if (value.is_integer()) {
            textValue = std::to_string(value.as_integer());
        } else if (value.is_boolean()) {
            textValue = value.as_boolean() ? "true" : "false";
        } else {
            return invalid(file + ": " + key + ": expected a string, number or boolean");
        }
        if (auto r = set(c, key, textValue); !r) {
            return invalid(file + ": " + r.error().message);
        }
    }
    return ok();
}

Result<void> loadFile(KioskConfig& c, const std::string& file)
{
    if (!std::filesystem::exists(file)) {
        return fail(Errc::ConfigMissing, "--config: no such file " + file);
    }
    try {
        auto data = toml::parse(file);
        return applyToml(c, data, "", file);
    } catch (const std::exception& e) {
        std::string what = e.what();
        auto newline = what.find('\n');
        return invalid(file + ": " + what.substr(0, newline));
    }
}

// Flags that take a value, mapped to config keys (or handled specially below).
const std::map<std::string, std::string> kFlagKeys = {
    {"--gateway", "gateway.url"}, {"--desk", "desk.url"},       {"--data", "data_dir"},
    {"--assets", "assets"},       {"--persona", "sim.persona"}, {"--printer", "printer"},
    {"--reader", "reader"},       {"--language", "language"},
    {"--eligibility", "eligibility.source"}, {"--oqs-req", "oqs.req_dir"},
    {"--oqs-res", "oqs.res_dir"},
};

} // namespace

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

void applyPkiDir(KioskConfig& c, const std::string& dir)
{
    c.gatewayTls = {dir + "/tls/ca.pem", dir + "/tls/terminal.pem", dir + "/tls/terminal.key"};
    c.deskTls = c.gatewayTls;
    c.simPkiDir = dir;
}

std::string kioskUsage()
{
    return "Usage: uketsuke-kiosk [options]\n"
           "       uketsuke-kiosk --headless --script FILE [--screenshots DIR] [options]\n"
           "\n"
           "The self check-in terminal. Options (each also a key in the --config file):\n"
           "  --config FILE        TOML configuration (docs/config/kiosk.md)\n"
           "  --pki DIR            use the TLS files `uketsuke-sim pki` wrote in DIR\n"
           "  --gateway URL        eligibility gateway (gateway.url)\n"
           "  --desk URL           reception desk (desk.url)\n"
           "  --data DIR           outbox and state (data_dir)\n"
           "  --assets DIR         string tables and images (assets)\n"
           "  --reader KIND        sim or pcsc (reader)\n"
           "  --persona ID         the simulated card's persona (sim.persona)\n"
           "  --printer TARGET     sim:DIR (printer)\n"
           "  --language LANG      ja or en (language)\n"
           "  --eligibility SOURCE gateway, oqs-files or gateway+oqs-files\n"
           "                       (eligibility.source)\n"
           "  --oqs-req DIR        the 資格確認端末's req folder (oqs.req_dir)\n"
           "  --oqs-res DIR        the 資格確認端末's res folder (oqs.res_dir)\n"
           "  --windowed           run in a window instead of full screen\n"
           "  --demo               show the demo controls (insert / remove the virtual card)\n"
           "  --headless           run without a window (SDL offscreen), driven by --script\n"
           "  --script FILE        headless script (docs/headless-script.md)\n"
           "  --screenshots DIR    write one PNG per screen reached\n"
           "  --version            print the version and exit\n"
           "  --help               print this text and exit\n"
           "\n"
           "       uketsuke-kiosk doctor card [--wait SECONDS] [options]\n"
           "  print the reader and the card on it as JSON (readers, ATR, My Number card or\n"
           "  not, certificate, PIN tries left); never asks for a PIN (docs/doctor.md).\n"
           "  Exit status 0 when a My Number card was read completely, 1 otherwise.\n"
           "\n"
           "       uketsuke-kiosk doctor printer [--test-slip] [options]\n"
           "  print the printer's identity (GS I) and status (paper, cover, offline) as\n"
           "  JSON; with --test-slip also print a test slip (docs/doctor.md). Exit status 0\n"
           "  when the printer can print (and the test slip printed), 1 otherwise.\n"
           "\n"
           "       uketsuke-kiosk doctor config [options]\n"
           "  print the start-up checks (TLS files, terminal_id) as JSON (docs/doctor.md).\n"
           "  Exit status 0 ready to run, 1 not ready (a client certificate or key is\n"
           "  missing), 2 a file is there but wrong.\n"
           "\n"
           "Exit status: 0 success, 1 a script expectation failed, 2 bad flag or config.\n";
}

Result<KioskConfig> parseKioskArgs(const std::vector<std::string>& args)
{
    KioskConfig c;
    c.assetsDir = defaultAssetsDir();

    // The config file first, so flags override it wherever they stand.
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config") {
            if (i + 1 >= args.size()) {
                return invalid("--config: missing FILE");
            }
            if (auto r = loadFile(c, args[i + 1]); !r) {
                return fail(std::move(r).error());
            }
        }
    }

    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        auto value = [&](const char* what) -> Result<std::string> {
            if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0) {
                return invalid(flag + ": missing " + what);
            }
            return args[++i];
        };
        if (flag == "--help" || flag == "-h") {
            c.action = KioskConfig::Action::Help;
        } else if (flag == "--version") {
            c.action = KioskConfig::Action::Version;
        } else if (flag == "--config") {
            ++i;
        } else if (flag == "--pki") {
            auto dir = value("DIR");
            if (!dir) {
                return fail(std::move(dir).error());
            }
            applyPkiDir(c, *dir);
        } else if (flag == "doctor" && i == 0) {
            // `doctor card`: the card diagnosis (kiosk/card/doctor.hpp); `doctor config`: the
            // start-up checks (kiosk/app/startup_checks.hpp); `doctor printer`: the printer's
            // identity and status (kiosk/app/doctor.hpp).
            const std::string what = i + 1 < args.size() ? args[i + 1] : std::string();
            if (what != "card" && what != "config" && what != "printer") {
                return invalid("doctor: expected 'doctor card', 'doctor config' or "
                               "'doctor printer'");
            }
            ++i;
            c.action = what == "card"     ? KioskConfig::Action::DoctorCard
                       : what == "config" ? KioskConfig::Action::DoctorConfig
                                          : KioskConfig::Action::DoctorPrinter;
        } else if (flag == "--test-slip" && c.action == KioskConfig::Action::DoctorPrinter) {
            c.doctorTestSlip = true;
        } else if (flag == "--wait" && c.action == KioskConfig::Action::DoctorCard) {
            auto v = value("SECONDS");
            if (!v) {
                return fail(std::move(v).error());
            }
            if (v->empty() || v->size() > 4 ||
                v->find_first_not_of("0123456789") != std::string::npos) {
                return invalid("--wait: expected whole seconds, got '" + *v + "'");
            }
            c.doctorWaitSeconds = std::stoi(*v);
        } else if (flag == "--windowed") {
            c.fullscreen = false;
        } else if (flag == "--demo") {
            c.demoControls = true;
        } else if (flag == "--headless") {
            c.headless = true;
        } else if (flag == "--script" || flag == "--screenshots") {
            auto v = value(flag == "--script" ? "FILE" : "DIR");
            if (!v) {
                return fail(std::move(v).error());
            }
            (flag == "--script" ? c.script : c.screenshots) = *v;
        } else if (auto key = kFlagKeys.find(flag); key != kFlagKeys.end()) {
            auto v = value("value");
            if (!v) {
                return fail(std::move(v).error());
            }
            if (auto r = set(c, key->second, *v); !r) {
                return invalid(flag + ": " + r.error().message);
            }
        } else {
            return invalid("unknown option '" + flag + "' (see --help)");
        }
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
        return c; // doctor printer needs only `printer`, checked by the device registry
    }
    if (c.headless && c.script.empty()) {
        return invalid("--headless needs --script FILE");
    }
    // The reader and printer kinds are checked by the device registry (kiosk/app/devices.hpp),
    // which knows the back ends in this build.
    for (const auto* url : {&c.gatewayUrl, &c.deskUrl}) {
        if (url->rfind("https://", 0) != 0) {
            return invalid((url == &c.gatewayUrl ? "gateway.url" : "desk.url") +
                           std::string(": must start with https://, got '") + *url + "'");
        }
    }
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

} // namespace uketsuke::kiosk::config
