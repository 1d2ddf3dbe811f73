#pragma once

// The uketsuke-desk program after its arguments are parsed: open the store, load the strings,
// serve until SIGTERM or SIGINT.

#include "desk/options.hpp"

#include <ostream>

namespace uketsuke::desk {

// Runs the desk in the calling thread until SIGTERM or SIGINT, printing exactly one line
// `listening https://HOST:PORT` to `out` once clients can connect. Blocks SIGTERM and SIGINT in
// the calling thread (and so in every thread it starts); call it from main() before any other
// thread exists. Errors go to `err` as one line. Returns the exit status: 0 after a signal,
// 1 when it cannot start (port in use, storage), 2 on bad configuration (PKI files, strings).
int runDesk(const DeskOptions& options, std::ostream& out, std::ostream& err);

// `uketsuke-desk export --date YYYY-MM-DD`: writes the face files and the CSV of that day again
// into export.dir (docs/export.md), prints `exported N check-ins of YYYY-MM-DD to DIR` to `out`.
// Runs beside a serving desk (SQLite WAL). Returns 0, 1 when the store cannot be read or a file
// cannot be written (one line on `err`), 2 on bad configuration.
int runExport(const DeskOptions& options, std::ostream& out, std::ostream& err);

// `uketsuke-desk pair-code TERMINAL_ID`: makes a one-time pairing code for that terminal
// (desk/pairing.hpp; runs beside a serving desk) and prints `pairing code for ID: 4829 1365
// 0271 until TIME` to `out`; the audit log records it (never the code). Returns 0, 1 when the
// pairing database cannot be written, 2 on a bad terminal id or configuration.
int runPairCode(const DeskOptions& options, const std::string& terminalId, std::ostream& out,
                std::ostream& err);

} // namespace uketsuke::desk
