#include "sim/cli.hpp"

#include "base/signals.hpp"
#include "sim/gateway_server.hpp"
#include "sim/oqs_terminal.hpp"
#include "sim/personas.hpp"
#include "sim/pki.hpp"
#include "sim/printer_command.hpp"
#include "sim/vpcd_card.hpp"

#include <toml.hpp>

#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>

namespace uketsuke::sim {
namespace {

// A bad flag or bad configuration: reported as one line, exit status 2. Thrown only while
// reading the command line and the config file (start-up), caught in runCli().
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Switch: a flag without a value (--allow-faults); a boolean in a config file.
enum class ValueKind { Path, Text, Switch };

struct OptionSpec {
    std::string flag;   // "--trust-ca"
    std::string key;    // config key: "trust_ca"
    bool repeatable;    // flag may repeat; config value is an array of strings
    ValueKind kind;     // paths in a config file are relative to the config file
    std::string metavar; // "FILE"
    std::string help;
};

struct Command {
    std::string name;
    std::string summary;
    std::vector<OptionSpec> options;
};

const Command kPki{
    "pki",
    "write a test PKI (TLS CA, server and terminal certificates, JPKI-shaped card certificates)",
    {
        {"--out", "out", false, ValueKind::Path, "DIR", "directory to write (created)"},
        {"--personas", "personas", false, ValueKind::Path, "FILE",
         "personas file (default: the one in assets/)"},
    }};

const Command kGateway{
    "gateway",
    "serve the eligibility protocol v1 over HTTPS with mutual TLS",
    {
        {"--pki", "pki", false, ValueKind::Path, "DIR", "a directory written by `pki`"},
        {"--listen", "listen", false, ValueKind::Text, "HOST:PORT",
         "address to listen on; port 0 picks a free port"},
        {"--personas", "personas", false, ValueKind::Path, "FILE",
         "personas file (default: DIR/personas.json)"},
        {"--trust-ca", "trust_ca", true, ValueKind::Path, "FILE",
         "another JPKI CA to trust (PEM; repeatable)"},
        {"--revoked", "revoked", false, ValueKind::Path, "FILE",
         "revoked card serials, hex, one a line (default: DIR/jpki/revoked.txt)"},
        {"--allow-faults", "allow_faults", false, ValueKind::Switch, "",
         "serve /control/faults to loopback peers (tests)"},
    }};

const Command kOqsTerminal{
    "oqs-terminal",
    "a simulated 資格確認端末: answer req files with res files from the personas",
    {
        {"--req", "req", false, ValueKind::Path, "DIR", "folder to watch for OQSsiquc01req_ files"},
        {"--res", "res", false, ValueKind::Path, "DIR", "folder to write OQSsiquc01res_ files to"},
        {"--personas", "personas", false, ValueKind::Path, "FILE",
         "personas file (default: the one in assets/)"},
    }};

const Command kCard{
    "card",
    "put a persona's virtual My Number card into pcscd through vpcd (vsmartcard)",
    {
        {"--pki", "pki", false, ValueKind::Path, "DIR", "a directory written by `pki`"},
        {"--persona", "persona", false, ValueKind::Text, "NAME", "the persona whose card to use"},
        {"--port", "port", false, ValueKind::Text, "PORT",
         "vpcd slot port (default 35963 = slot 0; 35964 = slot 1)"},
        {"--state", "state", false, ValueKind::Path, "FILE",
         "keep the PIN counters across runs in this file"},
        {"--atr", "atr", false, ValueKind::Text, "KIND",
         "contact (default: the persona's) or contactless"},
        {"--remove-after", "remove_after", false, ValueKind::Text, "N",
         "pull the card when command N+1 arrives, then exit"},
    }};

const Command kPrinter{
    "printer",
    "a simulated ESC/POS printer on 127.0.0.1 (TCP, as port 9100): writes slip-NNNN.png/.txt",
    {
        {"--port", "port", false, ValueKind::Text, "PORT", "port to listen on (0: a free one)"},
        {"--out", "out", false, ValueKind::Path, "DIR", "directory for the printed slips"},
        {"--width", "width", false, ValueKind::Text, "DOTS", "384, 512 or 576 (default)"},
        {"--fault", "fault", true, ValueKind::Text, "KIND",
         "paper-out, near-end, cover-open, offline or disconnect (repeatable)"},
        {"--slow", "slow", false, ValueKind::Text, "MS", "wait this long before each read"},
    }};

const Command* findCommand(const std::string& name)
{
    for (const Command* command : {&kPki, &kGateway, &kCard, &kOqsTerminal, &kPrinter}) {
        if (command->name == name) {
            return command;
        }
    }
    return nullptr;
}

void printUsage(std::ostream& out)
{
    out << "usage: uketsuke-sim COMMAND [OPTIONS]\n"
           "       uketsuke-sim --help | --version\n"
           "\n"
           "Simulators for development, demo and tests.\n"
           "\n"
           "commands:\n";
    for (const Command* command : {&kPki, &kGateway, &kCard, &kOqsTerminal, &kPrinter}) {
        out << "  " << command->name << "  " << command->summary << "\n";
        for (const auto& option : command->options) {
            std::string left = option.flag + " " + option.metavar;
            out << "      " << left << std::string(left.size() < 22 ? 22 - left.size() : 1, ' ')
                << option.help << "\n";
        }
    }
    out << "\n"
           "options of every command:\n"
           "      --config FILE         TOML file with keys named after the flags\n"
           "                            (listen = \"127.0.0.1:0\", trust_ca = [\"a.pem\"]);\n"
           "                            flags override it\n"
           "      --help                this text\n"
           "      --version             print the version\n"
           "\n"
           "examples:\n"
           "  uketsuke-sim pki --out build/pki\n"
           "  uketsuke-sim gateway --pki build/pki --listen 127.0.0.1:8443\n"
           "  uketsuke-sim card --pki build/pki --persona valid\n"
           "  uketsuke-sim oqs-terminal --req /srv/oqs/req --res /srv/oqs/res\n"
           "\n"
           "exit status: 0 ok, 1 failure, 2 bad flag or bad config.\n"
           "Logging: UKETSUKE_LOG=\"sim.gateway:debug,*:info\" (stderr).\n"
           "See docs/programs/uketsuke-sim.md.\n";
}

std::string oneLine(std::string text)
{
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += c;
    }
    return out;
}

using Values = std::map<std::string, std::vector<std::string>>; // config key -> values

// Reads the config file into values for the keys of `command`. Throws UsageError.
Values readConfig(const Command& command, const std::filesystem::path& file)
{
    toml::value root;
    try {
        root = toml::parse(file);
    } catch (const std::exception& e) {
        throw UsageError("--config " + file.string() + ": " + oneLine(e.what()));
    }
    if (!root.is_table()) {
        throw UsageError("--config " + file.string() + ": not a TOML table");
    }
    const auto base = file.parent_path();
    Values values;
    for (const auto& [key, value] : root.as_table()) {
        const OptionSpec* spec = nullptr;
        for (const auto& option : command.options) {
            if (option.key == key) {
                spec = &option;
            }
        }
        if (spec == nullptr) {
            throw UsageError("--config " + file.string() + ": unknown key '" + key +
                             "' for command " + command.name);
        }
        std::vector<std::string> items;
        if (spec->kind == ValueKind::Switch) {
            if (!value.is_boolean()) {
                throw UsageError("--config " + file.string() + ": key '" + key +
                                 "' must be true or false");
            }
            items.push_back(value.as_boolean() ? "true" : "false");
        } else if (value.is_string()) {
            items.push_back(value.as_string().str);
        } else if (spec->repeatable && value.is_array()) {
            for (const auto& item : value.as_array()) {
                if (!item.is_string()) {
                    throw UsageError("--config " + file.string() + ": key '" + key +
                                     "' must be an array of strings");
                }
                items.push_back(item.as_string().str);
            }
        } else {
            throw UsageError("--config " + file.string() + ": key '" + key + "' must be a " +
                             (spec->repeatable ? "string or an array of strings" : "string"));
        }
        for (auto& item : items) {
            if (spec->kind == ValueKind::Path && std::filesystem::path(item).is_relative()) {
                item = (base / item).string();
            }
        }
        values[key] = std::move(items);
    }
    return values;
}

struct Parsed {
    const Command* command = nullptr;
    Values values;
    bool help = false;
    bool version = false;
};

// Throws UsageError.
Parsed parseArgs(const std::vector<std::string>& args)
{
    Parsed parsed;
    Values flags;
    std::optional<std::string> configFile;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            parsed.help = true;
            continue;
        }
        if (arg == "--version") {
            parsed.version = true;
            continue;
        }
        if (arg.rfind("--", 0) != 0 || arg == "--") {
            if (parsed.command == nullptr) {
                parsed.command = findCommand(arg);
                if (parsed.command == nullptr) {
                    throw UsageError("unknown command '" + arg + "' (try --help)");
                }
                continue;
            }
            throw UsageError("unexpected argument '" + arg + "'");
        }
        auto equals = arg.find('=');
        const std::string flag = arg.substr(0, equals);
        auto value = [&]() -> std::string {
            if (equals != std::string::npos) {
                return arg.substr(equals + 1);
            }
            if (i + 1 >= args.size()) {
                throw UsageError(flag + " needs a value");
            }
            return args[++i];
        };
        if (flag == "--config") {
            configFile = value();
            continue;
        }
        const OptionSpec* spec = nullptr;
        if (parsed.command != nullptr) {
            for (const auto& option : parsed.command->options) {
                if (option.flag == flag) {
                    spec = &option;
                }
            }
        }
        if (spec == nullptr) {
            throw UsageError("unknown flag " + flag +
                             (parsed.command ? " for command " + parsed.command->name
                                             : std::string(" (a command comes first)")));
        }
        auto& slot = flags[spec->key];
        if (!slot.empty() && !spec->repeatable) {
            throw UsageError(flag + " given twice");
        }
        slot.push_back(spec->kind == ValueKind::Switch && equals == std::string::npos
                           ? std::string("true")
                           : value());
    }
    if (parsed.help || parsed.version) {
        return parsed;
    }
    if (parsed.command == nullptr) {
        throw UsageError("no command given (try --help)");
    }
    if (configFile) {
        parsed.values = readConfig(*parsed.command, *configFile);
    }
    for (auto& [key, items] : flags) {
        parsed.values[key] = std::move(items); // flags override the config file
    }
    return parsed;
}

