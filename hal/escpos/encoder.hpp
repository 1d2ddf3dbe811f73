#pragma once

// ESC/POS bytes for Japanese thermal printers (Epson TM-T88/TM-T20/TM-m30, Star in ESC/POS
// emulation). The command table and the Japanese recipe are in docs/printer.md: ESC @, then
// ESC R 8 (Japan), ESC t 1 (katakana page), FS C 1 (Shift_JIS) and FS & (kanji on), text as
// CP932, GS ! sizes, ESC E emphasis, ESC a alignment, GS ( k QR codes, GS v 0 raster images for
// what the printer's fonts lack, GS V 66 0 feed-and-cut. No I/O here: an Encoder only appends
// to a byte string. Thread: any (one Encoder per thread).

#include "hal/text/text_renderer.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uketsuke::hal::escpos {

// The CP932 bytes of one code point (glibc iconv "CP932": NEC row 13 and the IBM extensions
// included, so 髙 is FB FC, 﨑 FA B1, ① 87 40, ㈱ 87 8A), or nullopt when CP932 has none (𠮷).
std::optional<std::string> toCp932(char32_t c);
// The whole text in CP932, or nullopt if any character is missing.
std::optional<std::string> encodeCp932(std::string_view utf8);
// CP932 back to UTF-8 (the simulator's decoder); undecodable bytes become U+FFFD.
std::string decodeCp932(std::string_view cp932);
// A lead byte of NEC row 13 or the IBM extensions (87, ED, EE, FA-FC): whether a printer's
// resident font holds these glyphs must be checked per model (docs/printer.md).
bool isExtendedLeadByte(std::uint8_t b);

// A 1-bit image as GS v 0 sends it: rows of (width + 7) / 8 bytes, most significant bit
// leftmost, 1 = black.
struct Raster {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> bits;

    int bytesPerRow() const { return (width + 7) / 8; }
    bool black(int x, int y) const
    {
        return (bits[static_cast<std::size_t>(y) * static_cast<std::size_t>(bytesPerRow()) +
                     static_cast<std::size_t>(x / 8)] &
                (0x80u >> (x % 8))) != 0;
    }
};

// Coverage of 128 or more is ink; columns from `maxWidth` on are dropped.
Raster toRaster(const text::Bitmap& bitmap, int maxWidth = 0xFFFF * 8);

enum class Align : std::uint8_t { Left = 0, Center = 1, Right = 2 };
enum class QrEcc : std::uint8_t { L = 48, M = 49, Q = 50, H = 51 };

class Encoder {
public:
    // ESC @ and the Japanese prefix (ESC R 8, ESC t 1, FS C 1, FS &).
    Encoder& initialize();
    Encoder& align(Align align);
    // Character size, 1..8 each way (GS ! n; ANK and kanji).
    Encoder& size(int width, int height);
    Encoder& emphasis(bool on);
    // Appends `utf8` as CP932 (no line feed). Returns false and appends nothing when a
    // character is not in CP932.
    bool text(std::string_view utf8);
    Encoder& newline();
    // GS v 0, normal density. Images wider than 65535 bytes or taller than 65535 dots are
    // cut; callers keep them within the paper.
    Encoder& raster(const Raster& image);
    // GS ( k: model 2, `moduleDots` 1..16, error correction, store, print (at a line start).
    // The payload is sent as bytes; keep it ASCII (kanji mode would reinterpret it).
    Encoder& qr(std::string_view payload, int moduleDots, QrEcc ecc);
    // GS V 66 0: feed to the cutter and cut partially.
    Encoder& cut();
    // DLE EOT n: real-time status request (1 printer, 2 offline cause, 3 error, 4 paper).
    Encoder& statusRequest(std::uint8_t n);

    const std::string& bytes() const { return m_bytes; }
    std::string take() { return std::move(m_bytes); }

private:
    Encoder& put(std::initializer_list<std::uint8_t> bytes);
    std::string m_bytes;
};

} // namespace uketsuke::hal::escpos
