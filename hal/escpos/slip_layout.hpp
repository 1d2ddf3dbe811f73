#pragma once

// A hal::Slip laid out as ESC/POS bytes for 58 mm or 80 mm paper. Text goes in kanji mode as
// CP932 (ANK 12x24, kanji 24x24 dots; Normal 1x, Large 2x, Huge 4x), wrapped by the shared
// 禁則 breaker to the paper's width so the printer never wraps on its own. A line with a
// character CP932 lacks (𠮷) is drawn by the one name renderer (hal/text) and sent as a
// GS v 0 raster image, so it prints as itself, never as ● or ?. The QR code (model 2, ECC M)
// follows, then a feed and a partial cut.

#include "base/result.hpp"
#include "hal/escpos/encoder.hpp"
#include "hal/printer.hpp"
#include "hal/text/text_renderer.hpp"

#include <string>

namespace uketsuke::hal::escpos {

// Printable widths: 384 dots (58 mm, 203 dpi), 512 (80 mm, 180 dpi: TM-T88), 576 (80 mm,
// 203 dpi: TM-T20, TM-m30).
inline constexpr int kDots58mm = 384;
inline constexpr int kDots80mm180dpi = 512;
inline constexpr int kDots80mm = 576;
inline constexpr int kAnkDots = 12;
inline constexpr int kKanjiDots = 24;

struct LayoutConfig {
    int widthDots = kDots80mm;
    int qrModuleDots = 6;
    // Draw lines holding NEC row 13 / IBM extension kanji (髙 﨑 ① ㈱) as raster instead of
    // kanji bytes, for models whose test sheet shows they lack those glyphs.
    bool rasterExtendedKanji = false;
};

// Errors: ConfigInvalid unless `widthDots` is 384, 512 or 576.
Result<LayoutConfig> layoutForWidth(int widthDots);

// The dots a text-mode run takes at 1x (ASCII and half-width kana 12, the rest 24).
int textDots(std::u32string_view text);

// Thread: any (the renderer serialises). Errors: InvalidArgument (QR payload not printable
// ASCII, or a slip the paper cannot hold), ConfigInvalid (bad width), and the renderer's
// errors for raster lines.
Result<std::string> encodeSlip(const Slip& slip, const LayoutConfig& config,
                               const text::TextRenderer& renderer);

} // namespace uketsuke::hal::escpos