std::string single(const Values& values, const std::string& key, const std::string& flag,
                   bool required)
{
    auto it = values.find(key);
    if (it == values.end() || it->second.empty() || it->second.front().empty()) {
        if (required) {
            throw UsageError("missing " + flag + " (or '" + key + "' in --config)");
        }
        return {};
    }
    return it->second.front();
}

struct ListenAddress {
    std::string host;
    int port = 0;
};

// "127.0.0.1:8443", "localhost:0", "[::1]:0". Throws UsageError.
ListenAddress parseListen(const std::string& text)
{
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        throw UsageError("--listen: expected HOST:PORT, got '" + text + "'");
    }
    ListenAddress address;
    address.host = text.substr(0, colon);
    if (address.host.size() >= 2 && address.host.front() == '[' && address.host.back() == ']') {
        address.host = address.host.substr(1, address.host.size() - 2);
    } else if (address.host.find(':') != std::string::npos) {
        throw UsageError("--listen: write an IPv6 host in brackets, e.g. [::1]:0");
    }
    const std::string port = text.substr(colon + 1);
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) > 65535) {
        throw UsageError("--listen: port must be 0-65535, got '" + port + "'");
    }
    address.port = std::stoi(port);
    return address;
}

int statusFor(const Error& error)
{
    return error.code == Errc::ConfigMissing || error.code == Errc::ConfigInvalid ||
                   error.code == Errc::InvalidArgument
               ? kExitUsage
               : kExitFailure;
}

