#pragma once

// `uketsuke-kiosk voice` (docs/voice.md): synthesises every voice line of every language into
// the cache ahead of time, so a terminal's first patients hear each line at once, and prints
// what each engine cost: lines, synthesis time per line, seconds of speech, the cache's size.
// Files of lines no table has any more are removed.

#include "kiosk/model/strings.hpp"
#include "kiosk/voice/synth.hpp"

#include <ostream>

namespace uketsuke::kiosk::voice {

// Returns 0 when every language that names a voice spoke every line, 1 otherwise (each
// problem is one line on `err`; the other languages are prepared anyway).
int prepareVoices(const model::StringCatalog& strings, const SynthOptions& options,
                  std::ostream& out, std::ostream& err);

} // namespace uketsuke::kiosk::voice
