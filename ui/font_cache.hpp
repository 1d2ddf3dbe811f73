#pragma once

// The built font atlas kept on disk (docs/performance.md): building it with FreeType is most
// of the terminal's start (190-290 ms for every language), reading it back a few milliseconds.
// One file, "<data_dir>/font-cache", holds the 8-bit atlas, its white pixel and baked lines,
// and every font's metrics and glyphs. It is used only when its key is exactly the key of the
// atlas about to be built: the font files (path, size, modification time, face), every size
// at the scale, every glyph range and the format and ImGui versions; anything else rebuilds it.
//
// The file is bytes from disk: loadAtlas() checks every length and bound, and a file it cannot
// read whole is an error (the caller logs it and builds the atlas, then writes the file anew),
// never undefined behaviour. Thread: main (ImGui's atlas).

#include "base/result.hpp"

#include <imgui.h>

#include <string>
#include <string_view>

namespace uketsuke::ui {

// Writes `atlas` (built, its 8-bit pixels still there) under `key`, atomically. Errors:
// StorageError (cannot write), InvalidArgument (the atlas has no pixels).
Result<void> saveAtlas(const std::string& path, std::string_view key, ImFontAtlas& atlas);

// Replaces what `atlas` holds with the file's atlas when the file's key is `key`: the fonts in
// the order they were added when saved, built (IsBuilt()), the 8-bit pixels to upload.
// Errors: StorageError (no file, cannot read), StorageCorrupt (not a cache file, truncated,
// a length or coordinate out of bounds: the message says which), ConfigInvalid (another key:
// the fonts, strings or sizes changed). On error `atlas` is left cleared.
Result<void> loadAtlas(const std::string& path, std::string_view key, ImFontAtlas& atlas);

} // namespace uketsuke::ui