int runPki(const Values& values, std::ostream& out, std::ostream& err)
{
    PkiOptions options;
    options.outDir = single(values, "out", "--out", true);
    auto personas = single(values, "personas", "--personas", false);
    options.personasFile =
        personas.empty() ? defaultPersonasFile() : std::filesystem::path(personas);
    auto done = generatePki(options);
    if (!done) {
        err << "uketsuke-sim pki: " << done.error().message << "\n";
        return statusFor(done.error());
    }
    out << "wrote test PKI to " << options.outDir.string() << "\n";
    return kExitOk;
}

int runGateway(const Values& values, std::ostream& out, std::ostream& err)
{
    GatewayOptions options;
    options.pkiDir = single(values, "pki", "--pki", true);
    options.personasFile = single(values, "personas", "--personas", false);
    if (auto it = values.find("trust_ca"); it != values.end()) {
        options.trustCaFiles.assign(it->second.begin(), it->second.end());
    }
    options.revokedFile = single(values, "revoked", "--revoked", false);
    const std::string allowFaults = single(values, "allow_faults", "--allow-faults", false);
    if (!allowFaults.empty() && allowFaults != "true" && allowFaults != "false") {
        throw UsageError("--allow-faults takes no value (or =true/=false)");
    }
    options.allowFaultControl = allowFaults == "true";
    const ListenAddress address = parseListen(single(values, "listen", "--listen", true));

    auto server = GatewayServer::create(std::move(options));
    if (!server) {
        err << "uketsuke-sim gateway: " << server.error().message << "\n";
        return statusFor(server.error());
    }
    // Block the stop signals before any thread exists (the server's pool starts in run()), so
    // every thread inherits the mask; its watcher thread stops the server on SIGINT / SIGTERM.
    StopSignals stopSignals;

    auto port = (*server)->bind(address.host, address.port);
    if (!port) {
        err << "uketsuke-sim gateway: " << port.error().message << "\n";
        return kExitFailure;
    }
    out << "listening " << httpsUrl(address.host, *port) << std::endl;

    auto ran = stopSignals.run(**server);
    if (!ran) {
        err << "uketsuke-sim gateway: " << ran.error().message << "\n";
        return kExitFailure;
    }
    return kExitOk;
}

