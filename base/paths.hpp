#pragma once

// Where a program finds the files shipped with it (string tables, personas, demo scripts,
// example configurations), installed or not.

#include <string>

namespace uketsuke {

// The assets folder: <prefix>/share/uketsuke when this program runs from an installed prefix
// (its executable is <prefix>/bin/NAME and <prefix>/share/uketsuke/i18n exists, docs/install.md),
// otherwise the source tree's assets/ the build was made from. `--assets` / `assets` override
// it. Thread: any.
std::string defaultAssetsDir();

// The installed assets folder for an executable at `exe`, if that layout is there; empty
// otherwise. Exposed for tests.
std::string installedAssetsDir(const std::string& exe);

} // namespace uketsuke
