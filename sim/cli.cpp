#include "sim/cli.hpp"

#include "base/files.hpp"
#include "base/options.hpp"
#include "base/signals.hpp"
#include "base/time.hpp"
#include "net/server_options.hpp"
#include "sim/activation.hpp"
#include "sim/gateway_server.hpp"
#include "sim/oqs_terminal.hpp"
#include "sim/personas.hpp"
#include "sim/pki.hpp"
#include "sim/printer_command.hpp"
#include "sim/vpcd_card.hpp"

#include <functional>
#include <optional>
#include <ostream>

namespace uketsuke::sim {
namespace {

// The options of each command as given, declared once in an option table (base/options.hpp):
// each flag's config key is its name without the dashes, with '-' as '_'.

struct PkiArgs {
    std::string out;
    std::string personas;
};

void declare(options::Table& t, PkiArgs& a)
{
    t.path("--out", "out", "DIR", a.out, "directory to write (created)").required();
    t.path("--personas", "personas", "FILE", a.personas,
           "personas file (default: the one in assets/)");
}

struct GatewayArgs {
    std::string pki;
    std::string listenHost;
    int listenPort = 0;
    std::string personas;
    std::vector<std::string> trustCa;
    std::string revoked;
    bool allowFaults = false;
    net::Limits limits = GatewayServer::defaultLimits();
};

void declare(options::Table& t, GatewayArgs& a)
{
    t.path("--pki", "pki", "DIR", a.pki, "a directory written by `pki`").required();
    t.hostPort("--listen", "listen", a.listenHost, a.listenPort,
               "address to listen on; port 0 picks a free port")
        .required();
    t.path("--personas", "personas", "FILE", a.personas,
           "personas file (default: DIR/personas.json)");
    t.list("--trust-ca", "trust_ca", "FILE", a.trustCa, "another JPKI CA to trust (PEM)", true);
    t.path("--revoked", "revoked", "FILE", a.revoked,
           "revoked card serials, hex, one a line (default: DIR/jpki/revoked.txt)");
    t.boolean("--allow-faults", "allow_faults", a.allowFaults,
              "serve /control/faults to loopback peers (tests)");
    net::declareLimits(t, a.limits);
}

struct ActivationCodeArgs {
    std::string pki;
    std::string terminal;
    std::string clinic = kDefaultClinicCode;
    int validHours = 24;
};

void declare(options::Table& t, ActivationCodeArgs& a)
{
    t.path("--pki", "pki", "DIR", a.pki,
           "the gateway's PKI directory; the code goes to DIR/tls/activation/")
        .required();
    t.text("--terminal", "terminal", "ID", a.terminal,
           "the terminal id the certificate will name (its CN)")
        .required()
        .check([](const std::string& v) -> std::optional<std::string> {
            if (!isTerminalId(v)) {
                return "must be 1-32 of letters, digits, '.', '_' and '-' (not starting with "
                       "'.'), got '" +
                       v + "'";
            }
            return std::nullopt;
        });
    t.text("--clinic", "clinic", "CODE", a.clinic,
           "the clinic's 10-digit 医療機関コード the code is for")
        .check([](const std::string& v) -> std::optional<std::string> {
            if (!isClinicCode(v)) {
                return "must be 10 digits, got '" + v + "'";
            }
            return std::nullopt;
        });
    t.number("--valid-hours", "valid_hours", "HOURS", a.validHours, 1, 720,
             "how long the code can be used");
}

struct CardArgs {
    std::string pki;
    std::string persona;
    int port = kVpcdPort;
    std::string state;
    std::string atr;
    std::optional<std::size_t> removeAfter;
};

void declare(options::Table& t, CardArgs& a)
{
    t.path("--pki", "pki", "DIR", a.pki, "a directory written by `pki`").required();
    t.text("--persona", "persona", "NAME", a.persona, "the persona whose card to use")
        .required()
        .check([](const std::string& v) -> std::optional<std::string> {
            if (!files::isPlainName(v)) {
                return "must be a plain name (letters, digits, '-', '_', '.'), got '" + v + "'";
            }
            return std::nullopt;
        });
    t.number("--port", "port", "PORT", a.port, 1, 65535,
             "vpcd slot port (35963 = slot 0; 35964 = slot 1)");
    t.path("--state", "state", "FILE", a.state, "keep the PIN counters across runs in this file");
    t.text("--atr", "atr", "KIND", a.atr, "contact (default: the persona's) or contactless");
    t.custom("--remove-after", "remove_after", "N", options::Kind::Integer,
             "pull the card when command N+1 arrives, then exit", "",
             [&a](const options::Value& v) -> std::optional<std::string> {
                 if (v.number < 0 || v.number > 100000000) {
                     return "expected a whole number 0-100000000, got '" +
                            std::to_string(v.number) + "'";
                 }
                 a.removeAfter = static_cast<std::size_t>(v.number);
                 return std::nullopt;
             });
}

struct OqsTerminalArgs {
    std::string req;
    std::string res;
    std::string personas;
};

void declare(options::Table& t, OqsTerminalArgs& a)
{
    t.path("--req", "req", "DIR", a.req, "folder to watch for OQSsiquc01req_ files").required();
    t.path("--res", "res", "DIR", a.res, "folder to write OQSsiquc01res_ files to").required();
    t.path("--personas", "personas", "FILE", a.personas,
           "personas file (default: the one in assets/)");
}

struct PrinterArgs {
    PrinterCommand command;
    std::string out;
};

void declare(options::Table& t, PrinterArgs& a)
{
    t.number("--port", "port", "PORT", a.command.port, 0, 65535,
             "port to listen on (0: a free one)");
    t.path("--out", "out", "DIR", a.out, "directory for the printed slips").required();
    t.number("--width", "width", "DOTS", a.command.widthDots, 1, 100000,
             "384, 512 or 576 dots");
    t.list("--fault", "fault", "KIND", a.command.faults,
           "paper-out, near-end, cover-open, offline or disconnect");
    t.duration<std::chrono::milliseconds>("--slow", "slow", "MS", a.command.slow, 0, 60000,
                                          "wait this long before each read");
}

int statusFor(const Error& error)
{
    return error.code == Errc::ConfigMissing || error.code == Errc::ConfigInvalid ||
                   error.code == Errc::InvalidArgument
               ? kExitUsage
               : kExitFailure;
}

int run(const PkiArgs& a, std::ostream& out, std::ostream& err)
{
    PkiOptions options;
    options.outDir = a.out;
    options.personasFile =
        a.personas.empty() ? defaultPersonasFile() : std::filesystem::path(a.personas);
    auto done = generatePki(options);
    if (!done) {
        err << "uketsuke-sim pki: " << done.error().message << "\n";
        return statusFor(done.error());
    }
    out << "wrote test PKI to " << options.outDir.string() << "\n";
    return kExitOk;
}

int run(const GatewayArgs& a, std::ostream& out, std::ostream& err)
{
    GatewayOptions gateway;
    gateway.pkiDir = a.pki;
    gateway.personasFile = a.personas;
    gateway.trustCaFiles.assign(a.trustCa.begin(), a.trustCa.end());
    gateway.revokedFile = a.revoked;
    gateway.allowFaultControl = a.allowFaults;

    auto server = GatewayServer::create(std::move(gateway), a.limits);
    if (!server) {
        err << "uketsuke-sim gateway: " << server.error().message << "\n";
        return statusFor(server.error());
    }
    // Before any thread exists (the server's pool starts in run()).
    StopSignals stopSignals;
    auto port = (*server)->bind(a.listenHost, a.listenPort);
    if (!port) {
        err << "uketsuke-sim gateway: " << port.error().message << "\n";
        return kExitFailure;
    }
    out << "listening " << options::httpsUrl(a.listenHost, *port) << std::endl;
    if (auto ran = stopSignals.run(**server); !ran) {
        err << "uketsuke-sim gateway: " << ran.error().message << "\n";
        return kExitFailure;
    }
    return kExitOk;
}

int run(const ActivationCodeArgs& a, std::ostream& out, std::ostream& err)
{
    const PkiLayout layout(a.pki);
    for (const auto& file : {layout.tlsCa(), layout.tlsCaKey()}) {
        std::error_code error;
        if (!std::filesystem::is_regular_file(file, error)) {
            err << "uketsuke-sim gateway activation-code: missing " << file.string()
                << " (create it with `uketsuke-sim pki --out DIR`)\n";
            return kExitUsage;
        }
    }
    const ActivationStore codes(layout.activationDir());
    auto issued = codes.create(a.terminal, a.clinic, std::chrono::hours(a.validHours),
                               std::chrono::system_clock::now());
    if (!issued) {
        err << "uketsuke-sim gateway activation-code: " << issued.error().message << "\n";
        return statusFor(issued.error());
    }
    out << groupActivationCode(issued->code) << "\n"
        << "valid until " << time::isoUtc(issued->expiresAt) << " for terminal " << a.terminal
        << " at clinic " << a.clinic << "\n";
    return kExitOk;
}

int run(const OqsTerminalArgs& a, std::ostream& out, std::ostream& err)
{
    OqsTerminalOptions options;
    options.requestDir = a.req;
    options.resultDir = a.res;
    options.personasFile = a.personas;
    auto terminal = OqsTerminal::create(std::move(options));
    if (!terminal) {
        err << "uketsuke-sim oqs-terminal: " << terminal.error().message << "\n";
        return statusFor(terminal.error());
    }
    StopSignals stopSignals;
    out << "watching " << a.req << std::endl;
    if (auto ran = stopSignals.run(**terminal); !ran) {
        err << "uketsuke-sim oqs-terminal: " << ran.error().message << "\n";
        return kExitFailure;
    }
    return kExitOk;
}

int run(const CardArgs& a, std::ostream& out, std::ostream& err)
{
    CardCommand command;
    command.pkiDir = a.pki;
    command.persona = a.persona;
    command.stateFile = a.state;
    command.port = static_cast<std::uint16_t>(a.port);
    command.atr = a.atr;
    command.removeAfter = a.removeAfter;
    return runCardCommand(command, out, err);
}

int run(const PrinterArgs& a, std::ostream& out, std::ostream& err)
{
    PrinterCommand command = a.command;
    command.outDir = a.out;
    return runPrinterCommand(command, out, err);
}

struct Command {
    std::string name; // one word, or two for a command under another ("gateway activation-code")
    std::string summary;
    // The --help lines of the command's flags.
    std::function<std::string()> help;
    // Parses the arguments (without the command's name) and runs the command.
    std::function<int(const std::vector<std::string>&, std::ostream&, std::ostream&)> run;
};

template <class Args>
Command command(std::string name, std::string summary)
{
    Command c{std::move(name), std::move(summary), {}, {}};
    c.help = [] {
        Args defaults;
        options::Table table(false);
        declare(table, defaults);
        return table.flagsHelp();
    };
    c.run = [name = c.name](const std::vector<std::string>& args, std::ostream& out,
                            std::ostream& err) -> int {
        Args parsedArgs;
        options::Table table;
        table.setUnknownFlagHint(" for command " + name);
        declare(table, parsedArgs);
        auto parsed = table.parse(args);
        if (!parsed) {
            err << "uketsuke-sim: " << parsed.error().message << "\n";
            return kExitUsage;
        }
        if (!parsed->positionals.empty()) {
            err << "uketsuke-sim: unexpected argument '" << parsed->positionals.front() << "'\n";
            return kExitUsage;
        }
        return run(parsedArgs, out, err);
    };
    return c;
}

const std::vector<Command>& commands()
{
    static const std::vector<Command> all = {
        command<PkiArgs>("pki", "write a test PKI (TLS CA, server and terminal certificates, "
                                "JPKI-shaped card certificates)"),
        command<GatewayArgs>("gateway",
                             "serve the eligibility protocol v1 over HTTPS with mutual TLS"),
        command<ActivationCodeArgs>(
            "gateway activation-code",
            "make a one-time code with which a terminal enrols (POST /v1/enrol) for its client "
            "certificate"),
        command<CardArgs>("card", "put a persona's virtual My Number card into pcscd through "
                                  "vpcd (vsmartcard)"),
        command<OqsTerminalArgs>(
            "oqs-terminal",
            "a simulated 資格確認端末: answer req files with res files from the personas"),
        command<PrinterArgs>("printer", "a simulated ESC/POS printer on 127.0.0.1 (TCP, as port "
                                        "9100): writes slip-NNNN.png/.txt"),
    };
    return all;
}

void printUsage(std::ostream& out)
{
    out << "usage: uketsuke-sim COMMAND [OPTIONS]\n"
           "       uketsuke-sim --help | --version\n"
           "\n"
           "Simulators for development, demo and tests.\n"
           "\n"
           "commands:\n";
    for (const Command& command : commands()) {
        out << "  " << command.name << "  " << command.summary << "\n";
        const std::string flags = command.help();
        // Indent the command's flags under its name.
        std::size_t start = 0;
        while (start < flags.size()) {
            auto end = flags.find('\n', start);
            out << "    " << flags.substr(start, end - start + 1);
            start = end + 1;
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
           "  uketsuke-sim gateway activation-code --pki build/pki --terminal KIOSK-0002\n"
           "  uketsuke-sim card --pki build/pki --persona valid\n"
           "  uketsuke-sim oqs-terminal --req /srv/oqs/req --res /srv/oqs/res\n"
           "\n"
           "exit status: 0 ok, 1 failure, 2 bad flag or bad config.\n"
           "Logging: UKETSUKE_LOG=\"sim.gateway:debug,*:info\" (stderr).\n"
           "See docs/programs/uketsuke-sim.md.\n";
}

} // namespace

int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    for (const auto& arg : args) {
        if (arg == "--help" || arg == "-h") {
            printUsage(out);
            return kExitOk;
        }
    }
    for (const auto& arg : args) {
        if (arg == "--version") {
            out << "uketsuke-sim " << UKETSUKE_VERSION << "\n";
            return kExitOk;
        }
    }
    // The command is the first argument that is neither a flag nor --config's value; the
    // others, before or after it, are the command's options.
    std::optional<std::size_t> at;
    for (std::size_t i = 0; i < args.size() && !at; ++i) {
        if (args[i] == "--config") {
            ++i;
        } else if (args[i].rfind("-", 0) != 0) {
            at = i;
        }
    }
    if (!at) {
        for (const auto& arg : args) {
            if (arg.rfind("-", 0) == 0 && arg.rfind("--config", 0) != 0) {
                err << "uketsuke-sim: unknown flag " << arg << " (a command comes first)\n";
                return kExitUsage;
            }
        }
        err << "uketsuke-sim: no command given (try --help)\n";
        return kExitUsage;
    }
    // A two-word command ("gateway activation-code") wins over its first word; its words follow
    // each other.
    const Command* chosen = nullptr;
    std::size_t words = 0;
    for (const Command& command : commands()) {
        const auto space = command.name.find(' ');
        const bool matches =
            space == std::string::npos
                ? command.name == args[*at]
                : *at + 1 < args.size() && command.name.substr(0, space) == args[*at] &&
                      command.name.substr(space + 1) == args[*at + 1];
        const std::size_t length = space == std::string::npos ? 1 : 2;
        if (matches && length > words) {
            chosen = &command;
            words = length;
        }
    }
    if (chosen != nullptr) {
        std::vector<std::string> rest = args;
        const auto first = rest.begin() + static_cast<std::ptrdiff_t>(*at);
        rest.erase(first, first + static_cast<std::ptrdiff_t>(words));
        return chosen->run(rest, out, err);
    }
    err << "uketsuke-sim: unknown command '" << args[*at] << "' (try --help)\n";
    return kExitUsage;
}

} // namespace uketsuke::sim
