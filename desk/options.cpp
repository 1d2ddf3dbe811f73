#include "desk/options.hpp"

#include "net/server_options.hpp"

#include <algorithm>
#include <optional>

namespace uketsuke::desk {
namespace {

constexpr int kMaxRetentionDays = 3660;

std::optional<std::string> nonEmpty(const std::string& text)
{
    if (text.empty()) {
        return std::string("must not be empty");
    }
    return std::nullopt;
}

// Every flag and key of the desk, bound to the fields of `o`; the fields' initial values are the
// defaults. docs/programs/uketsuke-desk.md documents each one.
void declare(options::Table& t, DeskOptions& o)
{
    t.path("--pki", "pki", "DIR", o.pkiDir,
           "test PKI written by `uketsuke-sim pki` (DIR/tls/desk.pem, desk.key, ca.pem)")
        .required();
    t.path("--data", "data", "DIR", o.dataDir,
           "where the database lives (created if missing, made 0700)")
        .required();
    t.hostPort("--listen", "listen", o.listenHost, o.listenPort,
               "address to serve on; PORT 0 picks a free port (the real one is printed as "
               "`listening https://...`)");
    t.path("--assets", "assets", "DIR", o.assetsDir, "folder with i18n/ja.json").check(nonEmpty);
    t.number("", "retention_days", "DAYS", o.retentionDays, 1, kMaxRetentionDays,
             "check-ins received more than this many days ago are deleted");
    t.text("", "time_zone", "ZONE", o.timeZone,
           "the clinic's time zone (tz database name) for local dates and times")
        .check([](const std::string& v) -> std::optional<std::string> {
            if (auto zone = time::Zone::load(v); !zone) {
                return zone.error().message;
            }
            return std::nullopt;
        });
    t.custom("", "export.dir", "DIR", options::Kind::Path,
             "folder for the OQS face files and daily CSV for レセコン (docs/export.md); empty: "
             "no export",
             o.exporting.dir.string(), [&o](const options::Value& v) -> std::optional<std::string> {
                 o.exporting.dir = v.text;
                 return std::nullopt;
             });
    t.choice("", "export.encoding", "ENCODING", o.exporting.encoding,
             {{"utf-8", kiosk::model::XmlEncoding::Utf8},
              {"shift_jis", kiosk::model::XmlEncoding::ShiftJis}},
             "encoding of the exported XML files, as the レセコン reads its face folder");
    t.list("", "metrics.allow", "ADDRESS", o.metricsAllow,
           "peer addresses besides loopback that may read GET /metrics (a Prometheus server)");
    t.number("", "metrics.terminal_up_s", "S", o.terminalUpSeconds, 1, 86400,
             "a terminal heard from within this counts as up in /metrics (2.5 health periods)");
    t.text("--date", "", "YYYY-MM-DD", o.exportDate, "the day `export` writes again")
        .check([](const std::string& v) -> std::optional<std::string> {
            if (!isIsoDate(v)) {
                return std::string("must be YYYY-MM-DD");
            }
            return std::nullopt;
        });
    t.number("", "wait_alert_min", "MINUTES", o.waitAlertMinutes, 1, 24 * 60,
             "the page shows a waiting patient's row as an alert after this many minutes");
    t.number("", "terminal_silent_s", "SECONDS", o.terminalSilentSeconds, 10, 24 * 60 * 60,
             "the page shows a terminal in red when its last health report is older (terminals "
             "report every 60 s)");
    t.number("", "card_left_s", "SECONDS", o.cardLeftSeconds, 10, 60 * 60,
             "the page warns of a card that has lain on a terminal's reader with no check-in "
             "using it for longer (a patient forgot it)");
    t.text("", "clinic_code", "CODE", o.recheck.clinicCode,
           "医療機関コード (10 digits), sent in each re-check request")
        .check([](const std::string& v) -> std::optional<std::string> {
            if (v.size() != 10 || v.find_first_not_of("0123456789") != std::string::npos) {
                return "must be 10 digits, got '" + v + "'";
            }
            return std::nullopt;
        });
    t.path("", "oqs.req_dir", "DIR", o.recheck.reqDir,
           "the 資格確認端末's req folder, for staff re-checks of eligibility; empty: no re-check");
    t.path("", "oqs.res_dir", "DIR", o.recheck.resDir, "the 資格確認端末's res folder");
    t.choice("", "oqs.encoding", "ENCODING", o.recheck.encoding,
             {{"utf-8", kiosk::model::XmlEncoding::Utf8},
              {"shift_jis", kiosk::model::XmlEncoding::ShiftJis}},
             "the encoding set on the 資格確認端末");
    t.duration<std::chrono::seconds>("", "oqs.timeout_s", "S", o.recheck.timeout, 1, 600,
                                     "how long a re-check waits for the 資格確認端末");
    net::declareLimits(t, o.limits);
    declareStaffOptions(t, o.staff);
}

// The flags of `uketsuke-desk user`.
void declareUser(options::Table& t, UserCommand& u)
{
    t.choice("--role", "", "ROLE", u.role, {{"staff", Role::Staff}, {"admin", Role::Admin}},
             "user add only: the new account's role");
}

Result<void> readUserCommand(const std::vector<std::string>& words, UserCommand& user)
{
    static const std::pair<const char*, UserCommand::Verb> kVerbs[] = {
        {"add", UserCommand::Verb::Add},         {"passwd", UserCommand::Verb::Passwd},
        {"disable", UserCommand::Verb::Disable}, {"enable", UserCommand::Verb::Enable},
        {"list", UserCommand::Verb::List},
    };
    if (words.size() < 2) {
        return fail(Errc::InvalidArgument,
                    "user needs a command: add, passwd, disable, enable or list (see --help)");
    }
    const auto* verb = std::find_if(std::begin(kVerbs), std::end(kVerbs),
                                    [&](const auto& v) { return words[1] == v.first; });
    if (verb == std::end(kVerbs)) {
        return fail(Errc::InvalidArgument, "unknown user command " + words[1] +
                                               " (add, passwd, disable, enable or list)");
    }
    user.verb = verb->second;
    const std::size_t expected = user.verb == UserCommand::Verb::List ? 2 : 3;
    if (words.size() < expected) {
        return fail(Errc::InvalidArgument, "user " + words[1] + " needs the account's NAME");
    }
    if (words.size() > expected) {
        return fail(Errc::InvalidArgument, "unknown argument " + words[expected] + " (see --help)");
    }
    if (expected == 3) {
        user.name = words[2];
        if (!isValidAccountName(user.name)) {
            return fail(Errc::InvalidArgument,
                        "bad account name '" + user.name +
                            "': 1 to 32 characters of a-z 0-9 . _ - (lower case)");
        }
    }
    return ok();
}

Result<Invocation> parseWith(const std::vector<std::string>& args,
                             const options::ConfigText* config)
{
    Invocation out;
    options::Table table;
    declare(table, out.options);
    declareUser(table, out.user);
    // table.parse(), except that a user command needs only the data folder.
    auto parsed = table.readArgs(args);
    if (!parsed) {
        return fail(std::move(parsed).error());
    }
    if (parsed->help) {
        out.action = Action::Help;
        return out;
    }
    if (parsed->version) {
        out.action = Action::Version;
        return out;
    }
    if (config != nullptr) {
        if (auto r = table.applyText(*config); !r) {
            return fail(std::move(r).error());
        }
    } else if (!parsed->configFile.empty()) {
        if (auto r = table.applyFile(parsed->configFile); !r) {
            return fail(std::move(r).error());
        }
    }
    if (auto r = table.applyArgs(); !r) {
        return fail(std::move(r).error());
    }
    const auto& words = parsed->positionals;
    if (!words.empty() && words.front() == "user") {
        out.action = Action::User;
        if (auto r = readUserCommand(words, out.user); !r) {
            return fail(std::move(r).error());
        }
        if (table.given("--role") && out.user.verb != UserCommand::Verb::Add) {
            return fail(Errc::InvalidArgument, "--role goes only with user add");
        }
        if (out.options.dataDir.empty()) {
            return fail(Errc::InvalidArgument, "missing --data DIR (or data in the config file)");
        }
        return out;
    }
    if (auto r = table.checkRequired(); !r) {
        return fail(std::move(r).error());
    }
    if (table.given("--role")) {
        return fail(Errc::InvalidArgument, "--role goes only with user add");
    }
    if (!words.empty() && words.front() == "pair-code") {
        if (words.size() != 2) {
            return fail(Errc::InvalidArgument, "pair-code needs the TERMINAL_ID");
        }
        out.action = Action::PairCode;
        out.pairTerminal = words[1];
        return out;
    }
    if (!words.empty() && words.front() == "export" && words.size() == 1) {
        if (out.options.exportDate.empty()) {
            return fail(Errc::InvalidArgument, "export needs --date YYYY-MM-DD");
        }
        if (out.options.exporting.dir.empty()) {
            return fail(Errc::InvalidArgument, "export needs export.dir in the config file");
        }
        out.action = Action::Export;
        return out;
    }
    if (!words.empty()) {
        return fail(Errc::InvalidArgument, "unknown argument " + words.front() + " (see --help)");
    }
    if (!out.options.exportDate.empty()) {
        return fail(Errc::InvalidArgument, "--date is only for the export command");
    }
    const RecheckSettings& recheck = out.options.recheck;
    if (recheck.enabled() && (recheck.resDir.empty() || recheck.clinicCode.empty())) {
        return fail(Errc::InvalidArgument,
                    "oqs.req_dir needs oqs.res_dir and clinic_code in the config file");
    }
    return out;
}

} // namespace

Result<Invocation> parseCommandLine(const std::vector<std::string>& args)
{
    return parseWith(args, nullptr);
}

Result<Invocation> parseCommandLine(const std::vector<std::string>& args,
                                    const options::ConfigText& config)
{
    return parseWith(args, &config);
}

std::string usage()
{
    DeskOptions defaults;
    UserCommand user;
    options::Table table;
    declare(table, defaults);
    declareUser(table, user);
    return "usage: uketsuke-desk --pki DIR --data DIR [--listen HOST:PORT] [--config FILE]\n"
           "                     [--assets DIR]\n"
           "       uketsuke-desk --pki DIR --data DIR [--config FILE] export --date YYYY-MM-DD\n"
           "       uketsuke-desk user add NAME [--role staff|admin] --data DIR\n"
           "       uketsuke-desk user passwd|disable|enable NAME --data DIR\n"
           "       uketsuke-desk user list --data DIR\n"
           "       uketsuke-desk --pki DIR --data DIR pair-code TERMINAL_ID\n"
           "       uketsuke-desk --help | --version\n"
           "\n"
           "The reception-desk service: accepts check-ins from terminals over HTTPS with\n"
           "client certificates, stores them in DIR/desk.sqlite3 and serves the staff page to\n"
           "staff who log in with an account of DIR/accounts.sqlite3. `user add` and `user\n"
           "passwd` read the password from the terminal without echo, or one line from stdin.\n"
           "`export --date` writes the export files of one day again (docs/export.md) and exits.\n"
           "`pair-code` prints a one-time code with which that terminal pairs (`uketsuke-kiosk\n"
           "pair`, docs/pairing.md), as the admin page 端末の接続 does.\n"
           "\n" +
           table.flagsHelp() +
           "\n"
           "Keys of the --config file without a flag (docs/programs/uketsuke-desk.md):\n" +
           table.keysHelp() +
           "\n"
           "Exit status: 0 after SIGTERM/SIGINT, 1 when it cannot start (port in use, storage),\n"
           "2 on a bad flag or bad configuration. user: 0 done, 1 refused (no such account, it\n"
           "exists, storage), 2 on a bad command, name or password.\n";
}

} // namespace uketsuke::desk
