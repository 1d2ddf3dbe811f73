#pragma once

// The command line and config file of uketsuke-desk (docs/programs/uketsuke-desk.md), declared
// once in the option table (base/options.hpp). Flags override the keys of the TOML file named by
// --config; the keys mirror the flags.

#include "base/options.hpp"
#include "base/paths.hpp"
#include "base/result.hpp"
#include "base/time.hpp"
#include "desk/accounts.hpp"
#include "desk/auth.hpp"
#include "desk/export.hpp"
#include "desk/server.hpp"
#include "net/server.hpp"

#include <string>
#include <vector>

namespace uketsuke::desk {

struct DeskOptions {
    std::string pkiDir;                   // --pki / pki: the files `uketsuke-sim pki` wrote
    std::string listenHost = "127.0.0.1"; // --listen / listen: HOST:PORT, PORT 0 = any free port
    int listenPort = 8444;
    std::string dataDir;                            // --data / data: holds desk.sqlite3
    std::string assetsDir = defaultAssetsDir(); // --assets / assets: i18n/<lang>.json
    int retentionDays = 30;                         // retention_days: check-ins older are purged
    // time_zone: the clinic's zone for local dates and times (the kiosk's key of the same name).
    std::string timeZone = std::string(time::Zone::kDefault);
    int waitAlertMinutes = 20;      // wait_alert_min: a waiting patient's row turns to alert
    int terminalSilentSeconds = 180; // terminal_silent_s: a terminal not heard from turns red
    int cardLeftSeconds = 60; // card_left_s: a card lying idle on a reader longer is a warning
    // --max-connections / max_connections, ...: the server's caps and timeouts
    // (net/server_options.hpp).
    net::Limits limits = ServerSettings::defaultLimits();
    // export.dir / export.encoding: the files for レセコン (docs/export.md); off when dir is empty.
    ExportSettings exporting;
    // metrics.allow: peers besides loopback that may read GET /metrics.
    std::vector<std::string> metricsAllow;
    // metrics.terminal_up_s: a terminal heard from within this counts as up.
    int terminalUpSeconds = 150;
    // --date of the export command.
    std::string exportDate;
    // session_idle_min, session_max_h, login_max_failures (desk/auth.hpp).
    StaffSettings staff;
    // clinic_code, oqs.req_dir, oqs.res_dir, oqs.encoding, oqs.timeout_s: staff re-checks through
    // the 資格確認端末 (desk/recheck.hpp); off while oqs.req_dir is empty.
    RecheckSettings recheck;
};

enum class Action {
    Run,     // serve
    Export,  // `export --date YYYY-MM-DD`: write a day's export files again and exit
    Help,
    Version,
    User,    // `user VERB [NAME]`: the staff accounts
    PairCode, // `pair-code TERMINAL_ID`: a one-time pairing code (docs/pairing.md)
};

// `uketsuke-desk user VERB [NAME] [--role ROLE]`: the staff accounts in DATA/accounts.sqlite3.
struct UserCommand {
    enum class Verb { Add, Passwd, Disable, Enable, List };
    Verb verb = Verb::List;
    std::string name;       // every verb but list
    Role role = Role::Staff; // add: --role staff|admin
};

struct Invocation {
    Action action = Action::Run;
    DeskOptions options;
    UserCommand user; // Action::User
    std::string pairTerminal; // Action::PairCode
};

// Parses the arguments after argv[0] and the config file that --config names. Accepts
// "--flag value" and "--flag=value". --help and --version win over everything else. With the
// arguments `user VERB [NAME]` it is Action::User, which needs only the data folder.
// Errors (the message is one line naming the flag or key):
//   InvalidArgument  unknown flag, missing value, bad HOST:PORT, pki or data not given, an
//                    unknown command, export without --date or with export.dir empty, --date
//                    without export; oqs.req_dir without oqs.res_dir or clinic_code; a user
//                    command that is unknown, lacks its NAME, or has a bad one; --role other
//                    than with `user add`
//   ConfigMissing    the config file cannot be read
//   ConfigInvalid    TOML syntax error, unknown key, key of the wrong type or out of range
// (options::Table::parse).
Result<Invocation> parseCommandLine(const std::vector<std::string>& args);
// As parseCommandLine(args), with `config` read in place of the file that --config names (the
// fuzz target tests/fuzz/fuzz_config.cpp).
Result<Invocation> parseCommandLine(const std::vector<std::string>& args,
                                    const options::ConfigText& config);

// The text of --help.
std::string usage();

} // namespace uketsuke::desk