// A decimal number in [low, high]. Throws UsageError.
std::size_t number(const std::string& text, const std::string& flag, std::size_t low,
                   std::size_t high)
{
    if (text.empty() || text.size() > 9 ||
        text.find_first_not_of("0123456789") != std::string::npos || std::stoul(text) < low ||
        std::stoul(text) > high) {
        throw UsageError(flag + ": expected a number " + std::to_string(low) + "-" +
                         std::to_string(high) + ", got '" + text + "'");
    }
    return std::stoul(text);
}

int runOqsTerminal(const Values& values, std::ostream& out, std::ostream& err)
{
    OqsTerminalOptions options;
    options.requestDir = single(values, "req", "--req", true);
    options.resultDir = single(values, "res", "--res", true);
    options.personasFile = single(values, "personas", "--personas", false);
    auto terminal = OqsTerminal::create(std::move(options));
    if (!terminal) {
        err << "uketsuke-sim oqs-terminal: " << terminal.error().message << "\n";
        return statusFor(terminal.error());
    }
    // As for the gateway: the stop signals go to one watcher thread, which stops the loop.
    StopSignals stopSignals;
    out << "watching " << single(values, "req", "--req", true) << std::endl;
    auto ran = stopSignals.run(**terminal);
    if (!ran) {
        err << "uketsuke-sim oqs-terminal: " << ran.error().message << "\n";
        return kExitFailure;
    }
    return kExitOk;
}

int runCard(const Values& values, std::ostream& out, std::ostream& err)
{
    CardCommand command;
    command.pkiDir = single(values, "pki", "--pki", true);
    command.persona = single(values, "persona", "--persona", true);
    command.stateFile = single(values, "state", "--state", false);
    if (auto port = single(values, "port", "--port", false); !port.empty()) {
        command.port = static_cast<std::uint16_t>(number(port, "--port", 1, 65535));
    }
    command.atr = single(values, "atr", "--atr", false);
    if (!command.atr.empty() && command.atr != "contact" && command.atr != "contactless") {
        throw UsageError("--atr: expected contact or contactless, got '" + command.atr + "'");
    }
    if (auto after = single(values, "remove_after", "--remove-after", false); !after.empty()) {
        command.removeAfter = number(after, "--remove-after", 0, 100000000);
    }
    return runCardCommand(command, out, err);
}

int runPrinter(const Values& values, std::ostream& out, std::ostream& err)
{
    PrinterCommand command;
    command.outDir = single(values, "out", "--out", true);
    if (auto port = single(values, "port", "--port", false); !port.empty()) {
        command.port = static_cast<std::uint16_t>(number(port, "--port", 0, 65535));
    }
    if (auto width = single(values, "width", "--width", false); !width.empty()) {
        command.widthDots = static_cast<int>(number(width, "--width", 1, 100000));
    }
    if (auto it = values.find("fault"); it != values.end()) {
        command.faults.assign(it->second.begin(), it->second.end());
    }
    if (auto slow = single(values, "slow", "--slow", false); !slow.empty()) {
        command.slow = std::chrono::milliseconds(number(slow, "--slow", 0, 60000));
    }
    return runPrinterCommand(command, out, err);
}

} // namespace

int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    try {
        Parsed parsed = parseArgs(args);
        if (parsed.help) {
            printUsage(out);
            return kExitOk;
        }
        if (parsed.version) {
            out << "uketsuke-sim " << UKETSUKE_VERSION << "\n";
            return kExitOk;
        }
        if (parsed.command == &kPki) {
            return runPki(parsed.values, out, err);
        }
        if (parsed.command == &kCard) {
            return runCard(parsed.values, out, err);
        }
        if (parsed.command == &kOqsTerminal) {
            return runOqsTerminal(parsed.values, out, err);
        }
        if (parsed.command == &kPrinter) {
            return runPrinter(parsed.values, out, err);
        }
        return runGateway(parsed.values, out, err);
    } catch (const UsageError& e) {
        err << "uketsuke-sim: " << e.what() << "\n";
        return kExitUsage;
    }
}

} // namespace uketsuke::sim
