#pragma once

// The command line of uketsuke-sim (docs/programs/uketsuke-sim.md). main() only forwards here,
// so the parsing is tested as a library.

#include <iosfwd>
#include <string>
#include <vector>

namespace uketsuke::sim {

// Exit statuses shared by every Uketsuke program.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1; // the command ran and failed
inline constexpr int kExitUsage = 2;   // bad flag, bad config: one line on stderr

// Runs `uketsuke-sim ARGS...` (args exclude the program name) and returns the exit status.
// Usage and version go to `out`, errors to `err` as one line each. `gateway` blocks until
// SIGTERM or SIGINT; call it from main() only (it blocks those signals in the process).
// Exceptions: none escape (bad configuration is reported and returns kExitUsage).
int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace uketsuke::sim
