#include "desk/options.hpp"

#include "net/server_options.hpp"

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
    net::declareLimits(t, o.limits);
}

Result<Invocation> parseWith(const std::vector<std::string>& args,
                             const options::ConfigText* config)
{
    Invocation out;
    options::Table table;
    declare(table, out.options);
    auto parsed = config != nullptr ? table.parse(args, *config) : table.parse(args);
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
    const auto& words = parsed->positionals;
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
        return fail(Errc::InvalidArgument,
                    "unknown argument " + words.back() + " (see --help)");
    }
    if (!out.options.exportDate.empty()) {
        return fail(Errc::InvalidArgument, "--date is only for the export command");
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
    options::Table table;
    declare(table, defaults);
    return "usage: uketsuke-desk --pki DIR --data DIR [--listen HOST:PORT] [--config FILE]\n"
           "                     [--assets DIR]\n"
           "       uketsuke-desk --pki DIR --data DIR [--config FILE] export --date YYYY-MM-DD\n"
           "       uketsuke-desk --help | --version\n"
           "\n"
           "The reception-desk service: accepts check-ins from terminals over HTTPS with\n"
           "client certificates, stores them in DIR/desk.sqlite3 and serves the staff page.\n"
           "`export --date` writes the export files of one day again (docs/export.md) and exits.\n"
           "\n" +
           table.flagsHelp() +
           "\n"
           "Keys of the --config file without a flag (docs/programs/uketsuke-desk.md):\n" +
           table.keysHelp() +
           "\n"
           "Exit status: 0 after SIGTERM/SIGINT, 1 when it cannot start (port in use, storage),\n"
           "2 on a bad flag or bad configuration.\n";
}

} // namespace uketsuke::desk
