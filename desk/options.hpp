#pragma once

// The command line and config file of uketsuke-desk (docs/programs/uketsuke-desk.md).
// Flags override the keys of the TOML file named by --config; the keys mirror the flags.

#include "base/paths.hpp"
#include "base/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::desk {

struct DeskOptions {
    std::string pkiDir;                   // --pki / pki: the files `uketsuke-sim pki` wrote
    std::string listenHost = "127.0.0.1"; // --listen / listen: HOST:PORT, PORT 0 = any free port
    int listenPort = 8443;
    std::string dataDir;                            // --data / data: holds desk.sqlite3
    std::string assetsDir = defaultAssetsDir(); // --assets / assets: i18n/<lang>.json
    int retentionDays = 30;                         // retention_days: check-ins older are purged
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
Result<Invocation> parseCommandLine(const std::vector<std::string>& args);

struct HostPort {
    std::string host;
    int port = 0;
};

// "127.0.0.1:8443", "localhost:0", "[::1]:8443". Errors: InvalidArgument.
Result<HostPort> parseHostPort(std::string_view text);

// The URL form of a host and port ("https://[::1]:8443" for an IPv6 literal).
std::string httpsUrl(const std::string& host, int port);

// The text of --help.
std::string usage();

} // namespace uketsuke::desk
