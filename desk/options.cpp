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
    t.number("", "wait_alert_min", "MINUTES", o.waitAlertMinutes, 1, 24 * 60,
             "the page shows a waiting patient's row as an alert after this many minutes");
    t.number("", "terminal_silent_s", "SECONDS", o.terminalSilentSeconds, 10, 24 * 60 * 60,
             "the page shows a terminal in red when its last health report is older (terminals "
             "report every 60 s)");
    net::declareLimits(t, o.limits);
}

} // namespace

Result<Invocation> parseCommandLine(const std::vector<std::string>& args)
{
    Invocation out;
    options::Table table;
    declare(table, out.options);
    auto parsed = table.parse(args);
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
    if (!parsed->positionals.empty()) {
        return fail(Errc::InvalidArgument,
                    "unknown argument " + parsed->positionals.front() + " (see --help)");
    }
    return out;
}

std::string usage()
{
    DeskOptions defaults;
    options::Table table;
    declare(table, defaults);
    return "usage: uketsuke-desk --pki DIR --data DIR [--listen HOST:PORT] [--config FILE]\n"
           "                     [--assets DIR]\n"
           "       uketsuke-desk --help | --version\n"
           "\n"
           "The reception-desk service: accepts check-ins from terminals over HTTPS with\n"
           "client certificates, stores them in DIR/desk.sqlite3 and serves the staff page.\n"
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
