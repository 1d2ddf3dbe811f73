#pragma once

// The command line and config file of uketsuke-desk (docs/programs/uketsuke-desk.md), declared
// once in the option table (base/options.hpp). Flags override the keys of the TOML file named by
// --config; the keys mirror the flags.

#include "base/options.hpp"
#include "base/paths.hpp"
#include "base/result.hpp"
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
    int waitAlertMinutes = 20;      // wait_alert_min: a waiting patient's row turns to alert
    int terminalSilentSeconds = 180; // terminal_silent_s: a terminal not heard from turns red
    // --max-connections / max_connections, ...: the server's caps and timeouts
    // (net/server_options.hpp).
    net::Limits limits = ServerSettings::defaultLimits();
};

enum class Action { Run, Help, Version };

struct Invocation {
    Action action = Action::Run;
    DeskOptions options;
};

// Parses the arguments after argv[0] and the config file that --config names. Accepts
// "--flag value" and "--flag=value". --help and --version win over everything else.
// Errors (the message is one line naming the flag or key):
//   InvalidArgument  unknown flag, missing value, bad HOST:PORT, pki or data not given
//   ConfigMissing    the config file cannot be read
//   ConfigInvalid    TOML syntax error, unknown key, key of the wrong type or out of range
// (options::Table::parse).
Result<Invocation> parseCommandLine(const std::vector<std::string>& args);

// The text of --help.
std::string usage();

} // namespace uketsuke::desk
